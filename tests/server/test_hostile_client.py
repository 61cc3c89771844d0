"""A hostile client: a real worker's device token, the public API, and ids learnt anywhere (ids are public).

Each attack of issue 13 ("What was found", 1-7), and variants with other link fields and record types, is pushed by
every role it could come from: each is refused with a reason, and the service's tables are the same afterwards.
Teams: A (detached, the world's "detached"), B (a second detached team), TYS, the IGT and a partner (Kicks).
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from hostile_helpers import (
    ATTACKERS,
    City,
    Snapshot,
    audit_chain,
    build_city,
    referral,
    refused,
    session,
)
from server_helpers import World, change, envelope, pull_all, push

from youthwork.domain.codec import to_dict
from youthwork.domain.ids import new_id
from youthwork.domain.privacy import Erasure
from youthwork.domain.records import MINIMUM_PERSON_FIELDS, YoungPerson
from youthwork.server import schema as t
from youthwork.server.privacy import verify_audit

MINIMUM = {*MINIMUM_PERSON_FIELDS, "age_band"}
EVERY_PERSON_FIELD = sorted(YoungPerson.field_names())


@pytest.fixture
def city(world: World) -> City:
    return build_city(world)


def _erase(team: str, person_id: str, **kw: Any) -> dict[str, Any]:
    e = to_dict(Erasure(team_id=team, person_id=person_id, reason="request", **kw))
    return change("erasures", e["id"], e)


# -- 1. a referral that claims a share it has not earned --------------------------------------------------------------


def test_1_a_team_cannot_refer_someone_elses_young_person_to_itself(city: City) -> None:
    w, pid = city.world, city.ids["a_person"]
    everything = {"shared_fields": EVERY_PERSON_FIELD}
    # B addresses a referral of A's young person to B itself, sharing every field.
    refused(w, "b_worker", [change("referrals", new_id(), referral(pid, city.team("b"), agency="tys", **everything))])
    # Every other team and role, to itself and to a receiving team: the person isn't theirs to share.
    for key in ("b_worker", "b_supervisor", "igt", "igt_supervisor", "tys", "tys_supervisor", "partner"):
        team = w[key].team_id
        for to_team, agency in ((team, "tys"), (city.team("tys"), "tys"), (city.team("igt"), "igt")):
            if to_team == city.team("tys") and key in ("tys", "tys_supervisor"):
                continue  # covered by "to itself"
            refused(w, key, [change("referrals", new_id(), referral(pid, to_team, agency=agency, **everything))])
    # TYS sees A's young person (the minimum, through A's referral) but not whole: it can't refer them on either.
    refused(w, "tys", [change("referrals", new_id(), referral(pid, city.team("igt"), agency="igt"))], "whole record")
    # Nothing of the person reached B.
    seen, _ = pull_all(w.client, w["b_worker"])
    assert ("people", pid) not in seen


def test_1_a_referral_goes_only_to_another_team_of_a_kind_that_receives_the_agency(city: City) -> None:
    w, pid = city.world, city.ids["a_person"]
    a = city.team("detached")
    refused(w, "worker", [change("referrals", new_id(), referral(pid, a))], "itself")
    refused(w, "worker", [change("referrals", new_id(), referral(pid, city.team("b")))], "doesn't take referrals")
    refused(w, "worker", [change("referrals", new_id(), referral(pid, city.team("igt"), agency="tys"))])
    refused(w, "worker", [change("referrals", new_id(), referral(pid, city.team("kicks"), agency="tys"))])
    refused(w, "worker", [change("referrals", new_id(), referral(pid, new_id()))], "isn't known")
    # A sent referral can't be turned towards another team afterwards.
    refused(
        w,
        "worker",
        [change("referrals", city.ids["a_referral"], {"to_team_id": city.team("b")}, base_version=1)],
        "redirected",
    )


def test_1_the_receiving_team_gets_the_minimum_and_the_chosen_fields_only(city: City) -> None:
    w, pid = city.world, city.ids["a_person"]
    seen, _ = pull_all(w.client, w["tys"])
    assert set(seen[("people", pid)]["fields"]) == MINIMUM | {"last_name"}
    # B learns nothing, whichever role.
    for key in ("b_worker", "b_supervisor"):
        seen, _ = pull_all(w.client, w[key])
        assert not {rid for (_tbl, rid) in seen} & {pid, city.ids["a_referral"], city.ids["a_note"]}


@pytest.mark.parametrize("how", ["decline", "withdraw", "close"])
def test_1_a_declined_withdrawn_or_closed_referral_stops_the_person_flowing(city: City, how: str) -> None:
    w, pid, ref = city.world, city.ids["a_person"], city.ids["a_referral"]
    _, cursor = pull_all(w.client, w["tys"])
    c = w.client
    if how == "decline":
        r = c.post(f"/api/v1/referrals/{ref}/decline", headers=w["tys"].headers, json={"reason": "Not for us"})
        assert r.status_code == 200, r.text
    elif how == "close":
        for action, body in (("accept", {}), ("close", {"outcome": "Worked with for six weeks"})):
            r = c.post(f"/api/v1/referrals/{ref}/{action}", headers=w["tys"].headers, json=body)
            assert r.status_code == 200, r.text
    else:
        (res,) = push(c, w["worker"], [change("referrals", ref, {"status": "draft"}, base_version=1)])
        assert res["status"] == "applied", res
    (res,) = push(c, w["worker"], [change("people", pid, {"first_name": "Jaylen"}, base_version=1)])
    assert res["status"] == "applied", res
    seen, _ = pull_all(c, w["tys"], cursor)
    assert ("people", pid) not in seen
    # A new device of the receiving team, pulling from the start, gets none of the person either.
    seen, _ = pull_all(c, w["tys"])
    assert ("people", pid) not in seen


# -- 2. partner staff: at most the minimum, by every route ----------------------------------------------------------


def test_2_a_partner_coach_cannot_refer_someone_elses_young_person(city: City) -> None:
    w, pid = city.world, city.ids["a_person"]
    everything = {"shared_fields": EVERY_PERSON_FIELD}
    for to_team, agency in ((city.team("igt"), "igt"), (city.team("tys"), "tys"), (city.team("kicks"), "st_giles")):
        refused(w, "partner", [change("referrals", new_id(), referral(pid, to_team, agency=agency, **everything))])
    seen, _ = pull_all(w.client, w["partner"])
    assert ("people", pid) not in seen


def test_2_partner_staff_see_the_minimum_by_every_route(city: City) -> None:
    w, c, pid = city.world, city.world.client, city.ids["a_person"]
    # A refers its young person to the partner organisation, sharing everything it may.
    ref = new_id()
    results = push(
        c,
        w["worker"],
        [
            change(
                "referrals", ref, referral(pid, city.team("kicks"), agency="st_giles", shared_fields=EVERY_PERSON_FIELD)
            )
        ],
    )
    assert results[0]["status"] == "applied", results
    # The coach may now put them on a register of a Kicks session (they see them), which adds nothing.
    att = new_id()
    (res,) = push(
        c, w["partner"], [change("attendance", att, {"session_id": city.ids["partner_session"], "person_id": pid})]
    )
    assert res["status"] == "applied", res
    for key in ("partner", "partner2"):
        seen, _ = pull_all(c, w[key])
        assert set(seen[("people", pid)]["fields"]) <= MINIMUM, key
        assert set(seen[("people", city.ids["partner_person"])]["fields"]) <= MINIMUM, key
        assert "risk_indicators" not in seen[("referrals", ref)]["fields"]
    # The coach's own referral of their own new face to the IGT shares the minimum (all the coach may see).
    own_ref = new_id()
    (res,) = push(
        c,
        w["partner"],
        [
            change(
                "referrals",
                own_ref,
                referral(
                    city.ids["partner_person"],
                    city.team("igt"),
                    agency="igt",
                    shared_fields=EVERY_PERSON_FIELD,
                    risk_indicators=[],
                ),
            )
        ],
    )
    assert res["status"] == "applied", res
    seen, _ = pull_all(c, w["igt"])
    assert set(seen[("people", city.ids["partner_person"])]["fields"]) <= MINIMUM


# -- 3. a register entry that claims a young person ------------------------------------------------------------------


def test_3_a_register_names_only_a_young_person_the_team_sees_in_its_own_accepted_session(city: City) -> None:
    w, ids = city.world, city.ids
    for key, own_session in (
        ("b_worker", ids["b_session"]),
        ("b_supervisor", ids["b_session"]),
        ("partner", ids["partner_session"]),
        ("igt", None),
        ("tys", None),
    ):
        targets = [ids["a_person"], ids["igt_person"], ids["b_person"], ids["partner_person"]]
        for person in targets:
            owner = {ids["b_person"]: "b", ids["partner_person"]: "kicks", ids["igt_person"]: "igt"}.get(person)
            if owner and w[key].team_id == city.team(owner):
                continue  # their own young person: fine
            sessions = [new_id(), ids["a_session"]] + ([own_session] if own_session else [])
            for sid in sessions:
                refused(w, key, [change("attendance", new_id(), {"session_id": sid, "person_id": person})])
    # A session the service refused: its register is refused too.
    bad_session, att = new_id(), new_id()
    results = push(
        w.client,
        w["b_worker"],
        [
            change("sessions", bad_session, {"session_type": "not-a-type", "status": "submitted"}),
            change("attendance", att, {"session_id": bad_session, "person_id": ids["b_person"]}),
        ],
    )
    assert [r["status"] for r in results] == ["rejected", "rejected"], results
    seen, _ = pull_all(w.client, w["b_worker"])
    assert ("people", ids["a_person"]) not in seen


def test_3_no_record_of_any_type_may_name_a_record_the_team_cannot_see(city: City) -> None:
    """The same attack through every other link field: a note, rating, plan, NFA, consent or hold about A's person;
    a note correcting A's note; a plan version of A's plan; a share record of A's referral."""
    w, ids = city.world, city.ids
    pid = ids["a_person"]
    attacks = [
        change("case_notes", new_id(), {"person_id": pid, "text": "x"}),
        change("case_notes", new_id(), {"person_id": ids["b_person"], "corrects_id": ids["a_note"], "text": "x"}),
        change("case_notes", new_id(), {"person_id": ids["b_person"], "session_id": ids["a_session"], "text": "x"}),
        change("rag_ratings", new_id(), {"person_id": pid, "rating": "green", "reason": "x"}),
        change("safety_plans", new_id(), {"person_id": pid}),
        change(
            "safety_plan_versions",
            new_id(),
            {"plan_id": ids["a_plan"], "person_id": ids["b_person"], "status": "closed", "number": 1},
        ),
        change(
            "nfa_notifications", new_id(), {"person_id": pid, "notified_on": "2026-11-01", "offence_category": "drugs"}
        ),
        change("consent_events", new_id(), {"person_id": pid, "kind": "recorded", "lawful_basis": "public_task"}),
        change("legal_holds", new_id(), {"person_id": pid, "reason": "x"}),
        change(
            "share_records",
            new_id(),
            {
                "person_id": ids["b_person"],
                "referral_id": ids["a_referral"],
                "with_agency": "tys",
                "lawful_basis": "public_task",
            },
        ),
    ]
    for attack in attacks:
        refused(w, "b_supervisor", [attack], "can't see")
    # The receiving team sees the minimum of the person, but can't hang a rating off them either: TYS records must
    # name what TYS holds. (It may write its own notes about someone it was sent: that is seeing them.)
    refused(w, "tys", [change("case_notes", new_id(), {"person_id": pid, "corrects_id": ids["a_note"], "text": "x"})])


