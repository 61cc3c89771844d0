"""The quarter's board pack from the laptop's store: the strategy's measures, fair figures at every decision point,
distance travelled and young people's voice, by the pure functions the service also uses
(youthwork.domain.figures.board).

A measure youthwork does not record (first-time entrants, re-offending, knife-crime victims), or whose records this
store doesn't hold, is shown as "not recorded", never as zero or an estimate. The referral timings (first mental-health
appointment within 4 weeks, days to a decision) are youthwork.domain.figures.referral_times. Every
recorded figure carries its record ids.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from youthwork.domain.collection import without_collection
from youthwork.domain.figures.board import (
    BOARD_SECTIONS,
    Baseline,
    BoardInput,
    BoardPack,
    BoardPerson,
    CheckinRow,
    InterviewRow,
    MissingRow,
    NrmRow,
    RatingRow,
    board_activity,
    compute_board,
    latest_baseline,
    people_wanted,
)
from youthwork.domain.figures.referral_times import (
    ReferralTiming,
    decision_figures,
    first_appointment_figures,
)
from youthwork.domain.figures.referral_times import mental_health_codes as agency_mental_health_codes
from youthwork.domain.figures.referral_times import referral_timings as timings_from_rows
from youthwork.domain.figures.rows import PersonRow
from youthwork.domain.referrals import DECISIONS, ReferralAction
from youthwork.domain.weeks import Period
from youthwork.reports.change import circumstance_measures, siblings_of_offending, transition_measures
from youthwork.reports.weekly import has_table, load_week_input
from youthwork.store.database import Database

log = logging.getLogger(__name__)

BoardSummary = BoardPack  # the Review area's name for it


def _rows(
    db: Database, table: str, sql: str, team_id: str | None = None, params: tuple[str, ...] = ()
) -> list[dict[str, Any]] | None:
    """The table's rows (of the team, when one is given), or None when this store has no such table yet."""
    if not has_table(db, table):
        return None
    return [dict(r) for r in db.query(f"{sql} AND (? IS NULL OR team_id = ?)", (*params, team_id, team_id))]


def _people(db: Database, ids: set[str], known: dict[str, BoardPerson]) -> dict[str, BoardPerson]:
    """The pack's young people: the weekly loader already read the reached ones (`known`), so only the others are
    read here."""
    out = dict(known)  # the reached: all wanted
    rest = sorted(ids - known.keys())
    for r in db.query(
        "SELECT p.id, p.gender, p.ethnicity, p.date_of_birth, p.estimated_age, p.age_estimated_on, p.created_at,"
        " p.education_status, p.risk_indicators FROM json_each(?) j JOIN people p ON p.id = j.value",
        (json.dumps(rest),),
    ):
        out[r[0]] = _board_person(PersonRow.from_row(tuple(r[0:7])), r[7], r[8])
    return out


def _board_person(person: PersonRow, education: str | None, flags: str | None) -> BoardPerson:
    return BoardPerson(person, education or "not_known", tuple(json.loads(flags)) if flags and flags != "[]" else ())


def board_input(db: Database, period: Period, *, team_id: str | None = None, now: datetime | None = None) -> BoardInput:
    known: dict[str, BoardPerson] = {}
    data = load_week_input(
        db, period.first, period.last, team_id=team_id, board=known, sections=BOARD_SECTIONS, every_referral=True
    )
    data.week = period  # type: ignore[assignment]  # a Period has the same bounds interface as an IsoWeek
    activity = board_activity(data, team_id=team_id, now=now or datetime.now(UTC))
    # Every referral sent, whenever (read once, by the weekly loader): the pack's are the team's.
    referrals = (
        None if data.referrals is None else [r for r in data.referrals if team_id is None or r.team_id == team_id]
    )
    # The weekly loader read the safety plans (all teams'): the pack's are the team's, and their NRM decisions.
    plans = None if data.plans is None else [p for p in data.plans if team_id is None or p.team_id == team_id]
    nrm = _rows(
        db,
        "safety_plans",
        "SELECT id, status, nrm_outcome, nrm_decision_date FROM safety_plans WHERE 1 = 1",
        team_id,
    )
    # Only the quarter's check-ins count: read a text window a day wider than it on each side (times
    # are stored with their offset), and the pure functions pick the exact UK days.
    lo, hi = (period.first - timedelta(days=1)).isoformat(), (period.last + timedelta(days=2)).isoformat()
    # The weekly loader already read every RAG rating (the as-of counts need them): the pack's are the team's.
    rag = None if data.rag_ratings is None else [r for r in data.rag_ratings if team_id is None or r.team_id == team_id]
    # Distance travelled compares a young person's first rating with one in the quarter, so only the ratings of
    # people rated in (a day either side of) the quarter are read.
    ratings = _rows(
        db,
        "outcome_ratings",
        "SELECT id, person_id, rated_on, stage, programme, scores FROM outcome_ratings WHERE person_id IN"
        " (SELECT person_id FROM outcome_ratings WHERE rated_on >= ? AND rated_on < ?)",
        team_id,
        (lo, hi),
    )
    checkins = (
        [
            CheckinRow.from_row(r)
            for r in db.query(
                "SELECT id, taken_on, place, programme, felt_safe, someone_to_talk, would_help FROM session_checkins"
                " WHERE taken_on >= ? AND taken_on < ? AND (? IS NULL OR team_id = ?)",
                (lo, hi, team_id, team_id),
            )
        ]
        if has_table(db, "session_checkins")
        else None
    )
    baselines = _rows(db, "population_baselines", "SELECT id, name, rows FROM population_baselines WHERE 1 = 1")
    missing = _rows(
        db,
        "missing_episodes",
        "SELECT id, team_id, person_id, reported_at, returned_at, from_care FROM missing_episodes WHERE 1 = 1",
        team_id,
    )
    interviews = _rows(
        db,
        "return_home_interviews",
        "SELECT id, episode_id, offered_at, status, created_at FROM return_home_interviews WHERE 1 = 1",
    )
    inp = BoardInput(
        period,
        activity,
        referrals=referrals,
        rag=rag,
        plans=plans,
        nrm=None if nrm is None else [NrmRow.from_wire(r) for r in nrm],
        ratings=None if ratings is None else [RatingRow.from_wire(r) for r in ratings],
        checkins=checkins,
        baseline=None if not baselines else latest_baseline(Baseline.from_wire(b) for b in baselines),
        missing=None if missing is None else [MissingRow.from_wire(r) for r in missing],
        interviews=[InterviewRow.from_wire(r) for r in interviews or ()],
        joint_visits=data.joint_visits,
    )
    inp.people = _people(db, people_wanted(inp), known)
    return inp


