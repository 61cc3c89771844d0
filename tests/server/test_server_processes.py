"""Several service processes on one PostgreSQL database: how the service grows past one process.

Two real `youthwork-server serve` processes on different loopback ports share a fresh database; the first runs two
uvicorn workers (`--workers 2`), so three processes in all serve the same data. Devices alternate between the two
ports from one sync to the next. Nothing may be lost, doubled or skipped, and a push committing late in one process
must hold back what another process serves, exactly as within one process (the change-log lock is the database's,
not the process's).
"""

from __future__ import annotations

import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from server_helpers import PASSWORD, TestClient, change, cheap_settings, envelope, fresh_pg_database, login, push

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from server_process import ServerProcess

from youthwork.domain.ids import new_id
from youthwork.domain.protocol import Change
from youthwork.server import admin, db
from youthwork.server import schema as t
from youthwork.server.app import create_app
from youthwork.server.auth import authenticate
from youthwork.server.push import Push
from youthwork.server.security import password_hasher

pytestmark = pytest.mark.postgres

PUSHERS = 6
ROUNDS = 10
NEW_PER_PUSH = 4


@dataclass
class Cluster:
    url: str
    engine: sa.Engine
    servers: list[ServerProcess]
    team_id: str
    tokens: list[str] = field(default_factory=list)  # enrolled devices, alternately through each process

    def base(self, i: int) -> str:
        return f"{self.servers[i % len(self.servers)].url}/api/v1"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    url, drop = fresh_pg_database()
    settings = cheap_settings(url)
    engine = db.make_engine(settings)
    servers: list[ServerProcess] = []
    try:
        for name in ("a", "b"):
            server = ServerProcess(tmp_path_factory.mktemp(f"server-{name}"))
            server.database_url = url
            # Small pools: three processes, two pools each, on a cluster other tests share.
            server.env.update(YOUTHWORK_DATABASE_URL=url, YOUTHWORK_POOL_SIZE="3", YOUTHWORK_MAX_OVERFLOW="3")
            servers.append(server)
        # Both start at once on the empty database: their migrations queue on the migration lock.
        starts = [
            threading.Thread(target=servers[0].start, args=("--workers", "2")),
            threading.Thread(target=servers[1].start),
        ]
        for th in starts:
            th.start()
        for th in starts:
            th.join()  # each start waits for its own health check, with its own deadline
        assert all(s.proc is not None and s.proc.poll() is None for s in servers)
        for s in servers:
            httpx.get(f"{s.url}/api/v1/health", timeout=5).raise_for_status()
        with engine.connect() as conn, conn.begin():
            team_id = admin.add_team(conn, "Two-process team", "detached")
            hasher = password_hasher(settings)
            for u in ("ana", "ben"):
                admin.add_user(conn, hasher, f"{u}-procs", u.title(), PASSWORD, "worker", team_id)
        c = Cluster(url, engine, servers, team_id)
        for i in range(PUSHERS + 2):  # signed in through either process: a device is the database's, not a process's
            r = httpx.post(
                f"{c.base(i)}/auth/login",
                json={"username": ("ana", "ben")[i % 2] + "-procs", "password": PASSWORD, "device_name": f"lap {i}"},
                timeout=30,
            )
            assert r.status_code == 200, r.text
            c.tokens.append(r.json()["device_token"])
        yield c
    finally:
        for s in servers:
            s.stop()
        engine.dispose()
        drop()


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def _python_children(pid: int) -> list[int]:
    """Child processes that run the service (not multiprocessing's resource tracker)."""
    out = []
    for child in _children(pid):
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        if b"resource_tracker" not in cmdline:
            out.append(child)
    return out


def test_serve_workers_starts_that_many_service_processes(cluster: Cluster) -> None:
    first, second = cluster.servers
    assert first.proc is not None and second.proc is not None
    assert len(_python_children(first.proc.pid)) == 2
    assert _python_children(second.proc.pid) == []  # one worker: uvicorn serves in the process itself
    # All three processes run on one database: the health check of each reaches it.
    for s in cluster.servers:
        assert httpx.get(f"{s.url}/api/v1/health", timeout=5).json()["status"] == "ok"


