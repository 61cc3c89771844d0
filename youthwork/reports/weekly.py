"""The week at a glance from the laptop's store: indexed SQL, one query per figure family, then the shared pure
functions in youthwork.domain.figures.

Times are stored as ISO text with the offset they were written with (UTC from sync and demo data, local time from
the session form), so text ranges are not exact instants. Each query selects a window a day wider than the week on
each side by the text (always a superset, offsets being under 14 hours), and the exact UK-time filtering is done in
`figures`. "Seen before" (for new vs returning) is asked only for sessions that started before that wider window,
which is certainly before the week; the sessions inside the window are passed in, so the rest is decided exactly.

    report = weekly_report(profile.db, IsoWeek.parse("2026-W47"), team_id=None, worker_id="w-03")
    report.figure("reached_new").ids   # the young people behind the number
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import orjson

from youthwork.domain.collection import without_collection
from youthwork.domain.figures import (
    JointVisitRow,
    NfaPromptRow,
    NoteRow,
    PersonRow,
    PlanRow,
    RagRow,
    ReferralRow,
    SessionRow,
    WeekInput,
    WeeklyReport,
    as_datetime,
    compute_weekly,
    nfa_prompts,
    plan_row,
)
from youthwork.domain.figures.board import BoardPerson
from youthwork.domain.weeks import LONDON, IsoWeek, Period
from youthwork.store.database import Database

log = logging.getLogger(__name__)

_SESSION_COLS = (
    "id, team_id, session_type, status, starts_at, ends_at, workers, concern, headcounts, created_by, core_activities"
)


# Each session's register (of the sessions in a JSON list) as one JSON list of young people, from the (session,
# person) index alone (migration 0032): a row per register entry would build a quarter's ~55,000 in Python only to
# be counted.
REGISTERS_SQL = (
    "SELECT session_id, json_group_array(person_id) FROM attendance INDEXED BY attendance_by_session"
    " WHERE session_id IN (SELECT value FROM json_each(?)) GROUP BY session_id"
)
# The columns ReferralRow.from_row reads.
REFERRAL_COLS = (
    "id, team_id, person_id, to_agency, status, urgency, sent_at, sent_by, created_by, from_source, risk_indicators"
)


def _window(first: date, last: date) -> tuple[str, str]:
    """A text range certainly containing every instant of UK days first..last, whatever offset it was written in."""
    return (first - timedelta(days=1)).isoformat(), (last + timedelta(days=2)).isoformat()


def has_table(db: Database, name: str) -> bool:
    """Whether this store has the table yet (a record type newer than the profile's last migration has none)."""
    return db.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)) is not None


def _rows(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query(sql, params)]


