"""The engine against a real server app in this process: round trips, conflicts, tombstones, rejections, wipe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_helpers import Server, client_for, enrolled_profile, start_server

from youthwork.domain.records import YoungPerson
from youthwork.sync.engine import SyncEngine, rejections


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = start_server(tmp_path)
    yield s
    s.close()


def sync(server: Server, profile, **kw):
    return SyncEngine(profile, client_for(server, profile), **kw).run()


def test_round_trip_between_two_laptops(server: Server, tmp_path: Path) -> None:
    a = enrolled_profile(server, tmp_path / "a", "ana")
    b = enrolled_profile(server, tmp_path / "b", "ben")
    jay = a.records.save(YoungPerson(first_name="Jay", area="Peckham", team_id=a.team_id))
    report = sync(server, a)
    assert (report.pushed, report.conflicts, a.outbox.count()) == (1, 0, 0)
    assert a.records.server_version(YoungPerson, jay.id) == 1
    report = sync(server, b)
    got = b.records.get(YoungPerson, jay.id)
    assert got is not None and got.first_name == "Jay" and report.pulled >= 1
    assert b.outbox.count() == 0  # pulled records are never queued back


def test_unsent_local_edit_is_not_overwritten_then_wins(server: Server, tmp_path: Path) -> None:
    a = enrolled_profile(server, tmp_path / "a", "ana")
    b = enrolled_profile(server, tmp_path / "b", "ben")
    jay = a.records.save(YoungPerson(first_name="Jay", area="Peckham", team_id=a.team_id))
    sync(server, a)
    sync(server, b)
    p = b.records.get(YoungPerson, jay.id)
    p.area = "Nunhead"
    b.records.save(p)
    q = a.records.get(YoungPerson, jay.id)
    q.area = "Camberwell"
    a.records.save(q)
    sync(server, a)
    # b pulls before pushing: its unsent area stays
    b_engine = SyncEngine(b, client_for(server, b))
    from youthwork.sync.engine import SyncReport

    b_engine.pull_all(SyncReport())
    assert b.records.get(YoungPerson, jay.id).area == "Nunhead"
    report = sync(server, b)
    assert report.conflicts == 1
    sync(server, a)
    assert a.records.get(YoungPerson, jay.id).area == "Nunhead" == server.records()[jay.id]["area"]
    (c,) = [c for c in server.conflicts() if c.field == "area"]  # updated_at may differ too
    assert (c.server_value, c.incoming_value) == ("Camberwell", "Nunhead")


def test_safety_critical_conflict_puts_server_value_back(server: Server, tmp_path: Path) -> None:
    a = enrolled_profile(server, tmp_path / "a", "ana")
    b = enrolled_profile(server, tmp_path / "b", "ben")
    jay = a.records.save(YoungPerson(first_name="Jay", rag="amber", team_id=a.team_id))
    sync(server, a)
    sync(server, b)
    for profile, rag in ((a, "red"), (b, "green")):
        p = profile.records.get(YoungPerson, jay.id)
        p.rag = rag
        profile.records.save(p)
    sync(server, a)
    report = sync(server, b)
    assert report.conflicts == 1
    assert b.records.get(YoungPerson, jay.id).rag == "red" == server.records()[jay.id]["rag"]


def test_tombstone_deletes_and_rejection_does_not_block(server: Server, tmp_path: Path) -> None:
    a = enrolled_profile(server, tmp_path / "a", "ana")
    b = enrolled_profile(server, tmp_path / "b", "ben")
    jay = a.records.save(YoungPerson(first_name="Jay", team_id=a.team_id))
    sync(server, a)
    sync(server, b)
    a.records.delete(YoungPerson, jay.id)
    bad = a.records.save(YoungPerson(first_name="", known_as="", team_id=a.team_id))  # no name: refused
    good = a.records.save(YoungPerson(first_name="Kim", team_id=a.team_id))
    report = sync(server, a)
    assert report.rejected == 1 and report.pushed == 2 and a.outbox.count() == 0
    (r,) = rejections(a)
    assert r.record_id == bad.id and r.reason
    sync(server, b)
    assert b.records.get(YoungPerson, jay.id) is None
    assert b.records.get(YoungPerson, good.id) is not None


def test_small_batches_and_pages_resume_from_cursor(server: Server, tmp_path: Path) -> None:
    a = enrolled_profile(server, tmp_path / "a", "ana")
    b = enrolled_profile(server, tmp_path / "b", "ben")
    a.records.bulk_insert([YoungPerson(first_name=f"P{i}", team_id=a.team_id) for i in range(23)], outbox=True)
    report = sync(server, a, batch=5)
    assert report.pushed == 23
    cursors = []
    report = SyncEngine(b, client_for(server, b), page=4, hook=lambda p: cursors.append(b.outbox.get_cursor())).run()
    assert report.pulled == 23 and report.pages == 6
    assert b.records.count(YoungPerson) == 23


def test_big_pages_share_a_transaction_and_a_crash_loses_whole_pages(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from youthwork.sync import engine

    monkeypatch.setattr(engine, "GROUP_SECONDS", 60.0)  # a slow machine must not end a group by time here
    a = enrolled_profile(server, tmp_path / "a", "ana")
    b = enrolled_profile(server, tmp_path / "b", "ben")
    a.records.bulk_insert([YoungPerson(first_name=f"P{i}", team_id=a.team_id) for i in range(23)], outbox=True)
    sync(server, a, batch=5)
    start = b.outbox.get_cursor()
    seen: list[tuple[str, bool, str | None]] = []

    def crash_in_second_group(point: str) -> None:
        seen.append((point, b.db.in_transaction, b.outbox.get_cursor()))
        if point == "applied" and len([p for p, *_ in seen if p == "applied"]) == 5:
            raise RuntimeError("crash")

    # Pages of 4 count as big here: up to 12 rows (3 pages) go in one transaction, so 6 pages are 2 commits.
    grouped = SyncEngine(b, client_for(server, b), page=4, group_from=4, group_rows=12, hook=crash_in_second_group)
    with pytest.raises(RuntimeError):
        grouped.run()
    pulls = [(in_tx, cursor) for p, in_tx, cursor in seen if p == "pulled"]
    assert [in_tx for in_tx, _ in pulls] == [False, True, True, False, True]  # pages 2, 3 and 5 joined a group
    assert b.outbox.get_cursor() == pulls[3][1] != start  # the second group went whole, cursor and all
    assert b.records.count(YoungPerson) == 12
    report = SyncEngine(b, client_for(server, b), page=4, group_from=4, group_rows=12).run()
    assert report.pulled == 11 and b.records.count(YoungPerson) == 23

    # Small pages (the default: under 1,000 rows) are committed one by one, as before.
    c = enrolled_profile(server, tmp_path / "c", "ben")
    flags: list[bool] = []
    SyncEngine(
        c, client_for(server, c), page=4, hook=lambda p: p == "pulled" and flags.append(c.db.in_transaction)
    ).run()
    assert c.records.count(YoungPerson) == 23 and flags == [False] * 6


def test_wipe_destroys_key_and_files_then_confirms(server: Server, tmp_path: Path) -> None:
    from youthwork.server import admin
    from youthwork.store.profile import Profile
    from youthwork.sync import device
    from youthwork.sync.errors import DeviceWiped

    a = enrolled_profile(server, tmp_path / "a", "ana")
    a.records.save(YoungPerson(first_name="Jay", team_id=a.team_id))
    device_id = a.get_setting(device.DEVICE_ID)
    with server.engine.connect() as conn, conn.begin():
        admin.wipe_device(conn, device_id)
    with pytest.raises(DeviceWiped, match="reported lost"):
        sync(server, a)
    assert not Profile.exists(tmp_path / "a")
    assert not list((tmp_path / "a").iterdir())
    with server.engine.connect() as conn:
        (d,) = [d for d in admin.list_devices(conn) if d.id == device_id]
    assert d.state == "wiped"


def test_lease_locks_after_days_without_contact_and_sync_reopens(server: Server, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from youthwork.sync import device

    a = enrolled_profile(server, tmp_path / "a", "ana")
    assert not device.lease_expired(a)
    later = datetime.now(UTC) + timedelta(days=15)
    assert device.lease_expired(a, now=later)
    a.set_setting(device.LEASE_DAYS, 30)
    assert not device.lease_expired(a, now=later)
    a.set_setting(device.LEASE_DAYS, 14)
    a.set_setting(device.LAST_CONTACT, (datetime.now(UTC) - timedelta(days=20)).isoformat())
    assert device.lease_expired(a) and "14 days" in device.lease_message(a)
    sync(server, a)
    assert not device.lease_expired(a)


def test_clock_ahead_and_old_client_get_clear_messages(server: Server, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from youthwork.sync import client as client_module
    from youthwork.sync.errors import ServerRefused

    a = enrolled_profile(server, tmp_path / "a", "ana")
    a.records.save(YoungPerson(first_name="Jay", team_id=a.team_id))
    fast = client_for(server, a)
    fast.clock = lambda: datetime.now(UTC) + timedelta(hours=2)
    with pytest.raises(ServerRefused, match="clock is ahead"):
        SyncEngine(a, fast).run()
    assert a.outbox.count() == 1  # nothing lost
    old = client_for(server, a)
    original = client_module.SCHEMA_VERSION
    client_module.SCHEMA_VERSION = 0
    try:
        with pytest.raises(ServerRefused, match="too old") as info:
            SyncEngine(a, old).run()
    finally:
        client_module.SCHEMA_VERSION = original
    assert info.value.status == 426 and a.outbox.count() == 1
    slow = client_for(server, a)
    slow.clock = lambda: datetime.now(UTC) - timedelta(hours=1)
    report = SyncEngine(a, slow).run()
    assert any("behind" in m for m in report.messages) and a.outbox.count() == 0


def test_offline_server_is_a_plain_message_and_backoff_grows() -> None:
    import random

    from youthwork.sync.backoff import Backoff
    from youthwork.sync.client import SyncClient
    from youthwork.sync.engine import run_with_retries
    from youthwork.sync.errors import Offline
    from youthwork.sync.transport import HttpTransport

    client = SyncClient(HttpTransport("http://127.0.0.1:9"), "token")
    with pytest.raises(Offline, match="could not be reached"):
        client.pull(None, 10)
    waits: list[float] = []
    backoff = Backoff(base=1, cap=8, rng=random.Random(1))
    with pytest.raises(Offline):
        run_with_retries(lambda: client.pull(None, 10), attempts=5, backoff=backoff, sleep=waits.append)
    assert len(waits) == 4 and all(0.5 * 2**i <= w <= min(8, 2**i) for i, w in enumerate(waits))
