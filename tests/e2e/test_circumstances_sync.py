"""End to end, on SQLite and PostgreSQL: a real `youthwork-server` process, real encrypted laptops, the real sync.

Sam records that Jay left school (excluded, then NEET since 2 March) and is on a child protection plan; after sync
Alex's laptop has the dated changes, says "NEET since 2 March", shows them in Jay's chronology, and the quarter's board
figures count Jay as NEET at the end of the quarter but not at its start. A Kicks coach (partner staff) gets none of
it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.circumstances import Circumstance, CircumstanceChange, since
from youthwork.domain.records import YoungPerson
from youthwork.domain.weeks import Period
from youthwork.reports.board import board_summary
from youthwork.services.chronology import ChronologyService
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e-circumstances"), database_url)
    server.add_team("Detached North", "detached")
    server.add_team("Kicks", "partner")
    for username, team, role in (
        ("sam", "Detached North", "worker"),
        ("alex", "Detached North", "worker"),
        ("cal", "Kicks", "partner"),
    ):
        server.add_user(username, team, role)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title())
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    return profile


@pytest.mark.slow
def test_dated_circumstances_sync_and_show_change(tmp_path: Path, server: ServerProcess) -> None:
    sam, alex, cal = (_laptop(tmp_path, server, u) for u in ("sam", "alex", "cal"))
    try:
        people = PeopleService(sam)
        jay = people.add(YoungPerson(first_name="Jay", area="Peckham", education_status="in_school"), date(2025, 12, 1))
        jay = people.update(replace(jay, education_status="excluded"), date(2026, 1, 20))
        jay = people.update(replace(jay, education_status="neet", social_care="child_protection"), date(2026, 3, 2))
        sync_once(sam)
        assert server.count("SELECT count(*) FROM records WHERE table_name = 'circumstance_changes'") == 4

        sync_once(alex)
        changes = PeopleService(alex).circumstances(jay.id)
        assert {(c.what, c.shown_value, c.from_date) for c in changes} == {
            ("education", "in_school", date(2025, 12, 1)),
            ("education", "excluded", date(2026, 1, 20)),
            ("education", "neet", date(2026, 3, 2)),
            ("social_care", "child_protection", date(2026, 3, 2)),
        }
        assert since(changes, Circumstance.EDUCATION, "neet") == date(2026, 3, 2)
        titles = [(e.when.date(), e.detail) for e in ChronologyService(alex).for_person(jay.id)]
        assert titles[:2] == [(date(2026, 3, 2), "NEET"), (date(2026, 3, 2), "Child protection plan")] or titles[
            :2
        ] == [(date(2026, 3, 2), "Child protection plan"), (date(2026, 3, 2), "NEET")]

        # The board: NEET at the start of the quarter (1 January: in school) and at its end (31 March: NEET).
        board = board_summary(alex.db, Period(date(2026, 1, 1), date(2026, 3, 31)))
        start, end = board.figure("neet_at_start"), board.figure("neet_at_end")
        assert (start.value, end.value) == (0, 1) and end.ids == (jay.id,)
        assert board.figure("became_neet").ids == (jay.id,)

        # Partner staff hold none of it.
        sync_once(cal)
        assert cal.records.count(CircumstanceChange) == 0
        assert server.count("SELECT count(*) FROM records WHERE table_name = 'circumstance_changes'") == 4
    finally:
        for p in (sam, alex, cal):
            p.close()
