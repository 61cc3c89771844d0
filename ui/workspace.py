"""The unlocked workspace: navigation on the left, one area at a time on the right, drafts kept safe."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QVBoxLayout, QWidget

from ui.backend import OPEN_DRAFTS_KEY, Backend
from ui.forms import accessible, shortcut
from ui.placeholder import SUPERVISORS_ONLY, ComingLaterPage, SupervisorsOnlyPage
from ui.theme import chars
from ui.today import TodayPage
from ui.workers import Workers
from youthwork.domain.vocab import Role
from youthwork.services.changes import Changes
from youthwork.store.settings import ROLE

log = logging.getLogger(__name__)

AREAS: list[tuple[str, str]] = [
    ("today", "Today"),
    ("people", "Young people"),
    ("sessions", "Sessions"),
    ("plans", "Safety plans"),
    ("referrals", "Referrals"),
    ("review", "Review"),
    ("sync", "Sync"),
    ("privacy", "Data protection"),
    ("backups", "Backups"),
    ("places", "Places"),
    ("groups", "Peer groups"),  # the eleventh: Ctrl+G (GROUP_KEY)
]
AUTOSAVE_MS = 15_000
GROUP_KEY = "Ctrl+G"  # past Ctrl+0 there are no digits left


def sees_supervisor_areas(backend: Backend) -> bool:
    """Review and Data protection are for supervisors. A laptop never enrolled has no role yet: it keeps them."""
    role = backend.setting(ROLE) or ""
    return role in ("", Role.SUPERVISOR, Role.ADMIN)


class AreaSlot(QWidget):
    """An area's place in the stack; the area itself is built the first time it is shown or asked for."""

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._area: QWidget | None = None
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._area is not None

    def area(self) -> Any:
        if self._area is None:
            self._area = self._build()
            self._lay.addWidget(self._area)
            # A child added to a parent on screen would otherwise appear, and be laid out, one event later.
            self._area.show()
            self._lay.activate()
        return self._area

    def showEvent(self, event: Any) -> None:
        self.area()
        super().showEvent(event)

    def focus_first(self) -> None:
        focus = getattr(self.area(), "focus_first", None)
        if focus:
            focus()


