"""Merges on the service (the declared `Merges` part): a hostile client's attempts are refused with a reason and
write nothing; a real merge re-points every record naming the duplicate, moves its shares (the receiving team still
sees only the minimum), and an edit of the duplicate from a laptop that hadn't heard is carried to the survivor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hostile_helpers import City, build_city, full_person, refused
from server_helpers import World, change, pull_all, push

from youthwork.domain.codec import to_dict
from youthwork.domain.ids import new_id
from youthwork.domain.merges import PersonMerge
from youthwork.server import batch as server_batch
from youthwork.server import schema as t


@pytest.fixture
def city(world: World) -> City:
    return build_city(world)


def _merge(team: str, from_id: str, into_id: str, **kw: Any) -> dict[str, Any]:
    m = to_dict(PersonMerge(team_id=team, from_person_id=from_id, into_person_id=into_id, **kw))
    return change("person_merges", m["id"], m)


def test_only_a_team_holding_both_records_merges_them(city: City) -> None:
    w, a_person, a_other, b_person = city.world, city.ids["a_person"], city.ids["a_other"], city.ids["b_person"]
    a = city.team("detached")
    # Team B holds one of them at most; the TYS sees A's young person (shared by a referral) but doesn't hold them.
    refused(w, "b_supervisor", [_merge(city.team("b"), a_person, b_person, reason="x")], "can't see")
    refused(w, "b_supervisor", [_merge(city.team("b"), a_person, a_other, reason="x")], "can't see")
    refused(w, "tys_supervisor", [_merge(city.team("tys"), a_person, a_other, reason="x")], "can't see")
    refused(w, "b_supervisor", [_merge(a, a_person, a_other, reason="x")], "your own team")
    # Seeing a record (the TYS was sent A's young person) is not holding it: no merging its own into theirs.
    tys_person = new_id()
    push(w.client, w["tys"], [change("people", tys_person, full_person())])
    refused(w, "tys_supervisor", [_merge(city.team("tys"), tys_person, a_person, reason="x")], "can't see")
    refused(w, "partner", [_merge(city.team("kicks"), a_person, a_other, reason="x")], "role")
    # Within team A: a worker gives a reason; not into itself; not an id that is no one's record.
    refused(w, "worker", [_merge(a, a_person, a_other)], "Say why")
    refused(w, "worker", [_merge(a, a_person, a_person, reason="x")], "itself")
    refused(w, "worker", [_merge(a, new_id(), a_other, reason="x")], "can't see")
    # What the service fills in is never a laptop's to say, nor a detail outside a young person's record.
    refused(w, "supervisor", [_merge(a, a_person, a_other, moved=["attendance:x:person_id"])], "service fills in")
    refused(w, "supervisor", [_merge(a, a_person, a_other, snapshot={"first_name": "Z"})], "service fills in")
    refused(w, "supervisor", [_merge(a, a_person, a_other, kept={"team_id": city.team("b")})], "can't choose")


def test_a_merge_moves_every_record_and_share_and_carries_a_late_edit(city: City) -> None:
    w, a_person, a_other = city.world, city.ids["a_person"], city.ids["a_other"]
    a = city.team("detached")
    tys_saw, tys_cursor = pull_all(w.client, w["tys"])
    tys_fields = set(tys_saw[("people", a_person)]["fields"])
    assert "phone" not in tys_fields
    _, worker_cursor = pull_all(w.client, w["worker"])
    merge = _merge(a, a_person, a_other, kept={"phone": "07700900555"})
    assert [r["status"] for r in push(w.client, w["supervisor"], [merge])] == ["applied"]
    with w.engine.connect() as conn:
        rows = conn.execute(t.records.select().where(t.records.c.record_id.in_([a_person, a_other]))).all()
        by_id = {r.record_id: r for r in rows}
        assert by_id[a_person].deleted and not by_id[a_other].deleted
        assert by_id[a_other].data["phone"] == "07700900555"
        stored = conn.execute(t.records.select().where(t.records.c.record_id == merge["record_id"])).one().data
    # The note, the register entry, the referral, the share record and the plan all name the survivor now.
    moved = {entry.split(":")[0] for entry in stored["moved"]}
    assert {"case_notes", "attendance", "referrals", "share_records", "safety_plans", "shares"} <= moved
    assert stored["snapshot"]["first_name"] == "Jay" and stored["before"] == {"phone": "07700900123"}
    seen, _ = pull_all(w.client, w["worker"], worker_cursor)
    assert seen[("people", a_person)]["op"] == "delete"
    assert seen[("case_notes", city.ids["a_note"])]["fields"]["person_id"] == a_other
    # The TYS received A's young person by referral: it now sees the survivor, with only what was shared before, and
    # the referral naming them.
    seen, _ = pull_all(w.client, w["tys"], tys_cursor)
    assert seen[("people", a_person)]["op"] == "delete"
    assert set(seen[("people", a_other)]["fields"]) == tys_fields
    assert seen[("referrals", city.ids["a_referral"])]["fields"]["person_id"] == a_other
    assert ("person_merges", merge["record_id"]) not in seen
    # A laptop that hadn't heard: an edit of the duplicate, a register entry and a note about them.
    late = push(
        w.client,
        w["worker"],
        [
            # Jay (kept: Kai) renamed Jason: the two records disagreed, so a conflict; the school simply applies.
            change("people", a_person, {"first_name": "Jason", "school": "Harris"}, base_version=1),
            change("attendance", new_id(), {"session_id": city.ids["a_session"], "person_id": a_person}),
            change("case_notes", new_id(), {"person_id": a_person, "text": "Seen at the youth club."}),
        ],
    )
    assert [r["status"] for r in late] == ["conflict", "applied", "applied"]
    with w.engine.connect() as conn:
        survivor = conn.execute(t.records.select().where(t.records.c.record_id == a_other)).one().data
        conflicts = conn.execute(t.conflicts.select().where(t.conflicts.c.record_id == a_other)).all()
        naming = conn.execute(t.records.select().where(t.records.c.table_name.in_(["attendance", "case_notes"]))).all()
    assert (survivor["first_name"], survivor["school"], survivor["phone"]) == ("Jason", "Harris", "07700900555")
    assert [(c.field, c.server_value, c.incoming_value, c.kept) for c in conflicts] == [
        ("first_name", "Kai", "Jason", "incoming")
    ]
    assert all(r.data["person_id"] != a_person for r in naming)
    # A merge can't be rewritten, nor the duplicate merged again.
    refused(w, "supervisor", [change("person_merges", merge["record_id"], {"into_person_id": a_person})])
    refused(w, "supervisor", [_merge(a, a_person, a_other)], "can't see")


def test_a_merge_is_undone_only_within_the_period_and_while_nothing_new_was_recorded(
    city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    w, a = city.world, city.team("detached")
    keep, dup = new_id(), new_id()
    push(w.client, w["worker"], [change("people", keep, full_person()), change("people", dup, full_person())])
    merge = _merge(a, dup, keep)
    push(w.client, w["supervisor"], [merge])
    undo = {"status": "undone", "undone_by": w["supervisor"].user_id}
    real_now = server_batch.utc_now
    monkeypatch.setattr(server_batch, "utc_now", lambda: real_now() + timedelta(days=15))
    refused(w, "supervisor", [change("person_merges", merge["record_id"], undo, base_version=2)], "within 14 days")
    monkeypatch.setattr(server_batch, "utc_now", real_now)
    assert [
        r["status"]
        for r in push(w.client, w["supervisor"], [change("person_merges", merge["record_id"], undo, base_version=2)])
    ] == ["applied"]
    with w.engine.connect() as conn:
        back = conn.execute(t.records.select().where(t.records.c.record_id == dup)).one()
    assert not back.deleted and back.data["first_name"] == "Jay"
