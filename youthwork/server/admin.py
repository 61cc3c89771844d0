"""Administration used by the CLI (and tests): organisations, teams, users, devices."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher

from youthwork.domain.clock import utc_now
from youthwork.domain.ids import new_id
from youthwork.domain.vocab import Role, TeamKind
from youthwork.server import schema as t
from youthwork.server.clock import aware
from youthwork.server.security import username_key

log = logging.getLogger(__name__)


MIN_PASSWORD_CHARS = 10


class AdminError(Exception):
    """A refused admin action; the message is shown as it is."""


def ensure_organisation(conn: sa.Connection, name: str) -> str:
    row = conn.execute(sa.select(t.organisations.c.id).where(t.organisations.c.name == name)).first()
    if row:
        return str(row.id)
    org_id = new_id()
    conn.execute(t.organisations.insert().values(id=org_id, name=name, created_at=utc_now()))
    return org_id


def add_team(conn: sa.Connection, name: str, kind: str, organisation: str = "Default organisation") -> str:
    name = name.strip()
    if not name:
        raise AdminError("A team needs a name.")
    if kind not in {k.value for k in TeamKind}:
        raise AdminError(f"Team kind must be one of: {', '.join(k.value for k in TeamKind)}.")
    if conn.execute(sa.select(t.teams.c.id).where(t.teams.c.name == name)).first():
        raise AdminError(f"There is already a team called {name!r}.")
    team_id = new_id()
    org_id = ensure_organisation(conn, organisation.strip() or "Default organisation")
    conn.execute(
        t.teams.insert().values(id=team_id, organisation_id=org_id, name=name, kind=kind, created_at=utc_now())
    )
    return team_id


def find_team(conn: sa.Connection, name_or_id: str) -> sa.Row[Any]:
    row = conn.execute(
        sa.select(t.teams).where(sa.or_(t.teams.c.name == name_or_id, t.teams.c.id == name_or_id))
    ).first()
    if row is None:
        raise AdminError(f"There is no team called {name_or_id!r}.")
    return row


def _role_problem(role: str, team_kind: str) -> str | None:
    if role not in {r.value for r in Role}:
        return f"Role must be one of: {', '.join(r.value for r in Role)}."
    if role == Role.PARTNER and team_kind != TeamKind.PARTNER:
        return "Partner staff must belong to a partner team."
    if role != Role.PARTNER and role != Role.ADMIN and team_kind == TeamKind.PARTNER:
        return "People in a partner team must have the partner role."
    return None


def _password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_CHARS:
        return f"The password must be at least {MIN_PASSWORD_CHARS} characters long."
    return None


def add_user(
    conn: sa.Connection,
    hasher: PasswordHasher,
    username: str,
    display_name: str,
    password: str,
    role: str,
    team: str,
    *,
    password_hash: str | None = None,
) -> str:
    username = username.strip()
    if not username:
        raise AdminError("A user needs a username.")
    if role not in {r.value for r in Role}:
        raise AdminError(f"Role must be one of: {', '.join(r.value for r in Role)}.")
    if password_hash is None and (problem := _password_problem(password)):
        raise AdminError(problem)
    team_row = find_team(conn, team)
    if problem := _role_problem(role, team_row.kind):
        raise AdminError(problem)
    exists = conn.execute(sa.select(t.users.c.id).where(sa.func.lower(t.users.c.username) == username.lower())).first()
    if exists:
        raise AdminError(f"The username {username!r} is already taken.")
    user_id = new_id()
    conn.execute(
        t.users.insert().values(
            id=user_id,
            username=username,
            display_name=display_name.strip() or username,
            password_hash=password_hash or hasher.hash(password),
            role=role,
            team_id=team_row.id,
            active=True,
            created_at=utc_now(),
        )
    )
    return user_id


@dataclass(frozen=True, slots=True)
class UserChange:
    """What an account command did, for its one-line report."""

    user_id: str
    username: str
    before: str
    after: str
    devices: int  # the user's devices that can still reach the service (not revoked or wiped)


def find_user(conn: sa.Connection, username_or_id: str) -> sa.Row[Any]:
    key = username_or_id.strip()
    row = conn.execute(
        sa.select(t.users, t.teams.c.kind.label("team_kind"))
        .join(t.teams, t.teams.c.id == t.users.c.team_id)
        .where(sa.or_(sa.func.lower(t.users.c.username) == key.lower(), t.users.c.id == key))
    ).first()
    if row is None:
        raise AdminError(f"There is no user called {username_or_id!r}.")
    return row


def _live_devices(conn: sa.Connection, user_id: str) -> int:
    d = t.devices
    return conn.execute(
        sa.select(sa.func.count()).where(d.c.user_id == user_id, d.c.revoked_at.is_(None), d.c.wiped_at.is_(None))
    ).scalar_one()


def _set_user(conn: sa.Connection, row: sa.Row[Any], before: str, after: str, **values: object) -> UserChange:
    conn.execute(t.users.update().where(t.users.c.id == row.id).values(**values))
    return UserChange(row.id, row.username, before, after, _live_devices(conn, row.id))


def set_active(conn: sa.Connection, username_or_id: str, active: bool) -> UserChange:
    """Switch an account off (or on again). Every device of the user is refused from its next request, because each
    request reads the account; the devices are not revoked, so switching the account back on restores them."""
    row = find_user(conn, username_or_id)
    state = {True: "on", False: "off"}
    change = _set_user(conn, row, state[bool(row.active)], state[active], active=active)
    log.info("user %s switched %s", row.id, state[active])
    return change


def reset_password(
    conn: sa.Connection,
    hasher: PasswordHasher,
    username_or_id: str,
    password: str,
    *,
    secret: bytes | None = None,
    revoke_devices: bool = False,
) -> UserChange:
    """Set a new password. With the server `secret`, the user's failed sign-ins are forgotten too, so a locked-out
    user can sign in at once; `revoke_devices` also ends every device's token."""
    if problem := _password_problem(password):
        raise AdminError(problem)
    row = find_user(conn, username_or_id)
    if secret is not None:
        a = t.login_attempts
        key = username_key(secret, row.username)
        conn.execute(a.delete().where(a.c.username_key == key, a.c.success.is_(False)))
    if revoke_devices:
        d = t.devices
        conn.execute(d.update().where(d.c.user_id == row.id, d.c.revoked_at.is_(None)).values(revoked_at=utc_now()))
    log.info("password reset for user %s", row.id)
    return _set_user(conn, row, "", "", password_hash=hasher.hash(password))


