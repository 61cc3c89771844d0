"""The referral inbox routes for receiving teams."""

from __future__ import annotations

from fastapi import APIRouter, Path

from youthwork.domain.referrals import ReferralAction, ReferralStatus
from youthwork.server import inbox
from youthwork.server.deps import EngineDep, SyncCallerDep
from youthwork.server.errors import ERROR_RESPONSES, ApiError
from youthwork.server.models import InboxActionRequest, InboxActionResult, InboxList

router = APIRouter(prefix="/referrals", tags=["referral inbox"], responses=ERROR_RESPONSES)


def _not_wiping(caller: SyncCallerDep) -> None:
    if caller.wipe_requested:
        raise ApiError(410, "wipe_required", "This laptop has been reported lost and must be wiped.")


@router.get("/inbox", response_model=InboxList)
def list_referrals(caller: SyncCallerDep, engine: EngineDep, status: ReferralStatus | None = None) -> InboxList:
    """Referrals sent to the caller's team, with their steps so far."""
    _not_wiping(caller)
    return InboxList(referrals=inbox.list_inbox(engine, caller, status.value if status else None))


@router.post("/{referral_id}/{action}", response_model=InboxActionResult)
def referral_step(
    caller: SyncCallerDep,
    engine: EngineDep,
    action: ReferralAction,
    body: InboxActionRequest,
    referral_id: str = Path(min_length=1, max_length=64),
) -> InboxActionResult:
    """Acknowledge, accept, decline (reason required), allocate, close (outcome required) or add a note."""
    _not_wiping(caller)
    return inbox.act(engine, caller, referral_id, action, body)