# -- 4. erasure by someone else, or of something that isn't a person --------------------------------------------------


def test_4_an_erasure_must_name_a_young_person(city: City) -> None:
    w, ids = city.world, city.ids
    for key in ("supervisor", "b_supervisor", "igt_supervisor"):
        team = w[key].team_id
        for not_a_person in (
            ids["a_referral"],
            ids["a_plan"],
            ids["a_note"],
            ids["a_share"],
            ids["a_session"],
            new_id(),
        ):
            refused(w, key, [_erase(team, not_a_person)], "isn't a young person")


def test_4_only_a_supervisor_of_the_owning_team_erases(city: City) -> None:
    w, pid = city.world, city.ids["a_person"]
    for key in ("b_supervisor", "igt_supervisor", "tys_supervisor"):
        refused(w, key, [_erase(w[key].team_id, pid)], "another team")
        refused(w, key, [_erase(w[key].team_id, pid, mode="anonymise")], "another team")
    for key in ("worker", "worker2", "b_worker", "igt", "tys", "partner", "partner2"):
        refused(w, key, [_erase(w[key].team_id, pid)], "supervisor")


def test_4_erasing_ones_own_young_person_leaves_other_teams_records_for_their_review(city: City) -> None:
    w, c, ids = city.world, city.world.client, city.ids
    pid = ids["igt_ref_person"]
    # The IGT holds intelligence about A's young person (sent to it by A's referral).
    (res,) = push(c, w["supervisor"], [_erase(city.team("detached"), pid)])
    assert res["status"] == "applied", res
    with w.engine.connect() as conn:
        note = conn.execute(
            sa.select(t.records).where(t.records.c.table_name == "case_notes", t.records.c.record_id == ids["igt_note"])
        ).one()
        reviews = conn.execute(sa.select(t.records).where(t.records.c.table_name == "erasure_reviews")).all()
    assert not note.deleted and note.data["text"].startswith("Intel")
    assert [(r.team_id, r.data["person_id"], r.data["tables"]) for r in reviews] == [
        (city.team("igt"), pid, ["case_notes"])
    ]
    # The IGT's supervisor gets the review item, its worker doesn't; the IGT laptops get no erasure of their own notes.
    seen, _ = pull_all(c, w["igt_supervisor"])
    assert [k for k in seen if k[0] == "erasure_reviews"] == [("erasure_reviews", reviews[0].record_id)]
    assert seen[("case_notes", ids["igt_note"])]["op"] == "upsert"
    assert not [k for k in seen if k[0] == "erasures"]
    seen, _ = pull_all(c, w["igt"])
    assert not [k for k in seen if k[0] == "erasure_reviews"]
    # The IGT's supervisor then erases the IGT's own records about the person: now they go.
    (res,) = push(c, w["igt_supervisor"], [_erase(city.team("igt"), pid)])
    assert res["status"] == "applied", res
    seen, _ = pull_all(c, w["igt"])
    assert seen[("case_notes", ids["igt_note"])]["op"] == "delete"


