"""Referrals on a real encrypted profile: send with a recorded share, refusals, inbox steps, overdue, NFA counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from youthwork.domain.codec import to_dict
from youthwork.domain.protocol import ServerChange
from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral, ReferralAction, ReferralStatus
from youthwork.domain.validation import ValidationError
from youthwork.services.nfa import NfaService
from youthwork.services.people import PeopleService
from youthwork.services.referrals import ReferralService
from youthwork.sync.apply import apply_page


@pytest.fixture
def person(profile):
    return PeopleService(profile).add(YoungPerson(first_name="Jay", last_name="Okoro", area="Brenchley Gardens"))


@pytest.fixture
def referrals(profile):
    svc = ReferralService(profile)
    svc.set_agency_team("igt", "team-igt")
    return svc


def _referral(person_id: str, **kw) -> Referral:
    base = dict(
        person_id=person_id,
        to_agency="igt",
        reason="Older boys asking him to carry packages out of London",
        risk_indicators=["cce"],
        urgency="urgent",
        lawful_basis="consent",
        consent_given_by="young_person",
        shared_fields=["date_of_birth", "school"],
    )
    base.update(kw)
    return Referral(**base)


def test_agencies_tys_and_igt_first_and_configurable(referrals):
    assert [c for c, _ in referrals.agencies()[:2]] == ["tys", "igt"]
    referrals.set_agencies([("igt", "IGT (Peckham hub)"), ("camhs", "CAMHS")])
    assert referrals.agencies() == [("igt", "IGT (Peckham hub)"), ("camhs", "CAMHS")]
    with pytest.raises(ValidationError):
        referrals.set_agencies([("nowhere", "Nowhere")])


def test_send_records_what_was_shared_and_waits_for_sync(profile, referrals, person):
    sent = referrals.send(_referral(person.id))
    assert sent.status == ReferralStatus.SENT and sent.to_team_id == "team-igt" and sent.sent_by == "worker-1"
    (share,) = referrals.shares(person.id)
    assert share.referral_id == sent.id and share.with_agency == "igt" and share.with_team_id == "team-igt"
    assert share.lawful_basis == "consent" and share.consent_given_by == "young_person"
    assert "date_of_birth" in share.shared_fields and "school" in share.shared_fields
    assert "address" not in share.shared_fields
    view = referrals.get(sent.id)
    assert view.waiting_to_sync and view.status == ReferralStatus.SENT
    assert view.agency_label == "Integrated Gangs Team (IGT)"


def test_no_consent_or_lawful_basis_refused_with_reason(referrals, person):
    draft = referrals.save_draft(_referral(person.id, lawful_basis=None, consent_given_by=None))
    with pytest.raises(ValidationError) as e:
        referrals.send(draft)
    (problem,) = e.value.problems
    assert problem.field == "lawful_basis" and "without consent or another lawful basis" in problem.message
    assert referrals.get(draft.id).status == ReferralStatus.DRAFT
    assert referrals.shares(person.id) == []
    with pytest.raises(ValidationError) as e:
        referrals.send(_referral(person.id, consent_given_by=None))
    assert e.value.problems[0].field == "consent_given_by"
    # Another lawful basis needs no consent.
    assert referrals.send(_referral(person.id, lawful_basis="public_task", consent_given_by=None)).status == "sent"


def test_consent_withdrawn_blocks_a_new_referral(profile, referrals, person):
    person.lawful_basis = "consent"
    person.consent_withdrawn_on = date.today()
    PeopleService(profile).update(person)
    with pytest.raises(ValidationError) as e:
        referrals.send(_referral(person.id))
    assert "Consent was withdrawn on" in e.value.problems[0].message
    with pytest.raises(ValidationError):
        referrals.send(_referral(person.id, lawful_basis="public_task", consent_given_by=None))
    # A risk to life still allows it.
    sent = referrals.send(_referral(person.id, lawful_basis="vital_interests", consent_given_by=None))
    assert sent.status == ReferralStatus.SENT


def _receive(profile, referral: Referral) -> None:
    """The referral as the receiving team's laptop gets it from sync."""
    change = ServerChange(table=Referral.TABLE, record_id=referral.id, op="upsert", fields=to_dict(referral), version=1)
    with profile.transaction():
        apply_page(profile.db, [change])


