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