# -- 5. referral steps only from either end --------------------------------------------------------------------------


def test_5_a_team_of_neither_end_cannot_add_steps(city: City) -> None:
    w, ref = city.world, city.ids["a_referral"]
    for key in ("b_worker", "b_supervisor", "igt", "igt_supervisor", "partner"):
        for action, extra in (("note", {"note": "hello"}), ("acknowledge", {}), ("decline", {"reason": "x"})):
            step = {"referral_id": ref, "action": action, "by_user_id": w[key].user_id, **extra}
            refused(w, key, [change("referral_events", new_id(), step)])
            refused(w, key, [change("referral_events", new_id(), {**step, "team_id": city.team("tys")})], "own team")
        r = w.client.post(f"/api/v1/referrals/{ref}/note", headers=w[key].headers, json={"note": "hello"})
        assert r.status_code in (403, 404), (key, r.status_code)
    # The sending end may add a note but not move the referral on.
    step = {"referral_id": ref, "action": "accept", "by_user_id": w["worker"].user_id}
    refused(w, "worker", [change("referral_events", new_id(), step)], "receiving team")


# -- 6. base_version above the record's version ----------------------------------------------------------------------


def test_6_a_base_version_from_the_future_is_refused(city: City) -> None:
    w, pid = city.world, city.ids["a_person"]
    refused(w, "worker2", [change("people", pid, {"rag": "green"}, base_version=99)], "version 99")
    refused(w, "worker2", [change("people", new_id(), {"first_name": "New"}, base_version=1)], "version 1")
    refused(w, "worker2", [change("people", pid, {}, op="delete", base_version=7)], "version 7")
    seen, _ = pull_all(w.client, w["supervisor"])
    assert seen[("people", pid)]["fields"]["rag"] == "red"


