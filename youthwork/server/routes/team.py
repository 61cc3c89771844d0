"""The caller's own team: who is in it, so a laptop can record who worked a session by user id, with names shown;
and the other teams a young person can move to."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter

from youthwork.domain.vocab import TeamKind
from youthwork.server import schema as t
from youthwork.server.deps import EngineDep, SyncCallerDep
from youthwork.server.errors import ERROR_RESPONSES
from youthwork.server.models import ReceivingTeam, ReceivingTeams, TeamUser, TeamUsers

router = APIRouter(prefix="/team", tags=["team"], responses=ERROR_RESPONSES)


@router.get("/users", response_model=TeamUsers)
def team_users(caller: SyncCallerDep, engine: EngineDep) -> TeamUsers:
    """The active users of the caller's team (id, name, role): never another team's, never usernames."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(t.users.c.id, t.users.c.display_name, t.users.c.role)
            .where(t.users.c.team_id == caller.team_id, t.users.c.active.is_(True))
            .order_by(t.users.c.display_name, t.users.c.id)
        ).all()
    return TeamUsers(users=[TeamUser(id=r.id, name=r.display_name, role=r.role) for r in rows])


@router.get("/others", response_model=ReceivingTeams)
def other_teams(caller: SyncCallerDep, engine: EngineDep) -> ReceivingTeams:
    """The teams a young person can move to from the caller's: every other team but partner organisations'."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(t.teams.c.id, t.teams.c.name, t.teams.c.kind)
            .where(t.teams.c.id != caller.team_id, t.teams.c.kind != TeamKind.PARTNER.value)
            .order_by(t.teams.c.name, t.teams.c.id)
        ).all()
    return ReceivingTeams(teams=[ReceivingTeam(id=r.id, name=r.name, kind=r.kind) for r in rows])
