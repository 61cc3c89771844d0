"""Safety plans on a real encrypted profile: agree, keep every version, diff, refuse bad input, reviews due, forks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from youthwork.domain.protocol import ServerChange
from youthwork.domain.records import YoungPerson
from youthwork.domain.safety_plans import EMERGENCY_CONTACTS, PlanStatus, SafetyPlan, SafetyPlanVersion
from youthwork.domain.validation import ValidationError
from youthwork.services.people import PeopleService
from youthwork.services.plans import PlanService, diff
from youthwork.store.errors import ReadOnlyRecord
from youthwork.sync.apply import apply_page


@pytest.fixture
def person(profile):
    return PeopleService(profile).add(YoungPerson(first_name="Jay", last_name="Okoro", area="Brenchley Gardens"))


@pytest.fixture
def plans(profile):
    return PlanService(profile)


def _filled(plans: PlanService, person_id: str) -> SafetyPlan:
    plan = plans.new_plan(person_id)
    plan.risks_triggers = "Older boys asking him to carry packages out of London"
    plan.warning_signs = "New phone, new trainers, staying out late"
    plan.safe_places = "Youth centre on Peckham Road; walk home by the high street"
    plan.trusted_adults = [{"name": "Aunt Grace", "relationship": "Aunt", "phone": "07700 900123"}]
    plan.actions = [{"action": "Meet weekly at the youth centre", "who": "Sam (youth worker)", "by_when": ""}]
    plan.own_words = "I don't want to get dragged into it."
    plan.review_date = date.today() + timedelta(days=28)
    return plan


def test_new_plan_offers_emergency_numbers(plans, person):
    plan = plans.new_plan(person.id)
    numbers = [c["number"] for c in plan.contacts]
    assert "999" in numbers and "0800 1111" in numbers
    assert plan.contacts == [dict(c) for c in EMERGENCY_CONTACTS]
    assert plan.status == PlanStatus.DRAFT


def test_agree_keeps_a_version_and_a_review_keeps_another(plans, person):
    plan = _filled(plans, person.id)
    plans.save(plan)
    v1 = plans.agree(plan)
    assert v1.number == 1 and v1.status == PlanStatus.AGREED and v1.based_on_version_id == ""
    assert plans.get(plan.id).status == PlanStatus.AGREED

    plan = plans.get(plan.id)
    plan.safe_places = "Youth centre; Aunt Grace's flat"
    plan.review_date = date.today() + timedelta(days=56)
    v2 = plans.agree(plan, "Reviewed with Jay")
    assert v2.number == 2 and v2.status == PlanStatus.REVIEWED and v2.based_on_version_id == v1.id
    kept = plans.versions(plan.id)
    assert [v.id for v in kept] == [v1.id, v2.id]
    # The first agreed version is untouched.
    assert kept[0].safe_places == "Youth centre on Peckham Road; walk home by the high street"
    changes = plans.compare(v1.id, v2.id)
    assert [c.field for c in changes] == ["safe_places", "review_date"]
    assert changes[0].label == "Safe places and routes"
    assert changes[0].after == "Youth centre; Aunt Grace's flat"


def test_versions_are_append_only(profile, plans, person):
    plan = _filled(plans, person.id)
    v1 = plans.agree(plan)
    v1.own_words = "changed later"
    with pytest.raises(ReadOnlyRecord):
        profile.records.save(v1)
    assert plans.versions(plan.id)[0].own_words == "I don't want to get dragged into it."


def test_editing_an_agreed_plan_keeps_it_agreed_and_shows_unagreed_changes(plans, person):
    plan = _filled(plans, person.id)
    plans.agree(plan)
    plan = plans.get(plan.id)
    plan.warning_signs = "Missing school"
    plans.save(plan)
    assert plans.get(plan.id).status == PlanStatus.AGREED
    assert [c.field for c in plans.unagreed_changes(plans.get(plan.id))] == ["warning_signs"]


def test_cannot_agree_without_review_date_or_anyone_to_call(plans, person):
    plan = _filled(plans, person.id)
    plan.review_date = None
    plan.contacts = []
    with pytest.raises(ValidationError) as e:
        plans.agree(plan)
    fields = {p.field: p.message for p in e.value.problems}
    assert fields["review_date"] == "Set a review date before the plan is agreed."
    assert fields["contacts"] == "Add at least one person or service to call, with a number."
    assert plans.versions(plan.id) == []
    # A draft with the same gaps can still be saved, so nothing typed is lost.
    plans.save(plan)
    assert plans.get(plan.id).status == PlanStatus.DRAFT


def test_cannot_agree_with_a_review_date_in_the_past(plans, person):
    plan = _filled(plans, person.id)
    plan.review_date = date.today() - timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        plans.agree(plan)
    assert e.value.problems[0].field == "review_date"


def test_close_needs_a_reason_and_ends_editing(plans, person):
    plan = _filled(plans, person.id)
    plans.agree(plan)
    with pytest.raises(ValidationError) as e:
        plans.close(plan.id, "  ")
    assert e.value.problems[0].field == "closed_reason"
    v = plans.close(plan.id, "Moved out of the borough")
    assert v.status == PlanStatus.CLOSED and v.number == 2
    with pytest.raises(ValidationError):
        plans.save(plans.get(plan.id))


def test_reviews_due_and_overdue(profile, plans, person):
    soon = _filled(plans, person.id)
    soon.review_date = date.today() + timedelta(days=3)
    plans.agree(soon)
    later = _filled(plans, person.id)
    plans.agree(later)  # 28 days away: not due
    draft = _filled(plans, person.id)
    draft.review_date = date.today()
    plans.save(draft)  # drafts are not reviewed
    # An overdue one: agreed in the past (written as a version from another laptop would arrive).
    late = _filled(plans, person.id)
    plans.agree(late)
    stored = plans.get(late.id)
    stored.review_date = date.today() - timedelta(days=2)
    profile.records.save(stored)
    due = plans.reviews_due()
    assert [d.plan.id for d in due] == [late.id, soon.id]
    assert due[0].overdue and due[0].days == -2 and due[0].person_name == "Jay Okoro"
    assert not due[1].overdue and due[1].days == 3


def test_two_versions_from_the_same_start_are_a_conflict(profile, plans, person):
    plan = _filled(plans, person.id)
    v1 = plans.agree(plan)
    mine = plans.agree(plans.get(plan.id), "mine")
    # Another worker agreed a change from v1 offline; their version arrives by sync.
    theirs = SafetyPlanVersion(
        plan_id=plan.id,
        person_id=person.id,
        number=2,
        based_on_version_id=v1.id,
        status="reviewed",
        **{**v1.content(), "own_words": "Different words"},
    )
    with profile.transaction():
        change = ServerChange(
            table=SafetyPlanVersion.TABLE, record_id=theirs.id, op="upsert", fields=_wire(theirs), version=5
        )
        apply_page(profile.db, [change])
    (conflict,) = plans.conflicts(plan.id)
    assert conflict.based_on_version_id == v1.id
    assert {v.id for v in conflict.versions} == {mine.id, theirs.id}
    assert [c.field for c in diff(mine.content(), theirs.content())] == ["own_words"]
    # Agreeing the plan that stands (on top of one of them) settles the fork; every version stays.
    stands = plans.get(plan.id)
    stands.current_version_id = theirs.id
    settled = plans.agree(stands, "Settled with both workers")
    assert settled.based_on_version_id == theirs.id
    assert plans.conflicts(plan.id) == [] and len(plans.versions(plan.id)) == 4


def _wire(record):
    from youthwork.domain.codec import to_dict

    return to_dict(record)


def test_rows_that_are_not_text_are_refused_not_crashed_on():
    from youthwork.domain.validation import problems_with

    for bad in (["999"], [{"number": 999}], "not a list", [None]):
        plan = SafetyPlan(person_id="p", contacts=bad)  # type: ignore[arg-type]
        (problem,) = problems_with(plan)
        assert problem.field == "contacts" and "could not be read" in problem.message
