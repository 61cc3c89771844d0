"""Referrals that leave or enter the service: one to an agency with no team on it (CAMHS, CSCT, Redthread...), whose
answers the sending team records, and one that came in from a school, the police or a parent, recorded by the team it
came to. Both follow the same steps as any referral; the service enforces who records them (issue 19, items 3 and 7).
"""

from __future__ import annotations

from datetime import date, timedelta

from hostile_helpers import full_person, refused
from server_helpers import World, change, pull_all, push

from youthwork.domain.ids import new_id


def _camhs(person_id: str, **kw: object) -> dict[str, object]:
    return {
        "person_id": person_id,
        "to_agency": "camhs",
        "to_team_id": "",
        "reason": "Low mood, not sleeping, stopped coming to the youth club",
        "urgency": "routine",
        "lawful_basis": "consent",
        "consent_given_by": "young_person",
        "status": "sent",
        "sent_at": "2026-09-01T10:00:00.000Z",
        **kw,
    }


def _step(referral_id: str, action: str, **kw: object) -> dict[str, object]:
    return change("referral_events", new_id(), {"referral_id": referral_id, "action": action, **kw})


def _status(world: World, key: str, referral_id: str) -> dict[str, object]:
    seen, _ = pull_all(world.client, world[key])
    return seen[("referrals", referral_id)]["fields"]


def test_the_sending_team_records_an_outside_agencys_answers_and_no_one_else(world: World) -> None:
    c = world.client
    pid, ref = new_id(), new_id()
    results = push(c, world["worker"], [change("people", pid, full_person()), change("referrals", ref, _camhs(pid))])
    assert [r["status"] for r in results] == ["applied", "applied"], results

    # No one outside the sending team records CAMHS's answer: not another team, not a receiving team, not a partner.
    for key in ("tys", "igt", "partner"):
        refused(world, key, [_step(ref, "acknowledge", told_by="CAMHS duty line")])
    # The sending team must say who told them.
    refused(world, "worker", [_step(ref, "acknowledge")], "who at the agency told you")

    told = {"told_by": "Duty clinician, by phone"}
    (res,) = push(c, world["worker"], [_step(ref, "acknowledge", **told)])
    assert res["status"] == "applied", res
    assert _status(world, "worker", ref)["status"] == "acknowledged"
    # Another worker of the same team records the decision and the first appointment.
    appointment = (date(2026, 9, 1) + timedelta(days=20)).isoformat()
    results = push(
        c,
        world["worker2"],
        [_step(ref, "accept", **told), _step(ref, "appointment", first_appointment_on=appointment, **told)],
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    fields = _status(world, "worker", ref)
    assert fields["status"] == "accepted" and fields["first_appointment_on"] == appointment
    # A step out of order is refused as for any referral.
    refused(world, "worker", [_step(ref, "redirect", passed_to="Early Help", **told)], "accepted")
    for key in ("tys", "igt", "partner"):
        refused(world, key, [_step(ref, "close", outcome="Seen", told_by="CAMHS")])
    (res,) = push(c, world["worker"], [_step(ref, "close", outcome="Six sessions of CBT, finished", **told)])
    assert res["status"] == "applied", res
    fields = _status(world, "worker", ref)
    assert fields["status"] == "closed" and fields["outcome"] == "Six sessions of CBT, finished"
    # Nothing of it reached another team.
    for key in ("tys", "igt", "partner"):
        seen, _ = pull_all(c, world[key])
        assert ("referrals", ref) not in seen and ("people", pid) not in seen


def test_a_referral_to_a_team_on_the_service_is_still_answered_only_by_that_team(world: World) -> None:
    pid, ref = new_id(), new_id()
    tys = world.teams["tys"]
    push(
        world.client,
        world["worker"],
        [change("people", pid, full_person()), change("referrals", ref, _camhs(pid, to_agency="tys", to_team_id=tys))],
    )
    refused(world, "worker", [_step(ref, "acknowledge", told_by="I rang them")], "Only the receiving team")


def _from_school(person_id: str, **kw: object) -> dict[str, object]:
    return {
        "person_id": person_id,
        "to_agency": "tys",
        "from_source": "school",
        "from_name": "Highbury Grove, head of year 9",
        "received_on": "2026-09-02",
        "reason": "Excluded twice this term; seen with older boys after school",
        "lawful_basis": "public_task",
        "status": "sent",
        "sent_at": "2026-09-02T09:00:00.000Z",
        **kw,
    }


def test_a_referral_in_from_a_school_is_recorded_by_the_team_it_came_to(world: World) -> None:
    c = world.client
    tys, pid, ref = world.teams["tys"], new_id(), new_id()
    results = push(c, world["tys"], [change("people", pid, full_person()), change("referrals", ref, _from_school(pid))])
    assert [r["status"] for r in results] == ["applied", "applied"], results
    fields = _status(world, "tys", ref)
    assert fields["to_team_id"] == tys and fields["from_source"] == "school"
    inbox = c.get("/api/v1/referrals/inbox", headers=world["tys"].headers).json()["referrals"]
    assert ref in [r["id"] for r in inbox]

    # Its own steps, as for any referral in the inbox.
    (res,) = push(c, world["tys"], [_step(ref, "acknowledge")])
    assert res["status"] == "applied", res
    assert _status(world, "tys", ref)["status"] == "acknowledged"
    # It can't be pointed at another team, nor recorded by a team that doesn't take the agency.
    refused(world, "tys", [change("referrals", new_id(), _from_school(pid, to_team_id=world.teams["igt"]))], "came to")
    refused(world, "worker", [change("referrals", new_id(), _from_school(new_id()))])
    # The detached team holds this young person, but TYS referrals are not its to record.
    own = new_id()
    (res,) = push(c, world["worker"], [change("people", own, full_person())])
    assert res["status"] == "applied", res
    refused(
        world, "worker", [change("referrals", new_id(), _from_school(own))], "doesn't take referrals to this agency"
    )
    # Nor made to look like it came from outside after it was sent.
    refused(world, "tys", [change("referrals", ref, {"from_source": "police"})], "redirected")
    # No other team sees it or the young person.
    for key in ("worker", "igt", "partner"):
        seen, _ = pull_all(c, world[key])
        assert ("referrals", ref) not in seen and ("people", pid) not in seen


def test_a_referral_in_from_outside_is_about_a_young_person_the_team_holds(world: World) -> None:
    c = world.client
    tys, pid, ref = world.teams["tys"], new_id(), new_id()
    # The detached team refers a young person to TYS: TYS sees the minimum of them, it doesn't hold their record.
    push(
        c,
        world["worker"],
        [change("people", pid, full_person()), change("referrals", ref, _camhs(pid, to_agency="tys", to_team_id=tys))],
    )
    refused(world, "tys", [change("referrals", new_id(), _from_school(pid))], "your team holds")
    # Nor about someone it has never seen.
    refused(world, "tys", [change("referrals", new_id(), _from_school(new_id()))])
