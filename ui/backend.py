"""The UI's one door into the core: the use-case services of an unlocked profile, and what every write changed.

Every service a window needs is built here, once, on first use (never ad hoc inside a widget), so a renamed
service call is fixed in one place. The UI never writes SQL.

A write goes through `write(use_case)`, which returns the use case's value with the `Changes` it made (record types
and ids, collected from the outbox) and tells every subscriber (the workspace hands them to each open area). A
write that skipped `write` is still seen: the backend watches every change queued on its connection and hands the
stray ones on with `flush()`, which the workspace calls as soon as the event in hand is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from youthwork.services.changes import NOTHING, Changes, RecordKey
from youthwork.services.disclosures import DisclosureService
from youthwork.services.drafts import DraftService
from youthwork.services.joint_visits import JointVisitService
from youthwork.services.missing import MissingService
from youthwork.services.nfa import NfaService
from youthwork.services.notes import NoteService
from youthwork.services.people import PeopleService
from youthwork.services.plans import PlanService
from youthwork.services.referrals import ReferralService
from youthwork.services.sessions import SessionService
from youthwork.services.transitions import TransitionService
from youthwork.store.checkpoint import WalCheckpointer
from youthwork.store.profile import Profile
from youthwork.store.settings import DISPLAY_NAME, IDLE_LOCK_MINUTES, WORKER_NAME, Setting

if TYPE_CHECKING:  # built on first use, so the unlock screen does not load them
    from youthwork.domain.weeks import IsoWeek, Period
    from youthwork.privacy.consent import ConsentService
    from youthwork.privacy.erasure import ErasureService
    from youthwork.privacy.need_to_know import NeedToKnow
    from youthwork.privacy.retention import RetentionService
    from youthwork.privacy.subject_access import SubjectAccess
    from youthwork.security.audit import AuditTrail
    from youthwork.services.context_plans import ContextPlanService
    from youthwork.services.erasure_reviews import ErasureReviews
    from youthwork.services.groups import GroupService
    from youthwork.services.places import PlaceService
    from youthwork.services.review import ReviewService
from youthwork.services.data_quality import DataQuality
from youthwork.services.merges import MergeService

log = logging.getLogger(__name__)

IDLE_SETTING = IDLE_LOCK_MINUTES
OPEN_DRAFTS_KEY = "ui.open_forms"

T = TypeVar("T")
Listener = Callable[[Changes], None]


@dataclass(frozen=True)
class Written(Generic[T]):
    """A write's result: what the use case returned, and what it changed."""

    value: T
    changes: Changes


def profile_exists(directory: Path) -> bool:
    return Profile.exists(directory)


