"""Scope: each device gets only what its user's team and role may see; referrals share the minimum; the inbox."""

from __future__ import annotations

from datetime import date

from server_helpers import World, change, pull_all, push

from youthwork.domain.ids import new_id

MINIMUM = {"id", "team_id", "first_name", "known_as", "area", "age_band"}


def full_person(**kw):
    return {
        "first_name": "Jay",
        "last_name": "Okafor",
        "known_as": "JJ",
        "area": "Peckham",
        "date_of_birth": date(2010, 5, 1).isoformat(),
        "address": "1 Acorn Estate",
        "ethnicity": "black_african",
        "risk_indicators": ["cce", "missing"],
        "nfa_count": 2,
        "rag": "amber",
        **kw,
    }


def referral(person_id: str, to_team: str, **kw):
    return {
        "person_id": person_id,
        "to_agency": "tys",
        "to_team_id": to_team,
        "reason": "Going missing, older peers picking him up from the estate.",
        "risk_indicators": ["cce"],
        "urgency": "urgent",
        "lawful_basis": "public_task",
        "shared_fields": ["last_name", "date_of_birth"],
        "status": "sent",
        **kw,
    }


def test_workers_and_supervisors_see_their_team_in_full(world: World) -> None:
    pid = new_id()
    push(world.client, world["worker"], [change("people", pid, full_person())])
    for key in ("worker2", "supervisor"):
        seen, _ = pull_all(world.client, world[key])
        assert seen[("people", pid)]["fields"]["ethnicity"] == "black_african"
        assert seen[("people", pid)]["fields"]["risk_indicators"] == ["cce", "missing"]
    for key in ("igt", "tys", "partner"):
        seen, _ = pull_all(world.client, world[key])
        assert ("people", pid) not in seen


def test_partner_sees_own_sessions_and_minimum_of_people_on_registers(world: World) -> None:
    c = world.client
    tys_person, new_face, session, att1, att2 = (new_id() for _ in range(5))
    push(c, world["worker"], [change("people", tys_person, full_person())])
    results = push(
        c,
        world["partner"],
        [
            change("sessions", session, {"session_type": "kicks", "status": "draft", "area": "Peckham"}),
            change(
                "people", new_face, {"first_name": "Dee", "area": "Peckham", "estimated_age": 14, "incomplete": True}
            ),
            change("attendance", att1, {"session_id": session, "person_id": new_face, "new_face": True}),
            change("attendance", att2, {"session_id": session, "person_id": tys_person}),
        ],
    )
    # A register names only someone the team already sees: the detached team's young person is refused.
    assert [r["status"] for r in results] == ["applied"] * 3 + ["rejected"], results
    seen, _ = pull_all(c, world["partner"])
    assert {k for k in seen} >= {("sessions", session), ("attendance", att1)}
    assert ("attendance", att2) not in seen and ("people", tys_person) not in seen
    assert set(seen[("people", new_face)]["fields"]) == MINIMUM
    assert seen[("people", new_face)]["fields"]["age_band"] == "14_15"
    # The owning team still sees everything, and nothing of the partner's session.
    seen, _ = pull_all(c, world["worker"])
    assert seen[("people", tys_person)]["fields"]["ethnicity"] == "black_african"
    assert ("sessions", session) not in seen


def test_partner_cannot_record_more_than_the_minimum(world: World) -> None:
    c = world.client
    results = push(
        c,
        world["partner"],
        [
            change("people", new_id(), {"first_name": "Dee", "ethnicity": "white_british"}),
            change("people", new_id(), {"first_name": "Dee", "address": "2 Acorn Estate"}),
            change("rag_ratings", new_id(), {"person_id": new_id(), "rating": "red", "reason": "x"}),
        ],
    )
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert "special category" in results[0]["reason"]
    assert "can't record" in results[1]["reason"] and "address" in results[1]["reason"]


def test_igt_restricted_notes_never_leave_igt(world: World) -> None:
    c = world.client
    pid, note, open_note = new_id(), new_id(), new_id()
    push(c, world["igt"], [change("people", pid, full_person())])
    results = push(
        c,
        world["igt"],
        [
            change(
                "case_notes", note, {"person_id": pid, "text": "Intel: linked to a county line.", "restricted": True}
            ),
            change("case_notes", open_note, {"person_id": pid, "text": "Attended the session."}),
        ],
    )
    assert [r["status"] for r in results] == ["applied", "applied"]
    # Even a referral sharing the young person with TYS shares no notes.
    push(c, world["igt"], [change("referrals", new_id(), referral(pid, world.teams["tys"]))])
    seen, _ = pull_all(c, world["igt"])
    assert seen[("case_notes", note)]["fields"]["restricted"] is True
    for key in ("worker", "supervisor", "tys", "partner"):
        seen, _ = pull_all(c, world[key])
        assert ("case_notes", note) not in seen and ("case_notes", open_note) not in seen
    (refused,) = push(
        c, world["worker"], [change("case_notes", new_id(), {"person_id": pid, "text": "x", "restricted": True})]
    )
    assert refused["status"] == "rejected" and "Integrated Gangs Team" in refused["reason"]