# -- 7. audit entries bound to their writer --------------------------------------------------------------------------


def test_7_audit_entries_only_in_ones_own_name_and_chain(city: City, database_url: str) -> None:
    w, c = city.world, city.world.client
    team = city.team("detached")
    worker, supervisor = w["worker"], w["supervisor"]
    chain = audit_chain(team, worker.user_id, 2)
    results = push(c, worker, [change("audit_log", e["id"], e) for e in chain])
    assert [r["status"] for r in results] == ["applied", "applied"], results
    device = chain[0]["device"]
    # The supervisor appends "exported" in the worker's name to the worker's chain.
    (forged,) = audit_chain(team, worker.user_id, 1, device=device, start=3, prev=chain[-1]["hash"])
    forged["action"] = "exported"
    from youthwork.domain.privacy import audit_hash

    forged["hash"] = audit_hash(forged)
    refused(w, "supervisor", [change("audit_log", forged["id"], forged)], "your own name")
    # ... or in their own name, on the worker's chain.
    (own_name,) = audit_chain(team, supervisor.user_id, 1, device=device, start=3, prev=chain[-1]["hash"])
    refused(w, "supervisor", [change("audit_log", own_name["id"], own_name)], "someone else")
    # Squatting: entries the worker has not written yet, by the worker's own device, out of turn.
    for seq in (5, 2, 1):
        (squat,) = audit_chain(team, worker.user_id, 1, device=device, start=seq, prev=chain[-1]["hash"])
        refused(w, "worker", [change("audit_log", squat["id"], squat)], "should be entry 3")
    # A chain that claims to start midway, and an entry whose hash is not its own.
    (midway,) = audit_chain(team, supervisor.user_id, 1, start=4)
    refused(w, "supervisor", [change("audit_log", midway["id"], midway)], "should be entry 1")
    (bad_hash,) = audit_chain(team, supervisor.user_id, 1)
    bad_hash["hash"] = "f" * 64
    refused(w, "supervisor", [change("audit_log", bad_hash["id"], bad_hash)], "hash")
    # Another team's user, other roles: never in someone else's name.
    for key in ("b_worker", "partner", "igt"):
        (other,) = audit_chain(w[key].team_id, worker.user_id, 1)
        refused(w, key, [change("audit_log", other["id"], other)], "your own name")
    with w.engine.connect() as conn:
        assert verify_audit(conn, team) == []
    # The worker's next entry is accepted.
    (nxt,) = audit_chain(team, worker.user_id, 1, device=device, start=3, prev=chain[-1]["hash"])
    (res,) = push(c, worker, [change("audit_log", nxt["id"], nxt)])
    assert res["status"] == "applied", res


