"""The Places area: the team's places and each place's page; for supervisors, the trends by place; the deployment
log. Partner staff (Kicks coaches) see their team's places and headcounts, not the trends nor the log."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ui.backend import Backend
from ui.forms import accessible
from ui.places.page import PlacesPage
from ui.places.trends import DeploymentLogPage, TrendsPage
from youthwork.domain.vocab import Role
from youthwork.services.changes import Changes
from youthwork.store.settings import ROLE

log = logging.getLogger(__name__)

PLACE_TABLES = (
    "places",
    "sessions",
    "attendance",
    "nfa_notifications",
    "referrals",
    "plan_places",
    "safety_plans",
    "deployments",
    "people",
)


class PlacesArea(QWidget):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        role = backend.setting(ROLE) or ""
        self.tabs = QTabWidget()
        accessible(self.tabs, "Places", "Ctrl+Tab moves between the tabs")
        self.places = PlacesPage(backend)
        self.tabs.addTab(self.places, "Places")
        self.trends: TrendsPage | None = None
        self.log: DeploymentLogPage | None = None
        if role in ("", Role.SUPERVISOR, Role.ADMIN):  # a laptop never enrolled has no role yet: it keeps them
            self.trends = TrendsPage(backend)
            self.tabs.addTab(self.trends, "Trends by place")
            self.trends.open_place.connect(self.open_place)
        if role != Role.PARTNER:
            self.log = DeploymentLogPage(backend)
            self.tabs.addTab(self.log, "Deployment log")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        page = self.tabs.currentWidget()
        if page is self.places:
            self.places.load()
        elif page is not None:
            page.refresh()  # type: ignore[attr-defined]

    def open_place(self, place_id: str) -> None:
        self.tabs.setCurrentWidget(self.places)
        self.places.choose(place_id)
        self.places.view.summary.setFocus()

    def focus_first(self) -> None:
        self.tabs.currentWidget().focus_first()  # type: ignore[attr-defined]

    def refresh_for(self, changes: Changes) -> None:
        if changes.touches(*PLACE_TABLES):
            self.refresh()
