"""The service's settings, read from the environment so one image runs anywhere.

YOUTHWORK_DATABASE_URL      SQLAlchemy URL; default a SQLite file under the user data folder
YOUTHWORK_REPORTS_DATABASE_URL  a read replica (streaming standby) of it that reports read from; default the database
YOUTHWORK_MAX_BODY_BYTES    largest request body accepted (default 8 MiB)
YOUTHWORK_LOGIN_MAX_FAILURES[_PER_ADDRESS] / YOUTHWORK_LOGIN_WINDOW_SECONDS   login rate limits
YOUTHWORK_DEVICE_IDLE_DAYS  a device credential unused for this long stops working (the laptop must log in again)
YOUTHWORK_ARGON2_TIME_COST / YOUTHWORK_ARGON2_MEMORY_KIB        password hashing cost
YOUTHWORK_SECRET_KEY        the server secret that keys what is stored about usernames and addresses (login attempts);
                            at least 32 characters. Without it the secret is read from YOUTHWORK_SECRET_KEY_FILE
                            (default `server-secret.key` in the user data folder), made there on first use (0600).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs


def default_database_url() -> str:
    folder = Path(platformdirs.user_data_dir("youthwork-server"))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"sqlite:///{folder / 'youthwork-server.sqlite3'}"


def default_secret_file() -> str:
    return str(Path(platformdirs.user_data_dir("youthwork-server")) / "server-secret.key")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


@dataclass(frozen=True)  # no slots: from_env reads the class defaults
class Settings:
    database_url: str = field(default_factory=default_database_url)
    max_body_bytes: int = 8 * 1024 * 1024
    login_max_failures: int = 5
    # Per client address: higher, since many workers may share one office or mobile network address.
    login_max_failures_per_address: int = 50
    login_window_seconds: int = 15 * 60
    device_idle_days: int = 90
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    # Connection pools for PostgreSQL (one for writes, one for single-statement reads: up to twice
    # pool_size + max_overflow connections per process); SQLite ignores them.
    pool_size: int = 10
    max_overflow: int = 10
    # Reports only read, and read a lot: they may go to a streaming replica. Sync and sign-in never do (a device must
    # see its own sign-in and pushes at once, which a lagging replica can't promise).
    reports_database_url: str = ""
    # The server secret (see youthwork.server.security.server_secret): given, or kept in a file made on first use.
    secret_key: str = field(default="", repr=False)
    secret_key_file: str = field(default_factory=default_secret_file)

    @classmethod
    def from_env(cls) -> Settings:
        url = os.environ.get("YOUTHWORK_DATABASE_URL", "").strip() or default_database_url()
        return cls(
            database_url=url,
            max_body_bytes=_int("YOUTHWORK_MAX_BODY_BYTES", cls.max_body_bytes),
            login_max_failures=_int("YOUTHWORK_LOGIN_MAX_FAILURES", cls.login_max_failures),
            login_max_failures_per_address=_int(
                "YOUTHWORK_LOGIN_MAX_FAILURES_PER_ADDRESS", cls.login_max_failures_per_address
            ),
            login_window_seconds=_int("YOUTHWORK_LOGIN_WINDOW_SECONDS", cls.login_window_seconds),
            device_idle_days=_int("YOUTHWORK_DEVICE_IDLE_DAYS", cls.device_idle_days),
            argon2_time_cost=_int("YOUTHWORK_ARGON2_TIME_COST", cls.argon2_time_cost),
            argon2_memory_kib=_int("YOUTHWORK_ARGON2_MEMORY_KIB", cls.argon2_memory_kib),
            pool_size=_int("YOUTHWORK_POOL_SIZE", cls.pool_size),
            max_overflow=_int("YOUTHWORK_MAX_OVERFLOW", cls.max_overflow),
            reports_database_url=os.environ.get("YOUTHWORK_REPORTS_DATABASE_URL", "").strip(),
            secret_key=os.environ.get("YOUTHWORK_SECRET_KEY", "").strip(),
            secret_key_file=os.environ.get("YOUTHWORK_SECRET_KEY_FILE", "").strip() or default_secret_file(),
        )
