"""Erasure and anonymisation of a young person, legal holds that stop it, and wiping the freed bytes.

    erasure = ErasureService(profile)
    erasure.erase(person_id, mode=ErasureMode.ERASE, reason=ErasureReason.REQUEST, confirm=True)
    erasure.apply_incoming()    # after a sync: carry out erasures made on other laptops

An erasure deletes (or, for anonymisation, blanks) every record about the person on this laptop, drops their unsent
changes from the outbox and any draft naming them, and queues an `Erasure` tombstone. The tombstone reaches the server,
which erases its own copies and sends deletions to every device that had them; each device then runs the same erasure
for records only it held. Afterwards SQLite's secure_delete zeroes freed pages, the full-text index is rebuilt, the WAL
is folded in and truncated and the file is VACUUMed, so the bytes are gone from the decrypted content, not only hidden.
Audit entries and the tombstone stay: they hold ids and codes only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from youthwork.domain.codec import encode_value
from youthwork.domain.privacy import (
    ANONYMISED_KEEP,
    AuditAction,
    Erasure,
    ErasureMode,
    ErasureReason,
    LegalHold,
    anonymised,
)
from youthwork.domain.privacy import records_about as walk_records_about
from youthwork.domain.records import RECORD_TYPES, YoungPerson, utc_now
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.security.audit import AuditTrail
from youthwork.store.database import Database, DatabaseError
from youthwork.store.errors import StoreError
from youthwork.store.profile import Profile
from youthwork.store.rowcodec import codec_for
from youthwork.store.settings import WIPE_PENDING
from youthwork.sync.apply import forget_skipped

log = logging.getLogger(__name__)

WIPE_WAIT_MS = 500


class LegalHoldActive(ValidationError):
    """Erasure refused: records about this young person are under a legal hold."""


@dataclass(slots=True)
class ErasureResult:
    erasure: Erasure
    removed: dict[str, int] = field(default_factory=dict)  # table -> rows erased
    anonymised: dict[str, int] = field(default_factory=dict)  # table -> rows kept, blanked


def local_tables(db: Database) -> set[str]:
    return {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}


def records_about(db: Database, person_id: str) -> dict[str, set[str]]:
    """Every record on this laptop about one young person (the walk the declarations give, over this store)."""
    present = local_tables(db)
    columns: dict[str, set[str]] = {}

    def lookup(table: str, name: str, values: Sequence[str]) -> list[str]:
        if table not in present:
            return []
        if table not in columns:
            columns[table] = set(db.columns(table))  # an older file (a backup) may lack newer columns
        if name not in columns[table]:
            return []
        marks = ",".join("?" * len(values))
        return [rid for (rid,) in db.query(f"SELECT id FROM {table} WHERE {name} IN ({marks})", list(values))]

    return walk_records_about(person_id, lookup)


def secure_wipe(db: Database) -> bool:
    """Make deleted content unrecoverable from the (decrypted) database: zero freed pages, rebuild the full-text
    index (its segments keep deleted terms until merged), fold the WAL into the file and truncate it, VACUUM.

    Returns False when another connection (the app's background sync, say) kept the WAL or the VACUUM from
    finishing; the caller marks the wipe as pending and tries again later. The rows are gone either way.
    """
    with db.lock:
        db.execute("PRAGMA secure_delete = ON")
        tables = local_tables(db)
        if "people_fts" in tables:
            db.execute("INSERT INTO people_fts(people_fts) VALUES ('rebuild')")
            db.execute("INSERT INTO people_fts(people_fts) VALUES ('optimize')")
        # Don't keep the worker waiting on someone else's long read: give up quickly and try again later.
        timeout = db.scalar("PRAGMA busy_timeout")
        db.execute(f"PRAGMA busy_timeout = {WIPE_WAIT_MS}")
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("VACUUM")
            busy = db.one("PRAGMA wal_checkpoint(TRUNCATE)")[0]
        except DatabaseError as e:
            log.warning("the store could not be compacted now (%s); it will be tried again", type(e).__name__)
            return False
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(timeout or 0)}")
    return not busy


class ErasureService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._db = profile.db
        self._repo = profile.records
        self._audit = AuditTrail(profile)

    # ---- legal holds --------------------------------------------------------------------------------------------

    def active_holds(self, person_id: str) -> list[LegalHold]:
        return self._repo.select(LegalHold, "person_id = ? AND lifted_at IS NULL", (person_id,), order="placed_at")

    def place_hold(self, person_id: str, reason: str) -> LegalHold:
        if not reason.strip():
            raise ValidationError([Problem("reason", "Give the reason for the hold, such as a case reference.")])
        person = self._repo.get(YoungPerson, person_id)
        hold = LegalHold(
            team_id=(person.team_id if person else "") or self._profile.team_id,
            created_by=self._profile.user_id,
            person_id=person_id,
            reason=reason.strip(),
            placed_by=self._profile.user_id,
        )
        with self._profile.transaction():
            self._repo.save(hold)
            self._audit.record(AuditAction.LEGAL_HOLD, LegalHold.TABLE, hold.id, person_id=person_id)
        return hold

    def lift_hold(self, hold_id: str) -> LegalHold:
        hold = self._repo.get(LegalHold, hold_id)
        if hold is None or hold.lifted_at is not None:
            raise ValidationError([Problem("hold", "That legal hold is not in place.")])
        hold.lifted_at = utc_now()
        hold.lifted_by = self._profile.user_id
        with self._profile.transaction():
            self._repo.save(hold)
            self._audit.record(AuditAction.LEGAL_HOLD_LIFTED, LegalHold.TABLE, hold.id, person_id=hold.person_id)
        return hold

    # ---- erasure ------------------------------------------------------------------------------------------------

    def preview(self, person_id: str) -> dict[str, int]:
        """How many records of each kind an erasure would remove (for the confirmation dialog)."""
        return {t: len(ids) for t, ids in records_about(self._db, person_id).items()}

    def erase(
        self,
        person_id: str,
        *,
        mode: ErasureMode | str = ErasureMode.ERASE,
        reason: ErasureReason | str = ErasureReason.REQUEST,
        confirm: bool = False,
        requested_by: str = "",
        wipe: bool = True,
        own_team: bool = False,
    ) -> ErasureResult:
        """Erase or anonymise a young person here and queue the tombstone that carries it everywhere else.

        `own_team`: the person was erased by the team that owns them and this team erases its own records about them
        too (an erasure review's decision): the tombstone is this team's, and the service erases only what this team
        owns."""
        if not confirm:
            raise ValidationError([Problem("confirm", "Confirm the erasure: it can't be undone.")])
        if self.active_holds(person_id):
            raise LegalHoldActive(
                [
                    Problem(
                        "legal_hold",
                        "These records are under a legal hold, so they can't be erased. Ask whoever placed the hold "
                        "to lift it first.",
                    )
                ]
            )
        person = self._repo.get(YoungPerson, person_id)
        erasure = Erasure(
            team_id=self._profile.team_id if own_team else (person.team_id if person else "") or self._profile.team_id,
            created_by=self._profile.user_id,
            person_id=person_id,
            mode=str(ErasureMode(mode)),
            reason=str(reason),
            requested_by=requested_by or self._profile.user_id,
            confirmed_by=self._profile.user_id,
        )
        check(erasure)
        self._db.execute("PRAGMA secure_delete = ON")  # deletions below overwrite their content with zeros
        with self._profile.transaction():
            result = self._erase_here(erasure)
            self._repo.save(erasure)
            self._mark_applied(erasure.id)
            action = AuditAction.ERASED if erasure.mode == ErasureMode.ERASE else AuditAction.ANONYMISED
            self._audit.record(action, "people", person_id, person_id=person_id, reason=erasure.reason)
        if wipe:
            self.wipe()
            self.erase_in_backups([person_id])
        log.info("young person %s: %s", erasure.mode, {k: v for k, v in result.removed.items()})
        return result

    def erase_in_backups(self, person_ids: list[str]) -> int:
        """Backups follow the same rule: the copies taken beside the store (before a migration) are opened with the
        same key and the person's records removed from them too, bytes wiped. Returns how many backups were changed.
        Backups kept elsewhere (an organisation's own) must be handled by its backup schedule: see
        docs/data-protection.md."""
        key = self._profile.database_key()  # empty for an unencrypted benchmark copy
        changed = 0
        for path in sorted(self._db.path.parent.glob(f"{self._db.path.name}.*.bak")):
            try:
                backup = Database.open(path, key or None, migrate=False)
            except StoreError:
                log.warning("a backup could not be opened to erase from it")
                continue
            try:
                with backup.transaction():
                    for person_id in person_ids:
                        for table, ids in records_about(backup, person_id).items():
                            for rid in ids:
                                backup.execute(f"DELETE FROM {table} WHERE id = ?", (rid,))
                                backup.execute("DELETE FROM outbox WHERE tbl = ? AND record_id = ?", (table, rid))
                secure_wipe(backup)
                changed += 1
            finally:
                backup.close()
        return changed

    def apply_incoming(self, *, wipe: bool = True) -> int:
        """Carry out erasures that arrived by sync and have not been applied here yet. Returns how many."""
        pending = self._repo.select(Erasure, "id NOT IN (SELECT erasure_id FROM erasures_applied)", order="at, id")
        if self._profile.get_setting(WIPE_PENDING) and wipe and not pending:
            self.wipe()  # an earlier wipe could not finish
        if pending:
            self._db.execute("PRAGMA secure_delete = ON")
        for erasure in pending:
            with self._profile.transaction():
                self._erase_here(erasure, incoming=True)
                self._mark_applied(erasure.id)
        if pending and wipe:
            self.wipe()
            self.erase_in_backups([e.person_id for e in pending])
        return len(pending)

    def wipe(self) -> bool:
        """Wipe freed bytes now; if something else holds the store open, remember to try again at the next sync."""
        done = secure_wipe(self._db)
        self._profile.set_setting(WIPE_PENDING, not done)
        return done

    def is_erased(self, person_id: str) -> bool:
        return bool(self._db.scalar("SELECT 1 FROM erasures WHERE person_id = ? LIMIT 1", (person_id,)))

    def _mark_applied(self, erasure_id: str) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO erasures_applied (erasure_id, applied_at) VALUES (?, ?)",
            (erasure_id, utc_now().isoformat()),
        )

    def _erase_here(self, erasure: Erasure, *, incoming: bool = False) -> ErasureResult:
        """Remove (or blank) the records locally without queuing deletions: the tombstone carries the erasure."""
        result = ErasureResult(erasure)
        about = records_about(self._db, erasure.person_id)
        anonymise = erasure.mode == ErasureMode.ANONYMISE
        for table, ids in about.items():
            cls = RECORD_TYPES[table]
            codec = codec_for(cls)
            keep = anonymise and table in ANONYMISED_KEEP
            for rid in sorted(ids):
                # Unsent changes may hold the old values: drop them (a kept record gets a fresh, blank one).
                self._db.execute("DELETE FROM outbox WHERE tbl = ? AND record_id = ?", (table, rid))
                forget_skipped(self._db, table, rid)  # pulled values kept aside for those changes go with them
                if not keep:
                    self._db.execute(f"DELETE FROM {table} WHERE id = ?", (rid,))
                    continue
                row = self._db.one(f"SELECT * FROM {table} WHERE id = ?", (rid,))
                wire = {n: codec.column_to_wire(n, row[n]) for n in codec.fields}
                blank = anonymised(cls, wire)
                sets = ", ".join(f"{n} = ?" for n in codec.fields if n != "id")
                values = [codec.wire_to_column(n, blank[n]) for n in codec.fields if n != "id"]
                self._db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values, rid])
                if int(row["_server_version"]) == 0 and not incoming:
                    # Never reached the server: send the blank copy so counts there still add up. A synced copy is
                    # blanked by the server itself when the tombstone arrives (append-only records can't be edited).
                    self._profile.outbox.add(table, rid, "upsert", {n: encode_value(blank[n]) for n in blank}, 0)
            (result.anonymised if keep else result.removed)[table] = len(ids)
        self._drop_drafts(erasure.person_id, about)
        # An import's note of the rows that made or matched them: a rerun of that sheet would then bring them back
        # (the duplicate check still stands in the way), which is for the worker to decide, not the bookkeeping.
        self._db.execute("DELETE FROM import_rows WHERE person_id = ?", (erasure.person_id,))
        return result

    def _drop_drafts(self, person_id: str, about: dict[str, set[str]]) -> None:
        """A draft of the person's own records goes; a draft that only mentions them (a session register) loses
        the mention and keeps the rest of the worker's unsaved work."""
        ids = {person_id} | {rid for rids in about.values() for rid in rids}
        for key, data in self._db.query("SELECT key, data FROM drafts"):
            if any(rid in key for rid in ids):
                self._db.execute("DELETE FROM drafts WHERE key = ?", (key,))
            elif any(rid in data for rid in ids):
                try:
                    scrubbed = _scrub(json.loads(data), ids)
                except ValueError:
                    self._db.execute("DELETE FROM drafts WHERE key = ?", (key,))
                    continue
                self._db.execute("UPDATE drafts SET data = ? WHERE key = ?", (json.dumps(scrubbed), key))


def _scrub(value: Any, ids: set[str]) -> Any:
    """`value` without any list item or dict that names one of `ids`."""

    def names(v: Any) -> bool:
        if isinstance(v, str):
            return v in ids
        if isinstance(v, dict):
            return any(isinstance(x, str) and x in ids for x in v.values())
        return False

    if isinstance(value, list):
        return [_scrub(v, ids) for v in value if not names(v)]
    if isinstance(value, dict):
        kept = {k: v for k, v in value.items() if k not in ids}
        return {k: ("" if isinstance(v, str) and v in ids else _scrub(v, ids)) for k, v in kept.items()}
    return value
