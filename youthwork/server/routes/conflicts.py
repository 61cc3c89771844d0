"""Conflicts to review: the team's unsettled field conflicts, and marking one settled once a reviewer has chosen.

The chosen value itself reaches the record as an ordinary edit through push (with the right base version), so the
choice syncs like any other change; this route only records that the conflict has been dealt with.
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path

from youthwork.domain.clock import utc_now
from youthwork.domain.protocol import MAX_ID, ConflictItem, ConflictList, ResolveRequest
from youthwork.server import schema as t
from youthwork.server import scope
from youthwork.server.auth import Caller
from youthwork.server.clock import aware
from youthwork.server.deps import EngineDep, SyncCallerDep
from youthwork.server.errors import ERROR_RESPONSES, ApiError

router = APIRouter(prefix="/sync", tags=["sync"], responses=ERROR_RESPONSES)

# Bookkeeping fields every edit touches: a disagreement about them is not something a person needs to settle.
NOT_FOR_REVIEW = frozenset({"updated_at", "created_at"})
MAX_LISTED = 500


def _visible(caller: Caller, table: str, field: str) -> bool:
    # Only fields the caller's role may read of its own team's records (partner staff: the minimum of a person).
    return field not in NOT_FOR_REVIEW and scope.reads_field(caller, table, field)


def _item(row: sa.Row[Any]) -> ConflictItem:
    return ConflictItem(
        id=row.id,
        table=row.table_name,
        record_id=row.record_id,
        field=row.field,
        server_value=row.server_value,
        incoming_value=row.incoming_value,
        kept=row.kept,
        status=row.status,
        created_at=aware(row.created_at),
    )


@router.get("/conflicts", response_model=ConflictList)
def list_conflicts(caller: SyncCallerDep, engine: EngineDep) -> ConflictList:
    """Unsettled conflicts on this team's records, oldest first."""
    c = t.conflicts
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(c)
            .where(c.c.team_id == caller.team_id, c.c.resolved_at.is_(None))
            .order_by(c.c.id)
            .limit(MAX_LISTED * 4)
        ).all()
    items = [_item(r) for r in rows if _visible(caller, r.table_name, r.field)]
    return ConflictList(conflicts=items[:MAX_LISTED])


@router.post("/conflicts/{conflict_id}/resolve", response_model=ConflictItem)
def resolve_conflict(
    conflict_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: ResolveRequest,
    caller: SyncCallerDep,
    engine: EngineDep,
) -> ConflictItem:
    """Mark a conflict settled (the reviewer's chosen value is pushed as an ordinary edit). Safe to repeat."""
    c = t.conflicts
    with engine.connect() as conn, conn.begin():
        row = conn.execute(sa.select(c).where(c.c.id == conflict_id, c.c.team_id == caller.team_id)).first()
        if row is None or not _visible(caller, row.table_name, row.field):
            raise ApiError(404, "not_found", "That conflict isn't on this team's list.")
        if row.resolved_at is None:
            conn.execute(
                c.update().where(c.c.id == conflict_id).values(status=f"chose-{body.chosen}", resolved_at=utc_now())
            )
        row = conn.execute(sa.select(c).where(c.c.id == conflict_id)).one()
    return _item(row)
