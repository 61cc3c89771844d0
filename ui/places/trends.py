"""The supervisors' trends: signals of harm by place and week, set against where detached and youth-truck hours
went; and the deployment log of every place."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from ui.backend import Backend
from ui.forms import accessible, button, hint, title
from ui.labels import label_of, uk_date
from ui.places.dialogs import DeploymentDialog
from ui.places.page import weeks_box
from ui.places.tables import cell, fill, hours, plural, table, week_heading
from youthwork.domain.places import DeploymentSource, PlaceKind
from youthwork.domain.weeks import IsoWeek
from youthwork.reports.places import NO_PLACE, PATTERN_SIGNALS, PATTERN_WEEKS, PlaceWeek, TrendRow, Trends, weeks_ending

log = logging.getLogger(__name__)

PATTERN = QColor("#fde7e4")
PATTERN_TEXT = "Pattern: take to tasking"
UNREACHED_TEXT = "No detached or youth-truck hours here"


def cell_text(c: PlaceWeek) -> str:
    """A week's cell: the number of signals; what they were is in the tooltip and the accessible text."""
    return str(c.signals) if c.signals else ""


def cell_words(c: PlaceWeek) -> str:
    parts = [
        plural(n, what)
        for n, what in (
            (c.concerns, "concern"),
            (c.incidents, "incident"),
            (c.nfas, "NFA"),
            (c.referrals, "referral"),
        )
        if n
    ]
    return ", ".join(parts) or "nothing"


def what_it_shows(row: TrendRow) -> str:
    if row.place_id == NO_PLACE:
        return "Recorded with no place: choose the place on those records"
    return "; ".join(t for t, on in ((PATTERN_TEXT, row.pattern()), (UNREACHED_TEXT, row.unreached())) if on)


def trends_summary(t: Trends) -> str:
    totals = t.totals().values()
    signals = sum(w.signals for w in totals)
    at_signals, reached = t.hours_share()
    patterns = sum(r.pattern() for r in t.rows if r.place_id != NO_PLACE)
    return (
        f"{plural(signals, 'signal')} of harm in these weeks: {sum(w.concerns for w in totals)} concerns, "
        f"{sum(w.incidents for w in totals)} incidents, {sum(w.nfas for w in totals)} NFAs, "
        f"{sum(w.referrals for w in totals)} referrals. {round(at_signals * 100)}% of detached and youth-truck hours "
        f"were at places with a signal, and {round(reached * 100)}% of the signals at places were where those hours "
        f"went. {plural(patterns, 'place')} with {PATTERN_SIGNALS} or more signals within {PATTERN_WEEKS} weeks."
    )


class TrendsPage(QWidget):
    open_place = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.trends: Trends | None = None
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(title("Trends by place"), 1)
        weeks_label = QLabel("Wee&ks shown")
        self.weeks = weeks_box()
        weeks_label.setBuddy(self.weeks)
        accessible(self.weeks, "Weeks shown")
        head.addWidget(weeks_label)
        head.addWidget(self.weeks)
        lay.addLayout(head)
        lay.addWidget(
            hint(
                "Signals are safeguarding concerns and incidents at sessions, police NFAs for arrests, and referrals "
                'naming the place. Several at one place in a few weeks ("assaulted on the same bus route") is '
                "worth taking to the tasking meeting. Enter on a row opens the place."
            )
        )
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        accessible(self.summary, "Summary")
        lay.addWidget(self.summary)
        self.table = table(["Place"], "Signals by place and week")
        lay.addWidget(self.table, 1)
        self.weeks.currentIndexChanged.connect(self.refresh)
        self.table.itemActivated.connect(self._activated)

    def weeks_shown(self) -> list[IsoWeek]:
        return weeks_ending(IsoWeek.current(), int(self.weeks.currentData()))

    def refresh(self) -> None:
        weeks = self.weeks_shown()
        self.trends = t = self.backend.places.trends(weeks)
        self.summary.setText(trends_summary(t))
        headings = ["Place", "Signals", "Detached hours", "Youth truck hours", "What it shows"]
        first_week = len(headings)
        headings += [week_heading(w) for w in weeks]
        self.table.clear()
        self.table.setColumnCount(len(headings))
        self.table.setHorizontalHeaderLabels(headings)
        rows = [
            [
                r.name,
                str(r.signals),
                hours(r.outreach_hours.get("detached", 0.0)),
                hours(r.outreach_hours.get("youth_truck", 0.0)),
                what_it_shows(r),
                *[cell_text(r.weeks[w]) for w in weeks],
            ]
            for r in t.rows
        ]
        fill(self.table, rows, [r.place_id for r in t.rows])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for i, r in enumerate(t.rows):
            kind = label_of(PlaceKind, r.kind) if r.kind else ""
            cell(self.table, i, 0).setToolTip(kind)
            for j, w in enumerate(weeks):
                item = cell(self.table, i, first_week + j)
                words = f"{r.name}, week of {uk_date(w.monday)}: {cell_words(r.weeks[w])}"
                item.setToolTip(words)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, words)
            if r.pattern() and r.place_id != NO_PLACE:
                for c in range(self.table.columnCount()):
                    cell(self.table, i, c).setBackground(PATTERN)
        if t.rows:
            self.table.setCurrentCell(0, 0)

    def _activated(self, item) -> None:
        place_id = item.data(Qt.ItemDataRole.UserRole)
        if place_id:
            self.open_place.emit(place_id)

    def focus_first(self) -> None:
        self.table.setFocus()


class DeploymentLogPage(QWidget):
    """Every deployment log entry, newest report first."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.dialog: DeploymentDialog | None = None
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(title("Deployment log"), 1)
        self.new_button = button("Log a &deployment")
        head.addWidget(self.new_button)
        lay.addLayout(head)
        lay.addWidget(
            hint(
                "The intelligence or anti-social behaviour report that led to a session, what was found, and what "
                "was fed back to the tasking meeting. Enter opens an entry."
            )
        )
        self.table = table(
            [
                "Report received",
                "Place",
                "What led to it",
                "Reference",
                "What we found",
                "Fed back on",
                "Fed back to tasking",
            ],
            "Deployment log",
        )
        lay.addWidget(self.table, 1)
        self.new_button.clicked.connect(lambda: self.open_entry(""))
        self.table.itemActivated.connect(lambda item: self.open_entry(item.data(Qt.ItemDataRole.UserRole)))

    def refresh(self) -> None:
        names = {p.id: p.name for p in self.backend.places.all(include_inactive=True)}
        entries = self.backend.places.deployments()
        fill(
            self.table,
            [
                [
                    uk_date(d.received_on),
                    names.get(d.place_id, ""),
                    label_of(DeploymentSource, d.source),
                    d.reference,
                    d.found,
                    uk_date(d.fed_back_on) or "Not yet",
                    d.fed_back,
                ]
                for d in entries
            ],
            [d.id for d in entries],
        )

    def open_entry(self, entry_id: str) -> DeploymentDialog:
        entry = next((d for d in self.backend.places.deployments() if d.id == entry_id), None) if entry_id else None
        self.dialog = dialog = DeploymentDialog(self.backend, entry, parent=self)
        dialog.accepted.connect(self.refresh)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def focus_first(self) -> None:
        self.table.setFocus()
