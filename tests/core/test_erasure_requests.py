"""Erasure requests on the laptop (a real SQLCipher file): the use case counts only this team's records about the
person, erases them as the owner's erasure did (anonymised when the owner anonymised) with a tombstone in this
team's name, closes the request once, and refuses anyone but a supervisor of the request's team."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from youthwork.domain.ids import new_id
from youthwork.domain.privacy import (
    ANONYMISED_NAME,
    AuditAction,
    Erasure,
    ErasureMode,
    ErasureReview,
    KeepReason,
)
from youthwork.domain.records import CaseNote, Record, YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.security.audit import AuditFilter, AuditTrail
from youthwork.services.erasure_reviews import ErasureReviews, count_of
from youthwork.store.profile import Profile
from youthwork.store.settings import ROLE, TEAM_ID, USER_ID

OURS, OWNER = "team-igt", "team-detached"
ON = datetime(2026, 12, 3, 10, tzinfo=UTC)


def _pulled(profile: Profile, *, mode: str = ErasureMode.ERASE.value) -> tuple[str, ErasureReview]:
    """As a sync leaves it: the owner's (anonymised) person record when anonymised, our notes, theirs, a request."""
    profile.set_setting(TEAM_ID.key, OURS)
    profile.set_setting(ROLE.key, "supervisor")
    profile.set_setting(USER_ID.key, "ian")
    pid = new_id()
    records: list[Record] = [
        CaseNote(team_id=OURS, person_id=pid, text="Seen at the station"),
        CaseNote(team_id=OURS, person_id=pid, text="Seen at the hub"),
        CaseNote(team_id=OWNER, person_id=pid, text="The owner's note, shared with us"),
    ]
    if mode == ErasureMode.ANONYMISE:
        records.append(YoungPerson(id=pid, team_id=OWNER, known_as=ANONYMISED_NAME, active=False))
    review = ErasureReview(team_id=OURS, person_id=pid, erasure_id=new_id(), mode=mode, tables=["case_notes"])
    review.created_at = ON
    profile.records.bulk_insert([*records, review])
    return pid, review


def test_it_counts_only_this_teams_records_and_names_no_one(profile: Profile) -> None:
    pid, review = _pulled(profile)
    (item,) = ErasureReviews(profile).waiting()
    assert (item.id, item.review.person_id) == (review.id, pid)
    assert item.held == {"case_notes": 2}
    assert item.summary == (
        "A young person another team has erased (their records went on 3 Dec): your team holds 2 case notes about them."
    )
    assert count_of(1, "referrals") == "1 referral" and count_of(2, "consent_events") == "2 consent history entries"


def test_erasing_ours_after_an_anonymisation_is_this_teams_tombstone_and_closes_the_request(profile: Profile) -> None:
    pid, review = _pulled(profile, mode=ErasureMode.ANONYMISE.value)
    reviews = ErasureReviews(profile)
    assert "has anonymised (on 3 Dec)" in reviews.waiting()[0].summary
    reviews.erase_ours(review.id)
    # The tombstone is this team's, not the owner's (whose anonymised record this laptop still held), and anonymises
    # as the owner did: the service then anonymises only what this team owns.
    (erasure,) = profile.records.select(Erasure)
    assert (erasure.team_id, erasure.mode, erasure.reason) == (OURS, "anonymise", "owner_erased")
    assert profile.records.count(CaseNote, "person_id = ? AND team_id = ?", (pid, OURS)) == 0
    done = profile.records.get(ErasureReview, review.id)
    assert done is not None
    assert (done.status, done.decision, done.reviewed_by) == ("done", "erased", "ian")
    pending = {(e.table, e.record_id): e for e in profile.outbox.pending(1000)}
    assert set(pending[("erasure_reviews", review.id)].fields) >= {"status", "decision", "reviewed_by", "reviewed_at"}
    assert "tables" not in pending[("erasure_reviews", review.id)].fields
    entries = AuditTrail(profile).search(AuditFilter(action=AuditAction.ERASURE_REVIEWED))
    assert [(e.record_id, e.reason) for e in entries] == [(review.id, "erased")]
    assert reviews.waiting() == []
    with pytest.raises(ValidationError, match="already been decided"):
        reviews.keep_ours(review.id, KeepReason.LEGAL)


def test_keeping_needs_a_reason_from_the_list(profile: Profile) -> None:
    pid, review = _pulled(profile)
    reviews = ErasureReviews(profile)
    for bad in ("", "He is my cousin"):
        with pytest.raises(ValidationError, match="reason"):
            reviews.keep_ours(review.id, bad)
    reviews.keep_ours(review.id, KeepReason.STATUTORY)
    done = profile.records.get(ErasureReview, review.id)
    assert done is not None and (done.decision, done.keep_reason) == ("kept", "statutory")
    assert profile.records.count(CaseNote, "person_id = ?", (pid,)) == 3
    assert profile.records.select(Erasure) == []


def test_only_a_supervisor_of_the_requests_team_decides(profile: Profile) -> None:
    _pid, review = _pulled(profile)
    profile.set_setting(ROLE.key, "worker")
    reviews = ErasureReviews(profile)
    assert reviews.waiting() == [] and reviews.open_count() == 0
    with pytest.raises(ValidationError, match="supervisor"):
        reviews.keep_ours(review.id, KeepReason.LEGAL)
    with pytest.raises(ValidationError, match="supervisor"):
        reviews.erase_ours(review.id)
    profile.set_setting(ROLE.key, "supervisor")
    profile.set_setting(TEAM_ID.key, "team-someone-else")
    with pytest.raises(ValidationError, match="isn't one for your team"):
        reviews.erase_ours(review.id)
    assert profile.records.select(Erasure) == []
