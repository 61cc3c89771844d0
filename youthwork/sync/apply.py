"""Applying a pulled page to the local store: in bulk, in the caller's transaction, never over an unsent edit.

For each record the page carries its current visible fields and server version. A field that still has an unsent
local change is left alone (the local edit is pushed later and the server decides), and the value it brought is kept
aside (`sync_state` `skipped:*`): if that change turns out to be older than the page (its reply was lost and it is
answered from the server's record of it), the acknowledgement puts the page's value in place (`settle_skipped`), or
this laptop would keep showing its own older value with nothing left to pull. A record with an unsent local delete is
not brought back; a tombstone deletes. Rows are grouped by table and column set and written with one
`executemany` per group (an upsert on `id`), which is what makes an initial sync of a million rows practical.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from youthwork.domain.codec import base_type, field_types
from youthwork.domain.memo import cached, lru_cached
from youthwork.domain.records import RECORD_TYPES, Record
from youthwork.store.database import Database
from youthwork.store.rowcodec import codec_for
from youthwork.sync.pages import PulledChange

log = logging.getLogger(__name__)

_CHUNK = 500
Pending = dict[tuple[str, str], set[str] | None]  # (table, id) -> unsent fields; None: an unsent delete


@dataclass(frozen=True, slots=True)
class PageResult:
    applied: int
    deleted: int
    skipped: int


def _iso_datetime(value: Any) -> Any:
    # The codec's own UTC form ("...T18:00:00.123000+00:00" or without the fraction) is stored as it is.
    if isinstance(value, str) and value.endswith("+00:00") and len(value) in (25, 32) and value[10] == "T":
        return value
    return datetime.fromisoformat(value).isoformat() if isinstance(value, str) else value


def _iso_date(value: Any) -> Any:
    return date.fromisoformat(value).isoformat() if isinstance(value, str) else value


def _json_column(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _bool_column(value: Any) -> Any:
    return int(bool(value))


@cached
def _converters(cls: type[Record]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per field: a wire-value -> column converter (None: as it is); and the column defaults for a new row."""
    codec = codec_for(cls)
    hints = field_types(cls)
    convert: dict[str, Any] = {}
    for name in codec.fields:
        tp = base_type(hints[name])
        if name in codec.json_fields:
            convert[name] = _json_column
        elif name in codec.bool_fields:
            convert[name] = _bool_column
        elif tp is datetime:
            convert[name] = _iso_datetime
        elif tp is date:
            convert[name] = _iso_date
        else:
            convert[name] = None  # text and numbers go in as they are
    return convert, codec.to_row(cls())


@dataclass(frozen=True, slots=True)
class RowPlan:
    columns: tuple[str, ...]  # the columns to write, in row order
    take: Any  # values in -> tuple of raw values for `columns`
    convert: tuple[tuple[int, Any], ...]  # (index in the row, converter) for values not stored as they are


@lru_cached(4096)
def row_plan(cls: type[Record], names: tuple[str, ...], pending: frozenset[str]) -> tuple[tuple[str, int, Any], ...]:
    """The merge rule for one shape of remote change: which incoming fields become which columns.

    `id` is the key, unknown fields are ignored, and a field with an unsent local change is left alone.
    Returns (column, position in `names`, converter or None) for each column to write.
    """
    convert, _defaults = _converters(cls)
    return tuple((n, i, convert[n]) for i, n in enumerate(names) if n != "id" and n in convert and n not in pending)


@lru_cached(4096)
def _compiled(cls: type[Record], names: tuple[str, ...], pending: frozenset[str]) -> RowPlan:
    """`row_plan` made fast: one C-level itemgetter per shape, converters only where a column needs one."""
    steps = row_plan(cls, names, pending)
    positions = [i for _n, i, _fn in steps]
    take: Callable[[Any], tuple[Any, ...]]
    if not positions:
        take = lambda _values: ()  # noqa: E731
    elif len(positions) == 1:
        get = itemgetter(positions[0])
        take = lambda values: (get(values),)  # noqa: E731
    else:
        take = itemgetter(*positions)
    return RowPlan(tuple(n for n, _i, _fn in steps), take, tuple((j, fn) for j, (_n, _i, fn) in enumerate(steps) if fn))


def local_values(cls: type[Record], fields: dict[str, Any], pending: set[str]) -> dict[str, Any]:
    """The columns a remote change may set, converted from their wire form."""
    plan = _compiled(cls, tuple(fields), frozenset(pending))
    row = _row(plan, list(fields.values()))
    return dict(zip(plan.columns, row, strict=True))


def _row(plan: RowPlan, values: list[Any]) -> list[Any]:
    row = list(plan.take(values))
    for j, fn in plan.convert:
        v = row[j]
        if v is not None:
            row[j] = fn(v)
    return row


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