# -- writes to other teams' records, and the basics ------------------------------------------------------------------


def test_no_one_writes_another_teams_records(city: City) -> None:
    w, ids = city.world, city.ids
    for key in ATTACKERS:
        if w[key].team_id == city.team("detached"):
            continue
        refused(w, key, [change("people", ids["a_person"], {"phone": "07700900999"}, base_version=1)], "another team")
        refused(w, key, [change("people", ids["a_person"], {}, op="delete", base_version=1)], "another team")
        refused(w, key, [change("people", new_id(), {"first_name": "X", "team_id": city.team("detached")})], "own team")
        refused(w, key, [change("referrals", ids["a_referral"], {"status": "closed"}, base_version=1)])


def test_service_made_records_are_not_made_by_laptops(city: City) -> None:
    w = city.world
    fake = {"person_id": city.ids["a_person"], "erasure_id": new_id(), "tables": ["case_notes"]}
    refused(w, "supervisor", [change("erasure_reviews", new_id(), fake)], "made by the service")


def test_a_refused_push_is_the_same_on_resend(city: City) -> None:
    w = city.world
    attack = change("attendance", new_id(), {"session_id": city.ids["b_session"], "person_id": city.ids["a_person"]})
    first = refused(w, "b_worker", [attack])
    before = Snapshot.take(w.engine)
    assert push(w.client, w["b_worker"], [attack]) == first
    assert Snapshot.take(w.engine) == before


