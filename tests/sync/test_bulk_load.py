"""A first sync of more than one big page loads with the record tables' secondary indexes and derived-data triggers
set aside (youthwork.store.bulk_load): the store it leaves must be the one a row-by-row sync leaves, schema and
derived tables (name search, risk indicators, first attendance) included, even when the load is cut short, and
records saved on the laptop meanwhile are found afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import PASSPHRASE, Server, client_for, enrolled_profile, start_server

from youthwork.domain.records import Attendance, Session, YoungPerson
from youthwork.services import PeopleService
from youthwork.store import bulk_load
from youthwork.store.profile import Profile
from youthwork.sync.engine import SyncEngine

DERIVED = (
    "SELECT indicator, p.id FROM people_risk r JOIN people p ON p.rid = r.rid ORDER BY 1, 2",
    "SELECT person_id, starts_at FROM first_attendance ORDER BY 1",
    "SELECT p.id FROM people_fts f JOIN people p ON p.rid = f.rowid WHERE people_fts MATCH 'jay*' ORDER BY 1",
    "SELECT p.id FROM people_fts f JOIN people p ON p.rid = f.rowid WHERE people_fts MATCH 'estate' ORDER BY 1",
    "SELECT count(*) FROM people_fts",
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = start_server(tmp_path)
    yield s
    s.close()


def _seed(server: Server, tmp_path: Path) -> None:
    """Young people (some with risk indicators), sessions and registers, pushed from one laptop, some edited."""
    a = enrolled_profile(server, tmp_path / "seed", "ana")
    start = datetime(2026, 9, 7, 18, tzinfo=UTC)
    people = [
        YoungPerson(
            first_name="Jay" if i % 3 == 0 else f"Kai{i}",
            last_name=f"Surname{i}",
            area=f"Estate {i % 4}",
            risk_indicators=["missing"] if i % 5 == 0 else [],
            team_id=a.team_id,
        )
        for i in range(30)
    ]
    sessions = [
        Session(starts_at=start + timedelta(days=i), ends_at=start + timedelta(days=i, hours=2), team_id=a.team_id)
        for i in range(6)
    ]
    register = [
        Attendance(session_id=sessions[i % 6].id, person_id=people[(i * 7) % 30].id, team_id=a.team_id)
        for i in range(40)
    ]
    a.records.bulk_insert([*people, *sessions, *register], outbox=True)
    SyncEngine(a, client_for(server, a)).run()
    people[3].last_name = "Renamed"
    people[3].risk_indicators = ["cce"]
    a.records.save(people[3])
    a.records.delete(YoungPerson, people[4].id)
    SyncEngine(a, client_for(server, a)).run()
    a.close()


def _state(profile: Profile) -> dict[str, Any]:
    db = profile.db
    tables = ("people", "sessions", "attendance")
    return {
        "schema": sorted(
            tuple(r)
            for r in db.query("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'")
        ),
        "rows": {t: [tuple(r) for r in db.query(f"SELECT * FROM {t} ORDER BY id")] for t in tables},
        "derived": [[tuple(r) for r in db.query(q)] for q in DERIVED],
    }


def _without_rid(state: dict[str, Any]) -> dict[str, Any]:
    """Row ids are local: two stores give the same people different ones. Compare everything else."""
    people = state["rows"]["people"]
    return {**state, "rows": {**state["rows"], "people": [r[1:] for r in people]}}


def test_a_loaded_first_sync_leaves_the_store_a_row_by_row_one_does(server: Server, tmp_path: Path) -> None:
    _seed(server, tmp_path)
    plain = enrolled_profile(server, tmp_path / "plain", "ben")
    SyncEngine(plain, client_for(server, plain), page=7, group_from=10_000).run()  # pages too small to load
    loaded = enrolled_profile(server, tmp_path / "loaded", "ben")
    set_aside: list[int] = []

    def watch(point: str) -> None:
        if point == "pulled":
            set_aside.append(loaded.db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index'"))

    SyncEngine(loaded, client_for(server, loaded), page=7, group_from=1, hook=watch).run()
    indexes = "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
    assert set_aside and max(set_aside) < plain.db.scalar(indexes) == loaded.db.scalar(indexes)
    assert not bulk_load.loading(loaded.db)
    assert _without_rid(_state(loaded)) == _without_rid(_state(plain))
    assert _state(loaded)["derived"][2], "the name search finds the pulled Jays"


def test_a_load_cut_short_is_finished_at_the_next_unlock(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(server, tmp_path)
    plain = enrolled_profile(server, tmp_path / "plain", "ben")
    SyncEngine(plain, client_for(server, plain), page=7, group_from=10_000).run()
    loaded = enrolled_profile(server, tmp_path / "loaded", "ben")
    applied = []

    def crash(point: str) -> None:
        if point == "applied":
            applied.append(point)
            if len(applied) == 3:
                raise KeyboardInterrupt  # as if the process died: nothing after this point runs

    engine = SyncEngine(loaded, client_for(server, loaded), page=7, group_from=1, group_rows=7, hook=crash)
    monkeypatch.setattr(bulk_load, "finish", lambda _db: False)  # no clean-up on the way out, as after a kill
    with pytest.raises(KeyboardInterrupt):
        engine.run()
    monkeypatch.undo()
    assert bulk_load.loading(loaded.db)
    directory = loaded.directory
    loaded.close()

    reopened = Profile.open(directory, PASSPHRASE)
    assert not bulk_load.loading(reopened.db)
    SyncEngine(reopened, client_for(server, reopened), page=7).run()
    got, want = _without_rid(_state(reopened)), _without_rid(_state(plain))
    assert got == want


def test_a_record_saved_during_the_load_is_found_afterwards(server: Server, tmp_path: Path) -> None:
    _seed(server, tmp_path)
    loaded = enrolled_profile(server, tmp_path / "loaded", "ben")
    people = PeopleService(loaded)
    saved: list[YoungPerson] = []

    def save_mid_load(point: str) -> None:
        if point == "pulled" and not saved and not loaded.db.in_transaction and bulk_load.loading(loaded.db):
            saved.append(people.add(YoungPerson(first_name="Zainab", risk_indicators=["cce"])))

    SyncEngine(loaded, client_for(server, loaded), page=7, group_from=1, hook=save_mid_load).run()
    assert saved, "the save happened while the indexes and triggers were set aside"
    assert [p.id for p in people.search("Zainab")] == [saved[0].id]
    rid = loaded.db.scalar("SELECT rid FROM people WHERE id = ?", (saved[0].id,))
    assert loaded.db.scalar("SELECT indicator FROM people_risk WHERE rid = ?", (rid,)) == "cce"


def test_finishing_twice_or_with_nothing_set_aside_changes_nothing(tmp_path: Path) -> None:
    from sync_helpers import make_profile

    profile = make_profile(tmp_path / "p")
    before = _state(profile)
    with profile.transaction():
        assert not bulk_load.finish(profile.db)
        assert bulk_load.begin(profile.db) > 0
        assert bulk_load.begin(profile.db) == 0  # already set aside
    with profile.transaction():
        assert bulk_load.finish(profile.db)
        assert not bulk_load.finish(profile.db)
    assert _state(profile) == before