def set_role(conn: sa.Connection, username_or_id: str, role: str) -> UserChange:
    """Change a user's role; it takes effect on every device from its next request (each request reads the role)."""
    row = find_user(conn, username_or_id)
    if problem := _role_problem(role, row.team_kind):
        raise AdminError(problem)
    log.info("user %s role changed", row.id)
    return _set_user(conn, row, row.role, role, role=role)


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    id: str
    name: str
    username: str
    team: str
    created_at: datetime
    last_seen_at: datetime
    state: str


def list_devices(conn: sa.Connection) -> list[DeviceInfo]:
    rows = conn.execute(
        sa.select(t.devices, t.users.c.username, t.users.c.active, t.teams.c.name.label("team_name"))
        .join(t.users, t.users.c.id == t.devices.c.user_id)
        .join(t.teams, t.teams.c.id == t.users.c.team_id)
        .order_by(t.devices.c.created_at)
    ).all()
    out = []
    for r in rows:
        state = _state(r)
        if state == "active" and not r.active:
            state = "account off"  # refused until enable-user
        out.append(DeviceInfo(r.id, r.name, r.username, r.team_name, aware(r.created_at), aware(r.last_seen_at), state))
    return out


def _device(conn: sa.Connection, device_id: str) -> sa.Row[Any]:
    row = conn.execute(sa.select(t.devices).where(t.devices.c.id == device_id.strip())).first()
    if row is None:
        raise AdminError(f"There is no device with id {device_id!r}. Use list-devices to see them.")
    return row


def revoke_device(conn: sa.Connection, device_id: str) -> str:
    """End the device's credential for good, whatever its state (a device marked for wipe can then no longer be
    told to wipe: its next call is refused like any revoked one). Returns the state it was in."""
    row = _device(conn, device_id)
    before = _state(row)
    if row.revoked_at is None:
        conn.execute(t.devices.update().where(t.devices.c.id == row.id).values(revoked_at=utc_now()))
    log.info("device %s revoked", row.id)
    return before


def wipe_device(conn: sa.Connection, device_id: str) -> None:
    """Mark a lost laptop: at its next contact it is told to destroy its key and files, then it is shut out.

    Until then it can do nothing but that handshake. A revoked device can't be reached any more, so it can't be told.
    """
    row = _device(conn, device_id)
    if row.wiped_at is not None:
        raise AdminError(f"Device {row.id} has already confirmed its wipe.")
    if row.revoked_at is not None:
        raise AdminError(
            f"Device {row.id} was revoked, so it can no longer be reached to be told to wipe itself. "
            "Its access is already withdrawn."
        )
    if row.wipe_requested_at is None:
        conn.execute(t.devices.update().where(t.devices.c.id == row.id).values(wipe_requested_at=utc_now()))
    log.info("device %s marked for wipe", row.id)


def _state(r: sa.Row[Any]) -> str:
    if r.wiped_at:
        return "wiped"
    if r.revoked_at:
        return "revoked"
    if r.wipe_requested_at:
        return "wipe pending"
    return "active"
