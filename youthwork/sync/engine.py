"""The client sync engine: one cycle pushes the outbox in batches, then pulls the team's changes page by page.

Push: each batch's results are acknowledged in one local transaction: the change leaves the queue; a safety-critical
conflict (the server kept its value) puts the server's value back locally; a rejected change leaves the queue with
its reason kept for the worker to see, so it never blocks what follows. An acknowledgement does not move the record's
version: the version it reports may include other laptops' changes this laptop has not pulled yet, and the next edit
would claim to have seen them (see `Outbox.base_for`). Only a pulled page does.
Pull: each page and its cursor are applied in one local transaction (big pages several to a transaction), so a crash
or a dropped connection resumes from the last whole page committed. A `wipe` answer destroys the key slots and files,
then confirms to the server.

The engine is synchronous and uses only the profile it is given: the app runs it on a background thread with its
own connection to the store (see `Profile.another_connection`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, wait
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from youthwork.domain.collection import collection_paused
from youthwork.domain.hlc import ClockError, Timestamp
from youthwork.domain.protocol import MAX_BATCH, MAX_CLOCK_SKEW_SECONDS, MAX_PAGE, Change, ChangeResult
from youthwork.domain.records import RECORD_TYPES
from youthwork.store import bulk_load
from youthwork.store.outbox import OutboxEntry
from youthwork.store.profile import Profile
from youthwork.store.settings import LAST_CONTACT, LAST_SYNCED
from youthwork.sync import device
from youthwork.sync.apply import apply_page, local_values, settle_skipped
from youthwork.sync.backoff import Backoff
from youthwork.sync.client import SyncClient
from youthwork.sync.errors import DeviceWiped, ServerRefused, SyncError
from youthwork.sync.feed import PageFeed
from youthwork.sync.pages import PulledPage

log = logging.getLogger(__name__)

REJECTED_PREFIX = "rejected:"
# Pulled pages share a local transaction for at most this long (see `SyncEngine.pull_all`).
GROUP_SECONDS = 1.0
Hook = Callable[[str], None]


@dataclass
class SyncReport:
    pushed: int = 0  # changes the server took (applied or with a conflict)
    conflicts: int = 0  # of those, how many had a field conflict
    rejected: int = 0
    pulled: int = 0  # records applied from the server (upserts)
    deleted: int = 0  # tombstones applied
    pages: int = 0
    waiting: int = 0  # changes still in the outbox afterwards
    messages: list[str] = field(default_factory=list)
    # (table, id) of every record received (the service sends a laptop's own accepted changes back too): what open
    # screens must reload (see services.changes)
    records: set[tuple[str, str]] = field(default_factory=set)

    def summary(self) -> str:
        text = f"pushed {self.pushed}, pulled {self.pulled + self.deleted}, conflicts {self.conflicts}"
        if self.rejected:
            text += f", rejected {self.rejected}"
        if self.waiting:
            text += f", {self.waiting} still waiting"
        return text


@dataclass(frozen=True, slots=True)
class Rejection:
    change_id: str
    table: str
    record_id: str
    reason: str
    at: str


class SyncEngine:
    def __init__(
        self,
        profile: Profile,
        client: SyncClient,
        *,
        batch: int = MAX_BATCH,
        page: int = MAX_PAGE,
        hook: Hook | None = None,
        progress: Callable[[str], None] | None = None,
        after_pull: Callable[[SyncReport], object] | None = None,
        group_rows: int = 20_000,
        group_from: int = 1_000,
    ) -> None:
        self.profile = profile
        self.client = client
        self.batch = max(1, min(batch, MAX_BATCH))
        self.page = max(1, min(page, MAX_PAGE))
        # Pages of at least `group_from` rows are committed together, up to `group_rows` rows (see `pull_all`).
        self.group_rows = group_rows
        self.group_from = group_from
        self._hook = hook or (lambda _point: None)
        self._wiped = False
        self._progress = progress or (lambda _text: None)
        # What a use case above the engine needs after every pull, given what it brought (erasures made elsewhere,
        # lapsed records deleted: see services/sync.py).
        self._after_pull = after_pull or (lambda _report: None)

    # ---- the cycle ----------------------------------------------------------------------------------------------

    def run(self) -> SyncReport:
        """One full cycle: push everything waiting, then pull until up to date. Raises SyncError on failure."""
        report = SyncReport()
        self.push_all(report)
        self.pull_all(report)
        self._after_pull(report)
        report.waiting = self.profile.outbox.count()
        self.profile.set_setting(LAST_SYNCED, datetime.now(UTC).isoformat())
        log.info("sync cycle done: %s", report.summary())
        return report

    def push_all(self, report: SyncReport) -> None:
        done: set[str] = set()
        while True:
            entries = [e for e in self.profile.outbox.pending(self.batch) if e.change_id not in done]
            if not entries:
                return
            self._progress(f"Sending {len(entries)} changes")
            try:
                response = self.client.push([self._wire(e) for e in entries])
            except ServerRefused as e:
                if e.code == "wipe_required":  # a lost laptop with unsent work: the wipe still comes first
                    self._wipe()
                raise
            self._hook("pushed")
            self._note_contact(response.server_time, report)
            results = {r.change_id: r for r in response.results}
            self._acknowledge(entries, results, report)
            if not any(e.change_id in results for e in entries):
                raise SyncError("The server did not answer for the changes sent. They are kept and sent again later.")
            done.update(results)

    def pull_all(self, report: SyncReport) -> None:
        """Pull pages until up to date. The next page is fetched and decoded while this one is written, and the one
        after is asked for meanwhile (`youthwork.sync.feed`).

        Big pages (an initial sync, a long time away) are committed several at a time: a commit rewrites every index
        page the rows touched, so one per 5,000-row page was a third of an initial sync. A group ends at
        `group_rows` rows, after `GROUP_SECONDS` (the store's write lock is held meanwhile, and a save on the
        worker's screen waits for it), when the next page is not there in that time, or at a small page. Each page's
        cursor is stored with it, so a crash still loses whole pages with their cursor, never part of one.

        A first pull that is more than one big page loads with the store's secondary indexes and derived-data
        triggers set aside, and builds them once at the end (`youthwork.store.bulk_load`)."""
        outbox = self.profile.outbox
        first = outbox.get_cursor() is None
        with collection_paused(), PageFeed(self.client, outbox.get_cursor(), self.page) as feed:
            pending = feed.start()
            response = pending.result()
            loading = first and response.has_more and not response.wipe and len(response.changes) >= self.group_from
            if loading:
                with self.profile.transaction():
                    bulk_load.begin(self.profile.db)
            try:
                self._pull_pages(response, pending, feed, report)
            finally:
                if loading and not self._wiped:
                    with self.profile.transaction():
                        bulk_load.finish(self.profile.db)
                    self._hook("loaded")

    def _pull_pages(
        self,
        first: PulledPage,
        pending: Future[PulledPage],
        feed: PageFeed,
        report: SyncReport,
    ) -> None:
        response: PulledPage | None = first
        while response is not None:
            if response.wipe:
                self._wipe()
            self._hook("pulled")
            waiting: PulledPage | None = None  # a page fetched for the group but left for the next
            with self.profile.transaction():
                started, rows = time.monotonic(), 0
                while True:
                    if response.has_more:
                        pending = feed.after(response)
                    rows += self._apply(response, report)
                    if not response.has_more:
                        break
                    left = GROUP_SECONDS - (time.monotonic() - started)
                    if len(response.changes) < self.group_from or rows >= self.group_rows or left <= 0:
                        break
                    done, _ = wait([pending], timeout=left)
                    if not done or pending.exception() is not None:
                        break  # a failed fetch is raised after the commit: the pages so far are kept
                    waiting = pending.result()
                    if waiting.wipe:
                        break
                    response, waiting = waiting, None
                    self._hook("pulled")
            self._progress(f"Received {report.pulled + report.deleted} changes")
            if waiting is not None:
                response = waiting
            elif response.has_more:
                response = pending.result()
            else:
                response = None

    def _apply(self, response: PulledPage, report: SyncReport) -> int:
        """One page and its cursor, in the caller's transaction; returns how many rows it had."""
        result = apply_page(self.profile.db, response.changes)
        self._hook("applied")  # a crash here must lose the page and the cursor together
        self.profile.outbox.set_cursor(response.cursor)
        self._note_contact(response.server_time, report)
        report.pages += 1
        report.records.update((c.table, c.record_id) for c in response.changes)
        report.pulled += result.applied
        report.deleted += result.deleted
        return len(response.changes)

    # ---- push helpers -------------------------------------------------------------------------------------------

    def _wire(self, e: OutboxEntry) -> Change:
        fields = e.fields
        if fields.get("team_id") == "":
            fields = dict(fields, team_id=self.profile.team_id)  # made before enrolment
        return Change(
            change_id=e.change_id,
            table=e.table,
            record_id=e.record_id,
            op=e.op,
            fields=fields,
            base_version=e.base_version,
            hlc=e.hlc,
        )

    def _acknowledge(self, entries: list[OutboxEntry], results: dict[str, ChangeResult], report: SyncReport) -> None:
        profile = self.profile
        ack: list[str] = []
        created: list[OutboxEntry] = []
        answered: list[tuple[OutboxEntry, ChangeResult]] = []
        server_kept: list[tuple[OutboxEntry, str, Any]] = []
        now = datetime.now(UTC).isoformat()
        with profile.transaction():
            for e in entries:
                r = results.get(e.change_id)
                if r is None:
                    continue
                ack.append(e.change_id)
                answered.append((e, r))
                if r.status == "rejected":
                    report.rejected += 1
                    reason = r.reason or "The server did not accept this change."
                    profile.db.execute(
                        "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                        (
                            REJECTED_PREFIX + e.change_id,
                            json.dumps({"table": e.table, "record_id": e.record_id, "reason": reason, "at": now}),
                        ),
                    )
                    continue
                report.pushed += 1
                if r.status == "conflict":
                    report.conflicts += 1
                    server_kept += [(e, c.field, c.server_value) for c in r.conflicts if c.kept == "server"]
                if e.base_version == 0 and r.version == 1:
                    created.append(e)  # the record's first version is this laptop's own creation
            profile.outbox.acknowledge(ack)
            for e in created:
                profile.outbox.note_created(e.table, e.record_id)
            settled: set[tuple[str, str, str]] = set()
            for e, r in answered:  # a page newer than the answer came while the change waited: it has the server's
                version = None if r.status == "rejected" else r.version
                for name in settle_skipped(profile.db, e.table, e.record_id, e.fields, version):
                    settled.add((e.table, e.record_id, name))
            for e, name, value in server_kept:
                if (e.table, e.record_id, name) not in settled:
                    self._restore_server_value(e, name, value)

    def _restore_server_value(self, e: OutboxEntry, name: str, value: Any) -> None:
        """The server kept its value of a safety-critical field: show it here too, unless edited again since."""
        cls = RECORD_TYPES.get(e.table)
        pending = self.profile.outbox.pending_fields(e.table, e.record_id)
        if cls is None or pending is None or name in pending:
            return
        values = local_values(cls, {name: value}, set())
        if values:
            self.profile.db.execute(f"UPDATE {cls.TABLE} SET {name} = ? WHERE id = ?", (values[name], e.record_id))

    # ---- contact, clocks, wipe ----------------------------------------------------------------------------------

    def _note_contact(self, server_time: datetime, report: SyncReport) -> None:
        self.profile.set_setting(LAST_CONTACT, datetime.now(UTC).isoformat())
        server = server_time if server_time.tzinfo else server_time.replace(tzinfo=UTC)
        behind = server - self.client.clock()
        if behind > timedelta(seconds=MAX_CLOCK_SKEW_SECONDS):
            minutes = int(behind.total_seconds() // 60)
            text = f"This laptop's clock is about {minutes} minutes behind the server's. Set the correct time."
            if text not in report.messages:
                report.messages.append(text)
        with suppress(ClockError):  # keep local edit times after anything the server has seen
            self.profile.outbox.clock.update(Timestamp(int(server.timestamp() * 1000), 0, "server"))

    def _wipe(self) -> None:
        self._wiped = True
        device.wipe(self.profile)  # the credential, the recorded exports, then the files, overwritten
        try:
            self.client.confirm_wipe()
        except SyncError:
            log.warning("wipe done, but the server could not be told")
        raise DeviceWiped(
            "This laptop was reported lost, so youthwork has deleted its records and key from it. "
            "Ask your administrator if you think this is wrong."
        )


def rejections(profile: Profile) -> list[Rejection]:
    """Changes the server refused, with its reasons, newest last."""
    rows = profile.db.query(
        "SELECT key, value FROM sync_state WHERE key LIKE ? ORDER BY value", (REJECTED_PREFIX + "%",)
    )
    out = []
    for r in rows:
        data = json.loads(r["value"])
        out.append(
            Rejection(r["key"][len(REJECTED_PREFIX) :], data["table"], data["record_id"], data["reason"], data["at"])
        )
    return sorted(out, key=lambda x: x.at)


def run_with_retries(
    cycle: Callable[[], SyncReport],
    *,
    attempts: int = 4,
    backoff: Backoff | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncReport:
    """Run `cycle` until it succeeds; retry only failures that can pass (offline, server busy), with backoff."""
    backoff = backoff or Backoff(base=1.0, cap=30.0)
    for attempt in range(attempts):
        try:
            return cycle()
        except SyncError as e:
            if not e.retryable or attempt == attempts - 1:
                raise
            delay = backoff.next_delay()
            log.info("sync attempt %d failed (%s); retrying in %.1fs", attempt + 1, type(e).__name__, delay)
            sleep(delay)
    raise AssertionError("unreachable")