def load_week_input(
    db: Database,
    first: date,
    last: date,
    week: IsoWeek | None = None,
    *,
    team_id: str | None = None,
    worker_id: str | None = None,
    board: dict[str, BoardPerson] | None = None,
    sections: Collection[str] | None = None,
    every_referral: bool = False,
) -> WeekInput:
    """Everything the figures for UK days first..last need, read from the store.

    With a team or worker given, registers and people are read only for their sessions (and for the sessions just
    before the period, which decide who is new); `compute_weekly` applies the same filter again. `board`, when
    given, is filled with each young person read as the board pack counts them (with their education status and
    risk indicators: read in the same pass rather than a second one). `sections`: the keys of the only sections the
    figures will be computed for (`compute_weekly`'s `sections`; None: all): what only the others need is not read.
    `every_referral`: read every referral sent, whenever (the board pack counts them all), not only the period's and
    those waiting: a superset the referrals section filters itself, as it does the service's.
    """

    def counts(section: str) -> bool:
        return sections is None or section in sections

    lo, hi = _window(first, last)
    start = datetime.combine(first, time(0), tzinfo=LONDON).astimezone(UTC)
    sessions = [
        SessionRow.from_row(r)
        for r in db.query(f"SELECT {_SESSION_COLS} FROM sessions WHERE starts_at >= ? AND starts_at < ?", (lo, hi))
    ]

    def mine(s: SessionRow) -> bool:
        return (team_id is None or s.team_id == team_id) and (worker_id is None or s.worked_by(worker_id))

    counted = {s.id for s in sessions if s.starts_at is not None and s.starts_at >= start and mine(s)}
    wanted = orjson.dumps(
        sorted(counted | {s.id for s in sessions if s.starts_at is not None and s.starts_at < start})
    ).decode()
    registers: dict[str, list[str]] = {sid: orjson.loads(people) for sid, people in db.query(REGISTERS_SQL, (wanted,))}
    ids = orjson.dumps(sorted(set[str]().union(*(registers[s] for s in counted if s in registers)))).decode()
    # One pass over the young people reached: their details from a covering index, and whether they attended any
    # session before the period: the start of their first session (kept by the store's triggers, migration 0030)
    # before the wider window, which is the same answer as an EXISTS over their registers by the same text test.
    people: dict[str, PersonRow] = {}
    seen_before: set[str] = set()
    # As one JSON text for orjson, like the registers: a quarter reaches ~18,000, and a row each cost a third more.
    for pid, gender, ethnicity, born, age, since, created, before, education, flags in orjson.loads(
        db.scalar(
            "SELECT json_group_array(json_array(j.value, p.gender, p.ethnicity, p.date_of_birth, p.estimated_age,"
            " p.age_estimated_on, CASE WHEN p.estimated_age IS NOT NULL THEN p.created_at END, f.starts_at < ?,"
            " p.education_status, nullif(p.risk_indicators, '[]'))) FROM json_each(?) j"
            " LEFT JOIN people p INDEXED BY people_for_reports ON p.id = j.value"
            " LEFT JOIN first_attendance f ON f.person_id = j.value",
            (lo, ids),
        )
    ):
        if before:
            seen_before.add(pid)
        if gender is None:  # gender is never NULL on a stored young person: no record of them
            continue
        person = people[pid] = PersonRow.from_row((pid, gender, ethnicity, born, age, since, created))
        if board is not None:
            board[pid] = BoardPerson(person, education or "not_known", tuple(json.loads(flags)) if flags else ())
    # Case notes and the sessions waiting for sign-off are counted only by the recording section (a quarter's notes
    # are thousands).
    notes = (
        [
            NoteRow.from_row(r)
            for r in db.query(
                "SELECT id, written_at, author_id, corrects_id, team_id FROM case_notes"
                " WHERE written_at >= ? AND written_at < ?",
                (lo, hi),
            )
        ]
        if counts("recording")
        else []
    )
    waiting = (
        [SessionRow.from_row(r) for r in db.query(f"SELECT {_SESSION_COLS} FROM sessions WHERE status = 'submitted'")]
        if counts("recording")
        else []
    )
    visits = _joint_visits(db)
    return WeekInput(
        week=week or IsoWeek.containing(first),
        sessions=sessions,
        attendance=[],
        registers=registers,
        people=people,
        seen_before=seen_before,
        notes=notes,
        waiting_signoff=waiting,
        referrals=_referrals(db, lo, hi, every=every_referral),
        # The plans themselves are read whatever the sections (the board pack counts them); only the plans section
        # counts their reviews. The NFA prompts: only the NFA section (None here: not read).
        plans=_plans(db, reviews=counts("plans")),
        nfa_prompts=_nfa_prompts(db, visits) if counts("nfa") else None,
        joint_visits=visits,
        rag_ratings=_rag_ratings(db),
    )


def _referrals(db: Database, lo: str, hi: str, *, every: bool = False) -> list[ReferralRow] | None:
    """Referrals sent in the (widened) period, and every one still waiting for acknowledgement (may be overdue);
    with `every`, every referral that is not a draft."""
    if not has_table(db, "referrals"):
        return None
    if every:
        rows = db.query(f"SELECT {REFERRAL_COLS} FROM referrals WHERE status != 'draft'")
    else:
        rows = db.query(
            f"SELECT {REFERRAL_COLS} FROM referrals WHERE status = 'sent' OR (sent_at >= ? AND sent_at < ?)", (lo, hi)
        )
    return [ReferralRow.from_row(r) for r in rows if r["status"] != "draft"]


