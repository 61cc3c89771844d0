"""The Review area's "Erasure requests" tab: another team erased a young person your team holds records about.

Each request names no one (the person is gone): when their records went and what your team holds. A supervisor
either erases the team's own records too (Alt+S to the confirmation, Space, then Ctrl+Shift+E) or keeps them with
the team's own reason (Alt+K to choose it, then Ctrl+Shift+K). Either decision closes the request, audited.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint
from youthwork.domain.privacy import KeepReason
from youthwork.domain.validation import ValidationError
from youthwork.services.changes import EVERYTHING, Changes
from youthwork.services.erasure_reviews import WaitingReview

ERASE_KEY, KEEP_KEY = "Ctrl+Shift+E", "Ctrl+Shift+K"


class ErasureRequestsTab(QWidget):
    """This team's open erasure requests (`load`); `count` gives the tab its title."""

    count = Signal(int)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.service = backend.erasure_reviews
        self.items: list[WaitingReview] = []
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                "Another team erased a young person your team also holds records about. Only your team decides what "
                "happens to its own records: erase them too, or keep them if your team has its own reason."
            )
        )
        self.requests = QListWidget()
        self.requests.setAccessibleName("Erasure requests waiting for a decision")
        self.requests.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.requests.setWordWrap(True)
        lay.addWidget(self.requests, 1)
        form = QFormLayout()
        self.confirm = QCheckBox("Our records about them go for good")
        self.confirm.setAccessibleName("Confirm: our records about them go for good")
        self.reason = QComboBox()
        self.reason.setAccessibleName("Our reason to keep them")
        self.reason.addItem("Choose…", "")
        for value, label in KeepReason.choices():
            self.reason.addItem(label, value)
        erase_row = QHBoxLayout()
        erase_row.addWidget(self.confirm)
        self.erase_button = button("Erase our records too", ERASE_KEY)
        erase_row.addWidget(self.erase_button)
        erase_row.addStretch(1)
        keep_row = QHBoxLayout()
        keep_row.addWidget(self.reason, 1)
        self.keep_button = button("Keep our records", KEEP_KEY)
        keep_row.addWidget(self.keep_button)
        confirm_label = QLabel("Era&se:")
        confirm_label.setBuddy(self.confirm)
        reason_label = QLabel("&Keep, because:")
        reason_label.setBuddy(self.reason)
        form.addRow(confirm_label, erase_row)
        form.addRow(reason_label, keep_row)
        lay.addLayout(form)
        self.message = hint("")
        self.message.setAccessibleName("Erasure requests message")
        lay.addWidget(self.message)
        self.erase_button.clicked.connect(self.erase_selected)
        self.keep_button.clicked.connect(self.keep_selected)
        self.confirm.toggled.connect(lambda _on: self._ready())
        self.reason.currentIndexChanged.connect(lambda _i: self._ready())
        self.requests.currentRowChanged.connect(lambda _r: self._ready())
        self._ready()

    def load(self) -> None:
        self.items = self.service.waiting()
        self.requests.clear()
        for item in self.items:
            row = QListWidgetItem(item.summary)
            row.setData(Qt.ItemDataRole.AccessibleTextRole, item.summary)
            self.requests.addItem(row)
        if self.items:
            self.requests.setCurrentRow(0)
        else:
            self.message.setText("No erasure requests are waiting.")
        self.count.emit(len(self.items))
        self._ready()

    def refresh_for(self, changes: Changes) -> None:
        if changes.touches("erasure_reviews"):
            self.load()

    def selected(self) -> WaitingReview | None:
        row = self.requests.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _ready(self) -> None:
        chosen = self.selected() is not None
        self.erase_button.setEnabled(chosen and self.confirm.isChecked())
        self.keep_button.setEnabled(chosen and bool(self.reason.currentData()))

    def erase_selected(self) -> None:
        item = self.selected()
        if item is None or not self.confirm.isChecked():
            self.message.setText("Tick the confirmation first: erasing can't be undone.")
            return
        # The wipe of what only this laptop held is not queued for sync: every open screen reloads.
        if self._decide(lambda: self.service.erase_ours(item.id), also=EVERYTHING):
            self.message.setText("Your team's records about them are erased. The request is closed.")

    def keep_selected(self) -> None:
        item, reason = self.selected(), str(self.reason.currentData() or "")
        if item is None or not reason:
            self.message.setText("Choose your team's reason to keep them first.")
            return
        if self._decide(lambda: self.service.keep_ours(item.id, reason)):
            self.message.setText("Your team keeps its records. The request is closed, with your reason.")

    def _decide(self, action: Callable[[], object], also: Changes | None = None) -> bool:
        try:
            if also is None:
                self.backend.write(action)
            else:
                self.backend.write(action, also=also)
        except ValidationError as e:
            self.message.setText(str(e))
            return False
        self.confirm.setChecked(False)
        self.reason.setCurrentIndex(0)
        self.load()
        self.requests.setFocus()
        return True
