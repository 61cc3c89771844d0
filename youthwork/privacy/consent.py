"""Lawful basis and consent per young person, with an append-only history, and withdrawal that stops new sharing.

    consent = ConsentService(profile)
    consent.record(person_id, LawfulBasis.CONSENT, given_by=ConsentGivenBy.YOUNG_PERSON, consent_date=..., ...)
    consent.withdraw(person_id, on=date.today())
    consent.sharing_problem(person)     # None, or the reason a new share must not go ahead

The current basis lives on the YoungPerson (so it syncs and reports read it); every step is also a ConsentEvent that
is never changed. A withdrawal waits in the supervisor's list until they acknowledge it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from youthwork.domain.privacy import AuditAction, ConsentAcknowledgement, ConsentEvent, ConsentEventKind
from youthwork.domain.records import YoungPerson, utc_now
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.domain.vocab import LawfulBasis
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

# A safeguarding duty (or a risk to life) is not consent, so it survives a withdrawal of consent.
BASES_THAT_SURVIVE_WITHDRAWAL = frozenset({LawfulBasis.LEGAL_OBLIGATION, LawfulBasis.VITAL_INTERESTS})


def sharing_problem(person: YoungPerson, basis: str | None = None) -> str | None:
    """Why a new share (referral, ShareRecord) of this young person must not go ahead, or None.

    `basis` is the lawful basis the share itself relies on (the person's own basis when not given).
    """
    basis = basis or person.lawful_basis
    if person.consent_withdrawn_on is not None and basis not in BASES_THAT_SURVIVE_WITHDRAWAL:
        return (
            f"Consent was withdrawn on {person.consent_withdrawn_on:%d/%m/%Y}, so this young person's information "
            "can't be shared. Only a safeguarding duty (legal obligation) or a risk to life (vital interests) "
            "allows it now: talk to your supervisor."
        )
    if basis == LawfulBasis.CONSENT and not person.consent_given_by:
        return "Consent hasn't been recorded for this young person, so their information can't be shared on consent."
    return None


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A withdrawal of consent waiting for a supervisor."""

    event_id: str
    person_id: str
    person_name: str
    withdrawn_on: date


# What the worker tells a young person when asking for consent (the privacy notice: "We will make this clear when we
# ask for consent and explain how consent can be withdrawn"). Shown on the consent panel, to read out or show them.
CONSENT_EXPLANATION = (
    "What to tell them before they agree: we keep a record of the times we meet, what you tell us and how you are "
    "doing, on encrypted laptops and our service. Only the youth workers who work with you can read it. We share it "
    "with another service (a school, social care, the police, health) only to keep you or someone else safe, or when "
    "you agree to a referral, and we write down each time we do. You can say no, and you can change your mind at any "
    "time: tell any of us, and from then on we share nothing on your say-so. You can ask to see what we hold about "
    "you, or ask us to correct or delete it."
)


class ConsentService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records
        self._audit = AuditTrail(profile)

    def _person(self, person_id: str) -> YoungPerson:
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        return person

    def record(
        self,
        person_id: str,
        basis: LawfulBasis | str,
        *,
        given_by: str | None = None,
        competence_note: str = "",
        consent_date: date | None = None,
        review_date: date | None = None,
    ) -> ConsentEvent:
        """Set the lawful basis (and, for consent, who gave it, when, competence, review date)."""
        person = self._person(person_id)
        is_consent = basis == LawfulBasis.CONSENT
        event = self._event(
            person,
            ConsentEventKind.RECORDED,
            lawful_basis=str(basis),
            consent_given_by=given_by if is_consent else None,
            competence_note=competence_note.strip() if is_consent else "",
            consent_date=consent_date if is_consent else None,
            consent_review_date=review_date if is_consent else None,
        )
        check(event)
        person.lawful_basis = event.lawful_basis
        person.consent_given_by = event.consent_given_by
        person.consent_date = event.consent_date
        person.consent_review_date = event.consent_review_date
        person.competence_note = event.competence_note
        if is_consent:
            person.consent_withdrawn_on = None  # fresh consent replaces a withdrawal; another basis keeps the mark
        return self._save(person, event, AuditAction.CONSENT)

    def withdraw(self, person_id: str, on: date | None = None) -> ConsentEvent:
        person = self._person(person_id)
        if person.lawful_basis != LawfulBasis.CONSENT or person.consent_withdrawn_on is not None:
            raise ValidationError(
                [Problem("lawful_basis", "This record isn't held on consent, so there is no consent to withdraw.")]
            )
        on = on or date.today()
        if person.consent_date and on < person.consent_date:
            raise ValidationError([Problem("withdrawn_on", "Consent can't be withdrawn before it was given.")])
        event = self._event(
            person,
            ConsentEventKind.WITHDRAWN,
            lawful_basis=person.lawful_basis,
            consent_given_by=person.consent_given_by,
            withdrawn_on=on,
        )
        check(event)
        person.consent_withdrawn_on = on
        self._save(person, event, AuditAction.CONSENT_WITHDRAWN)
        log.info("consent withdrawal recorded")
        return event

    def reviewed(self, person_id: str, next_review: date) -> ConsentEvent:
        person = self._person(person_id)
        event = self._event(
            person,
            ConsentEventKind.REVIEWED,
            lawful_basis=person.lawful_basis,
            consent_given_by=person.consent_given_by,
            consent_date=person.consent_date,
            consent_review_date=next_review,
        )
        check(event)
        person.consent_review_date = next_review
        return self._save(person, event, AuditAction.CONSENT)

    def _event(self, person: YoungPerson, kind: ConsentEventKind, **fields: Any) -> ConsentEvent:
        return ConsentEvent(
            team_id=person.team_id or self._profile.team_id,
            created_by=self._profile.user_id,
            person_id=person.id,
            kind=kind.value,
            recorded_by=self._profile.user_id,
            **fields,
        )

    def _save(self, person: YoungPerson, event: ConsentEvent, action: AuditAction) -> ConsentEvent:
        """The person's current consent, its history entry and the audit line: together or not at all."""
        with self._profile.transaction():
            self._repo.save(person)
            self._repo.save(event)
            self._audit.record(action, ConsentEvent.TABLE, event.id, person_id=person.id)
        return event

    def history(self, person_id: str) -> list[ConsentEvent]:
        return self._repo.select(ConsentEvent, "person_id = ?", (person_id,), order="at, id")

    def sharing_problem(self, person_id: str, basis: str | None = None) -> str | None:
        return sharing_problem(self._person(person_id), basis)

    def check_may_share(self, person_id: str, basis: str | None = None) -> None:
        """Raise a ValidationError with a plain message when this share must not go ahead."""
        if problem := self.sharing_problem(person_id, basis):
            raise ValidationError([Problem("lawful_basis", problem)])

    # ---- the supervisor's side ----------------------------------------------------------------------------------

    def withdrawals_to_review(self) -> list[Withdrawal]:
        """Withdrawals no supervisor has acknowledged yet (the supervisor's Today/review list)."""
        rows = self._profile.db.query(
            "SELECT e.id, e.person_id, e.withdrawn_on, p.first_name, p.last_name, p.known_as"
            " FROM consent_events e LEFT JOIN people p ON p.id = e.person_id"
            " WHERE e.kind = 'withdrawn' AND NOT EXISTS (SELECT 1 FROM consent_acks a WHERE a.consent_event_id = e.id)"
            " ORDER BY e.withdrawn_on, e.id"
        )
        out = []
        for r in rows:
            full = " ".join(x for x in (r["first_name"], r["last_name"]) if x)
            name = full or r["known_as"] or "(not on this laptop)"
            out.append(Withdrawal(r["id"], r["person_id"], name, date.fromisoformat(r["withdrawn_on"])))
        return out

    def acknowledge(self, event_id: str) -> ConsentAcknowledgement:
        event = self._repo.get(ConsentEvent, event_id)
        if event is None:
            raise ValidationError([Problem("consent_event_id", "That withdrawal is not on this laptop.")])
        ack = ConsentAcknowledgement(
            team_id=event.team_id or self._profile.team_id,
            created_by=self._profile.user_id,
            consent_event_id=event.id,
            person_id=event.person_id,
            by_user_id=self._profile.user_id,
            at=utc_now(),
        )
        return self._repo.save(ack)

    def reviews_due(self, today: date | None = None) -> list[YoungPerson]:
        """Young people whose consent is due for review (and not withdrawn)."""
        today = today or date.today()
        return self._repo.select(
            YoungPerson,
            "lawful_basis = 'consent' AND consent_withdrawn_on IS NULL AND consent_review_date IS NOT NULL"
            " AND consent_review_date <= ?",
            (today.isoformat(),),
            order="consent_review_date",
        )
