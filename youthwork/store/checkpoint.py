"""Folding the write-ahead log into the store on a background thread, so that no save pays for it.

SQLite in WAL mode appends each commit to `youthwork.db-wal`; by default the commit that takes the log past 1,000
pages also copies the log back into the database file (a checkpoint) before it returns. A session save with 20 on
the register writes about 90 pages at 100,000 young people, so one save in eleven or twelve did that work too: about
200 ms on the UI thread instead of 10 (the save's p95 was 230 ms; see `benchmarks/suite.py`, "session save").

`WalCheckpointer` turns the automatic checkpoint off on the profile's own connection and runs it from a thread on a
connection of its own: a PASSIVE checkpoint whenever the log has grown, which never waits for or blocks a writer;
then, once everything is copied and the log is long, a RESTART that gives up at once if anyone is writing, so the
log starts again from its beginning instead of growing. Stopping it (before the profile closes) turns the automatic
checkpoint back on, so a connection used without it stays bounded as before.
"""

from __future__ import annotations

import logging
import threading
from contextlib import suppress
from pathlib import Path

from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

SQLITE_DEFAULT_AUTOCHECKPOINT = 1000  # pages
POLL_S = 0.25
RESTART_AT_PAGES = 1000  # start the log again from its beginning once it holds this many pages


class WalCheckpointer:
    def __init__(self, profile: Profile, *, poll_s: float = POLL_S) -> None:
        self._profile = profile
        self._poll_s = poll_s
        self._wal = Path(str(profile.db_path) + "-wal")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.checkpoints = 0  # how many ran (for tests and the benchmark)

    def start(self) -> WalCheckpointer:
        if self._thread is None:
            self._profile.db.execute("PRAGMA wal_autocheckpoint = 0")
            self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        with suppress(Exception):  # the profile may be closing already: nothing to keep bounded then
            self._profile.db.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_DEFAULT_AUTOCHECKPOINT}")

    def _signature(self) -> tuple[int, int] | None:
        try:
            st = self._wal.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def _run(self) -> None:
        try:
            conn = self._profile.another_connection()
        except Exception:
            log.exception("could not open a connection for checkpoints; saves will checkpoint as before")
            with suppress(Exception):
                self._profile.db.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_DEFAULT_AUTOCHECKPOINT}")
            return
        try:
            conn.db.execute("PRAGMA wal_autocheckpoint = 0")
            conn.db.execute("PRAGMA busy_timeout = 0")  # never wait for the UI's writes: try again next time
            seen = self._signature()
            while not self._stop.wait(self._poll_s):
                now = self._signature()
                if now is None or now == seen:
                    continue
                self._checkpoint(conn)
                seen = self._signature()
        finally:
            conn.close()

    def _checkpoint(self, conn: Profile) -> None:
        try:
            _busy, pages, copied = conn.db.query("PRAGMA wal_checkpoint(PASSIVE)")[0]
            if pages >= RESTART_AT_PAGES and copied == pages:
                conn.db.query("PRAGMA wal_checkpoint(RESTART)")  # busy if a save is under way: no matter
            self.checkpoints += 1
        except Exception:  # a busy or locked store now is fine: the next change tries again
            log.debug("checkpoint skipped", exc_info=True)
