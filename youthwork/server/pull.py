"""Serving the change log to a device: its team's feed, a page at a time, each record as the caller may see it."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from youthwork.server import changelog, scope
from youthwork.server import schema as t
from youthwork.server.auth import Caller
from youthwork.server.errors import ApiError
from youthwork.sync.protocol import ServerChange

log = logging.getLogger(__name__)


def pull(engine: sa.Engine, caller: Caller, cursor: str | None, limit: int) -> tuple[list[ServerChange], str, bool]:
    after = changelog.decode_cursor(cursor)
    if after is None:
        raise ApiError(400, "bad_cursor", "The sync position from this laptop isn't valid. Sync from the start again.")
    cl, rec = t.change_log, t.records
    query = (
        sa.select(cl.c.seq, cl.c.table_name, cl.c.record_id, rec.c.team_id, rec.c.version, rec.c.deleted, rec.c.data)
        .select_from(cl.join(rec, sa.and_(rec.c.table_name == cl.c.table_name, rec.c.record_id == cl.c.record_id)))
        .where(cl.c.team_id == caller.team_id, cl.c.seq > after)
        .order_by(cl.c.seq)
        .limit(limit + 1)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        has_more = len(rows) > limit
        rows = rows[:limit]
        foreign_people = sorted(
            {r.record_id for r in rows if r.table_name == scope.PEOPLE and r.team_id != caller.team_id}
        )
        shared = shared_fields(conn, caller.team_id, foreign_people)
    last: dict[tuple[str, str], Any] = {}
    for row in rows:
        # A record changed twice in a page goes once, as it is now.
        last.pop((row.table_name, row.record_id), None)
        last[(row.table_name, row.record_id)] = row
    changes = []
    for row in last.values():
        if row.deleted:
            changes.append(
                ServerChange(table=row.table_name, record_id=row.record_id, op="delete", version=row.version)
            )
            continue
        fields = scope.view(caller, row.table_name, row.data, row.team_id, shared.get(row.record_id))
        if fields is not None:
            changes.append(
                ServerChange(
                    table=row.table_name, record_id=row.record_id, op="upsert", fields=fields, version=row.version
                )
            )
    next_cursor = changelog.encode_cursor(rows[-1].seq if rows else after)
    return changes, next_cursor, has_more


def shared_fields(conn: sa.Connection, team_id: str, person_ids: list[str]) -> dict[str, frozenset[str]]:
    """For each young person, the fields other teams shared with `team_id`."""
    out: dict[str, frozenset[str]] = {}
    for i in range(0, len(person_ids), 500):
        rows = conn.execute(
            sa.select(t.shares.c.record_id, t.shares.c.fields).where(
                t.shares.c.table_name == scope.PEOPLE,
                t.shares.c.team_id == team_id,
                t.shares.c.record_id.in_(person_ids[i : i + 500]),
            )
        )
        for row in rows:
            out[row.record_id] = out.get(row.record_id, frozenset()) | frozenset(row.fields)
    return out
