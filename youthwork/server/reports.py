"""Team weekly figures on the central service, from the generic `records` table, by the same pure functions the
laptop uses (youthwork.domain.figures), so a supervisor's screen and the service agree after a sync.

The records table holds each record's wire form (JSON), so the team's rows are read by (team_id, table_name) on
`ix_records_team` and narrowed in Python: sessions and registers of the whole team (needed anyway to tell new from
returning young people), and the people on those registers (only age, gender and ethnicity are used, in aggregate).

A report counts only what its reader may see, record by record, through the same `scope.view` a pull uses: a young
person another team owns and named on this team's register counts by the fields shared with this team (the minimum:
no ethnicity), restricted intelligence only in the team that holds it, special category fields only for roles that
may see them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa

from youthwork.domain.circumstances import CircumstanceChange
from youthwork.domain.codec import from_dict
from youthwork.domain.figures import (
    AttendanceRow,
    Figure,
    JointVisitRow,
    NoteRow,
    PersonRow,
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
from youthwork.domain.figures.board import (
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
from youthwork.domain.figures.change import (
    LinkRow,
    NfaRow,
    TransitionPerson,
    TransitionReferral,
    by_person,
    change_figures,
    siblings_figure,
    transition_figures,
)
from youthwork.domain.figures.referral_times import (
    decision_figures,
    first_appointment_figures,
    mental_health_codes,
    referral_timings,
)
from youthwork.domain.referrals import ReferralEvent
from youthwork.domain.weeks import IsoWeek, Period
from youthwork.server import schema as t
from youthwork.server import scope
from youthwork.server.auth import Caller
from youthwork.server.pull import shared_fields

log = logging.getLogger(__name__)

TABLES = (
    "sessions",
    "attendance",
    "case_notes",
    "referrals",
    "safety_plans",
    "safety_plan_versions",
    "nfa_notifications",
    "joint_visits",
    "rag_ratings",
)


def _visible(caller: Caller, table: str, record_id: str, data: dict[str, Any] | None, owner: str, shared: Any) -> Any:
    fields = scope.view(caller, table, data or {}, owner, shared)
    return None if fields is None else {**fields, "id": record_id}


# Read by only the weekly sections a board pack leaves out (youthwork.domain.figures.board.BOARD_SECTIONS): a
# team's case notes are its largest table.
_NOT_FOR_BOARD = ("case_notes", "safety_plan_versions")
# The board pack reads these too (youthwork.domain.figures.board).
BOARD_TABLES = (
    *(name for name in TABLES if name not in _NOT_FOR_BOARD),
    "outcome_ratings",
    "session_checkins",
    "population_baselines",
    "missing_episodes",
    "return_home_interviews",
    # The measures beyond the BoardInput (youthwork.domain.figures.change, .referral_times).
    "people",
    "circumstance_changes",
    "relationships",
    "agencies",
    "referral_events",
)


def _team_records(
    conn: sa.Connection, caller: Caller, tables: tuple[str, ...] = TABLES
) -> dict[str, list[dict[str, Any]]]:
    rows = conn.execute(
        sa.select(t.records.c.table_name, t.records.c.record_id, t.records.c.data).where(
            t.records.c.team_id == caller.team_id,
            t.records.c.table_name.in_(tables),
            t.records.c.deleted.is_(False),
        )
    )
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    for table, record_id, data in rows:
        if (fields := _visible(caller, table, record_id, data, caller.team_id, None)) is not None:
            out[table].append(fields)
    return out


def _receiving_teams_steps(
    conn: sa.Connection, caller: Caller, referrals: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The steps the receiving teams recorded on this team's referrals (a step is its writer's record; the team sees
    it as one end of the referral, as a pull gives it to the laptop)."""
    ours = {r["id"] for r in referrals}
    teams = sorted({r.get("to_team_id") or "" for r in referrals} - {"", caller.team_id})
    if not teams:
        return []
    rows = conn.execute(
        sa.select(t.records.c.record_id, t.records.c.team_id, t.records.c.data).where(
            t.records.c.team_id.in_(teams),
            t.records.c.table_name == ReferralEvent.TABLE,
            t.records.c.deleted.is_(False),
        )
    )
    out = []
    for record_id, owner, data in rows:
        if (data or {}).get("referral_id") in ours:
            fields = _visible(caller, ReferralEvent.TABLE, record_id, data, owner, None)
            if fields is not None:
                out.append(fields)
    return out