class Device:
    """A laptop that syncs with whichever process it is sent to: push, then pull everything new."""

    def __init__(self, cluster: Cluster, token: str) -> None:
        self.cluster = cluster
        self.headers = {"Authorization": f"Bearer {token}"}
        self.clients = [httpx.Client(base_url=cluster.base(i), timeout=30) for i in range(2)]
        self.cursor: str | None = None
        self.seen: dict[str, int] = {}  # record id -> newest version pulled

    def push(self, where: int, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        r = self.clients[where % 2].post("/sync/push", headers=self.headers, json=envelope(changes=changes))
        assert r.status_code == 200, r.text
        return r.json()["results"]

    def pull(self, where: int, page: int) -> int:
        """Pull to the end of the feed; how many changes came."""
        got = 0
        while True:
            body = envelope(cursor=self.cursor, limit=page)
            r = self.clients[where % 2].post("/sync/pull", headers=self.headers, json=body)
            assert r.status_code == 200, r.text
            data = r.json()
            for ch in data["changes"]:
                if ch["table"] == "people":
                    self.seen[ch["record_id"]] = max(self.seen.get(ch["record_id"], 0), ch["version"])
            got += len(data["changes"])
            self.cursor = data["cursor"]
            if not data["has_more"]:
                return got

    def close(self) -> None:
        for c in self.clients:
            c.close()


def _log_counts(engine: sa.Engine, team_id: str) -> Counter[tuple[str, int]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(t.change_log.c.record_id, t.change_log.c.version).where(
                t.change_log.c.team_id == team_id, t.change_log.c.table_name == "people"
            )
        )
        return Counter((r.record_id, r.version) for r in rows)


def test_devices_alternating_between_processes_lose_double_and_skip_nothing(cluster: Cluster) -> None:
    """Pushers alternate processes every sync (new records, edits of their own earlier ones, and resends of a batch
    to the other process); a reader polls both in turn with small pages while they push."""
    pushers = [Device(cluster, tok) for tok in cluster.tokens[:PUSHERS]]
    reader = Device(cluster, cluster.tokens[PUSHERS])
    reader.pull(0, 500)
    start_cursor = reader.cursor
    for d in pushers:
        d.cursor = start_cursor
    expected: dict[tuple[str, int], str] = {}  # (record id, version) -> change id: one log row each
    lock, done, errors = threading.Lock(), threading.Event(), []

    def run(i: int, device: Device) -> None:
        try:
            mine: dict[str, int] = {}  # my records and their newest version
            previous: list[dict[str, Any]] = []
            previous_results: list[dict[str, Any]] = []
            for rnd in range(ROUNDS):
                where = i + rnd
                changes = [
                    {
                        "change_id": uuid.uuid4().hex,
                        "table": "people",
                        "record_id": new_id(),
                        "fields": {"first_name": f"N{i}"},
                    }
                    for _ in range(NEW_PER_PUSH)
                ]
                if mine:  # edit one of my own earlier records, from the version I last heard of
                    rid = sorted(mine)[rnd % len(mine)]
                    changes.append(
                        {
                            "change_id": uuid.uuid4().hex,
                            "table": "people",
                            "record_id": rid,
                            "fields": {"known_as": f"edit {i}.{rnd}"},
                            "base_version": mine[rid],
                        }
                    )
                results = device.push(where, changes)
                assert [r["status"] for r in results] == ["applied"] * len(changes), results
                with lock:
                    for c, r in zip(changes, results, strict=True):
                        assert (c["record_id"], r["version"]) not in expected
                        expected[(c["record_id"], r["version"])] = c["change_id"]
                        mine[c["record_id"]] = r["version"]
                if previous and rnd % 3 == 0:
                    # The answer to an earlier push was "lost": the laptop sends it again, to the other process.
                    again = device.push(where + 1, previous)
                    assert again == previous_results
                previous, previous_results = changes, results
                device.pull(where + 1, 20)
        except BaseException as exc:
            errors.append(exc)

    def poll() -> None:
        turn = 0
        try:
            while not done.is_set():
                reader.pull(turn, 7)
                turn += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, d)) for i, d in enumerate(pushers)]
    poller = threading.Thread(target=poll)
    poller.start()
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    done.set()
    poller.join(30)
    assert not errors, errors
    assert len(expected) == PUSHERS * (ROUNDS * (NEW_PER_PUSH + 1) - 1)

    # Every change made exactly one change-log row, whichever process took it, resends none.
    logged = _log_counts(cluster.engine, cluster.team_id)
    assert set(logged) == set(expected)
    assert max(logged.values()) == 1
    with cluster.engine.connect() as conn:
        applied = conn.execute(sa.select(sa.func.count()).select_from(t.applied_changes)).scalar_one()
    assert applied == len(expected)

    # Nothing skipped: every device, having pulled in turn from both processes, ends with every record as it is now.
    newest: dict[str, int] = {}
    for rid, version in expected:
        newest[rid] = max(newest.get(rid, 0), version)
    for device in [*pushers, reader]:
        device.pull(0, 500)
        device.pull(1, 500)
        assert device.seen == newest
        device.close()


