"""Serving the change log to a device: its team's feed, a page at a time, each record as the caller may see it.

Records the caller sees whole (their own team's, for roles that see everything) go out as the database's own JSON
text, never parsed and re-encoded: most of a page, and most of the cost of a pull.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from youthwork.domain.protocol import PullResponse, ServerChange
from youthwork.server import bulk, changelog, scope
from youthwork.server import schema as t
from youthwork.server.auth import Caller
from youthwork.server.errors import ApiError

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Item:
    table: str
    record_id: str
    op: str
    version: int
    fields: dict[str, Any] | None = None  # a projected view
    raw: str | None = None  # the whole record as JSON text


@dataclass(slots=True)
class Page:
    items: list[Item]
    cursor: str
    has_more: bool

    def changes(self) -> list[ServerChange]:
        return [
            ServerChange(
                table=i.table,
                record_id=i.record_id,
                op=i.op,
                fields=json.loads(i.raw) if i.raw is not None else (i.fields or {}),
                version=i.version,
            )
            for i in self.items
        ]

    def to_json(self, server_time: datetime) -> str:
        """The PullResponse as JSON text, splicing in raw records as they are."""
        dumps = bulk.dumps  # orjson's: a tenth of the standard library's time for a short string
        tables: dict[str, str] = {}
        parts = []
        for i in self.items:
            fields = i.raw if i.raw is not None else dumps(i.fields or {})
            table = tables.get(i.table) or tables.setdefault(i.table, dumps(i.table))
            parts.append(
                f'{{"table":{table},"record_id":{dumps(i.record_id)},"op":"{i.op}",'
                f'"fields":{fields},"version":{int(i.version)}}}'
            )
        tail = PullResponse(changes=[], cursor=self.cursor, has_more=self.has_more, server_time=server_time)
        rest = tail.model_dump_json()
        assert rest.startswith('{"changes":[]')
        return '{"changes":[' + ",".join(parts) + "]" + rest[len('{"changes":[]') :]


def pull_page(engine: sa.Engine, caller: Caller, cursor: str | None, limit: int) -> Page:
    after = changelog.decode_cursor(cursor)
    if after is None:
        raise ApiError(400, "bad_cursor", "The sync position from this laptop isn't valid. Sync from the start again.")
    cl, rec = t.change_log, t.records
    query = (
        sa.select(
            cl.c.seq,
            cl.c.table_name,
            cl.c.record_id,
            rec.c.team_id,
            rec.c.version,
            rec.c.deleted,
            sa.cast(rec.c.data, sa.Text).label("data"),
        )
        .select_from(cl.join(rec, sa.and_(rec.c.table_name == cl.c.table_name, rec.c.record_id == cl.c.record_id)))
        .where(cl.c.team_id == caller.team_id, cl.c.seq > after)
        .order_by(cl.c.seq)
        .limit(limit + 1)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()  # read by position: a Row's attribute lookup was a fifth of a page
        has_more = len(rows) > limit
        rows = rows[:limit]
        people, mine = scope.PEOPLE, caller.team_id
        foreign = sorted({r[2] for r in rows if r[1] == people and r[3] != mine})
        shared = shared_fields(conn, caller.team_id, foreign)
    last: dict[tuple[str, str], Any] = {}
    for row in rows:
        # A record changed twice in a page goes once, as it is now.
        key = (row[1], row[2])
        last.pop(key, None)
        last[key] = row
    items = []
    whole: dict[tuple[str, str], bool] = {}  # (table, owner team) -> scope.sees_whole, worked out once per page
    for _seq, table, rid, team, version, deleted, data in last.values():
        if deleted:
            items.append(Item(table, rid, "delete", version, fields={}))
            continue
        sees = whole.get((table, team))
        if sees is None:
            sees = whole[(table, team)] = scope.sees_whole(caller, table, team)
        if sees:
            items.append(Item(table, rid, "upsert", version, raw=data))
        else:
            fields = scope.view(caller, table, json.loads(data), team, shared.get(rid))
            if fields is not None:
                items.append(Item(table, rid, "upsert", version, fields=fields))
    next_cursor = changelog.encode_cursor(rows[-1][0] if rows else after)
    return Page(items, next_cursor, has_more)


def pull(engine: sa.Engine, caller: Caller, cursor: str | None, limit: int) -> tuple[list[ServerChange], str, bool]:
    page = pull_page(engine, caller, cursor, limit)
    return page.changes(), page.cursor, page.has_more


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