class Workspace(QWidget):
    idle_minutes_changed = Signal(float)
    stray_written = Signal()  # from any thread: a write outside Backend.write, announced from the UI thread

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Imported here: the areas import the services, which the gate does not need.
        from ui.people.area import PeopleArea
        from ui.sessions.area import SessionsArea
        from ui.sync.area import SyncArea

        self.backend = backend
        self.workers = Workers(self)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        accessible(
            self.nav,
            "Areas",
            "Ctrl+1 to Ctrl+9, Ctrl+0 and Ctrl+G go straight to an area; Enter opens the highlighted one",
        )
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pages = QStackedWidget()
        self.pages.setObjectName("workspace")
        self.areas: dict[str, QWidget] = {}
        self.today = TodayPage(backend, self)
        self.people = PeopleArea(backend, self.workers, self)
        self.sessions = SessionsArea(backend, self.workers, self)
        # Sync is built now: it feeds the status bar and syncs in the background. The other areas are built the
        # first time they are shown or asked for, so unlocking builds only what the worker sees first.
        self.sync = SyncArea(backend, self)
        built: dict[str, QWidget] = {
            "today": self.today,
            "people": self.people,
            "sessions": self.sessions,
            "sync": self.sync,
        }
        lazy = {
            "plans": self._build_plans,
            "referrals": self._build_referrals,
            "review": self._build_review,
            "privacy": self._build_privacy,
            "backups": self._build_backups,
            "places": self._build_places,
            "groups": self._build_groups,
        }
        # Checked when the area is first built, so enrolling as a worker before opening them is respected too. The nav
        # entry stays (Ctrl+6 and Ctrl+8 mean the same on every laptop) and the page says who it is for.
        for key in SUPERVISORS_ONLY:
            lazy[key] = self._for_supervisors(key, lazy[key])
        supervisor = sees_supervisor_areas(backend)
        self._slots: dict[str, AreaSlot] = {key: AreaSlot(build) for key, build in lazy.items()}
        built.update(self._slots)
        for number, (key, label) in enumerate(AREAS, start=1):
            page = built.get(key) or ComingLaterPage(key)
            self.areas[key] = page
            self.pages.addWidget(page)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            digit = number % 10  # the tenth area is Ctrl+0
            keys = f"Ctrl+{digit}" if number <= 10 else GROUP_KEY
            item.setToolTip(f"{label} ({keys})")
            if key in SUPERVISORS_ONLY and not supervisor:
                item.setToolTip(f"{label}: for supervisors ({keys})")
            self.nav.addItem(item)
            shortcut(self, keys, lambda k=key: self.go(k), Qt.ShortcutContext.WindowShortcut)
        self.nav.setFixedWidth(chars(self.nav, 22))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.nav)
        lay.addWidget(self.pages, 1)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.itemActivated.connect(lambda _item: self.focus_current())  # Enter goes into the highlighted area
        self.nav.setCurrentRow(0)
        self.sync.attach(self, parent)  # status bar, lease lock, Ctrl+Shift+S, background sync
        from ui.backup.area import take_daily_backup

        take_daily_backup(backend, self.workers)  # if the newest backup is over a day old

        # Cross-area links.
        self.today.go_to.connect(self.go)
        self.today.transitions.open_person.connect(self.open_person)

        def new_session() -> None:
            self.go("sessions")
            self.sessions.new_session()

        self.today.new_session.connect(new_session)
        self.today.idle_minutes_changed.connect(self.idle_minutes_changed)
        self.sessions.open_person.connect(self.open_person)
        self.people.open_session.connect(self.open_session)

        self._last_saved: dict[str, str] = {}
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_drafts)
        self.autosave.start()

        # What changed: every write (Backend.write) and sync cycle is handed to each open area.
        self._unsubscribe = backend.subscribe(self.changed)
        # Queued, so it is announced once the event in hand (perhaps the write's own caller) is done.
        self.stray_written.connect(self._flush, Qt.ConnectionType.QueuedConnection)
        backend.on_stray_write = self.stray_written.emit

    # What changed --------------------------------------------------------------------------------------------------

    def changed(self, changes: Changes) -> None:
        """Each area built so far reloads what `changes` made stale; areas not yet built read fresh when built."""
        self.sync.controller.refresh_status()  # "n changes waiting"
        areas: list[Any] = [self.today, self.people, self.sessions]
        areas += [slot.area() for slot in self._slots.values() if slot.built]
        for area in areas:
            refresh = getattr(area, "refresh_for", None)
            if refresh is None:
                continue
            try:
                refresh(changes)
            except Exception:
                log.exception("an area could not refresh after a change")

    def _flush(self) -> None:
        if self.backend.on_stray_write is not None:  # still unlocked
            self.backend.flush()

    # Areas built on first use ---------------------------------------------------------------------------------------

    @property
    def plans(self) -> Any:
        return self._slots["plans"].area()

    @property
    def referrals(self) -> Any:
        return self._slots["referrals"].area()

    @property
    def review(self) -> Any:
        return self._slots["review"].area()

    @property
    def privacy(self) -> Any:
        return self._slots["privacy"].area()

    def _for_supervisors(self, key: str, build: Callable[[], QWidget]) -> Callable[[], QWidget]:
        return lambda: build() if sees_supervisor_areas(self.backend) else SupervisorsOnlyPage(key)

    def _build_plans(self) -> QWidget:
        from ui.plans.area import PlansArea

        return PlansArea(self.backend, self)

    def _build_referrals(self) -> QWidget:
        from ui.referrals.area import ReferralsArea

        return ReferralsArea(self.backend, self, self.workers)

    def _build_review(self) -> QWidget:
        from ui.review.area import ReviewArea

        area = ReviewArea(self.backend, self.workers, self)
        area.open_session.connect(self.open_session)
        area.open_person.connect(self.open_person)
        return area

    def _build_privacy(self) -> QWidget:
        from ui.privacy.area import PrivacyArea

        area = PrivacyArea(self.backend, self.workers, self)
        area.open_person.connect(self.open_person)
        return area

    def _build_places(self) -> QWidget:
        from ui.places.area import PlacesArea

        return PlacesArea(self.backend, self)

    def _build_groups(self) -> QWidget:
        from ui.groups.area import GroupsArea

        return GroupsArea(self.backend, self)

    def _build_backups(self) -> QWidget:
        from ui.backup.area import BackupArea

        return BackupArea(self.backend, self.workers, self)

    # Navigation ----------------------------------------------------------------------------------------------------

    @property
    def current_area(self) -> str:
        return AREAS[self.pages.currentIndex()][0]

    def go(self, key: str) -> None:
        index = [k for k, _ in AREAS].index(key)
        self.nav.setCurrentRow(index)
        self.focus_current()

    def focus_current(self) -> None:
        page = self.pages.currentWidget()
        focus = getattr(page, "focus_first", None)
        if focus:
            focus()
        else:
            self.nav.setFocus()

    def open_person(self, person_id: str) -> None:
        self.go("people")
        self.people.open_profile(person_id)

    def open_session(self, session_id: str) -> None:
        self.go("sessions")
        self.sessions.open_session(session_id)

    # Reached from the profile's Plans and Referrals tabs (see ui.plans.links).
    def open_plan(self, plan_id: str) -> None:
        self.go("plans")
        self.plans.open_plan(plan_id)

    def new_plan(self, person_id: str) -> None:
        self.go("plans")
        self.plans.new_plan(person_id)

    def open_referral(self, referral_id: str) -> None:
        self.go("referrals")
        self.referrals.open_referral(referral_id)

    def new_referral(self, person_id: str) -> None:
        self.go("referrals")
        self.referrals.new_referral(person_id)

    def new_incoming(self, person_id: str) -> None:
        """A referral that reached this team from outside youthwork (issue 19, item 7)."""
        self.go("referrals")
        self.referrals.new_incoming(person_id)

    # Drafts --------------------------------------------------------------------------------------------------------

    def _collect(self) -> dict[str, dict[str, Any]]:
        drafts: dict[str, dict[str, Any]] = {}
        for area in (self.people, self.sessions):
            drafts.update(area.drafts())
        return drafts

    def save_drafts(self) -> None:
        """Keep whatever is being typed in the store, so an idle lock or a crash loses nothing."""
        drafts = self._collect()
        service = self.backend.drafts
        for key, data in drafts.items():
            encoded = json.dumps(data, sort_keys=True, default=str)
            if self._last_saved.get(key) != encoded:
                service.save(key, data)
                self._last_saved[key] = encoded
        for key in list(self._last_saved):
            if key not in drafts:
                service.discard(key)
                del self._last_saved[key]
        service.save(OPEN_DRAFTS_KEY, {"keys": sorted(drafts), "area": self.current_area})

    def restore_drafts(self) -> None:
        service = self.backend.drafts
        index = service.load(OPEN_DRAFTS_KEY) or {}
        area = index.get("area", "today")
        for key in index.get("keys", []):
            data = service.load(key)
            if data is None:
                continue
            self._last_saved[key] = json.dumps(data, sort_keys=True, default=str)
            target = self.sessions if key.startswith("session") else self.people
            try:
                target.restore_draft(key, data)
            except Exception:
                log.exception("a draft could not be restored")
        if area in self.areas:
            self.go(area)

    def shutdown(self) -> None:
        self._unsubscribe()
        self.backend.on_stray_write = None
        self.autosave.stop()
        self.people.shutdown()
        self.sessions.shutdown()
        self.sync.shutdown()
        self.today.workers.join()
        self.workers.join()
