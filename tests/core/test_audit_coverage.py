"""What the services put in the audit trail: notes, safety plans, sessions, printing and viewing a profile.

Each entry holds ids and a code only: never a name, a note's text or a reason the worker typed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from youthwork.domain.codec import to_dict
from youthwork.domain.privacy import AuditEntry
from youthwork.domain.records import Session, YoungPerson
from youthwork.security.audit import AuditTrail
from youthwork.services.notes import NoteService
from youthwork.services.people import PeopleService
from youthwork.services.plans import PlanService
from youthwork.services.sessions import SessionService
from youthwork.store.profile import Profile

SECRET_WORDS = ("Jayden", "Okoro", "stabbing", "Moved to Leeds", "Brandon Estate", "packages")


@pytest.fixture
def person(profile: Profile) -> YoungPerson:
    return PeopleService(profile).add(YoungPerson(first_name="Jayden", last_name="Okoro", area="Brandon Estate"))


def _new_entries(profile: Profile, before: int) -> list[AuditEntry]:
    return sorted(AuditTrail(profile).search(), key=lambda e: e.seq)[before:]


def _count(profile: Profile) -> int:
    return AuditTrail(profile).count()


def _no_personal_text(entries: list[AuditEntry]) -> None:
    for e in entries:
        text = repr(to_dict(e))
        assert not [w for w in SECRET_WORDS if w in text], text


def test_case_note_added_and_amended_are_audited(profile, person):
    notes = NoteService(profile)
    before = _count(profile)
    note = notes.add(person.id, "Jayden talked about the stabbing near Brandon Estate.")
    (added,) = _new_entries(profile, before)
    assert (added.action, added.table_name, added.record_id) == ("changed", "case_notes", note.id)
    assert (added.person_id, added.reason, added.user_id) == (person.id, "note_added", "worker-1")

    correction = notes.amend(note.id, "Jayden talked about a stabbing he heard of, not one he saw.")
    (amended,) = _new_entries(profile, before + 1)
    assert (amended.record_id, amended.person_id, amended.reason) == (correction.id, person.id, "note_amended")
    _no_personal_text([added, amended])
    assert AuditTrail(profile).verify() == []


def test_safety_plan_saved_agreed_reviewed_closed_and_printed_are_audited(profile, person):
    plans = PlanService(profile)
    before = _count(profile)
    plan = plans.new_plan(person.id)
    plan.risks_triggers = "Older boys asking Jayden to carry packages"
    plan.review_date = date.today() + timedelta(days=14)
    plans.save(plan)
    plans.agree(plan, "Agreed with Jayden")
    plans.agree(plan, "Reviewed after the weekend")
    plans.record_printed(plan)
    plans.close(plan.id, "Moved to Leeds with his mum")
    entries = _new_entries(profile, before)
    assert [(e.action, e.reason) for e in entries] == [
        ("changed", "plan_saved"),
        ("changed", "plan_agreed"),
        ("changed", "plan_reviewed"),
        ("printed", "plan_printed"),
        ("changed", "plan_closed"),
    ]
    assert {(e.table_name, e.record_id, e.person_id) for e in entries} == {("safety_plans", plan.id, person.id)}
    _no_personal_text(entries)  # the closing reason the worker typed is not copied into the trail


def test_session_saved_and_submitted_are_audited(profile, person):
    sessions = SessionService(profile)
    before = _count(profile)
    start = datetime.now(UTC) - timedelta(days=1)
    session = Session(
        starts_at=start, ends_at=start + timedelta(hours=2), area="Brandon Estate", narrative="Talked about packages."
    )
    sessions.save_draft(session, [person.id])
    sessions.submit(session.id)
    sessions.submit(session.id)  # already submitted: nothing new happened, nothing new recorded
    entries = _new_entries(profile, before)
    assert [(e.action, e.table_name, e.record_id, e.reason) for e in entries] == [
        ("changed", "sessions", session.id, "session_saved"),
        ("changed", "sessions", session.id, "session_submitted"),
    ]
    _no_personal_text(entries)


def test_viewing_a_profile_is_one_entry(profile, person):
    before = _count(profile)
    PeopleService(profile).record_viewed(person.id)
    (viewed,) = _new_entries(profile, before)
    assert (viewed.action, viewed.table_name, viewed.record_id, viewed.person_id) == (
        "viewed",
        "people",
        person.id,
        person.id,
    )
    # The supervisor's search by young person finds every entry about them, viewed included.
    assert viewed in AuditTrail(profile).about_person(person.id)


def test_a_refused_save_leaves_no_audit_entry(profile, person):
    from youthwork.domain.validation import ValidationError

    before = _count(profile)
    with pytest.raises(ValidationError):
        NoteService(profile).add(person.id, "   ")  # an empty note is refused
    with pytest.raises(ValidationError):
        SessionService(profile).save_draft(Session(area="Brandon Estate"), ["not-a-person"])
    assert _count(profile) == before
