"""The audit trail on the laptop: who viewed, changed, shared, printed, exported, broke the glass or erased what, when.

    audit = AuditTrail(profile)
    audit.record(AuditAction.VIEWED, "people", person.id, person_id=person.id)
    problems = audit.verify()          # [] when the chain is whole

Entries are `AuditEntry` records (youthwork.domain.privacy): append-only, saved with their outbox entry so they sync
to the server like any other record, and chained per device: entry n stores the hash of entry n-1 and the hash of
its own content. `verify()` recomputes every chain, so an altered, removed or reordered row is reported. The last
entry's hash is also kept as the chain's head in `sync_state`, so removing the newest entries is detected too.
Entries carry record ids and codes only, never names or free text: they outlive erasure of the person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from youthwork.domain.codec import to_dict
from youthwork.domain.privacy import GENESIS_HASH, AuditAction, AuditEntry, ChainProblem, audit_hash, verify_entries
from youthwork.store.profile import Profile
from youthwork.store.rowcodec import codec_for

log = logging.getLogger(__name__)

_HEAD_KEY = "audit_head"


@dataclass(slots=True, kw_only=True)
class AuditFilter:
    user_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    record_id: str | None = None  # matches the record or the young person it is about
    table_name: str | None = None


def _head_key(device: str) -> str:
    return f"{_HEAD_KEY}:{device}"


class AuditTrail:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._db = profile.db

    @property
    def device(self) -> str:
        return self._profile.store_id

    def record(
        self,
        action: AuditAction | str,
        table_name: str,
        record_id: str,
        *,
        person_id: str = "",
        reason: str = "",
        user_id: str | None = None,
    ) -> AuditEntry:
        """Append one entry to this laptop's chain (in the caller's transaction, if there is one)."""
        action = AuditAction(action)
        with self._profile.transaction():
            last = self._db.one(
                "SELECT seq, hash FROM audit_log WHERE device = ? ORDER BY seq DESC LIMIT 1", (self.device,)
            )
            seq, prev = (int(last["seq"]) + 1, str(last["hash"])) if last else (1, GENESIS_HASH)
            uid = self._profile.user_id if user_id is None else user_id
            entry = AuditEntry(
                team_id=self._profile.team_id,
                created_by=uid,
                device=self.device,
                seq=seq,
                user_id=uid,
                action=action.value,
                table_name=table_name,
                record_id=record_id,
                person_id=person_id,
                reason=str(reason),
                prev_hash=prev,
            )
            entry.hash = audit_hash(to_dict(entry))
            self._profile.records.save(entry)
            self._db.execute(
                "INSERT INTO sync_state (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (_head_key(self.device), f"{seq}:{entry.hash}"),
            )
        log.debug("audit %s %s", action.value, table_name)
        return entry

    # ---- verification -------------------------------------------------------------------------------------------

    def verify(self) -> list[ChainProblem]:
        """Every problem found in every device's chain held here; [] when all are whole."""
        rows = self._db.query("SELECT * FROM audit_log ORDER BY device, seq, rowid")
        codec = codec_for(AuditEntry)
        entries = [to_dict(codec.from_row(r)) for r in rows]
        heads = {
            key.split(":", 1)[1]: value
            for key, value in self._db.query("SELECT key, value FROM sync_state WHERE key LIKE ?", (f"{_HEAD_KEY}:%",))
        }
        return verify_entries(entries, heads)

    # ---- reading ------------------------------------------------------------------------------------------------

    def search(self, f: AuditFilter | None = None, *, limit: int = 500, offset: int = 0) -> list[AuditEntry]:
        """Entries newest first, filtered for the supervisor's view."""
        where, params = _where(f or AuditFilter())
        return self._profile.records.select(
            AuditEntry, where, params, order="at DESC, seq DESC", limit=limit, offset=offset
        )

    def count(self, f: AuditFilter | None = None) -> int:
        where, params = _where(f or AuditFilter())
        return self._profile.records.count(AuditEntry, where, params)

    def about_person(self, person_id: str) -> list[AuditEntry]:
        return self._profile.records.select(AuditEntry, "person_id = ?", (person_id,), order="at, seq")

    def users(self) -> list[str]:
        return [r[0] for r in self._db.query("SELECT DISTINCT user_id FROM audit_log ORDER BY user_id")]


def _where(f: AuditFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.user_id:
        clauses.append("user_id = ?")
        params.append(f.user_id)
    if f.action:
        clauses.append("action = ?")
        params.append(str(f.action))
    if f.since:
        clauses.append("at >= ?")
        params.append(f.since.isoformat())
    if f.until:
        clauses.append("at < ?")
        params.append(f.until.isoformat())
    if f.record_id:
        clauses.append("(record_id = ? OR person_id = ?)")
        params += [f.record_id, f.record_id]
    if f.table_name:
        clauses.append("table_name = ?")
        params.append(f.table_name)
    return " AND ".join(clauses), params