def apply_page(db: Database, changes: Sequence[PulledChange]) -> PageResult:
    """Apply one page of server changes. Call inside the transaction that also stores the page's cursor."""
    assert db.in_transaction, "a page and its cursor are applied in one transaction"
    # A record type this app (or this store's schema) doesn't have yet is skipped, not a reason to stop syncing.
    tables = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    known = [c for c in changes if c.table in RECORD_TYPES and c.table in tables]
    if len(known) != len(changes):
        log.warning("%d changes for unknown record types skipped", len(changes) - len(known))
    # Nothing waiting to be sent (a first sync, mostly): no record of the page can have an unsent change.
    waiting = known and db.scalar("SELECT 1 FROM outbox LIMIT 1") is not None
    pending = pending_for(db, ((c.table, c.record_id) for c in known)) if waiting else {}
    deletes: dict[str, list[tuple[str]]] = defaultdict(list)
    upserts: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = defaultdict(list)
    skipped = len(changes) - len(known)
    no_pending: frozenset[str] = frozenset()
    aside: list[tuple[str, str]] = []
    for c in known:
        key = (c.table, c.record_id)
        if c.op == "delete":
            deletes[c.table].append((c.record_id,))
            continue
        mine = pending.get(key, no_pending)
        if mine is None:
            skipped += 1  # an unsent local delete: not brought back
            continue
        fields = c.fields
        if mine:
            aside += [
                (_skipped_key(c.table, c.record_id, n), _json_column({"v": c.version, "value": fields[n]}))
                for n in mine.intersection(fields)
            ]
        plan = _compiled(RECORD_TYPES[c.table], tuple(fields), frozenset(mine) if mine else no_pending)
        row = _row(plan, list(fields.values()))
        row.insert(0, c.record_id)
        row.append(c.version)
        upserts[(c.table, plan.columns)].append(row)
    for table, ids in deletes.items():
        db.executemany(f"DELETE FROM {table} WHERE id = ?", ids)
        for (rid,) in ids:
            forget_skipped(db, table, rid)
    for (table, cols), rows in upserts.items():
        _upsert(db, RECORD_TYPES[table], cols, rows)
    if aside:
        db.executemany(
            "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            " WHERE json_extract(excluded.value, '$.v') >= json_extract(sync_state.value, '$.v')",
            aside,
        )
    return PageResult(
        applied=sum(len(r) for r in upserts.values()), deleted=sum(map(len, deletes.values())), skipped=skipped
    )


def _upsert(db: Database, cls: type[Record], cols: tuple[str, ...], rows: list[list[Any]]) -> None:
    """Insert new records (columns not sent take their defaults); update existing ones unless already newer."""
    _convert, defaults = _converters(cls)
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


SKIPPED_PREFIX = "skipped:"


def _skipped_key(table: str, record_id: str, name: str) -> str:
    return f"{SKIPPED_PREFIX}{table}:{record_id}:{name}"


def forget_skipped(db: Database, table: str, record_id: str) -> None:
    """Drop the values kept aside for a record that is gone (deleted, erased): they may hold personal data."""
    prefix = _skipped_key(table, record_id, "")
    db.execute("DELETE FROM sync_state WHERE key >= ? AND key < ?", (prefix, prefix[:-1] + ";"))


def settle_skipped(db: Database, table: str, record_id: str, names: Iterable[str], answered: int | None) -> set[str]:
    """After a change to `names` is acknowledged: each field a page left alone for it, and no longer waiting, takes
    the page's value if the page is newer than the server's answer (`answered`; None: the server refused the change).
    Returns the fields set that way. Call inside the acknowledgement's transaction, after the outbox entry is gone."""
    cls = RECORD_TYPES.get(table)
    if cls is None:
        return set()
    keys = {_skipped_key(table, record_id, n): n for n in names}
    marks = ",".join("?" * len(keys))
    rows = db.query(f"SELECT key, value FROM sync_state WHERE key IN ({marks})", list(keys)) if keys else []
    if not rows:
        return set()
    waiting = set()
    for r in db.query("SELECT op, fields FROM outbox WHERE tbl = ? AND record_id = ?", (table, record_id)):
        waiting |= set(json.loads(r["fields"])) if r["op"] != "delete" else set(keys.values())
    newer: dict[str, Any] = {}
    done = []
    for r in rows:
        name = keys[r["key"]]
        if name in waiting:
            continue  # edited again since: that change decides, and may use this later
        done.append((r["key"],))
        left = json.loads(r["value"])
        if answered is None or left["v"] > answered:
            newer[name] = left["value"]
    db.executemany("DELETE FROM sync_state WHERE key = ?", done)
    values = local_values(cls, newer, set())
    if values:
        sets = ", ".join(f"{n} = ?" for n in values)
        db.execute(f"UPDATE {cls.TABLE} SET {sets} WHERE id = ?", [*values.values(), record_id])
    return set(values)
