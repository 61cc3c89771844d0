"""The outbox: local changes waiting to be pushed, and the sync bookkeeping (cursors, clock) beside it.

Rows are written by the repository in the same transaction as the record they describe. The sync engine reads
`pending()`, pushes, then `acknowledge()`s what the server accepted; the client's pull stores its cursor with
`set_cursor()` inside the same `profile.transaction()` as the page of changes it applied.

Versions: a record's `_server_version` is the version of the last pulled page applied to it, never what a push
acknowledgement reported; an edit's `base_version` comes from `base_for()`. The rule is model-checked in
`youthwork/sync/model/`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from youthwork.domain.hlc import HybridLogicalClock, Timestamp
from youthwork.domain.ids import new_id
from youthwork.domain.records import utc_now
from youthwork.store.database import Database

log = logging.getLogger(__name__)

RecordKey = tuple[str, str]  # (table, record_id)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    change_id: str
    table: str
    record_id: str
    op: str  # 'upsert' | 'delete'
    fields: dict[str, Any]  # only the changed fields, codec-encoded (the wire form)
    base_version: int  # the server version this laptop had APPLIED to the edited fields; 0 if never pulled
    hlc: str
    created_at: datetime


class Outbox:
    def __init__(self, db: Database, node: str) -> None:
        self._db = db
        last = db.scalar("SELECT value FROM sync_state WHERE key = 'hlc'")
        self.clock = HybridLogicalClock(node, last=Timestamp.parse(last) if last else None)
        self._watchers: list[Callable[[RecordKey], None]] = []

    @contextmanager
    def watching(self, note: Callable[[RecordKey], None]) -> Iterator[None]:
        """Call `note(key)` for every change queued through this connection inside the block (what changed)."""
        self._watchers.append(note)
        try:
            yield
        finally:
            self._watchers.remove(note)

    # ---- written by the repository ----------------------------------------------------------------------------

    def add(self, table: str, record_id: str, op: str, fields: dict[str, Any], base_version: int) -> str:
        """Queue one change. Call inside the transaction that writes the record."""
        assert self._db.in_transaction, "outbox entries are written in the record's transaction"
        change_id = new_id()
        hlc = str(self.clock.now())
        self._db.execute(
            "INSERT INTO outbox (change_id, tbl, record_id, op, fields, base_version, hlc, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (change_id, table, record_id, op, _dumps(fields), base_version, hlc, utc_now().isoformat()),
        )
        self._db.execute(
            "INSERT INTO sync_state (key, value) VALUES ('hlc', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (hlc,),
        )
        for note in self._watchers:
            note((table, record_id))
        return change_id

    def add_new(self, table: str, records: list[tuple[str, dict[str, Any]]]) -> None:
        """Queue the creation of many records at once (an import): one statement, one clock write. Call inside the
        transaction that writes them."""
        assert self._db.in_transaction, "outbox entries are written in the record's transaction"
        if not records:
            return
        now = utc_now().isoformat()
        rows = []
        for record_id, fields in records:
            rows.append((new_id(), table, record_id, _dumps(fields), str(self.clock.now()), now))
        self._db.executemany(
            "INSERT INTO outbox (change_id, tbl, record_id, op, fields, base_version, hlc, created_at)"
            " VALUES (?, ?, ?, 'upsert', ?, 0, ?, ?)",
            rows,
        )
        self._db.execute(
            "INSERT INTO sync_state (key, value) VALUES ('hlc', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (rows[-1][4],),
        )
        for note in self._watchers:
            for record_id, _ in records:
                note((table, record_id))

    # ---- the sync engine's side ---------------------------------------------------------------------------------

    def pending(self, limit: int = 500) -> list[OutboxEntry]:
        rows = self._db.query("SELECT * FROM outbox ORDER BY seq LIMIT ?", (limit,))
        return [
            OutboxEntry(
                seq=r["seq"],
                change_id=r["change_id"],
                table=r["tbl"],
                record_id=r["record_id"],
                op=r["op"],
                fields=json.loads(r["fields"]),
                base_version=r["base_version"],
                hlc=r["hlc"],
                created_at=datetime.fromisoformat(r["created_at"]),
            )
            for r in rows
        ]

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM outbox"))

    def acknowledge(self, change_ids: Iterable[str]) -> None:
        """Drop pushed changes the server has answered for.

        An acknowledgement never moves a record's version: the version it reports may include other laptops'
        changes this laptop has not received, and an edit that claimed to have seen them would overwrite them
        with no conflict kept. Only applying a pulled page raises the version (see `base_for`).
        """
        ids = list(change_ids)
        with self._db.transaction():
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                self._db.execute(f"DELETE FROM outbox WHERE change_id IN ({marks})", chunk)

    def base_for(self, table: str, record_id: str, fields: Iterable[str], applied: int) -> int:
        """The version a new edit of `fields` may claim to have seen: what this laptop has applied of them.

        `applied` is the record's version from the last page that reached it. A pulled page leaves alone a field
        with an unsent change, so for such a field this laptop has seen no more than that change's own base: an
        edit touching it claims the lowest of those. (`updated_at` changes with every edit and decides nothing.)
        """
        names = set(fields) - {"updated_at"}
        base = applied
        for r in self._db.query(
            "SELECT op, fields, base_version FROM outbox WHERE tbl = ? AND record_id = ?", (table, record_id)
        ):
            touched = set(json.loads(r["fields"]))
            if r["op"] == "delete" or not names or touched & names:
                base = min(base, int(r["base_version"]))
        return base

    def note_created(self, table: str, record_id: str) -> None:
        """The server answered this laptop's creation of a record with version 1, the record's first: that version
        is this laptop's own, so it has seen all of it (the one version an acknowledgement can vouch for)."""
        from youthwork.domain.records import RECORD_TYPES

        if table not in RECORD_TYPES:
            log.warning("server version for unknown table %s ignored", table)
            return
        self._db.execute(f"UPDATE {table} SET _server_version = 1 WHERE id = ? AND _server_version = 0", (record_id,))

    def pending_fields(self, table: str, record_id: str) -> set[str] | None:
        """Fields with unsent local changes for one record; None when a local delete is waiting."""
        names: set[str] = set()
        for r in self._db.query("SELECT op, fields FROM outbox WHERE tbl = ? AND record_id = ?", (table, record_id)):
            if r["op"] == "delete":
                return None
            names.update(json.loads(r["fields"]))
        return names

    def get_cursor(self, scope: str = "default") -> str | None:
        cursor: str | None = self._db.scalar("SELECT value FROM sync_state WHERE key = ?", (f"cursor:{scope}",))
        return cursor

    def set_cursor(self, cursor: str, scope: str = "default") -> None:
        self._db.execute(
            "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (f"cursor:{scope}", cursor),
        )


# One encoder for every entry: json.dumps with options builds a new JSONEncoder on each call.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)
