"""Lawful basis and consent: history kept, withdrawal marks the record, blocks new sharing and tells the supervisor."""

from __future__ import annotations

from datetime import date

import pytest

from youthwork.domain.privacy import ConsentEvent
from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral, ShareRecord
from youthwork.domain.validation import ValidationError
from youthwork.domain.vocab import ConsentGivenBy, LawfulBasis
from youthwork.privacy.consent import ConsentService, sharing_problem
from youthwork.security.audit import AuditFilter, AuditTrail
from youthwork.services.referrals import ReferralService
from youthwork.store.errors import ReadOnlyRecord
from youthwork.store.profile import Profile


def _person(profile: Profile) -> YoungPerson:
    return profile.records.save(YoungPerson(team_id="team-1", first_name="Amara", last_name="Okafor", area="Elthorne"))


def _consent(profile: Profile, person: YoungPerson) -> ConsentService:
    consent = ConsentService(profile)
    consent.record(
        person.id,
        LawfulBasis.CONSENT,
        given_by=ConsentGivenBy.YOUNG_PERSON,
        competence_note="Understands what is shared and why (Gillick competent).",
        consent_date=date(2026, 9, 1),
        review_date=date(2027, 3, 1),
    )
    return consent


def _referral(person: YoungPerson) -> Referral:
    return Referral(
        person_id=person.id,
        to_agency="tys",
        reason="Wants help with college",
        lawful_basis=LawfulBasis.CONSENT.value,
        consent_given_by=ConsentGivenBy.YOUNG_PERSON.value,
    )


def test_consent_recorded_on_the_record_and_in_history(profile: Profile) -> None:
    person = _person(profile)
    consent = _consent(profile, person)
    saved = profile.records.get(YoungPerson, person.id)
    assert saved is not None
    assert (saved.lawful_basis, saved.consent_given_by) == ("consent", "young_person")
    assert saved.consent_date == date(2026, 9, 1) and saved.consent_review_date == date(2027, 3, 1)
    assert "Gillick" in saved.competence_note
    history = consent.history(person.id)
    assert [e.kind for e in history] == ["recorded"]
    with pytest.raises(ReadOnlyRecord):
        history[0].competence_note = "rewritten"
        profile.records.save(history[0])


def test_consent_needs_who_and_when(profile: Profile) -> None:
    person = _person(profile)
    with pytest.raises(ValidationError) as e:
        ConsentService(profile).record(person.id, LawfulBasis.CONSENT)
    assert "who gave consent" in str(e.value)
    assert "date consent was given" in str(e.value)


def test_withdrawn_consent_blocks_a_referral(profile: Profile) -> None:
    person = _person(profile)
    consent = _consent(profile, person)
    referrals = ReferralService(profile)
    referrals.send(_referral(person))  # allowed while consent stands
    assert AuditTrail(profile).count(AuditFilter(action="shared", record_id=person.id)) == 1
    consent.withdraw(person.id, on=date(2026, 10, 1))

    marked = profile.records.get(YoungPerson, person.id)
    assert marked is not None and marked.consent_withdrawn_on == date(2026, 10, 1)
    shares_before = profile.records.count(ShareRecord)
    referrals_before = profile.records.count(Referral)
    with pytest.raises(ValidationError) as e:
        referrals.send(_referral(person))
    assert "withdrawn on 01/10/2026" in str(e.value)
    with pytest.raises(ValidationError):
        referrals.save_draft(_referral(person))
    assert profile.records.count(ShareRecord) == shares_before
    assert profile.records.count(Referral) == referrals_before
    assert "withdrawn" in (sharing_problem(marked) or "")
    with pytest.raises(ValidationError):
        consent.check_may_share(person.id)
    # A safeguarding duty is not consent: the supervisor records it and sharing may go ahead, the mark stays.
    assert sharing_problem(marked, LawfulBasis.LEGAL_OBLIGATION) is None
    consent.record(person.id, LawfulBasis.LEGAL_OBLIGATION)
    after = profile.records.get(YoungPerson, person.id)
    assert after is not None and after.consent_withdrawn_on == date(2026, 10, 1)
    assert [e.kind for e in consent.history(person.id)] == ["recorded", "withdrawn", "recorded"]


def test_supervisor_is_told_of_a_withdrawal(profile: Profile) -> None:
    person = _person(profile)
    consent = _consent(profile, person)
    assert consent.withdrawals_to_review() == []
    event = consent.withdraw(person.id, on=date(2026, 10, 2))
    waiting = consent.withdrawals_to_review()
    assert [(w.person_name, w.withdrawn_on) for w in waiting] == [("Amara Okafor", date(2026, 10, 2))]
    consent.acknowledge(event.id)
    assert consent.withdrawals_to_review() == []
    audit = AuditTrail(profile)
    assert audit.count(AuditFilter(action="consent_withdrawn", record_id=person.id)) == 1
    assert audit.verify() == []


def test_withdrawal_needs_consent_and_a_sensible_date(profile: Profile) -> None:
    person = _person(profile)
    consent = ConsentService(profile)
    with pytest.raises(ValidationError) as e:
        consent.withdraw(person.id)
    assert "isn't held on consent" in str(e.value)
    _consent(profile, person)
    with pytest.raises(ValidationError) as e:
        consent.withdraw(person.id, on=date(2026, 8, 1))
    assert "before it was given" in str(e.value)


def test_reviews_due(profile: Profile) -> None:
    person = _person(profile)
    consent = _consent(profile, person)
    assert consent.reviews_due(date(2027, 2, 28)) == []
    assert [p.id for p in consent.reviews_due(date(2027, 3, 1))] == [person.id]
    consent.reviewed(person.id, date(2027, 9, 1))
    assert consent.reviews_due(date(2027, 3, 1)) == []
    assert profile.records.count(ConsentEvent) == 2
