"""The quarterly board summary: the measures the youth safety strategy names, where the data is recorded.

A measure youthwork does not record (first-time entrants, re-offending, knife-crime victims) is shown as "not
recorded", never as zero or an estimate. Every recorded figure carries its record ids. The referral timings (first
mental-health appointment within 4 weeks, days to a decision) are youthwork.domain.figures.referral_times.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime

from youthwork.domain.figures import NOT_RECORDED, Figure, WeeklyReport, as_date, as_datetime, compute_weekly
from youthwork.domain.figures.referral_times import ReferralTiming, decision_figures, first_appointment_figures
from youthwork.domain.missing import InterviewStatus, offered_in_time
from youthwork.domain.referrals import DECISIONS, SHARING_STATUSES
from youthwork.domain.weeks import LONDON, Period
from youthwork.reports.change import circumstance_measures
from youthwork.reports.weekly import has_table, load_week_input
from youthwork.store.database import Database

log = logging.getLogger(__name__)

POSITIVE_NRM = ("positive_reasonable_grounds", "positive_conclusive_grounds")


@dataclass(frozen=True, slots=True)
class BoardSummary:
    period: Period
    activity: WeeklyReport  # the period's activity figures, computed as for a week
    measures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure:
        for f in self.measures:
            if f.key == key:
                return f
        return self.activity.figure(key)


def _not_recorded(key: str, label: str, why: str) -> Figure:
    return Figure(key, label, None, (), "", note=f"{NOT_RECORDED}: {why}")


def board_summary(
    db: Database, period: Period, *, team_id: str | None = None, now: datetime | None = None
) -> BoardSummary:
    data = load_week_input(db, period.first, period.last, team_id=team_id)
    data.week = period  # type: ignore[assignment]  # a Period has the same bounds interface as an IsoWeek
    activity = compute_weekly(data, team_id=team_id, now=now or datetime.now(UTC))
    reached = list(activity.figure("reached").ids)
    ids = json.dumps(reached)
    neet = [
        r[0]
        for r in db.query(
            "SELECT id FROM people WHERE id IN (SELECT value FROM json_each(?))"
            " AND education_status = 'neet' ORDER BY id",
            (ids,),
        )
    ]
    missing = (
        [
            r[0]
            for r in db.query(
                "SELECT p.id FROM people p JOIN people_risk r ON r.rid = p.rid AND r.indicator = 'missing'"
                " WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.id",
                (ids,),
            )
        ]
        if has_table(db, "people_risk")
        else [
            r[0]
            for r in db.query(
                "SELECT id FROM people WHERE id IN (SELECT value FROM json_each(?))"
                " AND EXISTS (SELECT 1 FROM json_each(people.risk_indicators) WHERE value = 'missing') ORDER BY id",
                (ids,),
            )
        ]
    )
    measures = [
        Figure(
            "neet",
            "Young people reached who are NEET",
            len(neet),
            tuple(neet),
            "people",
            note="education status recorded as NEET",
        ),
        Figure(
            "missing",
            "Young people reached with missing episodes flagged",
            len(missing),
            tuple(missing),
            "people",
            note="risk indicator on their record",
        ),
        *_missing_measures(db, period, team_id),
        *_transition_measures(db, period, team_id),
    ]
    if has_table(db, "safety_plans"):
        nrm = db.query(
            "SELECT id, person_id, status FROM safety_plans WHERE nrm_outcome IN (?, ?)"
            " AND nrm_decision_date >= ? AND nrm_decision_date <= ? ORDER BY id",
            (*POSITIVE_NRM, period.first.isoformat(), period.last.isoformat()),
        )
        decided = [r["id"] for r in nrm]
        agreed = [r["id"] for r in nrm if r["status"] in ("agreed", "reviewed", "closed")]
        measures += [
            Figure(
                "nrm_positive",
                "Positive NRM decisions with a safety plan started",
                len(decided),
                tuple(decided),
                "safety_plans",
            ),
            Figure(
                "nrm_plans_agreed", "… of which the safety plan is agreed", len(agreed), tuple(agreed), "safety_plans"
            ),
        ]
    else:
        measures.append(
            _not_recorded(
                "nrm_plans_agreed", "Safety plans after positive NRM decisions", "no safety plans on this laptop"
            )
        )
    # Change over the period from the dated circumstances (NEET at the start and at the end...).
    measures += circumstance_measures(db, period, team_id)
    measures += [
        _not_recorded(
            "first_time_entrants", "First-time entrants to youth justice", "youth justice outcomes are held by the YOS"
        ),
        _not_recorded("reoffending", "Re-offending", "youth justice outcomes are held by the YOS"),
        _not_recorded("knife_victims", "Knife-crime victims under 25", "not recorded in youthwork"),
    ]
    timings = referral_timings(db, team_id)
    measures += first_appointment_figures(timings, period) + decision_figures(timings, period)
    return BoardSummary(period, activity, tuple(measures))


def _missing_measures(db: Database, period: Period, team_id: str | None) -> list[Figure]:
    """Missing episodes reported in the period, the young people they were about (from home, from care), and the
    return home interviews offered within 72 hours of a return in the period (and of those, done)."""
    if not has_table(db, "missing_episodes"):
        why = "no missing episodes on this laptop"
        return [
            _not_recorded("missing_episodes", "Missing episodes", why),
            _not_recorded("rhi_within_72h", "Return home interviews offered within 72 hours", why),
        ]

    def in_period(value: object) -> bool:
        when = as_datetime(value)
        return when is not None and period.first <= when.astimezone(LONDON).date() <= period.last

    episodes = [
        dict(r)
        for r in db.query(
            "SELECT id, team_id, person_id, reported_at, returned_at, from_care FROM missing_episodes ORDER BY id"
        )
        if team_id is None or r["team_id"] == team_id
    ]
    offered: dict[str, tuple[object, str]] = {}
    for r in db.query("SELECT episode_id, offered_at, status FROM return_home_interviews ORDER BY created_at, id"):
        offered.setdefault(r["episode_id"], (r["offered_at"], r["status"]))
    reported = [e for e in episodes if in_period(e["reported_at"])]
    people = sorted({e["person_id"] for e in reported})
    from_care = sorted({e["person_id"] for e in reported if e["from_care"]})
    returned = [e for e in episodes if in_period(e["returned_at"])]
    in_time = [
        e["id"]
        for e in returned
        if e["id"] in offered and offered_in_time(as_datetime(e["returned_at"]), as_datetime(offered[e["id"]][0]))
    ]
    done = [e for e in in_time if offered[e][1] == InterviewStatus.DONE]
    return [
        Figure(
            "missing_episodes",
            "Missing episodes reported",
            len(reported),
            tuple(e["id"] for e in reported),
            "missing_episodes",
        ),
        Figure("missing_people", "Young people reported missing", len(people), tuple(people), "people"),
        Figure("missing_from_care", "… of whom missing from care", len(from_care), tuple(from_care), "people"),
        Figure(
            "missing_returned",
            "Returns from a missing episode",
            len(returned),
            tuple(e["id"] for e in returned),
            "missing_episodes",
        ),
        Figure(
            "rhi_within_72h",
            "Return home interviews offered within 72 hours",
            len(in_time),
            tuple(in_time),
            "missing_episodes",
            note="of the returns in the period",
        ),
        Figure("rhi_done", "… of which the interview was done", len(done), tuple(done), "missing_episodes"),
    ]


def referral_timings(db: Database, team_id: str | None = None) -> list[ReferralTiming]:
    """Every sent referral with its first decision and first appointment, from its steps (a step recorded on this
    laptop counts before the service has copied it onto the referral)."""
    if not has_table(db, "referrals"):
        return []
    decisions = tuple(str(d) for d in DECISIONS)
    rows = db.query(
        "SELECT r.id, r.team_id, r.person_id, r.to_agency, r.status, r.sent_at,"
        " (SELECT e.at || ' ' || e.action FROM referral_events e WHERE e.referral_id = r.id"
        f"   AND e.action IN ({', '.join('?' for _ in decisions)}) ORDER BY e.at, e.id LIMIT 1) AS decided,"
        " COALESCE((SELECT MIN(e.first_appointment_on) FROM referral_events e WHERE e.referral_id = r.id"
        "   AND e.action = 'appointment'), r.first_appointment_on) AS appointment"
        " FROM referrals r WHERE r.status != 'draft' AND r.sent_at IS NOT NULL"
        " AND (? IS NULL OR r.team_id = ?) ORDER BY r.id",
        (*decisions, team_id, team_id),
    )
    out = []
    for r in rows:
        sent = as_datetime(r["sent_at"])
        if sent is None:
            continue
        decided_at, _, decision = str(r["decided"] or "").partition(" ")
        out.append(
            ReferralTiming(
                id=r["id"],
                team_id=r["team_id"],
                person_id=r["person_id"],
                to_agency=r["to_agency"],
                status=r["status"],
                sent_at=sent,
                decided_at=as_datetime(decided_at) if decided_at else None,
                decision=decision,
                first_appointment_on=as_date(r["appointment"]) if r["appointment"] else None,
            )
        )
    return out


def _transition_measures(db: Database, period: Period, team_id: str | None) -> list[Figure]:
    """Young people who turned 18 in the period and were red or amber or open to TYS (the transitions list's rule),
    and of them, those whose handover to the transitions service was sent before their birthday (no cliff edge)."""
    if not has_table(db, "referrals") or "kind" not in {r[1] for r in db.query("PRAGMA table_info(referrals)")}:
        return [_not_recorded("turned_18", "Young people who turned 18 (red, amber or open to TYS)", "no referrals")]
    lo, hi = _years_before(period.first, 18).isoformat(), _years_before(period.last, 18).isoformat()
    people = [
        dict(r)
        for r in db.query(
            "SELECT id, team_id, date_of_birth, rag FROM people WHERE date_of_birth >= ? AND date_of_birth <= ?"
            " ORDER BY id",
            (lo, hi),
        )
        if team_id is None or r["team_id"] == team_id
    ]
    referrals: dict[str, list[dict[str, object]]] = {}
    ids = json.dumps([p["id"] for p in people])
    for r in db.query(
        "SELECT person_id, to_agency, kind, status, sent_at FROM referrals"
        " WHERE person_id IN (SELECT value FROM json_each(?)) AND status != 'draft'",
        (ids,),
    ):
        referrals.setdefault(r["person_id"], []).append(dict(r))
    turned, handed = [], []
    for p in people:
        turns = _birthday18(str(p["date_of_birth"])[:10])
        if not period.first <= turns <= period.last:
            continue
        mine = referrals.get(p["id"], [])
        open_tys = any(r["to_agency"] == "tys" and r["status"] in SHARING_STATUSES for r in mine)
        if p["rag"] not in ("red", "amber") and not open_tys:
            continue
        turned.append(p["id"])
        before = [as_datetime(r["sent_at"]) for r in mine if r["kind"] == "transition" and r["status"] != "declined"]
        if any(when is not None and when.astimezone(LONDON).date() < turns for when in before):
            handed.append(p["id"])
    return [
        Figure(
            "turned_18",
            "Young people who turned 18 (red, amber or open to TYS)",
            len(turned),
            tuple(turned),
            "people",
            note="date of birth recorded",
        ),
        Figure(
            "transition_before_18",
            "… of whom a handover to the transitions service was planned before their birthday",
            len(handed),
            tuple(handed),
            "people",
        ),
    ]


def _birthday18(dob: str) -> date:
    born = date.fromisoformat(dob)
    return _years_before(born, -18)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 3, 1)
