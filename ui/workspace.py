"""The unlocked workspace: navigation on the left, one area at a time on the right, drafts kept safe."""

from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from ui.backend import OPEN_DRAFTS_KEY, Backend
from ui.forms import shortcut
from ui.placeholder import ComingLaterPage
from ui.theme import chars
from ui.today import TodayPage
from ui.workers import Workers

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
]
AUTOSAVE_MS = 15_000


class Workspace(QWidget):
    idle_minutes_changed = Signal(float)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Imported here: the areas import the services, which the gate does not need.
        from ui.people.area import PeopleArea
        from ui.plans.area import PlansArea
        from ui.referrals.area import ReferralsArea
        from ui.review.area import ReviewArea
        from ui.sessions.area import SessionsArea
        from ui.sync.area import SyncArea

        self.backend = backend
        self.workers = Workers(self)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pages = QStackedWidget()
        self.pages.setObjectName("workspace")
        self.areas: dict[str, QWidget] = {}
        self.today = TodayPage(backend, self)
        self.people = PeopleArea(backend, self.workers, self)
        self.sessions = SessionsArea(backend, self.workers, self)
        self.plans = PlansArea(backend, self)
        self.referrals = ReferralsArea(backend, self)
        built = {
            "today": self.today,
            "people": self.people,
            "sessions": self.sessions,
            "plans": self.plans,
            "referrals": self.referrals,
        }
        self.review = ReviewArea(backend, self.workers, self)
        built["review"] = self.review
        from ui.privacy.area import PrivacyArea

        self.privacy = PrivacyArea(backend, self)
        built["privacy"] = self.privacy
        self.sync = SyncArea(backend, self)
        built["sync"] = self.sync
        for number, (key, label) in enumerate(AREAS, start=1):
            page = built.get(key) or ComingLaterPage(key)
            self.areas[key] = page
            self.pages.addWidget(page)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{label} (Ctrl+{number})")
            self.nav.addItem(item)
            shortcut(self, f"Ctrl+{number}", lambda k=key: self.go(k), Qt.ShortcutContext.WindowShortcut)
        self.nav.setFixedWidth(chars(self.nav, 22))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.nav)
        lay.addWidget(self.pages, 1)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.sync.attach(self, parent)  # status bar, lease lock, Ctrl+Shift+S, background sync

        # Cross-area links.
        self.today.go_to.connect(self.go)
        self.today.new_session.connect(lambda: (self.go("sessions"), self.sessions.new_session()))
        self.today.idle_minutes_changed.connect(self.idle_minutes_changed)
        self.sessions.open_person.connect(self.open_person)
        self.people.open_session.connect(self.open_session)
        self.review.open_session.connect(self.open_session)
        self.review.open_person.connect(self.open_person)
        self.privacy.open_person.connect(self.open_person)

        self._last_saved: dict[str, str] = {}
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_drafts)
        self.autosave.start()

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
        self.autosave.stop()
        self.people.shutdown()
        self.sessions.shutdown()
        self.sync.shutdown()
        self.workers.join()