@dataclass
class Backend:
    profile: Profile
    directory: Path
    people: PeopleService
    sessions: SessionService
    notes: NoteService
    drafts: DraftService
    _areas: list[str] | None = None
    _reader: Profile | None = None
    _background_people: PeopleService | None = None
    _counter: Profile | None = None
    _counting_people: PeopleService | None = None
    _reading: Backend | None = None
    _listeners: list[Listener] = field(default_factory=list)
    _written: list[RecordKey] = field(default_factory=list)  # keys queued on this connection, not yet announced
    _writing: int = 0  # depth of `write` calls in progress
    _announcing: bool = False
    _watch: ExitStack = field(default_factory=ExitStack)
    on_stray_write: Callable[[], None] | None = None  # told when a write came in outside `write`
    _checkpointer: WalCheckpointer | None = None

    @classmethod
    def for_profile(cls, profile: Profile, directory: Path) -> Backend:
        backend = cls._on(profile, directory)
        # The log is folded into the file beside the UI thread, not by whichever save fills it (~200 ms).
        backend._checkpointer = WalCheckpointer(profile).start()
        backend._watch.enter_context(profile.outbox.watching(backend._noted))
        return backend

    @classmethod
    def _on(cls, profile: Profile, directory: Path) -> Backend:
        """The use cases on one connection, nothing watched or started."""
        return cls(
            profile=profile,
            directory=directory,
            people=PeopleService(profile),
            sessions=SessionService(profile),
            notes=NoteService(profile),
            drafts=DraftService(profile),
        )

    # What changed -------------------------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """`listener(changes)` after every write and sync; returns the call that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def write(self, use_case: Callable[[], T], *, also: Changes = NOTHING) -> Written[T]:
        """Run one write use case on this connection; return its value and what it changed, and tell everyone.

        `also` adds what the outbox cannot see (an erasure's wipe of local-only rows, say)."""
        mark = len(self._written)
        self._writing += 1
        try:
            value = use_case()
        finally:
            self._writing -= 1
            keys, self._written[mark:] = self._written[mark:], []
            changes = Changes.from_keys(keys) | also
            if changes:
                self.announce(changes)
        return Written(value, changes)

    def announce(self, changes: Changes) -> None:
        """Hand `changes` (from a write, a sync or a background job) to every subscriber."""
        self._announcing = True
        try:
            for listener in list(self._listeners):
                try:
                    listener(changes)
                except Exception:
                    log.exception("a screen could not refresh after a change")
        finally:
            self._announcing = False

    def flush(self) -> Changes:
        """Announce the writes made outside `write` since the last flush."""
        if self._writing:
            return NOTHING
        changes, self._written = Changes.from_keys(self._written), []
        if changes:
            self.announce(changes)
        return changes

    def _noted(self, key: RecordKey) -> None:
        self._written.append(key)
        # A screen that wrote while refreshing is told with the next write, never in a loop of refreshes.
        if not (self._writing or self._announcing) and self.on_stray_write is not None:
            self.on_stray_write()

    # Built on first use: unlocking needs only people and sessions.
    @cached_property
    def plans(self) -> PlanService:
        return PlanService(self.profile)

    @cached_property
    def referrals(self) -> ReferralService:
        return ReferralService(self.profile)

    @cached_property
    def disclosures(self) -> DisclosureService:
        return DisclosureService(self.profile)

    @cached_property
    def nfa(self) -> NfaService:
        return NfaService(self.profile)

    @cached_property
    def missing(self) -> MissingService:
        return MissingService(self.profile)

    @cached_property
    def joint_visits(self) -> JointVisitService:
        return JointVisitService(self.profile)

    @cached_property
    def places(self) -> PlaceService:
        from youthwork.services.places import PlaceService

        return PlaceService(self.profile)

    @cached_property
    def transitions(self) -> TransitionService:
        return TransitionService(self.profile)

    @cached_property
    def checkins(self) -> Any:
        from youthwork.services.outcomes import CheckinService

        return CheckinService(self.profile)

    @cached_property
    def outcomes(self) -> Any:
        from youthwork.services.outcomes import OutcomesService

        return OutcomesService(self.profile)

    @cached_property
    def merges(self) -> MergeService:
        return MergeService(self.profile)

    @cached_property
    def transfers(self) -> Any:
        from youthwork.services.transfers import TransferService

        return TransferService(self.profile)

    @cached_property
    def data_quality(self) -> DataQuality:
        return DataQuality(self.profile)

    @cached_property
    def review(self) -> ReviewService:
        from youthwork.services.review import ReviewService

        return ReviewService(self.profile)

    @cached_property
    def groups(self) -> GroupService:
        from youthwork.services.groups import GroupService

        return GroupService(self.profile)

    @cached_property
    def context_plans(self) -> ContextPlanService:
        from youthwork.services.context_plans import ContextPlanService

        return ContextPlanService(self.profile)

    @cached_property
    def consent(self) -> ConsentService:
        from youthwork.privacy.consent import ConsentService

        return ConsentService(self.profile)

    @cached_property
    def erasure_reviews(self) -> ErasureReviews:
        from youthwork.services.erasure_reviews import ErasureReviews

        return ErasureReviews(self.profile)

    @cached_property
    def erasure(self) -> ErasureService:
        from youthwork.privacy.erasure import ErasureService

        return ErasureService(self.profile)

    @cached_property
    def retention(self) -> RetentionService:
        from youthwork.privacy.retention import RetentionService

        return RetentionService(self.profile)

    @cached_property
    def need_to_know(self) -> NeedToKnow:
        from youthwork.privacy.need_to_know import NeedToKnow

        return NeedToKnow(self.profile)

    @cached_property
    def subject_access(self) -> SubjectAccess:
        from youthwork.privacy.subject_access import SubjectAccess

        return SubjectAccess(self.profile)

    @cached_property
    def audit(self) -> AuditTrail:
        from youthwork.security.audit import AuditTrail

        return AuditTrail(self.profile)

    @property
    def worker_name(self) -> str:
        # Once enrolled, the name on the account (the service's), not the one typed when the profile was made.
        name = self.setting(DISPLAY_NAME) or self.setting(WORKER_NAME)
        return str(name or "")

    @property
    def background_people(self) -> PeopleService:
        """People queries for the background workers, on a second connection to the store: a slow search never
        makes the UI thread wait on the main connection's lock, nor the other way round (WAL lets both read)."""
        if self._background_people is None:
            self._reader = self.profile.another_connection()
            self._background_people = PeopleService(self._reader)
        return self._background_people

    @property
    def background_sessions(self) -> SessionService:
        """Session queries for the background workers (a register's find box), on the people reader's connection."""
        reader = self.background_people  # opens the reader connection if need be
        del reader
        assert self._reader is not None
        return SessionService(self._reader)

    @property
    def counting_people(self) -> PeopleService:
        """For counting thousands of matches (slow on 100,000 people) on a third connection, so a count never
        holds up the next search."""
        if self._counting_people is None:
            self._counter = self.profile.another_connection()
            self._counting_people = PeopleService(self._counter)
        return self._counting_people

    def reading(self) -> Backend:
        """The same use cases on a connection of their own, for a page that works out what it shows off the UI thread
        (Today: its lists take ~0.4 s at 100,000 young people). Only for reading: nothing written through it is
        announced. Closed with this backend."""
        if self._reading is None:
            self._reading = Backend._on(self.profile.another_connection(), self.directory)
        return self._reading

    def areas(self, refresh: bool = False) -> list[str]:
        """Areas and estates already on record (for lists and completion); cached until something is added."""
        if refresh or self._areas is None:
            self._areas = self.background_people.areas()
        return self._areas

    # Reports, backups and the service's teams: use cases that are functions rather than services ---------------

    def team_names(self) -> dict[str, str]:
        """The team's users by id, for showing who did what."""
        from youthwork.services.sessions import team_names

        return team_names(self.profile)

    def weekly_report(self, week: IsoWeek, worker_id: str | None = None, names: dict[str, str] | None = None) -> Any:
        from youthwork.reports.weekly import weekly_report

        return weekly_report(self.profile.db, week, worker_id=worker_id, names=names)

    def trend(self, week: IsoWeek, worker_id: str | None = None) -> Any:
        from youthwork.reports.weekly import trend

        return trend(self.profile.db, week, worker_id=worker_id)

    def board_summary(self, period: Period) -> Any:
        from youthwork.reports.board import board_summary

        return board_summary(self.profile.db, period)

    def records_behind(self, figure: Any, on: Any) -> Any:
        """The records a figure counts, with their titles, for the list behind a tile."""
        from youthwork.reports.drilldown import records_behind

        return records_behind(self.profile.db, figure, names=True, on=on)

    def backups(self) -> Any:
        from youthwork import backup

        return backup.list_backups(self.directory)

    def take_backup(self, kind: str = "manual", *, only_if_due: bool = False) -> Any:
        """A backup through a connection of its own (it runs off the UI thread); None when one was not due."""
        from youthwork import backup

        conn = self.profile.another_connection()
        try:
            return backup.backup_if_due(conn) if only_if_due else backup.take_backup(conn, kind)
        finally:
            conn.close()

    def plan_import(self, path: Path, encoding: str | None, mapping: str | None, add_duplicates: bool) -> Any:
        """Read a sheet and plan its import (the preview) through a connection of its own (off the UI thread)."""
        from youthwork.services.importing import ImportService, best_for, mapping_named

        conn = self.profile.another_connection()
        try:
            service = ImportService(conn)
            sheet = service.read(path, encoding)
            chosen = mapping_named(conn, mapping) if mapping else best_for(conn, sheet.headings)
            return service.plan(sheet, chosen, add_duplicates=add_duplicates)
        finally:
            conn.close()

    def run_import(self, plan: Any) -> Changes:
        """Write a planned import through a connection of its own (off the UI thread); what it changed, for
        `announce` in the UI thread."""
        from youthwork.services.importing import ImportService

        conn = self.profile.another_connection()
        try:
            ImportService(conn).run(plan)
        finally:
            conn.close()
        return Changes.from_keys((r.TABLE, r.id) for u in plan.units for r in u.records)

    def receiving_teams(self) -> Any:
        """Ask the service which of its teams receive TYS and IGT referrals (network: off the UI thread)."""
        from youthwork.services.referrals import ask_receiving_teams

        return ask_receiving_teams(self.profile)

    def needs_receiving_teams(self) -> bool:
        from youthwork.services.referrals import needs_receiving_teams

        return needs_receiving_teams(self.profile)

    def setting(self, key: Setting[T]) -> T:
        """A setting of the open profile (its entry in youthwork.store.settings says its type and default)."""
        return self.profile.get_setting(key)

    def set_setting(self, key: Setting[T], value: T) -> None:
        self.profile.set_setting(key, value)

    def close(self) -> None:
        """Call after the background workers are joined."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        for extra in (self._reader, self._counter, self._reading and self._reading.profile):
            if extra is not None:
                try:
                    extra.close()
                except Exception:
                    log.exception("closing a background connection failed")
        self._reader = self._background_people = self._counter = self._counting_people = self._reading = None
        self._watch.close()
        self._listeners.clear()
        try:
            self.profile.close()
        except Exception:
            log.exception("closing the profile failed")
