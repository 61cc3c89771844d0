"""A check-in with the young person's name on it, on the service (SQLite and PostgreSQL): only from the declaration.

It is about the young person it names: the writing team must see them, and they must be on that session's register
(in the database or earlier in the same push); only the owning team reads it (not the TYS that was sent the young
person, not another team); anonymising them takes the name off and keeps the answers, erasing them removes it, and a
merge re-points it. An anonymous one has no person link on the service at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from hostile_helpers import City, build_city, refused, session
from server_helpers import World, change, pull_all, push

from youthwork.domain.codec import to_dict
from youthwork.domain.ids import new_id
from youthwork.domain.merges import PersonMerge
from youthwork.domain.privacy import Erasure
from youthwork.server import schema as t

TABLE = "session_checkins"


@pytest.fixture
def city(world: World) -> City:
    return build_city(world)


def _checkin(session_id: str, person_id: str = "", **kw: Any) -> dict[str, Any]:
    fields = {
        "session_id": session_id,
        "taken_on": "2026-11-30",
        "place": "Peckham",
        "programme": "detached",
        "felt_safe": "yes",
        "someone_to_talk": "not_sure",
        "would_help": "indoors",
        **kw,
    }
    if person_id:
        fields["person_id"] = person_id
    return change(TABLE, new_id(), fields)


def _stored(world: World, record_id: str) -> Any:
    with world.engine.connect() as conn:
        return conn.execute(t.records.select().where(t.records.c.record_id == record_id)).one()


def _applied(world: World, actor: str, changes: list[dict[str, Any]]) -> None:
    results = push(world.client, world[actor], changes)
    assert [r["reason"] for r in results if r["status"] != "applied"] == []


def test_a_named_checkin_is_read_only_by_the_team_that_sees_the_young_person(city: City) -> None:
    w, ids = city.world, city.ids
    named = _checkin(ids["a_session"], ids["a_person"])
    anonymous = _checkin(ids["a_session"])
    _applied(w, "worker", [named, anonymous])
    assert _stored(w, named["record_id"]).data["person_id"] == ids["a_person"]
    assert not _stored(w, anonymous["record_id"]).data.get("person_id")
    seen, _ = pull_all(w.client, w["worker2"])
    assert seen[(TABLE, named["record_id"])]["fields"]["person_id"] == ids["a_person"]
    assert not seen[(TABLE, anonymous["record_id"])]["fields"].get("person_id")
    # The TYS was sent the young person by a referral, and team B works the same streets: neither gets either.
    for other in ("tys", "b_worker", "igt"):
        theirs, _ = pull_all(w.client, w[other])
        assert not [k for k in theirs if k[0] == TABLE], other
    # A team that doesn't see the young person can't put their name on its own check-in; nor name someone unknown.
    refused(w, "b_worker", [_checkin(ids["b_session"], ids["a_person"])], "can't see")
    refused(w, "worker", [_checkin(ids["a_session"], new_id())], "can't see")
    # Kicks coaches take check-ins too: their own young people only.
    refused(w, "partner", [_checkin(ids["partner_session"], ids["a_person"])], "can't see")


def test_anonymising_takes_the_name_off_and_erasing_removes_it(city: City) -> None:
    w, ids = city.world, city.ids
    team = city.team("detached")
    on_jay, on_kai, nobody = (
        _checkin(ids["a_session"], ids["a_person"]),
        _checkin(ids["a_session"], ids["a_other"], felt_safe="no"),
        _checkin(ids["a_session"]),
    )
    kai_there = {"session_id": ids["a_session"], "person_id": ids["a_other"]}
    _applied(w, "worker", [change("attendance", new_id(), kai_there), on_jay, on_kai, nobody])
    anonymise = to_dict(Erasure(team_id=team, person_id=ids["a_person"], mode="anonymise", reason="request"))
    erase = to_dict(Erasure(team_id=team, person_id=ids["a_other"], reason="request"))
    _applied(w, "supervisor", [change("erasures", anonymise["id"], anonymise)])
    _applied(w, "supervisor", [change("erasures", erase["id"], erase)])

    kept = _stored(w, on_jay["record_id"])
    assert not kept.deleted and not kept.data.get("person_id")
    assert (kept.data["felt_safe"], kept.data["would_help"], kept.data["place"]) == ("yes", "indoors", "Peckham")
    assert _stored(w, on_kai["record_id"]).deleted
    assert not _stored(w, nobody["record_id"]).deleted
    seen, _ = pull_all(w.client, w["worker2"])
    assert not seen[(TABLE, on_jay["record_id"])]["fields"].get("person_id")
    assert seen[(TABLE, on_kai["record_id"])]["op"] == "delete"
    assert seen[(TABLE, nobody["record_id"])]["op"] == "upsert"


def test_a_merge_moves_a_named_checkin_to_the_record_that_stays(city: City) -> None:
    w, ids = city.world, city.ids
    named = _checkin(ids["a_session"], ids["a_person"])
    _applied(w, "worker", [named])
    m = to_dict(
        PersonMerge(team_id=city.team("detached"), from_person_id=ids["a_person"], into_person_id=ids["a_other"])
    )
    _applied(w, "supervisor", [change("person_merges", m["id"], m)])
    assert _stored(w, named["record_id"]).data["person_id"] == ids["a_other"]
    assert f"{TABLE}:{named['record_id']}:person_id" in _stored(w, m["id"]).data["moved"]


def test_a_named_checkin_names_only_someone_on_that_sessions_register(city: City) -> None:
    """Whoever a laptop says was at the session: the service holds it to the register, not to the laptop's word."""
    w, ids = city.world, city.ids
    not_there = "not on that session's register"
    # Kai is the team's own young person, but was not at the session.
    refused(w, "worker", [_checkin(ids["a_session"], ids["a_other"])], not_there)
    # On the register of another of the team's sessions is not on this one's.
    other_session = new_id()
    _applied(
        w,
        "worker",
        [
            change("sessions", other_session, session()),
            change("attendance", new_id(), {"session_id": other_session, "person_id": ids["a_other"]}),
        ],
    )
    refused(w, "worker", [_checkin(ids["a_session"], ids["a_other"])], not_there)
    # Taken off the register earlier in the same push: not there any more.
    results = push(
        w.client,
        w["worker"],
        [change("attendance", ids["a_attendance"], {}, op="delete"), _checkin(ids["a_session"], ids["a_person"])],
    )
    assert [r["status"] for r in results] == ["applied", "rejected"] and not_there in results[1]["reason"]
    # Put on the register earlier in the same push, or already on it: named.
    there = {"session_id": ids["a_session"], "person_id": ids["a_other"]}
    _applied(w, "worker", [change("attendance", new_id(), there), _checkin(ids["a_session"], ids["a_other"])])
    _applied(w, "worker", [_checkin(other_session, ids["a_other"]), _checkin(ids["a_session"])])
