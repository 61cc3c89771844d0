"""Reports for supervisors and administrators: a team's weekly figures, each with the record ids behind it."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request

from youthwork.domain.vocab import Role
from youthwork.domain.weeks import BadWeek, IsoWeek
from youthwork.server import schema as t
from youthwork.server.deps import CallerDep, EngineDep
from youthwork.server.errors import ERROR_RESPONSES, ApiError
from youthwork.server.reports import team_weekly_report

router = APIRouter(prefix="/reports", tags=["reports"], responses=ERROR_RESPONSES)

REPORT_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


@router.get("/weekly")
def weekly(
    request: Request,
    caller: CallerDep,
    engine: EngineDep,
    team: Annotated[str, Query(min_length=1, max_length=64, description="The team's id")],
    week: Annotated[str, Query(min_length=1, max_length=16, description="An ISO week, e.g. 2026-W47")],
    worker: Annotated[str | None, Query(max_length=64, description="Only this worker's sessions")] = None,
) -> dict[str, Any]:
    """The week at a glance for a team (Monday to Sunday, UK time), computed as the app computes it."""
    if caller.wipe_requested:
        raise ApiError(410, "wipe_required", "This laptop has been reported lost and must be wiped.")
    if caller.role not in REPORT_ROLES:
        raise ApiError(403, "not_a_supervisor", "Only supervisors and administrators can see team reports.")
    if caller.role == Role.SUPERVISOR and team != caller.team_id:
        raise ApiError(403, "other_team", "Supervisors can see their own team's report only.")
    try:
        iso = IsoWeek.parse(week)
    except BadWeek as e:
        raise ApiError(400, "bad_week", str(e)) from None
    with engine.connect() as conn:
        if conn.execute(sa.select(t.teams.c.id).where(t.teams.c.id == team)).first() is None:
            raise ApiError(404, "no_such_team", "There is no team with that id.")
    # Reports read from a streaming replica when the service has one (app.state.read_engine), else the primary.
    reader = getattr(request.app.state, "read_engine", None) or engine
    return team_weekly_report(reader, team, iso, worker_id=worker).to_dict()