def _plans(db: Database, *, reviews: bool = True) -> list[PlanRow] | None:
    """The safety plans, with the times each was reviewed unless `reviews` is False."""
    if not has_table(db, "safety_plans"):
        return None
    reviewed: dict[str, list[datetime]] = {}
    if reviews and has_table(db, "safety_plan_versions"):
        for plan_id, agreed_at in db.query("SELECT plan_id, agreed_at FROM safety_plan_versions WHERE number > 1"):
            when = as_datetime(agreed_at)
            if when is not None:
                reviewed.setdefault(plan_id, []).append(when)
    return [
        plan_row(r, reviewed.get(r["id"], ()))
        for r in _rows(
            db, "SELECT id, team_id, person_id, status, agreed_at, review_date, created_by FROM safety_plans"
        )
    ]


def _nfa_prompts(db: Database, visits: list[JointVisitRow] | None) -> list[NfaPromptRow] | None:
    if not has_table(db, "nfa_notifications"):
        return None
    rows = db.query(
        "SELECT person_id, team_id, coalesce(notified_on, created_at) AS at FROM nfa_notifications"
        " ORDER BY person_id, at"
    )
    return nfa_prompts((dict(r) for r in rows), visits or ())


def _joint_visits(db: Database) -> list[JointVisitRow] | None:
    if not has_table(db, "joint_visits"):
        return None
    return [
        JointVisitRow.from_wire(r)
        for r in _rows(db, "SELECT id, team_id, person_id, status, visited_on FROM joint_visits")
    ]


def _rag_ratings(db: Database) -> list[RagRow]:
    """Every rating in the history (the spread at a moment is each young person's latest before it), as one JSON
    text for orjson: there are ~60,000 at 100,000 young people, and a row each cost twice as much."""
    text = db.scalar("SELECT json_group_array(json_array(id, team_id, person_id, rating, set_at)) FROM rag_ratings")
    return [RagRow.from_row(r) for r in orjson.loads(text or "[]")]


@without_collection
def weekly_report(
    db: Database,
    week: IsoWeek,
    *,
    team_id: str | None = None,
    worker_id: str | None = None,
    names: dict[str, str] | None = None,
    now: datetime | None = None,
) -> WeeklyReport:
    data = load_week_input(db, week.monday, week.sunday, week, team_id=team_id, worker_id=worker_id)
    return compute_weekly(data, team_id=team_id, worker_id=worker_id, now=now or datetime.now(UTC), names=names)


@without_collection
def trend(
    db: Database, week: IsoWeek, *, weeks: int = 12, team_id: str | None = None, worker_id: str | None = None
) -> list[WeeklyReport]:
    """This week and the `weeks` before it, oldest first: one load for the whole span, then each week's figures
    (the pure functions pick out each week's records; earlier weeks' registers decide who is new)."""
    first = week.shifted(-weeks)
    # Loaded unfiltered: whether someone is new depends on every earlier register, not only this worker's.
    data = load_week_input(db, first.monday, week.sunday, first)
    now = datetime.now(UTC)
    registers = data.register_people()
    timed = sorted(((s.starts_at, s) for s in data.sessions if s.starts_at is not None), key=lambda ts: ts[0])
    earlier = set(data.seen_before)
    done = 0  # sessions in `timed` already folded into `earlier`
    out = []
    for back in range(weeks, -1, -1):
        w = week.shifted(-back)
        while done < len(timed) and timed[done][0] < w.start:
            earlier.update(registers.get(timed[done][1].id, ()))
            done += 1
        mine = [s for starts, s in timed[done:] if starts < w.end]
        part = replace(
            data,
            week=w,
            sessions=mine,  # each week's figures look up only its own sessions' registers
            seen_before=set(earlier),
        )
        out.append(compute_weekly(part, team_id=team_id, worker_id=worker_id, now=now))
    return out


__all__ = ["IsoWeek", "Period", "load_week_input", "trend", "weekly_report"]
