"""A young person's chronology on their profile: sessions, notes, plans, referrals, RAG, NFAs, circumstances (and
whatever else has registered with youthwork.services.chronology), newest first, filterable by kind.

Special category and criminal-offence details stay hidden until the worker opens them on the Privacy tab with a
recorded reason, as everywhere on the profile."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import hint
from ui.labels import uk_date, uk_datetime
from youthwork.services.chronology import ChronologyService, Entry

log = logging.getLogger(__name__)

PER_ROW = 5
HIDDEN = "Hidden: need to know (open them on the Privacy tab, Alt+V)"


class ChronologyTab(QWidget):
    open_session = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.service = ChronologyService(backend.profile)
        self.person_id: str | None = None
        self.revealed = False
        self.entries: list[Entry] = []
        lay = QVBoxLayout(self)
        lay.addWidget(hint("Everything recorded about them, newest first. Untick a kind to leave it out (Space)."))
        filters = QGridLayout()  # rows of five: more kinds register over time, and it must fit a 13-inch laptop
        self.kind_boxes: dict[str, QCheckBox] = {}
        for i, kind in enumerate(self.service.kinds()):
            box = QCheckBox(kind.label)
            box.setChecked(True)
            box.setAccessibleName(f"Show {kind.label.lower()}")
            box.toggled.connect(lambda _on: self._fill())
            self.kind_boxes[kind.key] = box
            filters.addWidget(box, i // PER_ROW, i % PER_ROW)
        filters.setColumnStretch(PER_ROW, 1)
        lay.addLayout(filters)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Chronology")
        self.table.setHorizontalHeaderLabels(["When", "What", "Details"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        self.table.itemActivated.connect(self._activated)
        lay.addWidget(self.table, 1)
        self.count = hint("")
        lay.addWidget(self.count)

    def show_for(self, person_id: str) -> int:
        """Load their chronology (restricted details hidden again for a new person); the number of entries."""
        if person_id != self.person_id:
            self.revealed = False
        self.person_id = person_id
        self.entries = self.service.for_person(person_id)
        self._fill()
        return len(self.entries)

    def reveal(self) -> None:
        """The worker opened the restricted details with a reason (the Privacy tab recorded it)."""
        self.revealed = True
        self._fill()

    def shown_kinds(self) -> set[str]:
        return {key for key, box in self.kind_boxes.items() if box.isChecked()}

    def _fill(self) -> None:
        kinds = self.shown_kinds()
        labels = {k.key: k.label for k in self.service.kinds()}
        rows = [e for e in self.entries if e.kind in kinds]
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            when = uk_date(e.when) if e.dated_only else uk_datetime(e.when)
            detail = HIDDEN if e.restricted and not self.revealed else e.detail
            cells = [when, e.title, detail]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (e.table, e.record_id))
                if c == 1:
                    item.setToolTip(labels.get(e.kind, e.kind))
                self.table.setItem(r, c, item)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        shown, total = len(rows), len(self.entries)
        self.count.setText(
            f"{total} entr{'y' if total == 1 else 'ies'}" if shown == total else f"Showing {shown} of {total} entries"
        )

    def _activated(self, item: QTableWidgetItem) -> None:
        table, record_id = item.data(Qt.ItemDataRole.UserRole)
        if table == "sessions":
            self.open_session.emit(record_id)
