"""Moving a young person to another team on the service (the declared `Transfers` part of moves to another team):
a supervisor of the team that holds them proposes, a supervisor of the receiving team accepts or declines, and only
then does the owning team change. Every hostile step is refused with a reason and writes nothing; after the move the
receiving team sees what went (and nothing that stayed), the sending team only the minimum."""

from __future__ import annotations

from typing import Any

import pytest
from hostile_helpers import City, build_city, refused
from server_helpers import World, change, now_iso, pull_all, push

from youthwork.domain.ids import new_id
from youthwork.domain.transfers import GOES_BY_DEFAULT
from youthwork.server import schema as t

MT = "person_transfers"


@pytest.fixture
def city(world: World) -> City:
    city = build_city(world)
    w, pid = city.world, city.ids["a_person"]
    city.ids["a_rag"], city.ids["a_consent"] = new_id(), new_id()
    results = push(
        w.client,
        w["supervisor"],
        [
            change("people", pid, {"lead_worker_id": w["worker"].user_id}, base_version=1),
            change("rag_ratings", city.ids["a_rag"], {"person_id": pid, "rating": "red", "reason": "Going missing."}),
            change(
                "consent_events",
                city.ids["a_consent"],
                {"person_id": pid, "kind": "recorded", "lawful_basis": "public_task"},
            ),
        ],
    )
    assert [r["reason"] for r in results if r["status"] != "applied"] == []
    return city


def _move(city: City, by: str = "supervisor", **kw: Any) -> dict[str, Any]:
    return {
        "person_id": city.ids["a_person"],
        "to_team_id": city.team("b"),
        "note": "Moving to the north of the borough with his mum; sees Amy on Tuesdays.",
        "goes": list(GOES_BY_DEFAULT),
        "status": "proposed",
        "proposed_by": city[by].user_id,
        "proposed_at": now_iso(),
        **kw,
    }


def _stored(w: World, table: str, rid: str) -> Any:
    with w.engine.connect() as conn:
        return conn.execute(
            t.records.select().where(t.records.c.table_name == table, t.records.c.record_id == rid)
        ).one()


def _propose(city: City) -> str:
    mid = new_id()
    results = push(city.world.client, city["supervisor"], [change(MT, mid, _move(city))])
    assert [r["status"] for r in results] == ["applied"], results
    return mid


def _answer(city: City, by: str, status: str = "accepted", **kw: Any) -> dict[str, Any]:
    return {"status": status, "answered_by": city[by].user_id, "answered_at": now_iso(), **kw}


def test_only_a_supervisor_of_the_team_that_holds_them_proposes_a_move(city: City) -> None:
    w = city.world
    refused(w, "worker", [change(MT, new_id(), _move(city, by="worker"))], "supervisor")
    # Another team naming a young person it doesn't hold, and a move in someone else's name.
    refused(w, "b_supervisor", [change(MT, new_id(), _move(city, by="b_supervisor"))], "can't see")
    refused(w, "supervisor", [change(MT, new_id(), _move(city, by="worker"))], "own name")
    # Not to the team they are in, a partner organisation, or a team the service doesn't know.
    refused(w, "supervisor", [change(MT, new_id(), _move(city, to_team_id=city.team("detached")))], "already")
    refused(w, "supervisor", [change(MT, new_id(), _move(city, to_team_id=city.team("kicks")))], "partner")
    refused(w, "supervisor", [change(MT, new_id(), _move(city, to_team_id=new_id()))], "isn't known")
    # Only what can go goes (never the team's sessions), it starts as proposed, and no one answers their own.
    refused(w, "supervisor", [change(MT, new_id(), _move(city, goes=["sessions"]))], "can't go")
    refused(w, "supervisor", [change(MT, new_id(), _move(city, status="accepted"))], "starts as proposed")
    refused(w, "supervisor", [change(MT, new_id(), _move(city, answered_by=city["b_supervisor"].user_id))], "receiving")


