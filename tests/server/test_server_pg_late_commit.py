"""PostgreSQL: a change that commits late is never skipped by a pull.

Sequence numbers are handed out at insert, not at commit, so on PostgreSQL a transaction holding seq 10 can commit after
one holding seq 11. The first test shows the hazard with two raw connections; the others show the service's change
log (appended under a transaction-level advisory lock) never lets a reader step past a change that commits later.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from server_helpers import PASSWORD, TestClient, cheap_settings, fresh_pg_database, login, push_while_polling

from youthwork.domain.ids import new_id
from youthwork.domain.protocol import Change
from youthwork.server import admin, changelog
from youthwork.server import schema as t
from youthwork.server.app import create_app
from youthwork.server.auth import authenticate
from youthwork.server.pull import pull
from youthwork.server.push import Push, push

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg() -> Iterator[dict[str, Any]]:
    url, drop = fresh_pg_database()
    app = create_app(cheap_settings(url))
    engine = app.state.engine
    with engine.connect() as conn, conn.begin():
        team = admin.add_team(conn, "Late commit team", "detached")
        admin.add_user(conn, app.state.login_gate.hasher, "late", "Late", PASSWORD, "worker", team)
    with TestClient(app) as client:
        devices = [login(client, "late") for _ in range(3)]
    callers = [authenticate(engine, app.state.settings, f"Bearer {d.token}") for d in devices]
    try:
        yield {"engine": engine, "callers": callers, "team": team}
    finally:
        engine.dispose()
        drop()


def _log_row(team: str) -> dict[str, Any]:
    return {
        "team_id": team,
        "table_name": "people",
        "record_id": new_id(),
        "op": "upsert",
        "version": 1,
        "fields": [],
        "device_id": None,
        "created_at": datetime.now(UTC),
    }


def test_without_the_lock_sequence_order_is_not_commit_order(pg: dict[str, Any]) -> None:
    """The hazard itself: a reader that saw seq B, committed first, would skip seq A < B when A commits later."""
    engine, team = pg["engine"], f"raw-{uuid.uuid4().hex[:6]}"
    with engine.connect() as a, engine.connect() as b, engine.connect() as reader:
        a.begin()
        seq_a = a.execute(t.change_log.insert().returning(t.change_log.c.seq), [_log_row(team)]).scalar_one()
        b.begin()
        seq_b = b.execute(t.change_log.insert().returning(t.change_log.c.seq), [_log_row(team)]).scalar_one()
        b.commit()
        assert seq_a < seq_b
        visible = reader.execute(sa.select(t.change_log.c.seq).where(t.change_log.c.team_id == team)).scalars().all()
        reader.rollback()
        assert visible == [seq_b]  # a cursor now at seq_b...
        a.commit()
        after = reader.execute(
            sa.select(t.change_log.c.seq).where(t.change_log.c.team_id == team, t.change_log.c.seq > seq_b)
        ).scalars()
        assert list(after) == []  # ...never sees seq_a


def _caller_changes(n: int) -> list[Change]:
    return [
        Change(change_id=uuid.uuid4().hex, table="people", record_id=new_id(), fields={"first_name": f"P{i}"})
        for i in range(n)
    ]


def test_a_push_committing_late_is_not_skipped(pg: dict[str, Any]) -> None:
    engine = pg["engine"]
    first, second, reader = pg["callers"]
    _, cursor, _ = pull(engine, reader, None, 5000)
    while True:  # catch up with earlier tests
        changes, cursor, more = pull(engine, reader, cursor, 5000)
        if not more:
            break

    slow_changes, fast_changes = _caller_changes(3), _caller_changes(2)
    flushed, release, fast_done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            with engine.connect() as conn, conn.begin():
                batch = Push(conn, first)
                batch.run(slow_changes)
                batch.flush()  # change-log rows written (lowest seqs), not committed
                flushed.set()
                release.wait(10)
        except BaseException as exc:
            errors.append(exc)

    def fast() -> None:
        try:
            push(engine, second, fast_changes)
            fast_done.set()
        except BaseException as exc:
            errors.append(exc)

    ts = threading.Thread(target=slow)
    ts.start()
    assert flushed.wait(10)
    tf = threading.Thread(target=fast)
    tf.start()
    # Wait until the second push is queued on the first one's lock (not a fixed sleep: a slow machine takes longer).
    waiting, deadline = 0, time.monotonic() + 10
    while not waiting and time.monotonic() < deadline:
        with engine.connect() as conn:
            waiting = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            ).scalar_one()
        if not waiting:
            time.sleep(0.02)
    assert waiting == 1
    # The second push is waiting for the first to commit, so its higher seqs can't become visible first.
    assert not fast_done.is_set()
    changes, mid_cursor, _ = pull(engine, reader, cursor, 5000)
    assert changes == [] and mid_cursor == cursor
    release.set()
    ts.join(10)
    tf.join(10)
    assert not errors, errors
    assert fast_done.is_set()
    changes, _, _ = pull(engine, reader, mid_cursor, 5000)
    got = [c.record_id for c in changes]
    assert got == [c.record_id for c in slow_changes] + [c.record_id for c in fast_changes]


def test_concurrent_pushes_and_a_polling_reader_miss_nothing(pg: dict[str, Any]) -> None:
    """Several devices push at once while another pulls continuously from its cursor: it ends with every record."""
    engine = pg["engine"]
    pushers, reader = pg["callers"][:2], pg["callers"][2]
    _, cursor, _ = pull(engine, reader, None, 1)
    while True:
        _, cursor, more = pull(engine, reader, cursor, 5000)
        if not more:
            break
    run = push_while_polling(engine, pushers * 2, reader, cursor, rounds=15, batch=5, page=50)
    sent, seen, cursor = run.sent, run.seen, run.cursor
    assert len(sent) == 4 * 15 * 5
    assert set(sent) <= seen
    with engine.connect() as conn:
        logged = conn.execute(sa.select(sa.func.count()).select_from(t.change_log)).scalar_one()
    assert logged >= len(sent)
    assert changelog.decode_cursor(cursor)
