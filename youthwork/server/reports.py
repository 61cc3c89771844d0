"""Team weekly figures on the central service, from the generic `records` table, by the same pure functions the
laptop uses (youthwork.domain.figures), so a supervisor's screen and the service agree after a sync.

The records table holds each record's wire form (JSON), so the team's rows are read by (team_id, table_name) on
`ix_records_team` and narrowed in Python: sessions and registers of the whole team (needed anyway to tell new from
returning young people), and the people on those registers (only age, gender and ethnicity are used, in aggregate).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from youthwork.domain.figures import (
    AttendanceRow,
    NoteRow,
    PersonRow,
    ReferralRow,
    SessionRow,
    WeekInput,
    WeeklyReport,
    as_datetime,
    compute_weekly,
    nfa_prompts,
    plan_row,
)
from youthwork.domain.weeks import IsoWeek
from youthwork.server import schema as t

log = logging.getLogger(__name__)

TABLES = (
    "sessions",
    "attendance",
    "case_notes",
    "referrals",
    "safety_plans",
    "safety_plan_versions",
    "nfa_notifications",
)


def _team_records(conn: sa.Connection, team_id: str) -> dict[str, list[dict[str, Any]]]:
    rows = conn.execute(
        sa.select(t.records.c.table_name, t.records.c.record_id, t.records.c.data).where(
            t.records.c.team_id == team_id,
            t.records.c.table_name.in_(TABLES),
            t.records.c.deleted.is_(False),
        )
    )
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for table, record_id, data in rows:
        out[table].append({**(data or {}), "id": record_id})
    return out


def _people(conn: sa.Connection, ids: Iterable[str]) -> dict[str, PersonRow]:
    wanted = sorted(set(ids))
    found: dict[str, PersonRow] = {}
    for i in range(0, len(wanted), 500):
        rows = conn.execute(
            sa.select(t.records.c.record_id, t.records.c.data).where(
                t.records.c.table_name == "people",
                t.records.c.record_id.in_(wanted[i : i + 500]),
                t.records.c.deleted.is_(False),
            )
        )
        for record_id, data in rows:
            found[record_id] = PersonRow.from_wire({**(data or {}), "id": record_id})
    return found


def team_weekly_report(
    engine: sa.Engine,
    team_id: str,
    week: IsoWeek,
    *,
    worker_id: str | None = None,
    now: datetime | None = None,
) -> WeeklyReport:
    with engine.connect() as conn:
        recs = _team_records(conn, team_id)
        attendance = [AttendanceRow.from_wire(r) for r in recs["attendance"]]
        people = _people(conn, (a.person_id for a in attendance))
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
    data = WeekInput(
        week=week,
        sessions=sessions,
        attendance=attendance,
        people=people,
        notes=[NoteRow.from_wire(r) for r in recs["case_notes"]],
        waiting_signoff=[s for s in sessions if s.status == "submitted"],
        referrals=[ReferralRow.from_wire(r) for r in recs["referrals"] if (r.get("status") or "draft") != "draft"],
        plans=[plan_row(r, reviews.get(r["id"], ())) for r in recs["safety_plans"]],
        nfa_prompts=nfa_prompts(nfa),
    )
    return compute_weekly(data, team_id=team_id, worker_id=worker_id, now=now or datetime.now(UTC))
