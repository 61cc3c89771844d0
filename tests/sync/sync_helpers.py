"""Helpers for the sync tests: a real server app in this process, real encrypted profiles enrolled on it."""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from youthwork.domain.vocab import Role, TeamKind
from youthwork.keys.slots import Argon2Params
from youthwork.server import admin
from youthwork.server import schema as t
from youthwork.server.app import create_app
from youthwork.server.security import password_hasher
from youthwork.server.settings import Settings
from youthwork.store.profile import Profile
from youthwork.sync import device
from youthwork.sync.client import SyncClient
from youthwork.sync.transport import HttpTransport

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
PASSPHRASE = "brisk otter lantern harbour"
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def cheap_settings(url: str) -> Settings:
    return Settings(
        database_url=url,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        login_max_failures=1000,
        secret_key="sync-tests-secret-" + "x" * 32,  # no secret file in the user's data folder
    )


@dataclass
class Server:
    app: Any
    http: TestClient
    engine: sa.Engine
    team_id: str
    users: dict[str, str] = field(default_factory=dict)

    def add_user(self, username: str, role: str = Role.WORKER) -> str:
        with self.engine.connect() as conn, conn.begin():
            self.users[username] = admin.add_user(
                conn, password_hasher(self.app.state.settings), username, username.title(), PASSWORD, role, self.team_id
            )
        return self.users[username]

    def records(self, table: str = "people") -> dict[str, dict[str, Any]]:
        """Live records on the server: id -> data."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.records.c.record_id, t.records.c.data).where(
                    t.records.c.table_name == table, t.records.c.deleted.is_(False)
                )
            ).all()
        return {r.record_id: dict(r.data) for r in rows}

    def deleted(self, table: str = "people") -> set[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.records.c.record_id).where(t.records.c.table_name == table, t.records.c.deleted.is_(True))
            ).all()
        return {r.record_id for r in rows}

    def conflicts(self) -> list[Any]:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(t.conflicts)).all()

    def close(self) -> None:
        self.http.close()
        self.app.state.engine.dispose()


def start_server(tmp: Path, database_url: str | None = None) -> Server:
    """The server app on `database_url` (default: a SQLite file in `tmp`), with one detached team."""
    app = create_app(cheap_settings(database_url or f"sqlite:///{tmp / 'server.sqlite3'}"))
    http = TestClient(app)
    http.__enter__()
    engine = app.state.engine
    with engine.connect() as conn, conn.begin():
        team_id = admin.add_team(conn, f"detached-{uuid.uuid4().hex[:6]}", TeamKind.DETACHED)
    return Server(app, http, engine, team_id)


def make_profile(directory: Path) -> Profile:
    profile, _recovery = Profile.create(directory, PASSPHRASE, worker_name="Sam", argon2=FAST_KDF)
    return profile


def enrolled_profile(server: Server, directory: Path, username: str, role: str = Role.WORKER) -> Profile:
    if username not in server.users:
        server.add_user(username, role)
    profile = make_profile(directory)
    device.enrol(profile, "http://testserver", username, PASSWORD, transport=HttpTransport(client=server.http))
    return profile


def client_for(server: Server, profile: Profile, transport: Any = None) -> SyncClient:
    return device.client_for(profile, transport or HttpTransport(client=server.http))