def _further_measures(
    conn: sa.Connection, caller: Caller, recs: dict[str, list[dict[str, Any]]], period: Period
) -> list[Figure]:
    """Transitions at 18, change over the period, siblings of young people who offend and the referral timings, by
    the functions the laptop uses (youthwork.reports.board `board_summary`'s `local`), in the same order."""
    referrals = recs["referrals"]
    timings = referral_timings(referrals, [*recs["referral_events"], *_receiving_teams_steps(conn, caller, referrals)])
    changes = by_person(
        cast(CircumstanceChange, from_dict(CircumstanceChange, r)) for r in recs["circumstance_changes"]
    )
    return [
        *transition_figures(
            period,
            [TransitionPerson.from_wire(p) for p in recs["people"]],
            [TransitionReferral.from_wire(r) for r in referrals],
        ),
        *change_figures(changes, period),
        siblings_figure(
            period,
            [NfaRow.from_wire(r) for r in recs["nfa_notifications"]],
            [RagRow.from_wire(r) for r in recs["rag_ratings"]],
            [LinkRow.from_wire(r) for r in recs["relationships"]],
        ),
        *first_appointment_figures(timings, period, mental_health_codes(recs["agencies"])),
        *decision_figures(timings, period),
    ]


def _people(conn: sa.Connection, caller: Caller, ids: Iterable[str]) -> dict[str, PersonRow]:
    wanted = sorted(set(ids))
    found: dict[str, PersonRow] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        rows = conn.execute(
            sa.select(t.records.c.record_id, t.records.c.team_id, t.records.c.data).where(
                t.records.c.table_name == scope.PEOPLE,
                t.records.c.record_id.in_(chunk),
                t.records.c.deleted.is_(False),
            )
        ).all()
        foreign = [r.record_id for r in rows if r.team_id != caller.team_id]
        shared = shared_fields(conn, caller.team_id, foreign) if foreign else {}
        for record_id, owner, data in rows:
            fields = _visible(caller, scope.PEOPLE, record_id, data, owner, shared.get(record_id))
            if fields is not None:
                found[record_id] = PersonRow.from_wire(fields)
    return found


def _board_people(conn: sa.Connection, caller: Caller, ids: Iterable[str]) -> dict[str, BoardPerson]:
    """As `_people`, with the fields the board pack's measures need (education, risk indicators), as visible."""
    found: dict[str, BoardPerson] = {}
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), 500):
        rows = conn.execute(
            sa.select(t.records.c.record_id, t.records.c.team_id, t.records.c.data).where(
                t.records.c.table_name == scope.PEOPLE,
                t.records.c.record_id.in_(wanted[i : i + 500]),
                t.records.c.deleted.is_(False),
            )
        ).all()
        foreign = [r.record_id for r in rows if r.team_id != caller.team_id]
        shared = shared_fields(conn, caller.team_id, foreign) if foreign else {}
        for record_id, owner, data in rows:
            fields = _visible(caller, scope.PEOPLE, record_id, data, owner, shared.get(record_id))
            if fields is not None:
                found[record_id] = BoardPerson.from_wire(fields)
    return found


