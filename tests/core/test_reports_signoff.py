"""Sign-off: approve (then locked, later changes are amendments) or return with a comment; all queued for sync."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from youthwork.domain.records import Session, YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.security.audit import AuditTrail
from youthwork.services.review import ReviewService
from youthwork.services.sessions import SessionService
from youthwork.store.profile import Profile
from youthwork.sync import device


def submitted(profile: Profile, worker: str = "worker-1") -> Session:
    person = profile.records.save(YoungPerson(first_name="Amara", team_id="team-1"))
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    s = Session(starts_at=start, ends_at=start + timedelta(hours=2), area="Ferrier Estate", workers=[worker])
    sessions = SessionService(profile)
    sessions.save_draft(s, [person.id])
    return sessions.submit(s.id)


def outbox_fields(profile: Profile, record_id: str) -> list[dict]:
    return [e.fields for e in profile.outbox.pending() if e.record_id == record_id]


def test_approve_locks_the_session_and_queues_the_change(profile: Profile) -> None:
    s = submitted(profile)
    profile.set_setting("user_id", "sup-1")
    approved = ReviewService(profile).approve(s.id, "Good write-up.")
    assert approved.status == "approved" and approved.reviewed_by == "sup-1" and approved.reviewed_at
    stored = profile.records.get(Session, s.id)
    assert stored is not None and stored.status == "approved"
    last = outbox_fields(profile, s.id)[-1]
    assert (
        last["status"] == "approved" and last["reviewed_by"] == "sup-1" and last["review_comment"] == "Good write-up."
    )
    # Locked: the ordinary draft edit is refused.
    stored.narrative = "changed quietly"
    with pytest.raises(ValidationError, match="signed off"):
        SessionService(profile).save_draft(stored, [])
    # Newest first: the sign-off, after the worker's save and submission.
    assert [e.reason for e in AuditTrail(profile).search()] == ["signed_off", "session_submitted", "session_saved"]


def test_amending_a_signed_off_session_needs_a_reason_and_goes_back_for_sign_off(profile: Profile) -> None:
    s = submitted(profile)
    profile.set_setting("user_id", "sup-1")
    review = ReviewService(profile)
    review.approve(s.id)
    with pytest.raises(ValidationError, match="why"):
        review.amend(s.id, {"narrative": "Added the score."}, "  ")
    with pytest.raises(ValidationError, match="can't be amended"):
        review.amend(s.id, {"reviewed_by": "someone"}, "because")
    amended = review.amend(s.id, {"narrative": "Added the score."}, "Forgot the football result")
    assert amended.status == "submitted" and amended.id == s.id
    assert amended.review_comment == "Amended after sign-off: Forgot the football result"
    assert profile.records.count(Session) == 1  # still one record
    assert AuditTrail(profile).search()[0].reason == "amended:narrative"
    assert not AuditTrail(profile).verify()


def test_return_needs_a_comment_and_only_submitted_sessions_are_reviewed(profile: Profile) -> None:
    s = submitted(profile)
    review = ReviewService(profile)
    # The worker can't sign off their own session.
    with pytest.raises(ValidationError, match="another supervisor"):
        review.approve(s.id)
    profile.set_setting("user_id", "sup-1")
    with pytest.raises(ValidationError, match="Say what"):
        review.return_to_worker(s.id, "")
    returned = review.return_to_worker(s.id, "Please add who was there.")
    assert returned.status == "returned" and returned.review_comment == "Please add who was there."
    assert outbox_fields(profile, s.id)[-1]["status"] == "returned"
    with pytest.raises(ValidationError, match="still with the worker"):
        review.approve(s.id)
    assert review.waiting() == []
    with pytest.raises(ValidationError, match="can't be found"):
        review.approve("nope")


def test_only_a_supervisor_signs_off_on_an_enrolled_laptop(profile: Profile) -> None:
    s = submitted(profile)
    profile.set_setting("user_id", "sup-1")
    profile.set_setting(device.ROLE, "worker")
    with pytest.raises(ValidationError, match="Only a supervisor"):
        ReviewService(profile).approve(s.id)
    with pytest.raises(ValidationError, match="Only a supervisor"):
        ReviewService(profile).return_to_worker(s.id, "Add the headcount")
    profile.set_setting(device.ROLE, "supervisor")
    assert ReviewService(profile).approve(s.id).status == "approved"
