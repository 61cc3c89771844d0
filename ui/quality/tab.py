"""The Review area's "Data quality" tab: what needs fixing, counted; each count opens onto its records, and each
record onto its fix (the profile, the merge of a duplicate pair, or undoing a recent merge)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint, shortcut
from ui.quality.merge_dialog import MergeDialog
from ui.stale_view import StaleView
from ui.theme import chars
from youthwork.domain.errors import ShownError
from youthwork.services.changes import EVERYTHING
from youthwork.services.data_quality import FIX, Issue, QualityRow

log = logging.getLogger(__name__)

QUALITY_TABLES = ("people", "person_merges")


class DataQualityTab(StaleView):
    TABLES = QUALITY_TABLES

    open_person = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.quality = backend.data_quality
        self.rows: list[QualityRow] = []
        self.dialog: MergeDialog | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                "Young people still worked with whose records need something. Choose a count to see the records, "
                "then Enter to fix one: the profile opens, or for a possible duplicate the merge."
            )
        )
        body = QHBoxLayout()
        self.issues = QListWidget()
        self.issues.setAccessibleName("What needs fixing")
        self.issues.setFixedWidth(chars(self.issues, 46))
        body.addWidget(self.issues)
        right = QVBoxLayout()
        self.fix = QLabel()
        self.fix.setWordWrap(True)
        right.addWidget(self.fix)
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName("Records to fix")
        self.table.setHorizontalHeaderLabels(["Young person", "Why"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        right.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.open_button = button("Open the profile")
        self.merge_button = button("Mer&ge these two…")
        self.undo_button = button("&Undo this merge")
        for b in (self.open_button, self.merge_button, self.undo_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        right.addLayout(buttons)
        self.message = QLabel()
        self.message.setWordWrap(True)
        right.addWidget(self.message)
        body.addLayout(right, 1)
        lay.addLayout(body, 1)
        self.issues.currentRowChanged.connect(lambda _r: self._show_rows())
        self.issues.itemActivated.connect(lambda _i: self.table.setFocus())
        self.table.itemSelectionChanged.connect(self._buttons)
        self.open_button.clicked.connect(self.open_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        self.undo_button.clicked.connect(self.undo_selected)
        shortcut(self.table, "Return", self.fix_selected, Qt.ShortcutContext.WidgetShortcut)
        shortcut(self.table, "Enter", self.fix_selected, Qt.ShortcutContext.WidgetShortcut)

    # ---- loading ----------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        row = max(self.issues.currentRow(), 0)
        self.issues.blockSignals(True)
        self.issues.clear()
        for q in self.quality.counts():
            if q.issue is Issue.MERGES:
                text = f"{q.issue.label}: {q.count}"
            elif q.issue is Issue.DUPLICATES:
                text = f"{q.issue.label}: {q.count} pair{'s' if q.count != 1 else ''}"
            else:
                text = f"{q.issue.label}: {q.count} of {q.of} ({q.percent}%)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, q.issue.value)
            self.issues.addItem(item)
        self.issues.blockSignals(False)
        self.issues.setCurrentRow(min(row, self.issues.count() - 1))
        self._show_rows()

    def issue(self) -> Issue:
        item = self.issues.currentItem()
        return Issue(item.data(Qt.ItemDataRole.UserRole)) if item is not None else Issue.NO_DATE_OF_BIRTH

    def select_issue(self, issue: Issue) -> None:
        for i in range(self.issues.count()):
            if self.issues.item(i).data(Qt.ItemDataRole.UserRole) == issue.value:
                self.issues.setCurrentRow(i)

    def _show_rows(self) -> None:
        issue = self.issue()
        self.fix.setText(FIX[issue])
        self.rows = self.quality.rows(issue)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            self.table.setItem(r, 0, QTableWidgetItem(row.name))
            self.table.setItem(r, 1, QTableWidgetItem(row.detail))
        if self.rows:
            self.table.selectRow(0)
        self.message.setText("" if self.rows else "Nothing to fix here.")
        self._buttons()

    def selected(self) -> QualityRow | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def _buttons(self) -> None:
        row, issue = self.selected(), self.issue()
        self.open_button.setEnabled(row is not None)
        self.merge_button.setEnabled(row is not None and issue is Issue.DUPLICATES)
        self.undo_button.setEnabled(row is not None and issue is Issue.MERGES)

    # ---- fixing -----------------------------------------------------------------------------------------------

    def fix_selected(self) -> None:
        if self.issue() is Issue.DUPLICATES:
            self.merge_selected()
        elif self.issue() is not Issue.MERGES:
            self.open_selected()

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_person.emit(row.person_id)

    def merge_dialog(self) -> MergeDialog | None:
        row = self.selected()
        if row is None or not row.other_id:
            return None
        return MergeDialog(self.backend, row.other_id, row.person_id, self)

    def merge_selected(self) -> None:
        self.dialog = self.merge_dialog()
        if self.dialog is not None:
            self.dialog.accepted.connect(self._merged)
            self.dialog.open()

    def _merged(self) -> None:
        self.message.setText("Merged. The service carries it out for every laptop at the next sync.")
        self.refresh()

    def undo_selected(self) -> None:
        row = self.selected()
        if row is None or not row.merge_id:
            return
        merge_id = row.merge_id
        try:
            self.backend.write(lambda: self.backend.merges.undo(merge_id), also=EVERYTHING)
        except ShownError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText("The merge will be undone at the next sync: both records come back as they were.")
        self.refresh()
