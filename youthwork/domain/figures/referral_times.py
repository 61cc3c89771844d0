"""The board's referral timings, as pure functions over plain rows (issue 19, item 3):

- **First mental-health appointment within 4 weeks** (the Youth Safety Strategy's measure, for the young people
  youthwork refers): young people referred to a mental-health service (CAMHS) whose first appointment, recorded by
  the referrer or the receiving team, falls in the period and came no more than 28 days after the referral was sent.
  Those seen later, and those still waiting more than 28 days at the end of the period (sent, no appointment, not
  declined, passed on or closed), are counted beside it. A young person counts once per figure.
- **"No wrong referral"**: the median number of days from a referral being sent to its first decision (accepted,
  declined or passed on to the right service), over the referrals first decided in the period; and how many were
  passed on rather than turned away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from youthwork.domain.figures.model import NOT_RECORDED, Figure
from youthwork.domain.referrals import MENTAL_HEALTH_AGENCIES, ReferralAction, ReferralStatus
from youthwork.domain.weeks import LONDON, Period

WITHIN_DAYS = 28
ENDED = frozenset({ReferralStatus.DECLINED, ReferralStatus.REDIRECTED, ReferralStatus.CLOSED})


@dataclass(frozen=True, slots=True)
class ReferralTiming:
    """One sent referral as the timings need it: when it was sent, its first decision and first appointment."""

    id: str
    team_id: str
    person_id: str
    to_agency: str
    status: str
    sent_at: datetime
    decided_at: datetime | None = None
    decision: str = ""
    first_appointment_on: date | None = None

    @property
    def sent_on(self) -> date:
        """The UK day it was sent."""
        return self.sent_at.astimezone(LONDON).date()


def first_appointment_figures(
    rows: Iterable[ReferralTiming], period: Period, mental_health: frozenset[str] = MENTAL_HEALTH_AGENCIES
) -> list[Figure]:
    """`mental_health`: the agency codes that are mental-health services (CAMHS, and a team's own of that kind)."""
    mh = [r for r in rows if r.to_agency in mental_health]
    if not mh:
        why = f"{NOT_RECORDED}: no referrals to a mental-health service recorded"
        return [
            Figure("mh_first_appointment", "First mental-health appointment within 4 weeks", None, (), "", note=why)
        ]
    within: set[str] = set()
    later: set[str] = set()
    waiting: set[str] = set()
    for r in mh:
        appt = r.first_appointment_on
        if appt is not None and period.first <= appt <= period.last:
            (within if (appt - r.sent_on).days <= WITHIN_DAYS else later).add(r.person_id)
        elif appt is None and r.status not in ENDED and (period.last - r.sent_on).days > WITHIN_DAYS:
            waiting.add(r.person_id)
    later -= within
    note = "young people youthwork referred; the borough's own figure is CAMHS's"
    return [
        Figure(
            "mh_first_appointment",
            "First mental-health appointment within 4 weeks of referral",
            len(within),
            tuple(sorted(within)),
            "people",
            note=note,
        ),
        Figure(
            "mh_first_appointment_later",
            "… first appointment after more than 4 weeks",
            len(later),
            tuple(sorted(later)),
            "people",
        ),
        Figure(
            "mh_waiting",
            "… still waiting more than 4 weeks for a first appointment",
            len(waiting),
            tuple(sorted(waiting)),
            "people",
            note="at the end of the period",
        ),
    ]


def decision_figures(rows: Iterable[ReferralTiming], period: Period) -> list[Figure]:
    decided = [r for r in rows if period.contains(r.decided_at)]
    days = [(r.decided_at - r.sent_at).total_seconds() / 86400 for r in decided if r.decided_at is not None]
    passed_on = sorted(r.id for r in decided if r.decision == ReferralAction.REDIRECT)
    ids = tuple(sorted(r.id for r in decided))
    return [
        Figure(
            "referral_decision_days",
            "Days from referral to a decision (median)",
            round(median(days), 1) if days else None,
            ids,
            "referrals",
            unit="days",
            note="no wrong referral: accepted, declined or passed on, first decided in the period",
        ),
        Figure(
            "referrals_passed_on",
            "Referrals passed on to the right service",
            len(passed_on),
            tuple(passed_on),
            "referrals",
            note="rather than turned away",
        ),
    ]