def test_while_it_waits_the_receiving_team_sees_who_and_the_note_but_nothing_more(city: City) -> None:
    w = city.world
    mid = _propose(city)
    seen, _ = pull_all(w.client, w["b_supervisor"])
    assert seen[(MT, mid)]["fields"]["note"].startswith("Moving to the north")
    person = seen[("people", city.ids["a_person"])]["fields"]
    assert person["first_name"] == "Jay" and "date_of_birth" not in person and "risk_indicators" not in person
    assert ("case_notes", city.ids["a_note"]) not in seen and ("safety_plans", city.ids["a_plan"]) not in seen
    # Still the sending team's: the receiving team can't change the young person yet, and one move at a time.
    refused(w, "b_supervisor", [change("people", city.ids["a_person"], {"known_as": "J"}, base_version=2)], "another")
    refused(w, "supervisor", [change(MT, new_id(), _move(city))], "already has a move waiting")


def test_hostile_answers_are_refused(city: City) -> None:
    w = city.world
    mid = _propose(city)
    # The sending team can't accept its own move; a worker of the receiving team can't either; a third team can't.
    refused(w, "supervisor", [change(MT, mid, _answer(city, "supervisor"), base_version=1)], "receiving team")
    refused(w, "b_worker", [change(MT, mid, _answer(city, "b_worker"), base_version=1)], "supervisor")
    refused(w, "tys_supervisor", [change(MT, mid, _answer(city, "tys_supervisor"), base_version=1)], "another team")
    # The receiving supervisor answers in their own name, only the answer, and a decline says why.
    refused(w, "b_supervisor", [change(MT, mid, _answer(city, "b_worker"), base_version=1)], "own name")
    refused(
        w,
        "b_supervisor",
        [change(MT, mid, _answer(city, "b_supervisor", goes=["case_notes"]), base_version=1)],
        "only accept or decline",
    )
    refused(w, "b_supervisor", [change(MT, mid, _answer(city, "b_supervisor", "declined"), base_version=1)], "why")
    refused(w, "b_supervisor", [change(MT, mid, _answer(city, "b_supervisor", "withdrawn"), base_version=1)])
    # The sending team changes nothing of it but withdrawing.
    refused(w, "supervisor", [change(MT, mid, {"note": "Changed my mind"}, base_version=1)], "withdraw")
    assert _stored(w, "people", city.ids["a_person"]).team_id == city.team("detached")


