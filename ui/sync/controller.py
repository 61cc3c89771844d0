"""Background sync for the app: on unlock, every few minutes, when the network comes back, and on demand.

The engine runs on this controller's own one-thread pool of background jobs (`ui.workers`), never on the UI thread,
and through its own connection to the store (`Profile.another_connection`, opened here on the UI thread and then
used only by that pool's thread): a sync transaction never holds the profile lock the UI thread reads through, and
SQLite's WAL lets both work at once. Results come back through signals, which Qt queues to the UI thread. Each cycle
reports what it received (`changed`, a `Changes`), so the open screens reload what is stale.

While offline, the next attempt waits on exponential backoff with jitter (a cheap pull when it fires), so the app
notices the network returning within a few minutes without hammering a server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ui.workers import Failure, Workers
from youthwork.domain.protocol import ConflictItem
from youthwork.services.changes import Changes, from_sync
from youthwork.services.sync import sync_engine
from youthwork.store.profile import Profile
from youthwork.store.settings import LAST_SYNCED
from youthwork.sync import device
from youthwork.sync.backoff import Backoff
from youthwork.sync.conflicts import ConflictView, describe, resolve
from youthwork.sync.engine import SyncReport, rejections
from youthwork.sync.errors import DeviceWiped, SyncError

log = logging.getLogger(__name__)

POLL_MINUTES = 5.0


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool = False
    running: bool = False
    offline: bool = False
    last_synced: datetime | None = None
    waiting: int = 0
    conflicts: int = 0
    rejected: int = 0
    lease_locked: bool = False
    message: str = ""

    def text(self) -> tuple[str, str]:
        """The status bar's words, and a tooltip with the detail."""
        if not self.enrolled:
            return "Not set up to sync", "Connect this laptop to your team's server on the Sync page."
        parts = ["Locked until it syncs"] if self.lease_locked else []
        if self.running:
            parts.append("Syncing…")
        elif self.offline:
            parts.append("Offline")
        elif self.last_synced and not self.lease_locked:
            parts.append(f"Synced {self.last_synced.astimezone().strftime('%H:%M')}")
        elif not self.lease_locked:
            parts.append("Not synced yet")
        if self.waiting:
            parts.append(f"{self.waiting} change{'s' if self.waiting != 1 else ''} waiting")
        if self.conflicts:
            parts.append(f"{self.conflicts} conflict{'s' if self.conflicts != 1 else ''} to review")
        if self.rejected:
            parts.append(f"{self.rejected} not accepted")
        tip = self.message or "Your work is kept on this laptop and sent when there is a connection."
        if self.last_synced:
            tip += f"\nLast synced {self.last_synced.astimezone().strftime('%d %b %Y %H:%M')}."
        return " · ".join(parts), tip