@pytest.mark.parametrize("how", ["delete", "repoint"])
def test_a_register_share_ends_with_its_register_entry(city: City, how: str) -> None:
    """TYS, sent A's young person, puts them on a register of its own session; after the referral is declined the
    register keeps the minimum flowing. Deleting the entry (or pointing it at someone else) ends that too."""
    w, c, pid = city.world, city.world.client, city.ids["a_person"]
    tys_session, att, own = new_id(), new_id(), new_id()
    results = push(
        c,
        w["tys"],
        [
            change("sessions", tys_session, {"session_type": "one_to_one", "status": "draft"}),
            change("attendance", att, {"session_id": tys_session, "person_id": pid}),
            change("people", own, {"first_name": "Tia"}),
        ],
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    r = c.post(f"/api/v1/referrals/{city.ids['a_referral']}/decline", headers=w["tys"].headers, json={"reason": "x"})
    assert r.status_code == 200, r.text
    seen, _ = pull_all(c, w["tys"])
    assert set(seen[("people", pid)]["fields"]) == MINIMUM  # the register's minimum, no longer the last name
    if how == "delete":
        (res,) = push(c, w["tys"], [change("attendance", att, {}, op="delete", base_version=1)])
    else:
        (res,) = push(c, w["tys"], [change("attendance", att, {"person_id": own}, base_version=1)])
    assert res["status"] == "applied", res
    seen, _ = pull_all(c, w["tys"])
    assert ("people", pid) not in seen


def test_partner_staff_see_no_more_than_the_minimum_in_conflict_copies(city: City) -> None:
    w, c, pid = city.world, city.world.client, city.ids["partner_person"]
    for key, born in (("partner", "2011-01-01"), ("partner2", "2012-02-02")):
        (res,) = push(c, w[key], [change("people", pid, {"date_of_birth": born}, base_version=1)])
        assert res["status"] in ("applied", "conflict"), res
    with w.engine.connect() as conn:
        assert conn.execute(sa.select(t.conflicts).where(t.conflicts.c.record_id == pid)).all()
    for key in ("partner", "partner2"):
        r = c.get("/api/v1/sync/conflicts", headers=w[key].headers)
        assert r.status_code == 200, r.text
        assert not [x for x in r.json()["conflicts"] if x["field"] not in MINIMUM], r.json()


def test_roles_outside_a_record_types_roles_write_none_of_it(city: City) -> None:
    """Partner staff: no RAG ratings, plans, NFAs, consent or holds, even about their own young person."""
    w, pid = city.world, city.ids["partner_person"]
    for table, fields in (
        ("rag_ratings", {"person_id": pid, "rating": "green", "reason": "x"}),
        ("safety_plans", {"person_id": pid}),
        ("nfa_notifications", {"person_id": pid, "notified_on": "2026-11-01", "offence_category": "drugs"}),
        ("consent_events", {"person_id": pid, "kind": "recorded", "lawful_basis": "public_task"}),
        ("legal_holds", {"person_id": pid, "reason": "x"}),
    ):
        refused(w, "partner", [change(table, new_id(), fields)], "Your role can't change")


def test_steps_follow_the_referral_workflow(city: City) -> None:
    w, ref = city.world, city.ids["a_referral"]
    step = {"referral_id": ref, "action": "close", "outcome": "x", "by_user_id": w["tys"].user_id}
    refused(w, "tys", [change("referral_events", new_id(), step)], "can't be given the step")


def test_intelligence_held_outside_the_igt_is_served_to_no_one(city: City) -> None:
    """A restricted note in another team's records (from before the rule, or written into the database) never goes
    out: the read side checks the flag as well as the write side."""
    w, note = city.world, new_id()
    a = city.team("detached")
    data = {"id": note, "team_id": a, "person_id": city.ids["a_person"], "text": "Intel", "restricted": True}
    with w.engine.connect() as conn, conn.begin():
        now = sa.func.now()
        conn.execute(
            t.records.insert().values(
                table_name="case_notes",
                record_id=note,
                team_id=a,
                version=1,
                deleted=False,
                data=data,
                field_versions={},
                field_devices={},
                updated_at=now,
            )
        )
        conn.execute(
            t.change_log.insert().values(
                team_id=a, table_name="case_notes", record_id=note, op="upsert", version=1, fields=[], created_at=now
            )
        )
    for key in ("worker", "supervisor"):
        seen, _ = pull_all(w.client, w[key])
        assert ("case_notes", note) not in seen, key


def test_an_administrator_writes_and_reads_no_case_records(city: City) -> None:
    w = city.world
    before = Snapshot.take(w.engine)
    body = push(w.client, w["admin"], [change("people", new_id(), {"first_name": "X"})], expect=403)
    assert body["code"] == "role_cannot_sync"
    r = w.client.post("/api/v1/sync/pull", headers=w["admin"].headers, json=envelope())
    assert r.status_code == 403
    assert Snapshot.take(w.engine) == before


# -- sign-off locking: a signed-off session and its register are fixed on the service ----------------------------------


def _signed_off_session(city: City) -> tuple[str, str, int, int]:
    """A's session worked by "worker", on the register A's young person, signed off by A's supervisor."""
    w = city.world
    sid, att = new_id(), new_id()
    made = push(
        w.client,
        w["worker"],
        [
            change("sessions", sid, session(status="submitted", workers=[w["worker"].user_id], narrative="Park.")),
            change("attendance", att, {"session_id": sid, "person_id": city.ids["a_person"]}),
        ],
    )
    assert [r["status"] for r in made] == ["applied", "applied"], made
    sign = {"status": "approved", "reviewed_by": w["supervisor"].user_id, "reviewed_at": "2026-01-05T10:00:00+00:00"}
    (res,) = push(w.client, w["supervisor"], [change("sessions", sid, sign, base_version=made[0]["version"])])
    assert res["status"] == "applied", res
    return sid, att, res["version"], made[1]["version"]


def test_a_signed_off_session_is_deleted_or_rewritten_by_no_one(city: City) -> None:
    w = city.world
    sid, _, version, _ = _signed_off_session(city)
    later = session()["ends_at"]
    for key in ("worker", "worker2", "supervisor"):
        refused(w, key, [change("sessions", sid, {}, op="delete", base_version=version)], "signed off", "deleted")
        for edit in (
            {"narrative": "It never happened."},
            {"starts_at": later},
            {"ends_at": later, "status": "approved"},
        ):
            refused(w, key, [change("sessions", sid, edit, base_version=version)], "signed off")
        # Taken out of sign-off some other way than the sign-off rule or an amendment.
        refused(w, key, [change("sessions", sid, {"status": "draft"}, base_version=version)])
    # An "amendment" outside what may be amended, or without a reason, is no amendment.
    amend = {"status": "submitted", "narrative": "Added the score.", "review_comment": "Amended after sign-off: score"}
    refused(w, "worker", [change("sessions", sid, {**amend, "reviewed_by": ""}, base_version=version)], "signed off")
    refused(w, "worker", [change("sessions", sid, {**amend, "review_comment": ""}, base_version=version)], "Say why")
    # A hostile laptop's delete from an old version too.
    refused(w, "worker", [change("sessions", sid, {}, op="delete", base_version=1)], "signed off")
    seen, _ = pull_all(w.client, w["worker"])
    assert seen[("sessions", sid)]["fields"]["status"] == "approved"
    assert seen[("sessions", sid)]["fields"]["narrative"] == "Park."


def test_a_signed_off_sessions_register_is_fixed(city: City) -> None:
    w, ids = city.world, city.ids
    sid, att, _, att_version = _signed_off_session(city)
    other_sid, other_att = new_id(), new_id()
    made = push(
        w.client,
        w["worker"],
        [
            change("sessions", other_sid, session()),
            change("attendance", other_att, {"session_id": other_sid, "person_id": ids["a_other"]}),
        ],
    )
    assert [r["status"] for r in made] == ["applied", "applied"], made
    for key in ("worker", "supervisor"):
        entry = {"session_id": sid, "person_id": ids["a_other"]}
        refused(w, key, [change("attendance", new_id(), entry)], "signed off", "register")  # added to
        refused(w, key, [change("attendance", att, {}, op="delete", base_version=att_version)], "signed off")
        refused(w, key, [change("attendance", att, {"person_id": ids["a_other"]}, base_version=att_version)])
        refused(w, key, [change("attendance", att, {"session_id": other_sid}, base_version=att_version)])  # moved off
        moved_on = {"session_id": sid}
        refused(w, key, [change("attendance", other_att, moved_on, base_version=made[1]["version"])])  # moved on
        refused(w, key, [change("attendance", att, {"concern": True}, base_version=att_version)])


def test_an_amendment_with_a_reason_sends_a_signed_off_session_back_and_unlocks_it(city: City) -> None:
    """The laptop's real workflow (ReviewService.amend): a reason, amendable fields only, back to the queue."""
    w = city.world
    sid, att, version, att_version = _signed_off_session(city)
    amend = {
        "status": "submitted",
        "narrative": "Park. Added the football score.",
        "submitted_at": "2026-01-06T10:00:00+00:00",
        "review_comment": "Amended after sign-off: forgot the score",
    }
    (res,) = push(w.client, w["worker"], [change("sessions", sid, amend, base_version=version)])
    assert res["status"] == "applied", res
    # Waiting for sign-off again, so its register may change again (the lock follows the status, not the record).
    (res,) = push(w.client, w["worker"], [change("attendance", att, {"concern": True}, base_version=att_version)])
    assert res["status"] == "applied", res
    # A supervisor may still return a signed-off session (the sign-off rule itself).
    sid2, _, version2, _ = _signed_off_session(city)
    back = {"status": "returned", "review_comment": "Please add who you spoke to."}
    (res,) = push(w.client, w["supervisor"], [change("sessions", sid2, back, base_version=version2)])
    assert res["status"] == "applied", res