def test_receiving_team_lifecycle(profile, referrals, person):
    sent = referrals.send(_referral(person.id))
    profile.set_setting("team_id", "team-igt")
    profile.set_setting("user_id", "igt-1")
    (item,) = referrals.inbox()
    assert item.referral.id == sent.id and item.status == ReferralStatus.SENT

    referrals.step(sent.id, ReferralAction.ACKNOWLEDGE)
    assert referrals.get(sent.id).status == ReferralStatus.ACKNOWLEDGED
    with pytest.raises(ValidationError) as e:
        referrals.step(sent.id, ReferralAction.DECLINE, reason="  ")
    assert e.value.problems[0].message == "Give a reason for declining the referral."
    referrals.step(sent.id, ReferralAction.ACCEPT)
    with pytest.raises(ValidationError):
        referrals.step(sent.id, ReferralAction.ALLOCATE)  # no worker named
    referrals.step(sent.id, ReferralAction.ALLOCATE, allocated_to="igt-2")
    with pytest.raises(ValidationError) as e:
        referrals.step(sent.id, ReferralAction.CLOSE)
    assert e.value.problems[0].field == "outcome"
    referrals.step(sent.id, ReferralAction.CLOSE, outcome="Engaged with the IGT mentor; safety plan in place")
    view = referrals.get(sent.id)
    assert view.status == ReferralStatus.CLOSED
    assert [e.action for e in view.events] == ["acknowledge", "accept", "allocate", "close"]
    with pytest.raises(ValidationError):
        referrals.step(sent.id, ReferralAction.ACCEPT)


def test_decline_with_reason(profile, referrals, person):
    sent = referrals.send(_referral(person.id))
    profile.set_setting("team_id", "team-igt")
    referrals.step(sent.id, "decline", reason="Not gang-related: referred on to Early Help")
    assert referrals.get(sent.id).status == ReferralStatus.DECLINED


def test_referrer_cannot_answer_their_own_referral(referrals, person):
    sent = referrals.send(_referral(person.id))
    with pytest.raises(ValidationError) as e:
        referrals.step(sent.id, ReferralAction.ACCEPT)
    assert "Only the receiving team" in e.value.problems[0].message
    referrals.step(sent.id, ReferralAction.NOTE, note="Mum now aware")


def test_overdue_is_one_rule_by_urgency_for_the_app_and_the_report(profile, referrals, person):
    from youthwork.domain.figures import ReferralRow

    friday = datetime(2026, 11, 20, 10, tzinfo=UTC)
    hour = timedelta(hours=1)
    for urgency, allowed in (("immediate", timedelta(days=1)), ("urgent", timedelta(days=2)),
                             ("routine", timedelta(days=10))):  # fmt: skip
        sent = referrals.send(_referral(person.id, urgency=urgency))
        sent.sent_at = friday
        profile.records.save(sent)
        row = ReferralRow.from_wire({"id": sent.id, "status": "sent", "urgency": urgency, "sent_at": friday})
        for as_of, late in ((friday + allowed - hour, False), (friday + allowed + hour, True)):
            assert referrals._is_overdue(sent, [], as_of) is late, (urgency, as_of)
            assert row.overdue(as_of) is late  # the weekly report's figure, on the same rule
    profile.set_setting("team_id", "team-igt")
    ack = referrals.step(sent.id, ReferralAction.ACKNOWLEDGE)
    assert not referrals._is_overdue(sent, [ack], friday + timedelta(days=60))


def test_nfa_count_and_joint_visit_prompt_on_the_third(profile, person):
    nfa = NfaService(profile)
    with pytest.raises(ValidationError) as e:
        nfa.record(person.id, None, "")
    assert {p.field for p in e.value.problems} == {"notified_on", "offence_category"}
    first = nfa.record(person.id, date.today() - timedelta(days=40), "robbery", "PC Smith")
    second = nfa.record(person.id, date.today() - timedelta(days=10), "weapon")
    third = nfa.record(person.id, date.today(), "drugs")
    assert (first.count, second.count, third.count) == (1, 2, 3)
    assert (first.joint_visit_due, second.joint_visit_due, third.joint_visit_due) == (False, False, True)
    assert not nfa.record(person.id, date.today(), "other").joint_visit_due  # prompted once, at the third
    people = PeopleService(profile)
    assert people.get(person.id).nfa_count == 4
    assert people.page(None, 0, 10)[0].nfa_count == 4
    assert len(nfa.for_person(person.id)) == 4


def test_nfa_offence_category_is_criminal_offence_data():
    from youthwork.domain.nfa import NfaNotification
    from youthwork.domain.vocab import Sensitivity

    assert NfaNotification.sensitivity_of("offence_category") == Sensitivity.CRIMINAL


def test_partner_staff_refer_without_offence_details(profile, referrals, person):
    profile.set_setting("sync.role", "partner")
    assert "risk_indicators" not in {f for f, _ in referrals.shareable_fields()}
    with pytest.raises(ValidationError) as e:
        referrals.send(_referral(person.id, shared_fields=["ethnicity"]))
    assert {p.field for p in e.value.problems} == {"risk_indicators", "shared_fields"}
    assert "describe what you saw" in e.value.problems[0].message
    sent = referrals.send(_referral(person.id, risk_indicators=[], shared_fields=["date_of_birth"]))
    assert sent.status == ReferralStatus.SENT
