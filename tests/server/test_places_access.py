"""Places on the service (SQLite and PostgreSQL): a team's places are its own; no record names another team's place,
and partner staff (Kicks) keep and read places and sessions' headcounts of their own team."""

from __future__ import annotations

import pytest
from hostile_helpers import City, build_city, refused, session
from server_helpers import World, change, pull_all, push

from youthwork.domain.ids import new_id


@pytest.fixture
def city(world: World) -> City:
    return build_city(world)


def _place(name: str = "Sumner Road cage", kind: str = "cage") -> dict[str, str]:
    return {"name": name, "kind": kind, "ward": "Peckham"}


def test_no_record_names_a_place_another_team_holds(city: City) -> None:
    w, ids = city.world, city.ids
    cage = new_id()
    assert [r["status"] for r in push(w.client, w["worker"], [change("places", cage, _place())])] == ["applied"]
    plan = ids["a_plan"]
    attacks = [
        change("sessions", new_id(), session(place_id=cage)),
        change(
            "nfa_notifications",
            new_id(),
            {"person_id": ids["b_person"], "notified_on": "2026-11-01", "offence_category": "drugs", "place_id": cage},
        ),
        change("plan_places", new_id(), {"plan_id": plan, "place_id": cage, "stance": "avoid"}),
    ]
    for attack in attacks:
        refused(w, "b_supervisor", [attack], "can't see")
    # Nor may anyone change the place itself, or read it.
    refused(w, "b_supervisor", [change("places", cage, {**_place(), "name": "Renamed"})])
    for key in ("b_worker", "tys", "igt", "partner"):
        seen, _ = pull_all(w.client, w[key])
        assert ("places", cage) not in seen, key
    # Its own team links to it freely, and a colleague sees it.
    ok = push(w.client, w["worker"], [change("sessions", new_id(), session(place_id=cage))])
    assert [r["status"] for r in ok] == ["applied"], ok
    seen, _ = pull_all(w.client, w["worker2"])
    assert seen[("places", cage)]["fields"]["name"] == "Sumner Road cage"


def test_a_partner_coach_keeps_places_and_headcounts_and_is_refused_a_safety_plans_places(city: City) -> None:
    w = city.world
    pitch, kicks_session = new_id(), new_id()
    results = push(
        w.client,
        w["partner"],
        [
            change("places", pitch, _place("Kennington Park pitch")),
            change("sessions", kicks_session, session(place_id=pitch, headcounts={"male/10_13": 9})),
        ],
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    seen, _ = pull_all(w.client, w["partner2"])
    assert seen[("places", pitch)]["fields"]["name"] == "Kennington Park pitch"
    assert seen[("sessions", kicks_session)]["fields"]["headcounts"] == {"male/10_13": 9}
    # Safety plans are not partner staff's, nor the places named on them.
    refused(w, "partner", [change("plan_places", new_id(), {"plan_id": new_id(), "place_id": pitch})])


def test_the_deployment_log_is_the_teams_staffs_and_names_only_its_own_places(city: City) -> None:
    w = city.world
    cage, entry = new_id(), new_id()
    push(w.client, w["worker"], [change("places", cage, _place())])
    log_entry = {"place_id": cage, "source": "asb_report", "received_on": "2026-11-01", "reported": "Gathering late"}
    assert [r["status"] for r in push(w.client, w["worker"], [change("deployments", entry, log_entry)])] == ["applied"]
    refused(w, "b_supervisor", [change("deployments", new_id(), log_entry)], "can't see")
    pitch = new_id()
    push(w.client, w["partner"], [change("places", pitch, _place("Kennington Park pitch"))])
    refused(w, "partner", [change("deployments", new_id(), {**log_entry, "place_id": pitch})])
    for key in ("partner", "b_worker", "tys"):
        seen, _ = pull_all(w.client, w[key])
        assert ("deployments", entry) not in seen, key
    seen, _ = pull_all(w.client, w["supervisor"])
    assert seen[("deployments", entry)]["fields"]["reported"] == "Gathering late"


def test_a_places_context_plan_is_for_the_teams_staff_never_partner_staff(city: City) -> None:
    from datetime import date, timedelta

    w = city.world
    stop, plan, version = new_id(), new_id(), new_id()
    content = {
        "concern": "Older men offer lifts from the stop",
        "partners": [{"name": "Transport for London", "kind": "transport", "responsible_for": "the stop's CCTV"}],
        "actions": [{"action": "Check the CCTV", "who": "Transport for London", "by_when": ""}],
        "review_date": (date.today() + timedelta(days=28)).isoformat(),
    }
    agreed = {"place_id": stop, "status": "agreed", "current_version_id": version, **content}
    results = push(
        w.client,
        w["worker"],
        [
            change("places", stop, _place("Commercial Way bus stop", "transport")),
            change("context_plans", plan, agreed),
            change("context_plan_versions", version, {"plan_id": plan, "status": "agreed", **content}),
        ],
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    seen, _ = pull_all(w.client, w["worker2"])
    assert seen[("context_plans", plan)]["fields"]["place_id"] == stop and ("context_plan_versions", version) in seen
    for key in ("partner", "partner2", "b_worker", "tys"):
        seen, _ = pull_all(w.client, w[key])
        assert not {tbl for tbl, _rid in seen} & {"context_plans", "context_plan_versions"}, key
    # A partner coach keeps places, but may not write a context plan even for the team's own place.
    pitch = new_id()
    push(w.client, w["partner"], [change("places", pitch, _place("Kennington Park pitch"))])
    refused(w, "partner", [change("context_plans", new_id(), {"place_id": pitch, **content})], "Your role can't")
