"""Transitions at 18: who turns 18 in the next six months and is red or amber or open to TYS (TYS works with
10–21s; the 18–24 transitions service sits in the IGT), and the planned handover to it, a referral of kind
"transition" with its own steps, so there is no cliff edge at 18."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import (
    SHARING_STATUSES,
    TRANSITION_AGENCY,
    Referral,
    ReferralKind,
    ReferralStatus,
    transition_steps,
)
from youthwork.domain.vocab import Rag
from youthwork.services.referrals import ReferralService, ReferralView
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

ADULT_AT = 18
WINDOW_MONTHS = 6


def birthday(dob: date, age: int) -> date:
    """The day they turn `age` (29 February birthdays fall on 1 March in other years)."""
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:
        return date(dob.year + age, 3, 1)


def months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class TransitionRow:
    person: YoungPerson
    turns_18_on: date
    why: tuple[str, ...]  # "Red", "Amber", "Open to TYS"
    handover: ReferralView | None  # the planned handover, if there is one
    steps: tuple[tuple[str, bool], ...]  # the handover's steps, done or not (empty: no handover planned yet)

    @property
    def planned(self) -> bool:
        return self.handover is not None and self.handover.status not in (
            ReferralStatus.DECLINED,
            ReferralStatus.DRAFT,
        )


class TransitionService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records
        self._referrals = ReferralService(profile)

    def due(self, today: date | None = None) -> list[TransitionRow]:
        """Young people turning 18 within six months of `today` who are red or amber, or open to TYS; soonest first."""
        today = today or date.today()
        until = months_after(today, WINDOW_MONTHS)
        # Born between 18 years before today and 18 years before `until`: a range on the ISO date, then the exact rule.
        lo, hi = birthday(today, -ADULT_AT).isoformat(), birthday(until, -ADULT_AT).isoformat()
        # Only those red or amber or with a referral to TYS are read whole (at 100,000 young people, 2,946 turn 18
        # in the window and 613 are due: reading every one and its referrals was a third of a second of Today);
        # the rule below still decides.
        people = self._repo.select(
            YoungPerson,
            "date_of_birth IS NOT NULL AND date_of_birth >= ? AND date_of_birth <= ? AND (rag IN (?, ?) OR EXISTS"
            " (SELECT 1 FROM referrals r WHERE r.person_id = people.id AND r.to_agency = 'tys'))",
            (lo, hi, Rag.RED.value, Rag.AMBER.value),
        )
        out = []
        for p in people:
            assert p.date_of_birth is not None
            turns = birthday(p.date_of_birth, ADULT_AT)
            if not today < turns <= until:
                continue
            referrals = self._referrals.for_person(p.id)
            why = [str(p.rag).capitalize()] if p.rag in (Rag.RED, Rag.AMBER) else []
            if any(v.referral.to_agency == "tys" and v.status in SHARING_STATUSES for v in referrals):
                why.append("Open to TYS")
            if not why:
                continue
            handovers = [v for v in referrals if v.referral.kind == ReferralKind.TRANSITION]
            handover = handovers[0] if handovers else None  # the newest
            steps = tuple(transition_steps(handover.status, list(handover.events))) if handover else ()
            out.append(TransitionRow(p, turns, tuple(why), handover, steps))
        return sorted(out, key=lambda r: (r.turns_18_on, r.person.id))

    def plan_handover(
        self,
        person_id: str,
        handover_on: date | None,
        reason: str,
        lawful_basis: str | None,
        *,
        consent_given_by: str | None = None,
        shared_fields: Sequence[str] = (),
    ) -> Referral:
        """Send the planned handover to the transitions service in the IGT (recorded as a share, like any referral)."""
        referral = Referral(
            person_id=person_id,
            to_agency=TRANSITION_AGENCY,
            kind=ReferralKind.TRANSITION.value,
            handover_on=handover_on,
            reason=reason,
            lawful_basis=lawful_basis,
            consent_given_by=consent_given_by,
            shared_fields=list(shared_fields),
        )
        sent = self._referrals.send(referral)
        log.info("transition handover planned")
        return sent
