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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from typing import Any

from youthwork.domain.disclosures import AgencyKind
from youthwork.domain.figures.model import NOT_RECORDED, Figure
from youthwork.domain.figures.rows import as_date, as_datetime
from youthwork.domain.referrals import DECISIONS, MENTAL_HEALTH_AGENCIES, ReferralAction, ReferralStatus
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


def mental_health_codes(agencies: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """CAMHS, and the agencies a team added to its list as mental-health services (its `agencies` records)."""
    own = {a.get("code") or "" for a in agencies if a.get("kind") == AgencyKind.MENTAL_HEALTH.value}
    return MENTAL_HEALTH_AGENCIES | (own - {""})


def referral_timings(
    referrals: Iterable[Mapping[str, Any]], events: Iterable[Mapping[str, Any]]
) -> list[ReferralTiming]:
    """Every sent referral with its first decision and first appointment, from its steps (wire rows): the first
    decision (accepted, declined or passed on) by time, and the earliest "first appointment" step, else the date
    copied onto the referral."""
    decided: dict[str, tuple[datetime, str, str]] = {}
    appointment: dict[str, date] = {}
    for e in events:
        rid = e.get("referral_id") or ""
        action = e.get("action") or ""
        if action in DECISIONS and (at := as_datetime(e.get("at"))) is not None:
            key = (at, e.get("id") or "", action)
            if rid not in decided or key < decided[rid]:
                decided[rid] = key
        elif action == ReferralAction.APPOINTMENT:
            on = as_date(e.get("first_appointment_on"))
            if on is not None and (rid not in appointment or on < appointment[rid]):
                appointment[rid] = on
    out = []
    for r in sorted(referrals, key=lambda r: r["id"]):
        sent = as_datetime(r.get("sent_at"))
        if sent is None or (r.get("status") or "draft") == ReferralStatus.DRAFT:
            continue
        first = decided.get(r["id"])
        out.append(
            ReferralTiming(
                id=r["id"],
                team_id=r.get("team_id") or "",
                person_id=r.get("person_id") or "",
                to_agency=r.get("to_agency") or "",
                status=r.get("status") or "",
                sent_at=sent,
                decided_at=None if first is None else first[0],
                decision="" if first is None else first[2],
                first_appointment_on=appointment.get(r["id"]) or as_date(r.get("first_appointment_on")),
            )
        )
    return out


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
