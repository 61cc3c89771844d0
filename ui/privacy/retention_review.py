"""Records past retention (six years after last contact unless configured), for a supervisor to confirm erasure."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint, section
from ui.labels import uk_date
from ui.workers import Failure, Workers
from youthwork.domain.validation import ValidationError
from youthwork.privacy.retention import RetentionDue

log = logging.getLogger(__name__)


class RetentionReview(QWidget):
    erased = Signal(int)

    def __init__(self, backend: Backend, workers: Workers | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.workers = workers  # the review reads every young person: off the UI thread when there is a pool
        self.busy = False
        self.service = backend.retention
        self.due: list[RetentionDue] = []
        self.today: date | None = None  # tests pin the day
        self.last_result = ""
        lay = QVBoxLayout(self)
        lay.addWidget(section("Retention review"))
        lay.addWidget(
            hint(
                "Records are kept for a set time after the last contact (the Limitation Act 1980: six years, unless "
                "the retention schedule says otherwise), then erased here, on the server and on every laptop. "
                "Backups follow the same rule. A record on legal hold is kept."
            )
        )
        row = QHBoxLayout()
        self.years = QSpinBox()
        self.years.setRange(1, 100)
        self.years.setValue(self.service.years)
        self.years.setSuffix(" years")
        caption = QLabel("Keep for")
        caption.setBuddy(self.years)
        self.years_button = button("Save")
        row.addWidget(caption)
        row.addWidget(self.years)
        row.addWidget(self.years_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName("Records past their retention period")
        self.table.setHorizontalHeaderLabels(["Young person", "Last contact", "Past retention since", "Legal hold"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        lay.addWidget(self.table, 1)
        self.checked = QCheckBox("I have checked the ticked records are past retention and no longer needed")
        lay.addWidget(self.checked)
        act = QHBoxLayout()
        self.erase_button = button("Erase the ticked records")
        self.status = hint("")
        act.addWidget(self.erase_button)
        act.addWidget(self.status, 1)
        lay.addLayout(act)
        self.years_button.clicked.connect(self._save_years)
        self.erase_button.clicked.connect(self.erase_ticked)
        self.checked.toggled.connect(self._ready)
        self.table.itemChanged.connect(lambda _i: self._ready())

    def refresh(self) -> None:
        if self.workers is None:
            self._show(self.service.review_list(self.today))
            return
        self.busy = True
        self.status.setText("Checking last contact with every young person…")
        today = self.today
        self.workers.submit(
            lambda: self.service.review_list(today),
            self._show,
            self._failed,
            "The retention review could not be worked out. Try again.",
        )

    def _failed(self, failure: Failure) -> None:
        self.busy = False
        self.status.setText(failure.message)

    def _show(self, due: list[RetentionDue]) -> None:
        self.busy = False
        self.due = due
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.due))
        for r, d in enumerate(self.due):
            name = QTableWidgetItem(d.name or d.person_id[:8])
            if d.on_hold:
                name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            else:
                name.setFlags(name.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                name.setCheckState(Qt.CheckState.Checked)
            name.setData(Qt.ItemDataRole.UserRole, d.person_id)
            self.table.setItem(r, 0, name)
            for c, text in enumerate((uk_date(d.last_contact), uk_date(d.expired_on), "On hold" if d.on_hold else "")):
                self.table.setItem(r, c + 1, QTableWidgetItem(text))
        self.table.blockSignals(False)
        self.checked.setChecked(False)
        text = f"{len(self.due)} past retention" if self.due else "Nothing is past retention."
        self.status.setText(f"{self.last_result} {text}" if self.last_result else text)
        self._ready()

    def ticked(self) -> list[str]:
        out = []
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def _ready(self) -> None:
        self.erase_button.setEnabled(self.checked.isChecked() and bool(self.ticked()))

    def _save_years(self) -> None:
        try:
            self.service.set_years(self.years.value())
        except ValidationError as exc:
            self.status.setText(str(exc))
            return
        self.refresh()

    def erase_ticked(self) -> None:
        ticked, today = self.ticked(), self.today
        self.erase_button.setEnabled(False)
        if self.workers is None:
            self._erased(self.service.confirm(ticked, today))
            return
        self.busy = True
        self.status.setText("Erasing…")
        self.workers.submit(
            lambda: self.service.confirm(ticked, today),
            self._erased,
            self._failed,
            "The records could not be erased. Nothing was lost; try again.",
        )

    def _erased(self, done: list[str]) -> None:
        self.busy = False
        self.erased.emit(len(done))
        self.refresh()
        self.last_result = f"Erased {len(done)} record{'s' if len(done) != 1 else ''}. Sync to carry it everywhere."
        self.status.setText(self.last_result)
