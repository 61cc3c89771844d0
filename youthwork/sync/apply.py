"""Applying a pulled page to the local store: in bulk, in the caller's transaction, never over an unsent edit.

For each record the page carries its current visible fields and server version. A field that still has an unsent
local change is left alone (the local edit is pushed later and the server decides); a record with an unsent local
delete is not brought back; a tombstone deletes. Rows are grouped by table and column set and written with one
`executemany` per group (an upsert on `id`), which is what makes an initial sync of a million rows practical.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from youthwork.domain.codec import _base, _hints
from youthwork.domain.records import RECORD_TYPES, Record
from youthwork.store.database import Database
from youthwork.store.rowcodec import codec_for
from youthwork.sync.protocol import ServerChange

log = logging.getLogger(__name__)

_CHUNK = 500
Pending = dict[tuple[str, str], set[str] | None]  # (table, id) -> unsent fields; None: an unsent delete


@dataclass(frozen=True, slots=True)
class PageResult:
    applied: int
    deleted: int
    skipped: int


@cache
def _column_plan(cls: type[Record]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per field: a fast wire-value -> column converter; and the column defaults for a new row."""
    convert: dict[str, Any] = {}
    codec = codec_for(cls)
    hints = _hints(cls)
    for name in codec.fields:
        tp = _base(hints[name])
        if name in codec.json_fields:
            convert[name] = _json_column
        elif name in codec.bool_fields:
            convert[name] = _bool_column
        elif tp in (datetime, date):
            convert[name] = lambda v, n=name, c=codec: c.wire_to_column(n, v)
        else:
            convert[name] = None  # text and numbers go in as they are
    defaults = codec.to_row(cls())
    return convert, defaults


def _json_column(value: Any) -> Any:
    return None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _bool_column(value: Any) -> Any:
    return None if value is None else int(bool(value))


def local_values(cls: type[Record], fields: dict[str, Any], pending: set[str]) -> dict[str, Any]:
    """The columns a remote change may set: known fields, minus `id` and any with an unsent local change."""
    convert, _defaults = _column_plan(cls)
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "id" or name in pending or name not in convert:
            continue
        fn = convert[name]
        out[name] = value if fn is None or value is None else fn(value)
    return out


def pending_for(db: Database, keys: Iterable[tuple[str, str]]) -> Pending:
    """Unsent local changes for the given records (looked up in chunks; the outbox is indexed by record)."""
    by_table: dict[str, list[str]] = defaultdict(list)
    for table, rid in keys:
        by_table[table].append(rid)
    out: Pending = {}
    for table, ids in by_table.items():
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = db.query(
                f"SELECT record_id, op, fields FROM outbox WHERE tbl = ? AND record_id IN ({marks})", [table, *chunk]
            )
            for r in rows:
                key = (table, r["record_id"])
                if r["op"] == "delete":
                    out[key] = None
                elif key not in out or out[key] is not None:
                    out[key] = (out.get(key) or set()) | set(json.loads(r["fields"]))
    return out


def apply_page(db: Database, changes: Sequence[ServerChange]) -> PageResult:
    """Apply one page of server changes. Call inside the transaction that also stores the page's cursor."""
    assert db.in_transaction, "a page and its cursor are applied in one transaction"
    known = [c for c in changes if c.table in RECORD_TYPES]
    if len(known) != len(changes):
        log.warning("%d changes for unknown record types skipped", len(changes) - len(known))
    pending = pending_for(db, ((c.table, c.record_id) for c in known)) if known else {}
    deletes: dict[str, list[tuple[str]]] = defaultdict(list)
    upserts: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = defaultdict(list)
    skipped = len(changes) - len(known)
    for c in known:
        key = (c.table, c.record_id)
        if c.op == "delete":
            deletes[c.table].append((c.record_id,))
            continue
        if key in pending and pending[key] is None:
            skipped += 1  # an unsent local delete: not brought back
            continue
        cls = RECORD_TYPES[c.table]
        values = local_values(cls, c.fields, pending.get(key) or set())
        cols = tuple(values)
        upserts[(c.table, cols)].append([c.record_id, *values.values(), c.version])
    for table, rows in deletes.items():
        db.executemany(f"DELETE FROM {table} WHERE id = ?", rows)
    for (table, cols), rows in upserts.items():
        _upsert(db, RECORD_TYPES[table], cols, rows)
    return PageResult(
        applied=sum(len(r) for r in upserts.values()), deleted=sum(map(len, deletes.values())), skipped=skipped
    )


def _upsert(db: Database, cls: type[Record], cols: tuple[str, ...], rows: list[list[Any]]) -> None:
    """Insert new records (columns not sent take their defaults); update existing ones unless already newer."""
    _convert, defaults = _column_plan(cls)
    extra = [n for n in defaults if n not in cols and n != "id"]
    # A new row needs every NOT NULL column: fill the ones this view leaves out with the record's defaults.
    insert_cols = ["id", *cols, *extra, "_server_version"]
    extra_values = [defaults[n] for n in extra]
    marks = ", ".join("?" * len(insert_cols))
    sets = ", ".join([*(f"{n} = excluded.{n}" for n in cols), "_server_version = excluded._server_version"])
    sql = (
        f"INSERT INTO {cls.TABLE} ({', '.join(insert_cols)}) VALUES ({marks}) "
        f"ON CONFLICT (id) DO UPDATE SET {sets} WHERE excluded._server_version >= {cls.TABLE}._server_version"
    )
    if extra_values:
        db.executemany(sql, ([*r[:-1], *extra_values, r[-1]] for r in rows))
    else:
        db.executemany(sql, rows)