def test_on_acceptance_the_young_person_and_what_goes_move_and_the_rest_stays(city: City) -> None:
    w, ids = city.world, city.ids
    mid = _propose(city)
    _, a_cursor = pull_all(w.client, w["supervisor"])
    _, b_cursor = pull_all(w.client, w["b_supervisor"])
    ok = push(w.client, w["b_supervisor"], [change(MT, mid, _answer(city, "b_supervisor"), base_version=1)])
    assert [r["status"] for r in ok] == ["applied"], ok
    a, b = city.team("detached"), city.team("b")
    person = _stored(w, "people", ids["a_person"])
    assert person.team_id == b and person.data["team_id"] == b and person.data["lead_worker_id"] == ""
    for table in ("safety_plans", "rag_ratings", "consent_events"):
        key = {"safety_plans": "a_plan", "rag_ratings": "a_rag", "consent_events": "a_consent"}[table]
        assert _stored(w, table, ids[key]).team_id == b, table
    for table, key in (("case_notes", "a_note"), ("attendance", "a_attendance"), ("referrals", "a_referral")):
        assert _stored(w, table, ids[key]).team_id == a, table  # the sending team's own work stays
    move = _stored(w, MT, mid).data
    assert (move["proposed_by"], move["answered_by"]) == (w["supervisor"].user_id, w["b_supervisor"].user_id)

    # The receiving team's laptops get the whole young person and what went; not the case note that stayed.
    seen, b_cursor = pull_all(w.client, w["b_supervisor"], b_cursor)
    got = seen[("people", ids["a_person"])]["fields"]
    got_version, seen_plan_version = (
        seen[("people", ids["a_person"])]["version"],
        seen[("safety_plans", ids["a_plan"])]["version"],
    )
    assert got["date_of_birth"] == "2010-05-01" and got["risk_indicators"] == ["cce", "missing"]
    assert {
        ("safety_plans", ids["a_plan"]),
        ("rag_ratings", ids["a_rag"]),
        ("consent_events", ids["a_consent"]),
    } <= set(seen)
    assert ("case_notes", ids["a_note"]) not in seen and ("attendance", ids["a_attendance"]) not in seen
    # The sending team keeps the minimum of them, no more.
    seen, a_cursor = pull_all(w.client, w["supervisor"], a_cursor)
    kept = seen[("people", ids["a_person"])]["fields"]
    assert kept["first_name"] == "Jay" and kept["team_id"] == b
    assert not {"date_of_birth", "phone", "risk_indicators", "address"} & set(kept)

    # Now the receiving team's: it names its own lead worker and changes what it holds; the sending team can't.
    pv, sv = got_version, seen_plan_version
    ok = push(
        w.client,
        w["b_supervisor"],
        [
            change(
                "people",
                ids["a_person"],
                {"phone": "07700900999", "lead_worker_id": w["b_worker"].user_id},
                base_version=pv,
            ),
            change("safety_plans", ids["a_plan"], {"safe_places": "The library"}, base_version=sv),
        ],
    )
    assert [r["status"] for r in ok] == ["applied", "applied"], ok
    refused(w, "supervisor", [change("people", ids["a_person"], {"phone": "1"})], "another team")
    refused(w, "worker", [change("safety_plans", ids["a_plan"], {"safe_places": "x"})], "another team")
    seen, _ = pull_all(w.client, w["supervisor"], a_cursor)
    assert ("safety_plans", ids["a_plan"]) not in seen
    assert "phone" not in seen[("people", ids["a_person"])]["fields"]
    # Answered once: no second answer, no withdrawing now.
    refused(w, "b_supervisor", [change(MT, mid, _answer(city, "b_supervisor", "declined", decline_reason="x"))])
    refused(w, "supervisor", [change(MT, mid, {"status": "withdrawn"})], "answered")


def test_a_declined_move_changes_nothing_and_ends_what_the_receiving_team_saw(city: City) -> None:
    w, ids = city.world, city.ids
    mid = _propose(city)
    _, b_cursor = pull_all(w.client, w["b_supervisor"])
    reason = {"decline_reason": "Not our area: ask the Camberwell team."}
    ok = push(
        w.client,
        w["b_supervisor"],
        [change(MT, mid, _answer(city, "b_supervisor", "declined", **reason), base_version=1)],
    )
    assert [r["status"] for r in ok] == ["applied"], ok
    assert _stored(w, "people", ids["a_person"]).team_id == city.team("detached")
    seen, _ = pull_all(w.client, w["supervisor"])
    assert seen[(MT, mid)]["fields"]["decline_reason"].startswith("Not our area")
    ok = push(w.client, w["worker"], [change("people", ids["a_person"], {"known_as": "Jaybird"}, base_version=2)])
    assert [r["status"] for r in ok] == ["applied"]
    seen, _ = pull_all(w.client, w["b_supervisor"], b_cursor)
    assert ("people", ids["a_person"]) not in seen  # the share ended with the decline


def test_a_withdrawn_move_cannot_be_accepted(city: City) -> None:
    w = city.world
    mid = _propose(city)
    ok = push(w.client, w["supervisor"], [change(MT, mid, {"status": "withdrawn"}, base_version=1)])
    assert [r["status"] for r in ok] == ["applied"], ok
    refused(w, "b_supervisor", [change(MT, mid, _answer(city, "b_supervisor"))], "withdrawn")
    assert _stored(w, "people", city.ids["a_person"]).team_id == city.team("detached")


def test_other_teams_route_lists_where_a_young_person_can_move(city: City) -> None:
    w = city.world
    r = w.client.get("/api/v1/team/others", headers=w["supervisor"].headers)
    assert r.status_code == 200, r.text
    ids = {team["id"] for team in r.json()["teams"]}
    assert city.team("b") in ids and city.team("tys") in ids
    assert city.team("detached") not in ids and city.team("kicks") not in ids
