"""Helpers for the server tests: signed-in actors, protocol envelopes, push and pull."""

from __future__ import annotations

import os
import threading
import uuid
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from youthwork.domain.ids import new_id
from youthwork.domain.vocab import Role
from youthwork.server import admin
from youthwork.server.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette nudges towards httpx2; httpx works
    from fastapi.testclient import TestClient

PG_URL = os.environ.get("YOUTHWORK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery"


def cheap_settings(url: str, **kw: Any) -> Settings:
    """Real Argon2, at a cost that keeps the suite fast."""
    kw.setdefault("secret_key", "server-tests-secret-" + "x" * 32)
    return Settings(database_url=url, argon2_time_cost=1, argon2_memory_kib=1024, **kw)


def _pg_admin_engine() -> sa.Engine | None:
    engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError:
        engine.dispose()
        return None
    return engine


def _skip_or_fail_pg() -> None:
    if os.environ.get("YOUTHWORK_REQUIRE_PG") == "1":
        pytest.fail(f"PostgreSQL is required (YOUTHWORK_REQUIRE_PG=1) but {PG_URL} can't be reached")
    pytest.skip("PostgreSQL is not reachable")


def fresh_pg_database() -> tuple[str, Any]:
    """A new empty database on the test cluster, and a function that drops it."""
    engine = _pg_admin_engine()
    if engine is None:
        _skip_or_fail_pg()
    name = f"yw_server_{uuid.uuid4().hex[:12]}"
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return url, drop


@dataclass
class Actor:
    """A signed-in user on one device."""

    username: str
    role: str
    team_id: str
    user_id: str
    device_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class World:
    """Fresh teams for one test: a detached (TYS) team, the IGT, a TYS receiving team and a Kicks partner team."""

    teams: dict[str, str]
    actors: dict[str, Actor]
    client: TestClient
    engine: sa.Engine
    password_hash: str
    suffix: str

    def add_actor(self, key: str, team: str, role: str) -> Actor:
        username = f"{key}-{self.suffix}"
        with self.engine.connect() as conn, conn.begin():
            user_id = admin.add_user(
                conn, None, username, key, "", role, self.teams[team], password_hash=self.password_hash
            )  # type: ignore[arg-type]
        actor = login(self.client, username)
        actor.role, actor.team_id, actor.user_id = role, self.teams[team], user_id
        self.actors[key] = actor
        return actor

    def __getitem__(self, key: str) -> Actor:
        return self.actors[key]


def login(client: TestClient, username: str, password: str = PASSWORD) -> Actor:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": password, "device_name": "laptop"})
    assert r.status_code == 200, r.text
    body = r.json()
    return Actor(username, body["role"], body["team_id"], body["user_id"], body["device_id"], body["device_token"])


# key -> (team, role)
ACTORS: dict[str, tuple[str, str]] = {
    "worker": ("detached", Role.WORKER),
    "worker2": ("detached", Role.WORKER),
    "supervisor": ("detached", Role.SUPERVISOR),
    "igt": ("igt", Role.WORKER),
    "tys": ("tys", Role.RECEIVING),
    "partner": ("kicks", Role.PARTNER),
    "admin": ("detached", Role.ADMIN),
}


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def envelope(**kw: Any) -> dict[str, Any]:
    return {"protocol_version": 1, "schema_version": 1, "device_time": now_iso(), **kw}


def push(client: TestClient, actor: Actor, changes: list[dict[str, Any]], expect: int = 200) -> list[dict[str, Any]]:
    r = client.post("/api/v1/sync/push", headers=actor.headers, json=envelope(changes=changes))
    assert r.status_code == expect, r.text
    return r.json()["results"] if expect == 200 else r.json()


def pull_all(client: TestClient, actor: Actor, cursor: str | None = None, limit: int = 1000) -> tuple[dict, str]:
    """Every change visible to `actor` after `cursor`, as {(table, id): change}, and the final cursor."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    while True:
        r = client.post("/api/v1/sync/pull", headers=actor.headers, json=envelope(cursor=cursor, limit=limit))
        assert r.status_code == 200, r.text
        body = r.json()
        for ch in body["changes"]:
            seen[(ch["table"], ch["record_id"])] = ch
        cursor = body["cursor"]
        if not body["has_more"]:
            return seen, cursor


def change(table: str, record_id: str, fields: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {
        "change_id": kw.pop("change_id", uuid.uuid4().hex),
        "table": table,
        "record_id": record_id,
        "fields": fields,
        **kw,
    }


@dataclass
class PollOutcome:
    sent: list[str]  # record ids every pusher pushed
    seen: set[str]  # record ids the reader pulled, while polling and after
    cursor: str  # the reader's last cursor
    errors: list[BaseException]  # raised in the pusher threads


def push_while_polling(
    engine: sa.Engine, pushers: list[Any], reader: Any, cursor: str, *, rounds: int, batch: int, page: int
) -> PollOutcome:
    """Each pusher pushes `rounds` batches from its own thread while `reader` pulls from `cursor` pages of `page`;
    then the reader drains what is left. Pushes go through the service's own push function (one transaction each)."""
    from youthwork.domain.protocol import Change
    from youthwork.server.pull import pull
    from youthwork.server.push import push as push_changes

    out = PollOutcome([], set(), cursor, [])
    lock, done = threading.Lock(), threading.Event()

    def pusher(caller: Any) -> None:
        try:
            for _ in range(rounds):
                changes = [
                    Change(change_id=uuid.uuid4().hex, table="people", record_id=new_id(), fields={"first_name": "P"})
                    for _ in range(batch)
                ]
                results = push_changes(engine, caller, changes)
                assert all(r.status == "applied" for r in results), results
                with lock:
                    out.sent.extend(c.record_id for c in changes)
        except BaseException as exc:
            out.errors.append(exc)

    def poller() -> None:
        while not done.is_set():
            changes, out.cursor, _ = pull(engine, reader, out.cursor, page)
            out.seen.update(c.record_id for c in changes)

    threads = [threading.Thread(target=pusher, args=(c,)) for c in pushers]
    poll = threading.Thread(target=poller)
    poll.start()
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    done.set()
    poll.join(10)
    while True:
        changes, out.cursor, more = pull(engine, reader, out.cursor, 5000)
        out.seen.update(c.record_id for c in changes)
        if not more:
            return out
