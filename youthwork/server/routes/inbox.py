"""The referral inbox routes for receiving teams."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Path

from youthwork.domain.protocol import NO_NUL
from youthwork.domain.referrals import ReferralAction, ReferralStatus
from youthwork.domain.vocab import TeamKind
from youthwork.server import inbox
from youthwork.server import schema as t
from youthwork.server.deps import EngineDep, SyncCallerDep
from youthwork.server.errors import ERROR_RESPONSES
from youthwork.server.models import (
    InboxActionRequest,
    InboxActionResult,
    InboxList,
    ReceivingTeam,
    ReceivingTeams,
)

# Team kinds that receive referrals through this service; a laptop maps each to the agency code it refers to.
RECEIVING_KINDS = (TeamKind.TYS, TeamKind.IGT)

router = APIRouter(prefix="/referrals", tags=["referral inbox"], responses=ERROR_RESPONSES)


@router.get("/inbox", response_model=InboxList)
def list_referrals(caller: SyncCallerDep, engine: EngineDep, status: ReferralStatus | None = None) -> InboxList:
    """Referrals sent to the caller's team, with their steps so far."""
    return InboxList(referrals=inbox.list_inbox(engine, caller, status.value if status else None))


@router.get("/teams", response_model=ReceivingTeams)
def receiving_teams(caller: SyncCallerDep, engine: EngineDep) -> ReceivingTeams:
    """The teams on this service that receive referrals (TYS, IGT), so a laptop can address a referral to them."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(t.teams.c.id, t.teams.c.name, t.teams.c.kind)
            .where(t.teams.c.kind.in_([k.value for k in RECEIVING_KINDS]))
            .order_by(t.teams.c.created_at, t.teams.c.name)
        ).all()
    return ReceivingTeams(teams=[ReceivingTeam(id=r.id, name=r.name, kind=r.kind) for r in rows])


@router.post("/{referral_id}/{action}", response_model=InboxActionResult)
def referral_step(
    caller: SyncCallerDep,
    engine: EngineDep,
    action: ReferralAction,
    body: InboxActionRequest,
    referral_id: str = Path(min_length=1, max_length=64, pattern=NO_NUL),
) -> InboxActionResult:
    """Acknowledge, accept, decline (reason required), allocate, close (outcome required) or add a note."""
    return inbox.act(engine, caller, referral_id, action, body)
