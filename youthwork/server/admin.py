"""Administration used by the CLI (and tests): organisations, teams, users, devices."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher

from youthwork.domain.ids import new_id
from youthwork.domain.vocab import Role, TeamKind
from youthwork.server import schema as t
from youthwork.server.clock import aware, now_utc

log = logging.getLogger(__name__)


class AdminError(Exception):
    """A refused admin action; the message is shown as it is."""


def ensure_organisation(conn: sa.Connection, name: str) -> str:
    row = conn.execute(sa.select(t.organisations.c.id).where(t.organisations.c.name == name)).first()
    if row:
        return row.id
    org_id = new_id()
    conn.execute(t.organisations.insert().values(id=org_id, name=name, created_at=now_utc()))
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
        t.teams.insert().values(id=team_id, organisation_id=org_id, name=name, kind=kind, created_at=now_utc())
    )
    return team_id


def find_team(conn: sa.Connection, name_or_id: str) -> sa.Row:
    row = conn.execute(
        sa.select(t.teams).where(sa.or_(t.teams.c.name == name_or_id, t.teams.c.id == name_or_id))
    ).first()
    if row is None:
        raise AdminError(f"There is no team called {name_or_id!r}.")
    return row


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
    if password_hash is None and len(password) < 10:
        raise AdminError("The password must be at least 10 characters long.")
    team_row = find_team(conn, team)
    if role == Role.PARTNER and team_row.kind != TeamKind.PARTNER:
        raise AdminError("Partner staff must belong to a partner team.")
    if role != Role.PARTNER and role != Role.ADMIN and team_row.kind == TeamKind.PARTNER:
        raise AdminError("People in a partner team must have the partner role.")
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
            created_at=now_utc(),
        )
    )
    return user_id


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
        sa.select(t.devices, t.users.c.username, t.teams.c.name.label("team_name"))
        .join(t.users, t.users.c.id == t.devices.c.user_id)
        .join(t.teams, t.teams.c.id == t.users.c.team_id)
        .order_by(t.devices.c.created_at)
    ).all()
    out = []
    for r in rows:
        out.append(
            DeviceInfo(r.id, r.name, r.username, r.team_name, aware(r.created_at), aware(r.last_seen_at), _state(r))
        )
    return out


def _device(conn: sa.Connection, device_id: str) -> sa.Row:
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
        conn.execute(t.devices.update().where(t.devices.c.id == row.id).values(revoked_at=now_utc()))
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
        conn.execute(t.devices.update().where(t.devices.c.id == row.id).values(wipe_requested_at=now_utc()))
    log.info("device %s marked for wipe", row.id)


def _state(r: sa.Row) -> str:
    if r.wiped_at:
        return "wiped"
    if r.revoked_at:
        return "revoked"
    if r.wipe_requested_at:
        return "wipe pending"
    return "active"
