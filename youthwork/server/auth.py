"""Signing in (which enrols a device) and recognising a device from its bearer token on every request."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher

from youthwork.domain.clock import utc_now
from youthwork.domain.ids import new_id
from youthwork.domain.protocol import LoginRequest, LoginResponse
from youthwork.domain.vocab import Role
from youthwork.server import schema as t
from youthwork.server.clock import aware
from youthwork.server.errors import ApiError
from youthwork.server.security import digest, keyed_digest, new_device_token, username_key, verify_password
from youthwork.server.settings import Settings

log = logging.getLogger(__name__)

# Verified against when the username is unknown, so a wrong username takes as long as a wrong password.
_DUMMY_PASSWORD = "not-a-real-password"
_BEARER = {"WWW-Authenticate": "Bearer"}
# Advisory lock class for login attempts (the change log uses others: see youthwork.server.changelog).
LOGIN_LOCK = 0x79_77_6C_69  # "ywli"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: the device, its user, and the user's team and role."""

    device_id: str
    user_id: str
    display_name: str
    role: Role
    team_id: str
    team_kind: str
    wipe_requested: bool


class LoginGate:
    """Password checks with a dummy hash for unknown users, and a rate limit per username and per address.

    The limit holds under concurrency: before a password is checked, the attempt is counted and recorded (as a
    failure until it succeeds) in one transaction that holds a lock per username and per address (PostgreSQL advisory
    locks; SQLite's single writer), so twenty wrong passwords at once are at most `login_max_failures` checks.
    Usernames and addresses are stored only as HMACs keyed with the server secret.
    """

    def __init__(self, settings: Settings, hasher: PasswordHasher, secret: bytes) -> None:
        self.settings = settings
        self.hasher = hasher
        self.secret = secret
        self.dummy_hash = hasher.hash(_DUMMY_PASSWORD)

    def user_key(self, username: str) -> str:
        return username_key(self.secret, username)

    def login(self, engine: sa.Engine, req: LoginRequest, address: str) -> LoginResponse:
        user_key = self.user_key(req.username)
        addr_key = keyed_digest(self.secret, "address", address)
        now = utc_now()
        attempt_id = self._reserve(engine, user_key, addr_key, now)
        if attempt_id is None:
            minutes = max(1, self.settings.login_window_seconds // 60)
            raise ApiError(
                429,
                "too_many_attempts",
                f"Too many failed sign-in attempts. Wait {minutes} minutes and try again.",
                {"Retry-After": str(self.settings.login_window_seconds)},
            )

        with engine.connect() as conn:
            row = conn.execute(
                sa.select(t.users, t.teams.c.name.label("team_name"))
                .join(t.teams, t.teams.c.id == t.users.c.team_id)
                .where(sa.func.lower(t.users.c.username) == req.username.strip().lower())
            ).first()
        ok = verify_password(self.hasher, row.password_hash if row else self.dummy_hash, req.password)
        ok = ok and row is not None and bool(row.active)
        if not ok or row is None:
            log.info("sign-in refused")
            raise ApiError(401, "wrong_credentials", "The username or password is not right.")

        token = new_device_token()
        device_id = new_id()
        with engine.connect() as conn, conn.begin():
            conn.execute(t.login_attempts.update().where(t.login_attempts.c.id == attempt_id).values(success=True))
            conn.execute(
                t.devices.insert().values(
                    id=device_id,
                    user_id=row.id,
                    name=req.device_name,
                    token_hash=digest(token),
                    created_at=now,
                    last_seen_at=now,
                )
            )
        log.info("device %s enrolled for user %s", device_id, row.id)
        return LoginResponse(
            device_id=device_id,
            device_token=token,
            user_id=row.id,
            display_name=row.display_name,
            role=row.role,
            team_id=row.team_id,
            team_name=row.team_name,
        )

    def _reserve(self, engine: sa.Engine, user_key: str, addr_key: str, now: datetime) -> int | None:
        """Count recent failures and, under the limits, record this attempt as a failure: its id, or None if over."""
        since = now - timedelta(seconds=self.settings.login_window_seconds)
        attempts = t.login_attempts
        recent_failures = sa.and_(attempts.c.success.is_(False), attempts.c.at > since)
        with engine.connect() as conn:
            conn.execution_options(write=True)  # SQLite: BEGIN IMMEDIATE, one login transaction at a time
            with conn.begin():
                _lock_attempts(conn, (user_key, addr_key))
                by_user = conn.execute(
                    sa.select(sa.func.count()).where(recent_failures, attempts.c.username_key == user_key)
                ).scalar_one()
                by_address = conn.execute(
                    sa.select(sa.func.count()).where(recent_failures, attempts.c.address_key == addr_key)
                ).scalar_one()
                if (
                    by_user >= self.settings.login_max_failures
                    or by_address >= self.settings.login_max_failures_per_address
                ):
                    return None
                inserted = conn.execute(
                    attempts.insert().values(username_key=user_key, address_key=addr_key, success=False, at=now)
                )
                # Old attempts are no use to the rate limit.
                conn.execute(attempts.delete().where(attempts.c.at < since - timedelta(days=1)))
                return int(inserted.inserted_primary_key[0])  # type: ignore[index]  # set by every INSERT


def _lock_attempts(conn: sa.Connection, keys: tuple[str, ...]) -> None:
    """PostgreSQL: a transaction-level advisory lock per key, always taken in the same order (no deadlock)."""
    if conn.dialect.name != "postgresql":
        return
    for key in sorted({int(k[:7], 16) for k in keys}):  # 28 bits of the HMAC: plenty to keep users apart
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:c, :k)"), {"c": LOGIN_LOCK, "k": key})


