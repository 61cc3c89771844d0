"""The import use case: read a sheet, plan it against what the laptop holds, and write the plan.

Writing goes a chunk of whole units at a time (a session with its register is never split), each chunk in one
transaction with its outbox entries and its rows' ledger lines, so a run that stops (killed, a flat battery) leaves
whole rows or nothing, and the next run of the same file plans only the rows not yet in the ledger. Imported records
go through the outbox like any other: the next sync sends them.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import Session, YoungPerson, utc_now
from youthwork.domain.vocab import SessionStatus
from youthwork.security.audit import AuditTrail
from youthwork.services.importing.mapping import Mapping
from youthwork.services.importing.matching import DuplicateFinder, NameAndBirthFinder
from youthwork.services.importing.plan import ImportPlan, Outcome, Unit, make_plan
from youthwork.services.importing.sheet import Sheet, read_sheet
from youthwork.store.profile import Profile
from youthwork.store.rowcodec import codec_for

log = logging.getLogger(__name__)

CHUNK_ROWS = 2000
Progress = Callable[[int, int], None]  # (rows written so far, rows to write)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while an import reads, plans and writes: it would otherwise walk the sheet's
    hundreds of thousands of cells and the new records again and again as they are made (about 6% of the import's
    CPU, 10% of reading an Excel file). Reference counting still frees everything at once; the collector runs as
    before afterwards."""
    if not gc.isenabled():  # paused already (another import on another thread): leave it to that one
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class ImportService:
    def __init__(self, profile: Profile, finder: Callable[[Profile], DuplicateFinder] | None = None) -> None:
        self._profile = profile
        self._db = profile.db
        self._finder = finder or (lambda p: NameAndBirthFinder(p.db))
        self._session_codec = codec_for(Session)

    def read(self, path: Path, encoding: str | None = None) -> Sheet:
        with collector_paused():
            return read_sheet(path, encoding)

    def plan(
        self, sheet: Sheet, mapping: Mapping, *, add_duplicates: bool = False, session_type: str = "detached"
    ) -> ImportPlan:
        """What importing `sheet` would do now: the preview, and the dry run's whole answer."""
        with collector_paused():
            return self._plan(sheet, mapping, add_duplicates, session_type)

    def _plan(self, sheet: Sheet, mapping: Mapping, add_duplicates: bool, session_type: str) -> ImportPlan:
        done = {r[0] for r in self._db.query("SELECT row_key FROM import_rows")}
        made_here = {
            r[0]
            for r in self._db.query(
                "SELECT DISTINCT person_id FROM import_rows WHERE import_id = ? AND outcome = ?",
                (sheet.file_id, Outcome.ADDED.value),
            )
        }
        return make_plan(
            sheet,
            mapping,
            finder=self._finder(self._profile),
            done_keys=done,
            made_here=made_here,
            existing_session=self._existing_session,
            team_id=self._profile.team_id,
            user_id=self._profile.user_id,
            add_duplicates=add_duplicates,
            session_type=session_type,
        )

    def _existing_session(self, starts_at: datetime, place: str, area: str) -> tuple[str, bool, set[str]] | None:
        at = self._session_codec.to_column("starts_at", starts_at)
        row = self._db.one(
            "SELECT id, status FROM sessions WHERE starts_at = ? AND lower(place) = ? AND lower(area) = ? LIMIT 1",
            (at, place.lower(), area.lower()),
        )
        if row is None:
            return None
        register = {r[0] for r in self._db.query("SELECT person_id FROM attendance WHERE session_id = ?", (row[0],))}
        return str(row[0]), row[1] == SessionStatus.APPROVED, register

    def run(self, plan: ImportPlan, progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS) -> int:
        """Write the plan; returns how many rows were written. Rows already in the ledger were left out of the plan,
        so running a plan twice adds nothing."""
        with collector_paused():
            return self._run(plan, progress, chunk_rows)

    def _run(self, plan: ImportPlan, progress: Progress | None, chunk_rows: int) -> int:
        file_id = plan.sheet.file_id
        with self._profile.transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO import_runs (import_id, file_name, mapping, started_at, rows_total)"
                " VALUES (?, ?, ?, ?, ?)",
                (file_id, plan.sheet.name, plan.mapping.name, utc_now().isoformat(), len(plan.sheet.rows)),
            )
        to_write = sum(len(u.rows) for u in plan.units)
        written = 0
        chunk: list[Unit] = []
        size = 0
        for unit in plan.units:
            chunk.append(unit)
            size += len(unit.rows)
            if size >= chunk_rows:
                written += self._write(file_id, chunk)
                chunk, size = [], 0
                if progress:
                    progress(written, to_write)
        if chunk:
            written += self._write(file_id, chunk)
        with self._profile.transaction():
            self._db.execute(
                "UPDATE import_runs SET finished_at = ?, rows_refused = ? WHERE import_id = ?",
                (utc_now().isoformat(), plan.count(Outcome.REFUSED), file_id),
            )
        if progress:
            progress(written, to_write)
        return written

    def _write(self, file_id: str, units: list[Unit]) -> int:
        rows = [r for u in units for r in u.rows]
        with self._profile.transaction():
            self._profile.records.bulk_insert((r for u in units for r in u.records), outbox=True)
            self._db.executemany(
                "INSERT INTO import_rows (row_key, import_id, row_no, outcome, person_id) VALUES (?, ?, ?, ?, ?)",
                [(r.key, file_id, r.row, r.outcome.value, r.person_id) for r in rows],
            )
            self._db.execute(
                "UPDATE import_runs SET rows_added = rows_added + ? WHERE import_id = ?", (len(rows), file_id)
            )
            AuditTrail(self._profile).record(AuditAction.CHANGED, YoungPerson.TABLE, file_id, reason="imported")
        log.info("import: %d rows written", len(rows))
        return len(rows)
