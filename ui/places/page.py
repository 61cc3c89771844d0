"""The team's places, and one place's page: what happened there week by week, without naming anyone, and the
place's context safety plan with its conference pack (for staff: partner staff see places and headcounts only)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.context_plans.panel import ContextPlanPanel
from ui.forms import accessible, button, hint, section, shortcut, title
from ui.labels import label_of, session_type, uk_date
from ui.places.dialogs import ConfirmPlacesDialog, DeploymentDialog, PlaceDialog
from ui.places.tables import fill, fit_height, hours, plural, table, week_heading
from ui.theme import chars
from youthwork.domain.places import DeploymentSource, Place, PlaceKind
from youthwork.domain.weeks import IsoWeek
from youthwork.reports.places import PlacePage, weeks_ending

log = logging.getLogger(__name__)

WEEK_CHOICES = (4, 8, 13, 26, 52)
DEFAULT_WEEKS = 13


def weeks_box() -> QComboBox:
    box = QComboBox()
    for n in WEEK_CHOICES:
        box.addItem(f"Last {n} weeks", n)
    box.setCurrentIndex(WEEK_CHOICES.index(DEFAULT_WEEKS))
    return box


def place_summary(page: PlacePage) -> str:
    t = page.totals()
    first, last = page.weeks[0].week, page.weeks[-1].week
    plans = page.plans
    return (
        f"From {uk_date(first.monday)} to {uk_date(last.sunday)}: {plural(t.sessions, 'session')}, "
        f"{hours(t.hours)} hours; {t.headcount} young people counted without names and {t.named} on registers. "
        f"{plural(t.concerns, 'safeguarding concern')}, {plural(t.incidents, 'incident')}, "
        f"{plural(t.nfas, 'police NFA')} for arrests here, {plural(t.referrals, 'referral')} naming it. "
        f"Current safety plans: {plans['avoid']} name it as a place to avoid, {plans['safe']} as safe."
    )


class PlaceView(QWidget):
    """One place's page."""

    log_deployment = Signal(str)  # place id
    open_deployment = Signal(str)  # deployment id

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.place: Place | None = None
        lay = QVBoxLayout(self)
        self.heading = title("Choose a place")
        self.details = hint("")
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        weeks_label = QLabel("Wee&ks shown")
        self.weeks = weeks_box()
        weeks_label.setBuddy(self.weeks)
        accessible(self.weeks, "Weeks shown")
        head.addWidget(weeks_label)
        head.addWidget(self.weeks)
        lay.addLayout(head)
        lay.addWidget(self.details)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        accessible(self.summary, "Summary")
        lay.addWidget(self.summary)
        self.context_plan = ContextPlanPanel(backend)
        self.context_plan.hide()  # until a place is chosen (and never for partner staff)
        lay.addWidget(self.context_plan)
        lay.addWidget(section("Week by week"))
        self.by_week = table(
            [
                "Week of",
                "Sessions",
                "Hours",
                "Headcount",
                "Named",
                "Concerns",
                "Incidents",
                "NFAs",
                "Referrals",
            ],
            "Week by week",
            "Each week from its Monday: sessions here, young people counted without names (headcounts) and named on "
            "registers, and the concerns, incidents, police NFAs and referrals",
        )
        self.by_week.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.by_week)
        row = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(section("Sessions by type"))
        self.by_type = table(["Type", "Sessions"], "Sessions by type")
        left.addWidget(self.by_type)
        right.addWidget(section("Sessions by worker"))
        self.by_worker = table(["Worker", "Sessions"], "Sessions by worker")
        right.addWidget(self.by_worker)
        row.addLayout(left)
        row.addLayout(right)
        lay.addLayout(row)
        lay.addWidget(section("Where the young people seen here live"))
        self.estates = table(
            ["Home estate or area", "Young people", "Weeks seen (young people that week)"],
            "Where the young people seen here live",
            "Counts of young people on registers here, by where they live; no one is named",
        )
        lay.addWidget(self.estates)
        dep_head = QHBoxLayout()
        dep_head.addWidget(section("Deployment log"))
        dep_head.addStretch(1)
        self.log_button = button("Log a &deployment here")
        accessible(self.log_button, "Log a deployment here")
        dep_head.addWidget(self.log_button)
        lay.addLayout(dep_head)
        self.deployments = table(
            ["Report received", "What led to it", "Reference", "What we found", "Fed back to tasking"],
            "Deployment log for this place",
            "Enter opens an entry",
        )
        lay.addWidget(self.deployments)
        self.weeks.currentIndexChanged.connect(self.refresh)
        self.log_button.clicked.connect(lambda: self.place and self.log_deployment.emit(self.place.id))
        self.deployments.itemActivated.connect(
            lambda item: self.open_deployment.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.log_button.setEnabled(False)

    def show_place(self, place_id: str) -> None:
        self.place = self.backend.places.get(place_id)
        self.refresh()

    def weeks_shown(self) -> list[IsoWeek]:
        return weeks_ending(IsoWeek.current(), int(self.weeks.currentData()))

    def refresh(self) -> None:
        if self.place is None:
            return
        place = self.backend.places.get(self.place.id) or self.place
        page = self.backend.places.page(place.id, self.weeks_shown())
        self.heading.setText(place.name)
        self.heading.setAccessibleName(place.name)
        bits = [label_of(PlaceKind, place.kind)]
        if place.ward:
            bits.append(f"{place.ward} ward")
        if place.description:
            bits.append(place.description)
        self.details.setText(". ".join(bits))
        self.summary.setText(place_summary(page))
        self.context_plan.show_for(place_id=place.id, about=place.name)  # hides itself from partner staff
        fill(
            self.by_week,
            [
                [
                    week_heading(w.week),
                    str(w.sessions),
                    hours(w.hours),
                    str(w.headcount),
                    str(w.named),
                    str(w.concerns),
                    str(w.incidents),
                    str(w.nfas),
                    str(w.referrals),
                ]
                for w in reversed(page.weeks)  # the latest week first
            ],
        )
        fill(self.by_type, [[session_type(k), str(n)] for k, n in page.by_type.items()])
        names = self.backend.team_names()
        fill(self.by_worker, [[names.get(k, "A colleague"), str(n)] for k, n in page.by_worker.items()])
        fill(
            self.estates,
            [
                [
                    area or "Not recorded",
                    str(n),
                    ", ".join(f"{week_heading(w)}: {c}" for w, c in per.items()),
                ]
                for area, per, n in ((a, p, page.estate_totals[a]) for a, p in page.estates.items())
            ],
        )
        fill(
            self.deployments,
            [
                [uk_date(d.received_on), label_of(DeploymentSource, d.source), d.reference, d.found, d.fed_back]
                for d in page.deployments
            ],
            [d.id for d in page.deployments],
        )
        for t in (self.by_week, self.by_type, self.by_worker, self.estates, self.deployments):
            fit_height(t)
        self.log_button.setEnabled(True)


class PlacesPage(QWidget):
    """The team's places on the left, the chosen place's page on the right."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.dialog: QDialog | None = None  # the one open, for tests and screenshots
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addWidget(title("Places"))
        find_label = QLabel("&Find a place")
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("Type part of its name")
        find_label.setBuddy(self.find_box)
        accessible(self.find_box, "Find a place")
        ll.addWidget(find_label)
        ll.addWidget(self.find_box)
        self.list = QListWidget()
        accessible(self.list, "The team's places", "Enter shows the place's page")
        self.list.setWordWrap(True)
        ll.addWidget(self.list, 1)
        self.new_button = button("&New place", "Ctrl+N")
        self.edit_button = button("Chan&ge this place")
        self.confirm_button = button("&Earlier places")
        accessible(self.confirm_button, "Earlier places to confirm", "The places typed on earlier sessions, one by one")
        for b in (self.new_button, self.edit_button, self.confirm_button):
            ll.addWidget(b)
        left.setFixedWidth(chars(left, 28))
        self.view = PlaceView(backend)
        scroll = QScrollArea()
        scroll.setAccessibleName("The place's page")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.view)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(left)
        lay.addWidget(scroll, 1)
        self.find_box.textChanged.connect(self.load)
        self.find_box.returnPressed.connect(self._open_current)

        def show_current(item: QListWidgetItem | None, _old: QListWidgetItem | None) -> None:
            if item is not None:
                self.view.show_place(item.data(Qt.ItemDataRole.UserRole))

        self.list.currentItemChanged.connect(show_current)
        self.list.itemActivated.connect(lambda _item: self.view.summary.setFocus())
        self.new_button.clicked.connect(self.new_place)
        self.edit_button.clicked.connect(self.edit_place)
        self.confirm_button.clicked.connect(self.confirm_earlier)
        self.view.log_deployment.connect(lambda pid: self.deployment(place_id=pid))
        self.view.open_deployment.connect(lambda did: self.deployment(entry_id=did))
        shortcut(self.find_box, "Down", lambda: self.list.setFocus())

    def load(self) -> None:
        chosen = self.list.currentItem().data(Qt.ItemDataRole.UserRole) if self.list.currentItem() else None
        words = self.find_box.text().strip().lower()
        self.list.blockSignals(True)
        self.list.clear()
        for p in self.backend.places.all():
            if words and words not in p.name.lower():
                continue
            item = QListWidgetItem(p.name)
            item.setToolTip(label_of(PlaceKind, p.kind))
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            self.list.addItem(item)
            if p.id == chosen:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
            self.view.show_place(self.list.item(0).data(Qt.ItemDataRole.UserRole))
        n = len(self.backend.places.suggestions())
        self.confirm_button.setText(f"&Earlier places ({n})" if n else "&Earlier places")
        self.confirm_button.setEnabled(bool(n))

    def _open_current(self) -> None:
        if self.list.currentItem() is not None:
            self.list.setFocus()

    def choose(self, place_id: str) -> None:
        self.find_box.clear()
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == place_id:
                self.list.setCurrentRow(i)
                return

    def _show(self, dialog: QDialog, done) -> QDialog:
        """Open a dialog without blocking (the window stays live for sync and the idle lock); `done` on accept."""
        self.dialog = dialog
        dialog.accepted.connect(done)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def new_place(self) -> QDialog:
        dialog = PlaceDialog(self.backend, parent=self)

        def done() -> None:
            self.load()
            if dialog.saved:
                self.choose(dialog.saved.id)

        return self._show(dialog, done)

    def edit_place(self) -> QDialog | None:
        place = self.backend.places.get(self.view.place.id) if self.view.place else None
        if place is None:
            return None

        def done() -> None:
            self.load()
            self.view.refresh()

        return self._show(PlaceDialog(self.backend, place, parent=self), done)

    def confirm_earlier(self) -> QDialog:
        dialog = self._show(ConfirmPlacesDialog(self.backend, parent=self), self.load)
        dialog.rejected.connect(self.load)
        return dialog

    def deployment(self, place_id: str = "", entry_id: str = "") -> QDialog:
        entry = next((d for d in self.backend.places.deployments() if d.id == entry_id), None) if entry_id else None
        return self._show(DeploymentDialog(self.backend, entry, place_id=place_id, parent=self), self.view.refresh)

    def focus_first(self) -> None:
        self.find_box.setFocus()