def team_weekly_report(
    engine: sa.Engine,
    caller: Caller,
    week: IsoWeek,
    *,
    worker_id: str | None = None,
    now: datetime | None = None,
) -> WeeklyReport:
    with engine.connect() as conn:
        recs = _team_records(conn, caller)
        attendance = [AttendanceRow.from_wire(r) for r in recs["attendance"]]
        people = _people(conn, caller, (a.person_id for a in attendance))
    data = _week_input(recs, attendance, people, week)
    return compute_weekly(data, team_id=caller.team_id, worker_id=worker_id, now=now or datetime.now(UTC))


def team_board_pack(engine: sa.Engine, caller: Caller, period: Period, *, now: datetime | None = None) -> BoardPack:
    """The quarter's board pack for the caller's team, computed as the laptop computes it."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        unread: dict[str, list[dict[str, Any]]] = {name: [] for name in _NOT_FOR_BOARD}  # as the laptop's loader
        recs = unread | _team_records(conn, caller, BOARD_TABLES)
        attendance = [AttendanceRow.from_wire(r) for r in recs["attendance"]]
        people = _people(conn, caller, (a.person_id for a in attendance))
        data = _week_input(recs, attendance, people, period)  # type: ignore[arg-type]  # a Period bounds like a week
        activity = board_activity(data, team_id=caller.team_id, now=now)
        plans = recs["safety_plans"]
        inp = BoardInput(
            period,
            activity,
            referrals=[ReferralRow.from_wire(r) for r in recs["referrals"] if (r.get("status") or "draft") != "draft"],
            rag=[RagRow.from_wire(r) for r in recs["rag_ratings"]],
            plans=[plan_row(r, ()) for r in plans],
            nrm=[NrmRow.from_wire(r) for r in plans],
            ratings=[RatingRow.from_wire(r) for r in recs["outcome_ratings"]],
            checkins=[CheckinRow.from_wire(r) for r in recs["session_checkins"]],
            baseline=latest_baseline(Baseline.from_wire(b) for b in recs["population_baselines"]),
            missing=[MissingRow.from_wire(r) for r in recs["missing_episodes"]],
            interviews=[InterviewRow.from_wire(r) for r in recs["return_home_interviews"]],
            joint_visits=list(data.joint_visits or ()),
        )
        inp.people = _board_people(conn, caller, people_wanted(inp))
        local = _further_measures(conn, caller, recs, period)
    return compute_board(inp, team_id=caller.team_id, now=now, local=local)


def _week_input(
    recs: dict[str, list[dict[str, Any]]],
    attendance: list[AttendanceRow],
    people: dict[str, PersonRow],
    week: IsoWeek,
) -> WeekInput:
    sessions = [SessionRow.from_wire(r) for r in recs["sessions"]]
    reviews: dict[str, list[datetime]] = {}
    for v in recs["safety_plan_versions"]:
        when = as_datetime(v.get("agreed_at"))
        if int(v.get("number") or 1) > 1 and when is not None:
            reviews.setdefault(v.get("plan_id") or "", []).append(when)
    nfa = sorted(
        (
            {
                "person_id": r.get("person_id") or "",
                "team_id": r.get("team_id") or "",
                "at": r.get("notified_on") or r.get("created_at"),
            }
            for r in recs["nfa_notifications"]
        ),
        key=lambda r: (r["person_id"], str(r["at"])),
    )
    visits = [JointVisitRow.from_wire(r) for r in recs["joint_visits"]]
    return WeekInput(
        week=week,
        sessions=sessions,
        attendance=attendance,
        people=people,
        notes=[NoteRow.from_wire(r) for r in recs["case_notes"]],
        waiting_signoff=[s for s in sessions if s.status == "submitted"],
        referrals=[ReferralRow.from_wire(r) for r in recs["referrals"] if (r.get("status") or "draft") != "draft"],
        plans=[plan_row(r, reviews.get(r["id"], ())) for r in recs["safety_plans"]],
        nfa_prompts=nfa_prompts(nfa, visits),
        joint_visits=visits,
        rag_ratings=[RagRow.from_wire(r) for r in recs["rag_ratings"]],
    )