def authenticate(engine: sa.Engine, settings: Settings, authorization: str | None) -> Caller:
    """The caller behind an `Authorization: Bearer <device token>` header, or a 401 saying why not."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise ApiError(401, "not_signed_in", "Sign in on this laptop first.", _BEARER)
    token = authorization[7:].strip()
    now = utc_now()
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(
                t.devices.c.id,
                t.devices.c.last_seen_at,
                t.devices.c.revoked_at,
                t.devices.c.wipe_requested_at,
                t.devices.c.wiped_at,
                t.users.c.id.label("user_id"),
                t.users.c.display_name,
                t.users.c.role,
                t.users.c.active,
                t.users.c.team_id,
                t.teams.c.kind.label("team_kind"),
            )
            .join(t.users, t.users.c.id == t.devices.c.user_id)
            .join(t.teams, t.teams.c.id == t.users.c.team_id)
            .where(t.devices.c.token_hash == digest(token))
        ).first()
    if row is None:
        raise ApiError(
            401,
            "invalid_token",
            "This laptop's sign-in is not recognised. Sign in again.",
            _BEARER,
        )
    if row.wiped_at is not None or row.revoked_at is not None:
        # Revoking always ends the token, also on a device that was marked for wipe (it then can't even be told).
        raise ApiError(
            401,
            "device_revoked",
            "This laptop's access has been withdrawn. Ask your administrator if you think this is wrong.",
            _BEARER,
        )
    if not row.active:
        raise ApiError(401, "account_disabled", "Your account has been switched off. Ask your administrator.", _BEARER)
    wipe_pending = row.wipe_requested_at is not None
    last_seen = aware(row.last_seen_at)
    if not wipe_pending and last_seen < now - timedelta(days=settings.device_idle_days):
        # A lost laptop marked for wipe is still told to wipe, however long it was away (it gets nothing else).
        raise ApiError(
            401,
            "token_expired",
            f"This laptop has not synced for over {settings.device_idle_days} days, so its sign-in has expired. "
            "Sign in again.",
            _BEARER,
        )
    if not wipe_pending and now - last_seen > timedelta(minutes=1):
        # Touch at most once a minute: enough for "last seen", cheap under load. A device marked for wipe is never
        # touched: its calls must not keep its credential alive.
        with engine.connect() as conn, conn.begin():
            conn.execute(t.devices.update().where(t.devices.c.id == row.id).values(last_seen_at=now))
    return Caller(
        device_id=row.id,
        user_id=row.user_id,
        display_name=row.display_name,
        role=Role(row.role),
        team_id=row.team_id,
        team_kind=row.team_kind,
        wipe_requested=wipe_pending,
    )


def confirm_wipe(engine: sa.Engine, caller: Caller) -> None:
    """The laptop says it has destroyed its key and files: its credential stops working for good."""
    now = utc_now()
    with engine.connect() as conn, conn.begin():
        conn.execute(
            t.devices.update()
            .where(t.devices.c.id == caller.device_id)
            .values(wiped_at=now, revoked_at=sa.func.coalesce(t.devices.c.revoked_at, now))
        )
    log.info("device %s confirmed its wipe", caller.device_id)
