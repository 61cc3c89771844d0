"""End to end, on SQLite and PostgreSQL: RAG that reports (issue 19 item 9) through a real `youthwork-server serve`
process, real encrypted profiles and the real sync engine.

A worker (sam) rates young people on his laptop; a colleague (alex) changes some on hers after syncing; after sync the
supervisor's (sue's) laptop and the service's report routes (GET /api/v1/reports/weekly and /board) give the same
hand-counted spread and movement, each figure naming the same young people.

The fixture, six young people of one team. Rated before this week and this quarter (sam, last season's ratings on his
laptop): p1 red, p2 red, p3 amber, p4 amber, p5 green. This week: sam rates p6 amber for the first time; alex, on her
laptop, moves p1 red -> amber and p3 amber -> green (towards green) and p5 green -> red (towards red); sam then rates
p2 red again (no movement). At the end: red p2, p5 = 2 (33%); amber p1, p4, p6 = 3 (50%); green p3 = 1 (17%); towards
green p1, p3; towards red p5; newly rated p6. The quarter gives the same (everyone's earlier rating is before it).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.clock import utc_now
from youthwork.domain.records import RagRating, YoungPerson
from youthwork.domain.weeks import LONDON, IsoWeek, Period
from youthwork.reports.board import board_summary
from youthwork.reports.weekly import weekly_report
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"
RAG_KEYS = ("rag_red", "rag_amber", "rag_green", "rag_towards_green", "rag_towards_red", "rag_newly_rated")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e-rag"), database_url)
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


def _rated_earlier(profile: Profile, person: YoungPerson, rating: str, at: datetime) -> None:
    """A rating sam made last season: in his laptop's history as `PeopleService.set_rag` leaves it, dated then."""
    by = profile.user_id
    entry = RagRating(
        person_id=person.id, rating=rating, reason="Last review", set_by=by, created_by=by, team_id=person.team_id
    )
    entry.set_at = at
    with profile.transaction():
        profile.records.save(entry)
        person.rag, person.rag_set_at, person.rag_set_by = rating, at, by
        profile.records.save(person)


def _service(server: ServerProcess, username: str, route: str, **params: str) -> dict[str, Any]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        login = c.post(
            "/api/v1/auth/login", json={"username": username, "password": PASSWORD, "device_name": "report"}
        ).json()
        r = c.get(
            f"/api/v1/reports/{route}",
            params={"team": login["team_id"], **params},
            headers={"Authorization": f"Bearer {login['device_token']}"},
        )
    assert r.status_code == 200, r.text
    return r.json()


def _figures(figures: list[dict[str, Any]]) -> dict[str, tuple[int, list[str], str]]:
    return {f["key"]: (f["value"], sorted(f["ids"]), f.get("note") or "") for f in figures if f["key"] in RAG_KEYS}


@pytest.mark.slow
def test_ratings_from_two_laptops_give_the_same_spread_and_movement_everywhere(
    tmp_path: Path, server: ServerProcess
) -> None:
    sam, alex, sue = (_laptop(tmp_path, server, u) for u in ("sam", "alex", "sue"))
    try:
        today = datetime.now(LONDON).date()
        week, quarter = IsoWeek.containing(today), Period.quarter_of(today)
        earlier = min(week.start, quarter.start) - timedelta(days=10)
        people = PeopleService(sam)
        p = {
            n: people.add(YoungPerson(first_name=f"P{n}", last_name="Rated", area="Brenchley Gardens"))
            for n in range(1, 7)
        }
        for n, rating in ((1, "red"), (2, "red"), (3, "amber"), (4, "amber"), (5, "green")):
            _rated_earlier(sam, p[n], rating, earlier)
        people.set_rag(p[6].id, "amber", "Met at Kicks, some worries at home")
        sync_once(sam)
        sync_once(alex)
        theirs = PeopleService(alex)
        theirs.set_rag(p[1].id, "amber", "Back at school, engaging with the sessions")
        theirs.set_rag(p[3].id, "green", "Working with the mentor, no new concerns")
        theirs.set_rag(p[5].id, "red", "Seen with older boys linked to the county line")
        sync_once(alex)
        sync_once(sam)
        people.set_rag(p[2].id, "red", "Still going missing")
        sync_once(sam)
        sync_once(sue)
        assert PeopleService(sam).get(p[5].id).rag == "red"  # alex's change reached sam's laptop

        # Hand-counted (the module's docstring), by young person.
        ids = {n: person.id for n, person in p.items()}

        def who(*ns: int) -> list[str]:
            return sorted(ids[n] for n in ns)

        expected = {
            "rag_red": (2, who(2, 5), "33% of the 6 rated"),
            "rag_amber": (3, who(1, 4, 6), "50% of the 6 rated"),
            "rag_green": (1, who(3), "17% of the 6 rated"),
            "rag_towards_green": (2, who(1, 3), ""),
            "rag_towards_red": (1, who(5), ""),
            "rag_newly_rated": (1, who(6), ""),
        }
        now = utc_now()
        mine = weekly_report(sue.db, week, team_id=sue.team_id, now=now)
        laptop_week = {k: (f.value, sorted(f.ids), f.note or "") for k in RAG_KEYS if (f := mine.figure(k))}
        assert laptop_week == expected
        served_week = _service(server, "sue", "weekly", week=str(week))
        assert _figures([f for s in served_week["sections"] for f in s["figures"]]) == expected

        # The board pack for the quarter: the same on sue's laptop and from the service's route.
        pack = board_summary(sue.db, quarter, team_id=sue.team_id, now=now)
        assert _figures(pack.to_dict()["measures"]) == {k: v for k, v in expected.items() if k != "rag_newly_rated"}
        served_board = _service(server, "sue", "board", quarter=quarter.quarter_code())
        assert _figures(served_board["measures"]) == _figures(pack.to_dict()["measures"])
        # Shared outside the team, counts of 1 to 4 are "fewer than 5" and name no one.
        shared = _figures(_service(server, "sue", "board", quarter=quarter.quarter_code(), suppress="true")["measures"])
        assert shared["rag_amber"][1] == [] and shared["rag_amber"][0] != 3
    finally:
        sam.close()
        alex.close()
        sue.close()
