"""Push and pull: the sync API the laptop's engine speaks (youthwork.domain.protocol)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from youthwork.domain.protocol import PullRequest, PullResponse, PushRequest, PushResponse
from youthwork.server.deps import EngineDep, HandshakeSyncCallerDep, ReadEngineDep, SyncCallerDep, check_protocol
from youthwork.server.errors import ERROR_RESPONSES
from youthwork.server.pull import pull_page
from youthwork.server.push import push

router = APIRouter(prefix="/sync", tags=["sync"], responses=ERROR_RESPONSES)


def _json(model: PushResponse | PullResponse) -> Response:
    # Serialised straight from the model: no second validation pass on large pages.
    return Response(model.model_dump_json(), media_type="application/json")


@router.post("/push", response_model=PushResponse)
def push_changes(body: PushRequest, caller: SyncCallerDep, engine: EngineDep) -> Response:
    """Apply a batch of changes from this device's outbox; a change sent before returns its first result."""
    # A device marked for wipe is answered 410 wipe_required by SyncCallerDep: that is how it learns, here.
    check_protocol(body.protocol_version, body.schema_version, body.device_time)
    results = push(engine, caller, body.changes)
    return _json(PushResponse(results=results, server_time=datetime.now(UTC)))


@router.post("/pull", response_model=PullResponse)
def pull_changes(body: PullRequest, caller: HandshakeSyncCallerDep, engine: ReadEngineDep) -> Response:
    """The next page of changes this device's user may see, after `cursor`."""
    now = datetime.now(UTC)
    if caller.wipe_requested:  # the wipe comes first, whatever else is wrong with the request
        return _json(PullResponse(changes=[], cursor=body.cursor or "", has_more=False, server_time=now, wipe=True))
    check_protocol(body.protocol_version, body.schema_version, body.device_time)
    page = pull_page(engine, caller, body.cursor, body.limit)
    return Response(page.to_json(now), media_type="application/json")
