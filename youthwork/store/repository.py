"""Reading and writing records. Every local write and its outbox entry happen in one transaction.

One generic repository serves every record type: the table is `cls.TABLE`, the columns are the dataclass fields
(see `rowcodec`). A new record type needs only a migration that creates its table.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from functools import cache
from typing import Any, TypeVar

from youthwork.domain.codec import encode_value
from youthwork.domain.records import Record, utc_now
from youthwork.store.database import Database
from youthwork.store.errors import ReadOnlyRecord
from youthwork.store.outbox import Outbox
from youthwork.store.rowcodec import codec_for

log = logging.getLogger(__name__)

R = TypeVar("R", bound=Record)

ROWS_PER_STATEMENT = 128  # rows of a multi-row INSERT (bulk_insert)
_MAX_PARAMS = 32766  # SQLite's default limit on a statement's bound values since 3.32


@cache
def _insert_sql(table: str, fields: tuple[str, ...], rows: int) -> str:
    one = "(" + ", ".join("?" * len(fields)) + ")"
    return f"INSERT INTO {table} ({', '.join(fields)}) VALUES " + ", ".join([one] * rows)


class Repository:
    def __init__(self, db: Database, outbox: Outbox) -> None:
        self._db = db
        self._outbox = outbox

    # ---- reading ------------------------------------------------------------------------------------------------

    def get(self, cls: type[R], record_id: str) -> R | None:
        row = self._db.one(f"SELECT * FROM {cls.TABLE} WHERE id = ?", (record_id,))
        return None if row is None else codec_for(cls).from_row(row)  # type: ignore[return-value]

    def select(
        self,
        cls: type[R],
        where: str = "",
        params: Sequence[Any] = (),
        *,
        order: str = "",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[R]:
        sql = f"SELECT * FROM {cls.TABLE}"
        if where:
            sql += f" WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        codec = codec_for(cls)
        return codec.from_rows(self._db.query(sql, params))  # type: ignore[return-value]

    def count(self, cls: type[Record], where: str = "", params: Sequence[Any] = ()) -> int:
        sql = f"SELECT count(*) FROM {cls.TABLE}" + (f" WHERE {where}" if where else "")
        return int(self._db.scalar(sql, params))

    def server_version(self, cls: type[Record], record_id: str) -> int:
        return int(self._db.scalar(f"SELECT _server_version FROM {cls.TABLE} WHERE id = ?", (record_id,)) or 0)

    # ---- local writes (queued for sync) -------------------------------------------------------------------------

    def save(self, record: R) -> R:
        """Insert a new record or update the changed fields of an existing one, with its outbox entry."""
        cls = type(record)
        codec = codec_for(cls)
        with self._db.transaction():
            old = self._db.one(f"SELECT * FROM {cls.TABLE} WHERE id = ?", (record.id,))
            if old is None:
                row = codec.to_row(record)
                self._insert_row(cls.TABLE, row, server_version=0)
                wire = {name: encode_value(getattr(record, name)) for name in codec.fields}
                self._outbox.add(cls.TABLE, record.id, "upsert", wire, 0)
                return record
            if cls.APPEND_ONLY:
                raise ReadOnlyRecord(
                    "This record can't be changed once saved. Add a correction instead; the original stays."
                )
            row = codec.to_row(record)
            changed = [n for n in codec.fields if n not in ("id", "updated_at") and row[n] != old[n]]
            if not changed:
                return record
            record.updated_at = utc_now()
            row["updated_at"] = codec.to_column("updated_at", record.updated_at)
            changed.append("updated_at")
            sets = ", ".join(f"{n} = ?" for n in changed)
            self._db.execute(f"UPDATE {cls.TABLE} SET {sets} WHERE id = ?", [row[n] for n in changed] + [record.id])
            wire = {n: encode_value(getattr(record, n)) for n in changed}
            base = self._outbox.base_for(cls.TABLE, record.id, changed, int(old["_server_version"]))
            self._outbox.add(cls.TABLE, record.id, "upsert", wire, base)
            return record

    def delete(self, cls: type[Record], record_id: str) -> bool:
        if cls.APPEND_ONLY:
            raise ReadOnlyRecord("This record can't be deleted. Add a correction instead; the original stays.")
        with self._db.transaction():
            version = self._db.scalar(f"SELECT _server_version FROM {cls.TABLE} WHERE id = ?", (record_id,))
            if version is None:
                return False
            self._db.execute(f"DELETE FROM {cls.TABLE} WHERE id = ?", (record_id,))
            base = self._outbox.base_for(cls.TABLE, record_id, (), int(version))
            self._outbox.add(cls.TABLE, record_id, "delete", {}, base)
            return True

    def bulk_insert(self, records: Iterable[Record], *, outbox: bool = False) -> int:
        """Insert many new records fast (demo data, imports). Call inside a transaction for speed.

        Inside the caller's transaction the rows go straight into it, with no savepoint of their own: while a
        savepoint is open SQLite copies every page that existed when it began to a sub-journal before changing it,
        and an import chunk changes most of the people indexes' pages (0.6 s of CPU per 20,000 young people). If an
        insert fails, let the error through so that the caller's transaction is rolled back whole."""
        by_type: dict[type[Record], list[Record]] = {}
        for r in records:
            by_type.setdefault(type(r), []).append(r)
        total = 0
        with nullcontext() if self._db.in_transaction else self._db.transaction():
            for cls, items in by_type.items():
                codec = codec_for(cls)
                if not outbox:
                    self._insert_many(
                        cls.TABLE,
                        codec.fields,
                        ([codec.to_column(n, getattr(r, n)) for n in codec.fields] for r in items),
                    )
                else:
                    # Each value is encoded once: the column is the wire value but for lists, dicts and booleans.
                    wires = [codec.wire_of(r) for r in items]
                    self._insert_many(cls.TABLE, codec.fields, (codec.wire_row(w) for w in wires))
                    self._outbox.add_new(cls.TABLE, [(r.id, w) for r, w in zip(items, wires, strict=True)])
                total += len(items)
        return total

    def _insert_many(self, table: str, fields: tuple[str, ...], rows: Iterable[Sequence[Any]]) -> None:
        """`rows` inserted many to a statement (`INSERT ... VALUES (...), (...), ...`), not one statement each.

        A statement that fires triggers runs in a statement transaction of its own, at whose start the full-text
        index writes out what it holds (for one row a segment of one young person, to be merged again) and in which
        SQLite copies each page it changes to a sub-journal first: for an import's 20,000 young people and their
        registers, a statement per row was ~15% of the writing. Statements take ROWS_PER_STATEMENT rows and the rest
        go by powers of two, so that only a few shapes of statement are prepared and kept in the connection's cache
        (a 600-row one takes 2.4 MB)."""
        width = len(fields)
        full = min(ROWS_PER_STATEMENT, _MAX_PARAMS // width)
        values: list[Any] = []
        n = 0
        for row in rows:
            values.extend(row)
            n += 1
            if n == full:
                self._db.execute(_insert_sql(table, fields, n), values)
                values, n = [], 0
        done, size = 0, full
        while n:
            size = min(size, 1 << (n.bit_length() - 1))  # the largest power of two not above what is left
            self._db.execute(_insert_sql(table, fields, size), values[done * width : (done + size) * width])
            done, n = done + size, n - size

    def _insert_row(self, table: str, row: dict[str, Any], *, server_version: int) -> None:
        cols = [*row, "_server_version"]
        marks = ", ".join("?" * len(cols))
        self._db.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", [*row.values(), server_version])
