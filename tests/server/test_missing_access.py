"""Missing episodes, return home interviews and joint home visits on the service (SQLite and PostgreSQL): need to know
as declared. They stay in the team that holds the young person (not even a team the young person was referred to
sees them), partner staff (Kicks) neither read nor write them, and no team hangs an interview on another team's
episode or records an episode about a young person it can't see."""

from __future__ import annotations

import pytest
from hostile_helpers import City, build_city, refused
from server_helpers import World, change, pull_all, push

from youthwork.domain.ids import new_id


@pytest.fixture
def city(world: World) -> City:
    return build_city(world)


def test_missing_episodes_and_visits_stay_with_the_team_that_holds_the_young_person(city: City) -> None:
    w, ids = city.world, city.ids
    episode, interview, visit = new_id(), new_id(), new_id()
    person = ids["a_person"]
    results = push(
        w.client,
        w["worker"],
        [
            change(
                "missing_episodes",
                episode,
                {
                    "person_id": person,
                    "reported_at": "2026-11-03T22:00:00+00:00",
                    "reported_by": "parent",
                    "returned_at": "2026-11-04T20:00:00+00:00",
                    "police_reference": "CAD 4411",
                    "exploitation_concern": True,
                },
            ),
            change(
                "return_home_interviews",
                interview,
                {
                    "episode_id": episode,
                    "person_id": person,
                    "offered_at": "2026-11-05T10:00:00+00:00",
                    "status": "done",
                    "held_at": "2026-11-06T10:00:00+00:00",
                    "done_by": "Sam",
                    "learned": "Stays away after rows at home",
                },
            ),
            change(
                "joint_visits",
                visit,
                {
                    "person_id": person,
                    "status": "done",
                    "visited_on": "2026-11-10",
                    "tys_workers": ["Sam"],
                    "police_officer": "PC Adeyemi",
                    "outcomes": ["family_referred"],
                },
            ),
        ],
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    seen, _ = pull_all(w.client, w["worker2"])
    assert seen[("missing_episodes", episode)]["fields"]["police_reference"] == "CAD 4411"
    assert seen[("return_home_interviews", interview)]["fields"]["learned"] == "Stays away after rows at home"
    assert ("joint_visits", visit) in seen
    # TYS received a referral about this young person: it sees them, not their missing episodes or visits.
    for key in ("b_worker", "b_supervisor", "tys", "igt", "partner"):
        got, _ = pull_all(w.client, w[key])
        leaked = {k for k in got if k[0] in ("missing_episodes", "return_home_interviews", "joint_visits")}
        assert not leaked, (key, leaked)
    # No interview on another team's episode; no episode or visit about a young person the team can't see.
    refused(
        w,
        "b_supervisor",
        [change("return_home_interviews", new_id(), {"episode_id": episode, "person_id": ids["b_person"]})],
    )
    refused(
        w,
        "b_supervisor",
        [
            change(
                "missing_episodes",
                new_id(),
                {"person_id": person, "reported_by": "police", "reported_at": "2026-11-03T22:00:00+00:00"},
            )
        ],
    )
    # TYS, which the young person was referred to, may record its own visit; it stays TYS's.
    tys_visit = new_id()
    planned = {"person_id": person, "status": "planned", "planned_for": "2026-12-10"}
    assert push(w.client, w["tys"], [change("joint_visits", tys_visit, planned)])[0]["status"] == "applied"
    got, _ = pull_all(w.client, w["worker"])
    assert ("joint_visits", tys_visit) not in got
    # Partner staff write none of them, even about a young person their own team holds.
    refused(
        w,
        "partner",
        [
            change(
                "missing_episodes",
                new_id(),
                {
                    "person_id": ids["partner_person"],
                    "reported_by": "parent",
                    "reported_at": "2026-11-03T22:00:00+00:00",
                },
            )
        ],
    )