def test_another_teams_records_cannot_be_changed(world: World) -> None:
    c = world.client
    pid = new_id()
    push(c, world["worker"], [change("people", pid, full_person())])
    (res,) = push(c, world["igt"], [change("people", pid, {"area": "Brixton"}, base_version=1)])
    assert res["status"] == "rejected" and "another team" in res["reason"]
    (res,) = push(c, world["igt"], [change("people", pid, {}, op="delete", base_version=1)])
    assert res["status"] == "rejected"
    (res,) = push(c, world["igt"], [change("people", new_id(), full_person(team_id=world.teams["detached"]))])
    assert res["status"] == "rejected" and "your own team" in res["reason"]
    seen, _ = pull_all(c, world["worker"])
    assert seen[("people", pid)]["version"] == 1 and seen[("people", pid)]["fields"]["area"] == "Peckham"


def test_referral_shares_the_minimum_and_steps_sync_back(world: World) -> None:
    c = world.client
    pid, draft_id, ref_id = new_id(), new_id(), new_id()
    push(c, world["worker"], [change("people", pid, full_person())])
    push(c, world["worker"], [change("referrals", draft_id, referral(pid, world.teams["tys"], status="draft"))])
    seen, tys_cursor = pull_all(c, world["tys"])
    assert seen == {}  # a draft goes nowhere
    assert c.get("/api/v1/referrals/inbox", headers=world["tys"].headers).json() == {"referrals": []}

    (res,) = push(c, world["worker"], [change("referrals", ref_id, referral(pid, world.teams["tys"]))])
    assert res["status"] == "applied"
    seen, tys_cursor = pull_all(c, world["tys"], tys_cursor)
    assert seen[("referrals", ref_id)]["fields"]["reason"].startswith("Going missing")
    person = seen[("people", pid)]["fields"]
    assert set(person) == MINIMUM | {"last_name", "date_of_birth"}
    assert "ethnicity" not in person and "risk_indicators" not in person and "address" not in person
    assert ("people", pid) not in pull_all(c, world["igt"])[0]

    inbox = c.get("/api/v1/referrals/inbox", headers=world["tys"].headers).json()["referrals"]
    assert [r["id"] for r in inbox] == [ref_id]
    assert inbox[0]["person"]["last_name"] == "Okafor" and "ethnicity" not in inbox[0]["person"]
    assert inbox[0]["status"] == "sent" and inbox[0]["from_team_id"] == world.teams["detached"]

    h = world["tys"].headers
    r = c.post(f"/api/v1/referrals/{ref_id}/decline", headers=h, json={})
    assert r.status_code == 400 and "reason" in r.json()["message"]
    r = c.post(f"/api/v1/referrals/{ref_id}/close", headers=h, json={"outcome": "done"})
    assert r.status_code == 409 and r.json()["code"] == "step_not_possible"
    for action, body, status in (
        ("acknowledge", {}, "acknowledged"),
        ("accept", {"note": "Meets threshold"}, "accepted"),
        ("allocate", {"allocated_to": world["tys"].user_id}, "allocated"),
        ("close", {"outcome": "Engaged with 1:1 work for 12 weeks"}, "closed"),
    ):
        r = c.post(f"/api/v1/referrals/{ref_id}/{action}", headers=h, json=body)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status
    assert c.get("/api/v1/referrals/inbox?status=closed", headers=h).json()["referrals"][0]["id"] == ref_id
    assert c.get("/api/v1/referrals/inbox?status=sent", headers=h).json()["referrals"] == []

    # Back at the referring team: the steps and the new status arrive by sync.
    seen, _ = pull_all(c, world["worker2"])
    events = [ch["fields"] for (table, _), ch in seen.items() if table == "referral_events"]
    assert sorted(e["action"] for e in events) == ["accept", "acknowledge", "allocate", "close"]
    assert seen[("referrals", ref_id)]["fields"]["status"] == "closed"
    assert seen[("referrals", ref_id)]["fields"]["outcome"].startswith("Engaged")


def test_referral_steps_by_sync_follow_the_same_rules(world: World) -> None:
    c = world.client
    pid, ref_id = new_id(), new_id()
    push(
        c,
        world["worker"],
        [change("people", pid, full_person()), change("referrals", ref_id, referral(pid, world.teams["tys"]))],
    )
    step = {"referral_id": ref_id, "action": "accept", "by_user_id": "x"}
    (res,) = push(c, world["worker"], [change("referral_events", new_id(), step)])
    assert res["status"] == "rejected" and "receiving team" in res["reason"]
    (res,) = push(c, world["igt"], [change("referral_events", new_id(), step)])
    assert res["status"] == "rejected"
    (res,) = push(c, world["tys"], [change("referral_events", new_id(), step)])
    assert res["status"] == "applied"
    (res,) = push(c, world["worker"], [change("referrals", ref_id, {"status": "closed"}, base_version=2)])
    assert res["status"] == "rejected" and "receiving team sets" in res["reason"]
    # Edited from a stale copy: status is safety-critical, so the server's stays and the edit waits for review.
    (res,) = push(c, world["worker"], [change("referrals", ref_id, {"status": "draft"}, base_version=1)])
    assert res["status"] == "conflict" and res["conflicts"][0]["kept"] == "server"
    seen, _ = pull_all(c, world["worker"])
    assert seen[("referrals", ref_id)]["fields"]["status"] == "accepted"