@without_collection
def board_summary(
    db: Database, period: Period, *, team_id: str | None = None, now: datetime | None = None
) -> BoardPack:
    now = now or datetime.now(UTC)
    inp = board_input(db, period, team_id=team_id, now=now)
    mental_health = mental_health_codes(db)
    timings = referral_timings(db, team_id, counted_for=mental_health)
    # The measures from records beyond the BoardInput (the service's pack computes them by the same functions,
    # youthwork.domain.figures.change and .referral_times): transitions at 18, change over the period from the dated
    # circumstances, siblings of young people who offend, and the referral timings.
    local = [
        *transition_measures(db, period, team_id),
        *circumstance_measures(db, period, team_id),
        siblings_of_offending(db, period, team_id),
        *first_appointment_figures(timings, period, mental_health),
        *decision_figures(timings, period),
    ]
    return compute_board(inp, team_id=team_id, now=now, local=local)


def mental_health_codes(db: Database) -> frozenset[str]:
    """CAMHS, and the agencies a team added to its list as mental-health services."""
    own = [dict(r) for r in db.query("SELECT code, kind FROM agencies")] if has_table(db, "agencies") else []
    return agency_mental_health_codes(own)


def referral_timings(
    db: Database, team_id: str | None = None, *, counted_for: frozenset[str] | None = None
) -> list[ReferralTiming]:
    """Every sent referral with its first decision and first appointment, from its steps (a step recorded on this
    laptop counts before the service has copied it onto the referral).

    `counted_for` (the mental-health agencies' codes): only the referrals the board's timings can count, those to one
    of these agencies (first appointments) and those with a decision step (days to a decision), not every referral.
    """
    if not has_table(db, "referrals"):
        return []
    team = (team_id, team_id)
    decisions = sorted(str(d) for d in DECISIONS)
    actions = (*decisions, str(ReferralAction.APPOINTMENT))
    which, params = "", tuple[str, ...]()
    if counted_for is not None:
        which = (
            " AND (to_agency IN (SELECT value FROM json_each(?)) OR id IN (SELECT referral_id FROM referral_events"
            " WHERE action IN (SELECT value FROM json_each(?))))"
        )
        params = (json.dumps(sorted(counted_for)), json.dumps(decisions))
    referrals = db.query(
        "SELECT id, team_id, person_id, to_agency, status, sent_at, first_appointment_on FROM referrals"
        f" WHERE status != 'draft' AND sent_at IS NOT NULL AND (? IS NULL OR team_id = ?){which}",
        (*team, *params),
    )
    events = db.query(
        "SELECT e.id, e.referral_id, e.action, e.at, e.first_appointment_on FROM referral_events e"
        " JOIN referrals r ON r.id = e.referral_id"
        f" WHERE e.action IN ({', '.join('?' for _ in actions)}) AND r.status != 'draft' AND r.sent_at IS NOT NULL"
        " AND (? IS NULL OR r.team_id = ?)",
        (*actions, *team),
    )
    return timings_from_rows([dict(r) for r in referrals], [dict(e) for e in events])
