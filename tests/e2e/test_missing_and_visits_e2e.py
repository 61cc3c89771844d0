"""End to end, on SQLite and PostgreSQL: a real `youthwork-server serve` process on loopback, real encrypted profiles
and the real sync engine follow the two loops of issue 19.

Missing: a worker records a missing episode and the return; another worker's laptop shows the return home interview
due; they record it done; the first laptop's prompt closes and the board counts the episode and the interview within
72 hours. Third NFA: a worker records three NFAs; the supervisor's laptop and the service's weekly report show the
prompt open; the worker records the joint home visits (one done, one no answer); the prompts close and the service
and the supervisor's laptop give the visit success rate (hand-counted: 1 done of 2 tried = 50%).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.records import YoungPerson
from youthwork.domain.weeks import IsoWeek, Period
from youthwork.reports.board import board_summary
from youthwork.reports.weekly import weekly_report
from youthwork.services.joint_visits import JointVisitService
from youthwork.services.missing import MissingService
from youthwork.services.nfa import NfaService
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"
W46 = IsoWeek.parse("2026-W46")
GONE = datetime(2026, 11, 3, 22, 0, tzinfo=UTC)  # reported missing, Tuesday of W45


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e-missing"), database_url)
    server.add_team("Detached North", "detached")
    for username, role in (("sam", "worker"), ("alex", "worker"), ("sue", "supervisor")):
        server.add_user(username, "Detached North", role)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title())
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    return profile


def _service_week(server: ServerProcess, username: str, week: IsoWeek) -> dict[str, Any]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        login = c.post(
            "/api/v1/auth/login", json={"username": username, "password": PASSWORD, "device_name": "report"}
        ).json()
        r = c.get(
            "/api/v1/reports/weekly",
            params={"team": login["team_id"], "week": str(week)},
            headers={"Authorization": f"Bearer {login['device_token']}"},
        )
    assert r.status_code == 200, r.text
    return {f["key"]: f for s in r.json()["sections"] for f in s["figures"]}


@pytest.mark.slow
def test_a_return_home_interview_is_due_on_another_laptop_and_closes_when_done(
    tmp_path: Path, server: ServerProcess
) -> None:
    sam, alex = _laptop(tmp_path, server, "sam"), _laptop(tmp_path, server, "alex")
    try:
        jay = PeopleService(sam).add(YoungPerson(first_name="Jay", last_name="Okafor", area="Brenchley Gardens"))
        missing = MissingService(sam)
        episode = missing.report(jay.id, GONE, "parent", reported_by_name="His mum", police_reference="CAD 4411")
        missing.record_return(episode.id, GONE + timedelta(hours=30), "A friend's flat in Peckham")
        sync_once(sam)
        sync_once(alex)
        # The prompt: alex's Today lists the interview due, 72 hours from the return.
        (due,) = MissingService(alex).interviews_due(now=GONE + timedelta(hours=40))
        assert (due.episode.id, due.person_name, due.overdue) == (episode.id, "Jay Okafor", False)
        assert due.episode.police_reference == "CAD 4411"  # criminal-offence data, seen by staff of the team
        # The step: alex records the interview done, two days after the return.
        MissingService(alex).record_interview(
            episode.id,
            offered_at=GONE + timedelta(hours=36),
            status="done",
            held_at=GONE + timedelta(hours=80),
            done_by="Alex",
            learned="Stays away after rows at home",
            places="Stairwell of Gloucester House",
            people_linked="Older boy known as Tiny",
        )
        sync_once(alex)
        assert MissingService(sam).interviews_due(now=GONE + timedelta(hours=40)) != []  # not yet synced
        sync_once(sam)
        assert MissingService(sam).interviews_due(now=GONE + timedelta(hours=90)) == []
        assert MissingService(sam).for_person(jay.id)[0].interview is not None
        # The figure: one episode, one young person, one interview offered within 72 hours and done.
        board = board_summary(sam.db, Period.quarter(2026, 4), now=GONE + timedelta(days=30))
        assert board.figure("missing_episodes").ids == (episode.id,)
        assert board.figure("missing_people").ids == (jay.id,)
        assert board.figure("rhi_within_72h").ids == (episode.id,)
        assert board.figure("rhi_done").ids == (episode.id,)
        assert server.count("SELECT count(*) FROM records WHERE table_name = 'return_home_interviews'") == 1
    finally:
        sam.close()
        alex.close()


@pytest.mark.slow
def test_the_third_nfa_prompt_closes_with_a_joint_visit_and_the_success_rate_counts_it(
    tmp_path: Path, server: ServerProcess
) -> None:
    sam, sue = _laptop(tmp_path, server, "sam"), _laptop(tmp_path, server, "sue")
    try:
        people = PeopleService(sam)
        kai = people.add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))
        ola = people.add(YoungPerson(first_name="Ola", last_name="Bello", area="Brenchley Gardens"))
        nfa = NfaService(sam)
        for who in (kai, ola):
            for day in (2, 3, 4):
                nfa.record(who.id, date(2026, 11, day), "robbery", "PC Adeyemi")
        sync_once(sam)
        sync_once(sue)
        # The prompt: on the supervisor's laptop and in the service's weekly figures.
        assert {d.person_id for d in JointVisitService(sue).due()} == {kai.id, ola.id}
        before = _service_week(server, "sue", W46)
        assert set(before["nfa_prompts_open"]["ids"]) == {kai.id, ola.id}
        assert before["joint_visit_success"]["value"] is None  # no visits yet: not recorded, never 0
        # The step: one visit done, one tried with no answer, in W46.
        visits = JointVisitService(sam)
        done = visits.record(
            kai.id,
            "done",
            visited_on=date(2026, 11, 10),
            tys_workers=["Sam"],
            police_officer="PC Adeyemi",
            outcomes=["family_referred", "consequences_explained"],
        )
        tried = visits.record(
            ola.id, "no_answer", visited_on=date(2026, 11, 11), tys_workers=["Sam"], police_officer="PC Adeyemi"
        )
        sync_once(sam)
        sync_once(sue)
        assert JointVisitService(sue).due() == []
        # The figure, hand-counted: 2 tried, 1 done, 50%; no prompt left open. The service and the laptop agree.
        after = _service_week(server, "sue", W46)
        assert after["nfa_prompts_open"]["value"] == 0
        assert set(after["joint_visits_tried"]["ids"]) == {done.id, tried.id}
        assert after["joint_visits_done"]["ids"] == [done.id]
        assert after["joint_visit_success"]["value"] == 50.0
        mine = weekly_report(sue.db, W46, team_id=sue.team_id, now=datetime(2026, 11, 16, tzinfo=UTC))
        assert mine.figure("joint_visit_success").value == 50.0
        assert mine.figure("joint_visits_tried").ids == tuple(after["joint_visits_tried"]["ids"])
    finally:
        sam.close()
        sue.close()