def test_a_push_committing_late_holds_back_what_another_process_serves(cluster: Cluster) -> None:
    """A writer holds its change-log rows uncommitted; a push through process A waits for it, and a pull through
    process B serves neither until both have committed, then both, in commit order."""
    engine = cluster.engine
    slow_caller = authenticate(engine, cheap_settings(cluster.url), f"Bearer {cluster.tokens[0]}")
    fast, reader = Device(cluster, cluster.tokens[1]), Device(cluster, cluster.tokens[PUSHERS + 1])
    reader.pull(1, 500)
    before = reader.cursor
    slow_changes = [
        Change(change_id=uuid.uuid4().hex, table="people", record_id=new_id(), fields={"first_name": "Slow"})
        for _ in range(3)
    ]
    fast_ids = [new_id() for _ in range(2)]
    fast_changes = [
        {"change_id": uuid.uuid4().hex, "table": "people", "record_id": rid, "fields": {"first_name": "Fast"}}
        for rid in fast_ids
    ]
    flushed, release, fast_done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            with engine.connect() as conn, conn.begin():
                batch = Push(conn, slow_caller)
                batch.run(slow_changes)
                batch.flush()  # change-log rows written with the lower sequence numbers, not committed
                flushed.set()
                release.wait(20)
        except BaseException as exc:
            errors.append(exc)

    def push_fast() -> None:
        try:
            fast.push(0, fast_changes)
            fast_done.set()
        except BaseException as exc:
            errors.append(exc)

    ts = threading.Thread(target=slow)
    ts.start()
    assert flushed.wait(20)
    tf = threading.Thread(target=push_fast)
    tf.start()
    deadline = time.monotonic() + 10
    waiting = 0
    while time.monotonic() < deadline and not waiting:
        with engine.connect() as conn:
            waiting = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            ).scalar_one()
        time.sleep(0.05)
    assert waiting == 1  # process A's push waits for the change-log lock the other writer holds
    assert not fast_done.is_set()
    assert reader.pull(1, 500) == 0 and reader.cursor == before  # process B serves neither yet
    release.set()
    ts.join(20)
    tf.join(20)
    assert not errors, errors
    assert fast_done.is_set()
    got: list[str] = []
    while True:
        r = reader.clients[1].post("/sync/pull", headers=reader.headers, json=envelope(cursor=reader.cursor, limit=2))
        body = r.json()
        got += [c["record_id"] for c in body["changes"]]
        reader.cursor = body["cursor"]
        if not body["has_more"]:
            break
    assert got == [c.record_id for c in slow_changes] + fast_ids
    fast.close()
    reader.close()


def test_reports_read_from_the_replica_when_there_is_one(cluster: Cluster) -> None:
    """With YOUTHWORK_REPORTS_DATABASE_URL set, the weekly report comes from that database, not the primary (here a
    second database stands in for a streaming replica, filled by hand)."""
    replica, drop = fresh_pg_database()
    plain = create_app(cheap_settings(cluster.url), migrate=False)
    with_replica = create_app(cheap_settings(cluster.url, reports_database_url=replica), migrate=False)
    try:
        db.migrate(with_replica.state.reports_engine)
        with cluster.engine.connect() as conn, conn.begin():
            admin.add_user(
                conn, plain.state.login_gate.hasher, "sue-procs", "Sue", PASSWORD, "supervisor", cluster.team_id
            )
        with TestClient(plain) as c, TestClient(with_replica) as r:
            sup = login(c, "sue-procs")
            session = {
                "starts_at": "2026-11-10T18:00:00+00:00",
                "ends_at": "2026-11-10T20:00:00+00:00",
                "area": "Estate",
                "status": "submitted",
                "workers": [sup.user_id],
            }
            results = push(c, sup, [change("sessions", new_id(), session)])
            assert results[0]["status"] == "applied", results
            query = {"team": cluster.team_id, "week": "2026-W46"}

            def report(client: TestClient) -> dict[str, Any]:
                got = client.get("/api/v1/reports/weekly", headers=sup.headers, params=query)
                assert got.status_code == 200, got.text
                return got.json()

            from_primary = report(c)
            assert report(r) != from_primary  # the replica hasn't the session yet
            with cluster.engine.connect() as src, with_replica.state.reports_engine.connect() as dst:
                rows = [dict(row._mapping) for row in src.execute(sa.select(t.records))]
                dst.execute(t.records.insert(), rows)
            assert report(r) == from_primary
    finally:
        for app in (plain, with_replica):
            app.state.engine.dispose()
            app.state.read_engine.dispose()
            app.state.reports_engine.dispose()
        drop()