class SyncController(QObject):
    status_changed = Signal(object)  # SyncStatus
    enrolled = Signal(object)  # device.Enrolment
    enrol_failed = Signal(str)
    conflicts_loaded = Signal(object)  # list[ConflictView]
    problem = Signal(str)  # a plain message for the Sync page
    wiped = Signal(str)
    changed = Signal(object)  # Changes: what a cycle received

    def __init__(self, profile: Profile, parent: QObject | None = None, poll_minutes: float = POLL_MINUTES) -> None:
        super().__init__(parent)
        self.profile = profile
        self.jobs = Workers(self, threads=1)  # one job at a time on the one background connection
        self._bg: Profile | None = None
        self._sync_queued = False
        self._closed = False
        self.poll_ms = int(poll_minutes * 60_000)
        self.backoff = Backoff(base=20.0, cap=600.0)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)
        self.status = SyncStatus()
        self.last_report: SyncReport | None = None
        self.refresh_status()

    # ---- status -------------------------------------------------------------------------------------------------

    def refresh_status(self, **changes: Any) -> SyncStatus:
        profile = self.profile
        raw = profile.get_setting(LAST_SYNCED)
        self.status = replace(
            self.status,
            enrolled=device.is_enrolled(profile),
            last_synced=datetime.fromisoformat(raw) if raw else None,
            waiting=profile.outbox.count(),
            rejected=len(rejections(profile)),
            lease_locked=device.lease_expired(profile),
            **changes,
        )
        self.status_changed.emit(self.status)
        return self.status

    # ---- lifecycle ----------------------------------------------------------------------------------------------

    def start(self) -> None:
        """On unlock: sync soon if connected."""
        if device.is_enrolled(self.profile):
            self.timer.start(0)

    def shutdown(self) -> None:
        """Stop the timer, wait for a running job, close the background connection. Safe to call twice."""
        self._closed = True
        self.timer.stop()
        self.jobs.join(30_000)
        if self._bg is not None:
            try:
                self._bg.close()
            except Exception:
                log.exception("closing the sync connection failed")
            self._bg = None

    def _connection(self) -> Profile:
        if self._bg is None:
            self._bg = self.profile.another_connection()
        return self._bg

    def _submit(
        self, fn: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Failure], None], message: str
    ) -> bool:
        # Results queued before a lock arrive after the profile is closed: the pool drops them then.
        return not self._closed and self.jobs.submit(fn, done, failed, message) is not None

    @property
    def busy(self) -> bool:
        """A job is running on the background thread."""
        return self.jobs.pool.activeThreadCount() > 0

    # ---- sync ---------------------------------------------------------------------------------------------------

    def sync_now(self) -> None:
        if self._closed or not device.is_enrolled(self.profile):
            return
        if self.status.running:
            self._sync_queued = True  # one more cycle when this one ends
            return
        self.timer.stop()
        conn = self._connection()

        def cycle() -> tuple[SyncReport, list[ConflictView] | None]:
            client = device.client_for(conn)
            try:
                report = sync_engine(conn, client).run()
                try:
                    views: list[ConflictView] | None = describe(conn, client.conflicts())
                except SyncError:
                    views = None  # unknown this time; the data itself has synced
            finally:
                client.transport.close()  # type: ignore[attr-defined]
            return report, views

        if self._submit(cycle, self._synced, self._sync_failed, "Sync stopped because of a problem. Try again."):
            self.refresh_status(running=True)

    def _synced(self, result: tuple[SyncReport, list[ConflictView] | None]) -> None:
        report, views = result
        self.backoff.reset()
        extra = {"conflicts": len(views)} if views is not None else {}
        self.last_report = report
        self.refresh_status(running=False, offline=False, message=" ".join(report.messages), **extra)
        changes: Changes = from_sync(report.records)
        if changes:
            self.changed.emit(changes)
        if views is not None:
            self.conflicts_loaded.emit(views)
        self._schedule(self.poll_ms)

    def _sync_failed(self, failure: Failure) -> None:
        error = failure.error
        if isinstance(error, DeviceWiped):
            self._bg = None  # the engine closed it before deleting the files
            self.status = replace(self.status, running=False)
            self.wiped.emit(error.message)
            return
        message = failure.message
        offline = bool(getattr(error, "retryable", False))
        self.refresh_status(running=False, offline=offline, message=message)
        if not offline:
            self.problem.emit(message)
        self._schedule(int(self.backoff.next_delay() * 1000) if offline else self.poll_ms)

    def _schedule(self, delay_ms: int) -> None:
        if self._closed:
            return
        if self._sync_queued:
            self._sync_queued = False
            delay_ms = 0
        self.timer.start(delay_ms)

    # ---- enrolment and conflicts ----------------------------------------------------------------------------------

    def enrol(self, server_url: str, username: str, password: str) -> None:
        conn = self._connection()
        self._submit(
            lambda: device.enrol(conn, server_url, username, password),
            self._enrolled,
            self._enrol_failed,
            "Could not connect this laptop. Try again.",
        )

    def _enrolled(self, result: device.Enrolment) -> None:
        self.enrolled.emit(result)
        self.refresh_status()
        self.timer.start(0)

    def _enrol_failed(self, failure: Failure) -> None:
        self.enrol_failed.emit(failure.message)  # sync and store errors (a locked keyring) carry plain words

    def load_conflicts(self) -> None:
        if not device.is_enrolled(self.profile):
            return
        conn = self._connection()

        def fetch() -> list[ConflictView]:
            client = device.client_for(conn)
            try:
                return describe(conn, client.conflicts())
            finally:
                client.transport.close()  # type: ignore[attr-defined]

        self._submit(fetch, self._conflicts_loaded, self._conflicts_failed, "Could not load the conflicts.")

    def _conflicts_loaded(self, views: list[ConflictView]) -> None:
        self.refresh_status(conflicts=len(views))
        self.conflicts_loaded.emit(views)

    def _conflicts_failed(self, failure: Failure) -> None:
        self.problem.emit(failure.message)

    def resolve(self, item: ConflictItem, chosen: str) -> None:
        conn = self._connection()

        def settle() -> list[ConflictView]:
            client = device.client_for(conn)
            try:
                resolve(conn, client, item, chosen)
                sync_engine(conn, client).run()  # send the choice now
                return describe(conn, client.conflicts())
            finally:
                client.transport.close()  # type: ignore[attr-defined]

        self._submit(settle, self._resolved, self._conflicts_failed, "Could not save the choice. Try again.")

    def _resolved(self, views: list[ConflictView]) -> None:
        self._conflicts_loaded(views)
