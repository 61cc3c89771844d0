"""Hostile clients against disclosures, a team's own agencies and off-service referrals (issue 19, items 3 and 4):
a disclosure stays with the team that made it (no other team or role reads it, however it asks), no team records one
about a young person it can't see, and no one but the sending team records an outside agency's answers."""

from __future__ import annotations

import pytest
from hostile_helpers import ATTACKERS, City, build_city, refused
from server_helpers import World, change, pull_all, push

from youthwork.domain.ids import new_id


@pytest.fixture
def city(world: World) -> City:
    return build_city(world)


def _disclosure(person_id: str, **kw: object) -> dict[str, object]:
    return {
        "person_id": person_id,
        "kind": "information_request",
        "to_agency": "police",
        "to_agency_name": "Police",
        "what": "Dates he attended the youth club in August, for a police enquiry",
        "disclosed_on": "2026-09-03",
        "lawful_basis": "legal_obligation",
        "approved_by": "Dana Reid, team manager",
        "reference": "MPS/2026/4471",
        **kw,
    }


def test_another_team_never_reads_a_disclosure_nor_records_one_about_someone_it_cannot_see(city: City) -> None:
    w, pid = city.world, city.ids["a_person"]
    d_id, agency_id = new_id(), new_id()
    results = push(
        w.client,
        w["worker"],
        [
            change("disclosures", d_id, _disclosure(pid)),
            change("agencies", agency_id, {"code": "islington_law_centre", "name": "Islington Law Centre"}),
        ],
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    seen, _ = pull_all(w.client, w["supervisor"])
    assert ("disclosures", d_id) in seen and ("agencies", agency_id) in seen  # the whole team has it
    # TYS sees the young person (through A's referral) but not A's disclosure; no other team or role does either.
    for key in ATTACKERS:
        if w[key].team_id == w["worker"].team_id:
            continue
        seen, _ = pull_all(w.client, w[key])
        assert ("disclosures", d_id) not in seen and ("agencies", agency_id) not in seen, key
        # Nor can they change it, or write one about a young person they can't see.
        refused(w, key, [change("disclosures", d_id, _disclosure(pid, what="Everything"))])
        refused(w, key, [change("disclosures", new_id(), _disclosure(city.ids["a_other"]))])
    # Partner staff record no disclosures at all, even of their own young people.
    refused(w, "partner", [change("disclosures", new_id(), _disclosure(city.ids["partner_person"]))], "role")
    # A disclosure is append-only: its own team can't rewrite what was disclosed.
    refused(w, "worker", [change("disclosures", d_id, _disclosure(pid, what="Nothing much"))])


def test_only_the_sending_team_records_an_outside_agencys_answer(city: City) -> None:
    w, pid, ref = city.world, city.ids["a_person"], new_id()
    referral = {
        "person_id": pid,
        "to_agency": "csct",
        "to_team_id": "",
        "reason": "Disclosed being hit at home",
        "urgency": "immediate",
        "lawful_basis": "vital_interests",
        "status": "sent",
    }
    (res,) = push(w.client, w["worker"], [change("referrals", ref, referral)])
    assert res["status"] == "applied", res
    for key in ATTACKERS:
        if w[key].team_id == w["worker"].team_id:
            continue
        for action, extra in (("acknowledge", {}), ("decline", {"reason": "No"}), ("note", {"note": "Hi"})):
            step = {"referral_id": ref, "action": action, "told_by": "CSCT", **extra}
            refused(w, key, [change("referral_events", new_id(), step)])
    step = {"referral_id": ref, "action": "acknowledge", "told_by": "CSCT duty social worker, by phone"}
    (res,) = push(w.client, w["supervisor"], [change("referral_events", new_id(), step)])
    assert res["status"] == "applied", res
