"""The access rule for referrals, through the service: partner (Kicks) staff can refer, and record the share, but never
read IGT notes, other teams' referrals, safety plans or NFAs."""

from __future__ import annotations

from datetime import date

from server_helpers import World, change, pull_all, push

from youthwork.domain.ids import new_id


def _referral(person_id: str, to_team: str, **kw):
    return {
        "person_id": person_id,
        "to_agency": "igt",
        "to_team_id": to_team,
        "reason": "Older boys at the cage asking him to carry packages",
        "urgency": "urgent",
        "lawful_basis": "consent",
        "consent_given_by": "young_person",
        "status": "sent",
        **kw,
    }


def test_partner_can_refer_but_cannot_read_igt_notes_or_other_teams_referrals(world: World) -> None:
    c = world.client
    kicks, igt, worker = world["partner"], world["igt"], world["worker"]

    # A Kicks coach refers a regular to the IGT, and records what was shared.
    pid, ref_id, share_id = new_id(), new_id(), new_id()
    results = push(
        c,
        kicks,
        [
            change("people", pid, {"first_name": "Kai", "area": "Brenchley Gardens", "estimated_age": 14}),
            change("referrals", ref_id, _referral(pid, world.teams["igt"])),
            change(
                "share_records",
                share_id,
                {
                    "person_id": pid,
                    "referral_id": ref_id,
                    "with_agency": "igt",
                    "with_team_id": world.teams["igt"],
                    "shared_fields": ["first_name", "known_as", "area", "reason"],
                    "lawful_basis": "consent",
                    "consent_given_by": "young_person",
                },
            ),
        ],
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    # The IGT gets it in its inbox and accepts it; the step syncs back to Kicks.
    inbox = c.get("/api/v1/referrals/inbox", headers=igt.headers).json()["referrals"]
    assert [r["id"] for r in inbox] == [ref_id]
    assert c.post(f"/api/v1/referrals/{ref_id}/accept", headers=igt.headers, json={}).json()["status"] == "accepted"
    seen, kicks_cursor = pull_all(c, kicks)
    assert seen[("referrals", ref_id)]["fields"]["status"] == "accepted"
    assert any(t == "referral_events" for t, _ in seen)

    # Criminal-offence details on a referral are refused from partner staff.
    risky = _referral(pid, world.teams["igt"], risk_indicators=["cce"])
    (res,) = push(c, kicks, [change("referrals", new_id(), risky)])
    assert res["status"] == "rejected" and "criminal-offence" in res["reason"]

    # The IGT writes intelligence and an ordinary note about him; the detached team refers someone else to the IGT,
    # and keeps a safety plan and an NFA.
    note_ids = [new_id(), new_id()]
    for note_id, restricted in zip(note_ids, (True, False), strict=True):
        (res,) = push(
            c,
            igt,
            [
                change(
                    "case_notes",
                    note_id,
                    {"person_id": pid, "text": "Seen with the older group", "restricted": restricted},
                )
            ],
        )
        assert res["status"] == "applied", res
    other_pid, other_ref, plan_id, nfa_id = new_id(), new_id(), new_id(), new_id()
    results = push(
        c,
        worker,
        [
            change("people", other_pid, {"first_name": "Jay", "area": "Peckham"}),
            change("referrals", other_ref, _referral(other_pid, world.teams["igt"], risk_indicators=["cce"])),
            change("safety_plans", plan_id, {"person_id": other_pid, "own_words": "I want to stay safe"}),
            change(
                "nfa_notifications",
                nfa_id,
                {"person_id": other_pid, "notified_on": date.today().isoformat(), "offence_category": "weapon"},
            ),
        ],
    )
    assert [r["status"] for r in results] == ["applied"] * 4, results

    seen, _ = pull_all(c, kicks, kicks_cursor)
    tables = {t for t, _ in seen}
    assert ("case_notes", note_ids[0]) not in seen and ("case_notes", note_ids[1]) not in seen
    assert ("referrals", other_ref) not in seen
    assert not tables & {"safety_plans", "nfa_notifications"}
    # The inbox is for receiving teams only, and a partner can't answer a referral.
    assert c.get("/api/v1/referrals/inbox", headers=kicks.headers).status_code == 403
    assert c.post(f"/api/v1/referrals/{other_ref}/accept", headers=kicks.headers, json={}).status_code == 403
    # The IGT itself sees both referrals and its intelligence; the detached team never sees the intelligence.
    igt_seen, _ = pull_all(c, igt)
    assert ("referrals", other_ref) in igt_seen and ("case_notes", note_ids[0]) in igt_seen
    worker_seen, _ = pull_all(c, worker)
    assert ("case_notes", note_ids[0]) not in worker_seen and ("referrals", ref_id) not in worker_seen


def test_receiving_teams_are_listed_for_addressing_referrals(world: World) -> None:
    c = world.client
    r = c.get("/api/v1/referrals/teams", headers=world["partner"].headers)
    assert r.status_code == 200
    teams = {team["id"]: team["kind"] for team in r.json()["teams"]}
    assert teams[world.teams["igt"]] == "igt" and teams[world.teams["tys"]] == "tys"
    assert world.teams["kicks"] not in teams and world.teams["detached"] not in teams
    assert c.get("/api/v1/referrals/teams").status_code == 401
