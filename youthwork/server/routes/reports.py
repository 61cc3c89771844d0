"""Reports for supervisors: their own team's weekly figures, each with the record ids behind it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from youthwork.domain.protocol import NO_NUL
from youthwork.domain.vocab import Role
from youthwork.domain.weeks import BadWeek, IsoWeek, Period
from youthwork.server.deps import CallerDep, EngineDep
from youthwork.server.errors import ERROR_RESPONSES, ApiError
from youthwork.server.reports import team_board_pack, team_weekly_report

router = APIRouter(prefix="/reports", tags=["reports"], responses=ERROR_RESPONSES)

# Supervisors, of their own team. Administrators manage accounts, not case records: no case-level report for them.
REPORT_ROLES = frozenset({Role.SUPERVISOR})


@router.get("/weekly")
def weekly(
    request: Request,
    caller: CallerDep,
    engine: EngineDep,
    team: Annotated[str, Query(min_length=1, max_length=64, pattern=NO_NUL, description="The team's id")],
    week: Annotated[str, Query(min_length=1, max_length=16, description="An ISO week, e.g. 2026-W47")],
    worker: Annotated[
        str | None, Query(max_length=64, pattern=NO_NUL, description="Only this worker's sessions")
    ] = None,
) -> dict[str, Any]:
    """The week at a glance for a team (Monday to Sunday, UK time), computed as the app computes it."""
    if caller.role not in REPORT_ROLES:
        raise ApiError(403, "not_a_supervisor", "Only supervisors can see team reports.")
    if team != caller.team_id:
        raise ApiError(403, "other_team", "Supervisors can see their own team's report only.")
    try:
        iso = IsoWeek.parse(week)
    except BadWeek as e:
        raise ApiError(400, "bad_week", str(e)) from None
    # Reports read from a streaming replica when the service has one (YOUTHWORK_REPORTS_DATABASE_URL).
    reader = getattr(request.app.state, "reports_engine", None) or engine
    return team_weekly_report(reader, caller, iso, worker_id=worker).to_dict()


@router.get("/board")
def board(
    request: Request,
    caller: CallerDep,
    engine: EngineDep,
    team: Annotated[str, Query(min_length=1, max_length=64, pattern=NO_NUL, description="The team's id")],
    quarter: Annotated[str, Query(min_length=1, max_length=16, description="A calendar quarter, e.g. 2026-Q3")],
    suppress: Annotated[bool, Query(description="Show counts of 1 to 4 as “fewer than 5” (for sharing)")] = False,
) -> dict[str, Any]:
    """The quarter's board pack for a team: measures, fair figures, distance travelled, young people's voice."""
    if caller.role not in REPORT_ROLES:
        raise ApiError(403, "not_a_supervisor", "Only supervisors can see team reports.")
    if team != caller.team_id:
        raise ApiError(403, "other_team", "Supervisors can see their own team's report only.")
    try:
        period = Period.parse_quarter(quarter)
    except BadWeek as e:
        raise ApiError(400, "bad_quarter", str(e)) from None
    reader = getattr(request.app.state, "reports_engine", None) or engine
    return team_board_pack(reader, caller, period).to_dict(suppress=suppress)
