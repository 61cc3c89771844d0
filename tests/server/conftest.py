"""Server test fixtures: every test module runs against SQLite and PostgreSQL (a fresh database per module).

PostgreSQL is at YOUTHWORK_TEST_PG_URL (default 127.0.0.1:5432, user postgres, database test). If it can't be reached
the PostgreSQL variants are skipped, unless YOUTHWORK_REQUIRE_PG=1 (set by .ci/run), when they fail.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server_helpers import ACTORS, PASSWORD, TestClient, World, cheap_settings, fresh_pg_database

from youthwork.domain.vocab import TeamKind
from youthwork.server import admin
from youthwork.server.app import create_app
from youthwork.server.security import password_hasher


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("server") / "server.sqlite3"
        yield f"sqlite:///{path}"
        return
    url, drop = fresh_pg_database()
    try:
        yield url
    finally:
        drop()


@pytest.fixture(scope="module")
def app(database_url: str) -> Iterator[Any]:
    application = create_app(cheap_settings(database_url))
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="module")
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def password_hash(app: Any) -> str:
    return password_hasher(app.state.settings).hash(PASSWORD)


@pytest.fixture
def world(client: TestClient, app: Any, password_hash: str) -> World:
    suffix = uuid.uuid4().hex[:8]
    engine = app.state.engine
    teams = {}
    with engine.connect() as conn, conn.begin():
        for key, kind in (
            ("detached", TeamKind.DETACHED),
            ("igt", TeamKind.IGT),
            ("tys", TeamKind.TYS),
            ("kicks", TeamKind.PARTNER),
        ):
            teams[key] = admin.add_team(conn, f"{key}-{suffix}", kind)
    w = World(teams, {}, client, engine, password_hash, suffix)
    for key, (team, role) in ACTORS.items():
        w.add_actor(key, team, role)
    return w
