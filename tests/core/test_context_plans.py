"""A place's context safety plan on one laptop: written, agreed, revised (each agreement a kept version, compared part
by part), and its context conference pack: the place's use and signals counted by hand, and no child named."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from youthwork.domain.places import Place, PlaceKind
from youthwork.domain.records import Attendance, Session, YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.security.audit import AuditTrail
from youthwork.services.context_plans import REDACTED, ContextPlanService
from youthwork.services.places import PlaceService
from youthwork.store.profile import Profile

TODAY = date.today()


def _stop(profile: Profile) -> Place:
    return PlaceService(profile).save(
        Place(
            name="Commercial Way bus stop", kind=PlaceKind.TRANSPORT, ward="Peckham", description="By the chicken shop"
        )
    )


def _session(profile: Profile, place: Place, days_ago: int, people: list[YoungPerson], heads: int, concern: bool):
    start = datetime.combine(TODAY - timedelta(days=days_ago), time(18), tzinfo=UTC)
    s = profile.records.save(
        Session(
            place_id=place.id,
            area="Peckham",
            session_type="detached",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            headcounts={"boys": heads},
            concern=concern,
        )
    )
    for p in people:
        profile.records.save(Attendance(session_id=s.id, person_id=p.id))


def test_a_place_plan_is_agreed_then_revised_and_each_version_kept(profile: Profile) -> None:
    stop = _stop(profile)
    plans = ContextPlanService(profile)
    assert plans.current(place_id=stop.id) is None
    plan = plans.current_or_new(place_id=stop.id)
    assert (plan.place_id, plan.group_id, plan.title) == (stop.id, "", "Context plan: Commercial Way bus stop")
    plan.concern = "Older men wait at the stop after school"
    plans.save(plan)  # a draft: no version yet
    assert plans.versions(plan.id) == [] and plans.current(place_id=stop.id).status == "draft"
    with pytest.raises(ValidationError, match="review date"):
        plans.agree(plan)
    plan.review_date = TODAY + timedelta(days=28)
    plan.partners = [{"name": "Transport for London", "kind": "transport", "responsible_for": "the stop's CCTV"}]
    first = plans.agree(plan)
    plan = plans.current(place_id=stop.id)
    plan.actions = [{"action": "Check the CCTV works", "who": "Transport for London", "by_when": ""}]
    second = plans.agree(plan, "After the conference")
    assert [(v.number, v.status) for v in plans.versions(plan.id)] == [(1, "agreed"), (2, "reviewed")]
    assert second.based_on_version_id == first.id and second.change_note == "After the conference"
    assert [(c.field, c.label) for c in plans.compare(first.id, second.id)] == [("actions", "Actions")]
    assert (
        plans.for_group("") == [] and plans.current() is None and [p.id for p in plans.for_place(stop.id)] == [plan.id]
    )


def test_a_place_pack_counts_its_use_and_names_no_child(profile: Profile) -> None:
    stop = _stop(profile)
    elsewhere = PlaceService(profile).save(Place(name="Burgess Park", kind=PlaceKind.PARK))
    kai = profile.records.save(YoungPerson(first_name="Kai", last_name="Mensah", area="Brandon Estate"))
    dre = profile.records.save(YoungPerson(first_name="Dre", last_name="Lawson", known_as="DJ", area="Wyndham"))
    amara = profile.records.save(YoungPerson(first_name="Amara", last_name="Osei", area="Brandon Estate"))
    _session(profile, stop, 3, [kai, dre], heads=4, concern=True)
    _session(profile, stop, 10, [kai, amara], heads=2, concern=False)
    _session(profile, stop, 200, [kai], heads=9, concern=True)  # long before the pack's 13 weeks
    _session(profile, elsewhere, 3, [amara], heads=7, concern=True)  # another place
    plans = ContextPlanService(profile)
    plan = plans.new_for_place(stop.id)
    plan.concern = "Older men offer Kai and dre lifts from the stop.\nDJ was seen getting into a car."
    plan.partners = [{"name": "Transport for London", "kind": "transport", "responsible_for": "Mensah's route home"}]
    plan.actions = [{"action": "A second bus stop light", "who": "Council", "by_when": TODAY.isoformat()}]
    plan.review_date = TODAY + timedelta(days=28)
    plans.agree(plan)
    text = plans.place_pack(stop.id).text()
    for name in ("Kai", "kai", "Mensah", "Dre", "dre", "Lawson", "DJ", "Amara", "Osei"):
        assert name not in text, name
    assert text.startswith("Commercial Way bus stop\nContext conference pack,")
    assert "- Transport hub or route.\n- Peckham ward.\n- By the chicken shop" in text
    assert "- Sessions here: 2 (4 hours)." in text
    assert "- Young people counted without names: 6; on registers: 4." in text  # Kai is on two registers
    assert "- Safeguarding concerns: 1. Incidents: 0." in text
    assert "Where the young people seen here live\n- Brandon Estate: 2\n- Wyndham: 1" in text
    assert f"- Older men offer {REDACTED} and {REDACTED} lifts from the stop." in text
    assert f"- Transport for London — Transport — {REDACTED}'s route home" in text
    assert f"- This plan is reviewed on {(TODAY + timedelta(days=28)).day}" in text
    plans.record_printed(place_id=stop.id)
    printed = [e for e in AuditTrail(profile).search() if e.action == "printed"]
    assert [(e.table_name, e.record_id, e.reason) for e in printed] == [("places", stop.id, "context_pack_printed")]


def test_a_place_not_on_this_laptop_has_no_plan_or_pack(profile: Profile) -> None:
    plans = ContextPlanService(profile)
    with pytest.raises(ValidationError, match="not on this laptop"):
        plans.new_for_place("nowhere")
    with pytest.raises(ValidationError, match="not on this laptop"):
        plans.place_pack("nowhere")
