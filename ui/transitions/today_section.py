"""The Today page's transitions list: young people turning 18 in the next six months who are red or amber or open to
TYS, with their handover's steps, and a form to plan the handover (a referral of kind transition to the IGT's
18–24 transitions service). Enter on a row opens the young person."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, hint, section
from ui.labels import parse_uk_date, uk_date
from youthwork.domain.validation import Problem, ValidationError
from youthwork.domain.vocab import ConsentGivenBy, LawfulBasis
from youthwork.services.transitions import TransitionRow

log = logging.getLogger(__name__)


def handover_text(row: TransitionRow) -> str:
    if not row.planned:
        return "Not planned yet"
    assert row.handover is not None
    done = [label for label, ok in row.steps if ok]
    last = done[-1] if done else "Planned"
    when = row.handover.referral.handover_on
    return f"{last} (handover {uk_date(when)})" if when else last


class TransitionsSection(QWidget):
    open_person = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.rows: list[TransitionRow] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(section("Turning 18 in the next six months"))
        lay.addWidget(
            hint(
                "Red or amber, or open to TYS: plan their handover to the 18–24 transitions service in the IGT "
                "before they turn 18. Enter opens the young person."
            )
        )
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName("Turning 18 in the next six months")
        self.table.setHorizontalHeaderLabels(["Young person", "Turns 18", "Why", "Handover"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(rows * 4 + self.table.horizontalHeader().sizeHint().height() + 4)
        self.table.setMaximumHeight(rows * 6 + self.table.horizontalHeader().sizeHint().height() + 4)
        self.table.itemActivated.connect(lambda item: self.open_person.emit(item.data(Qt.ItemDataRole.UserRole)))
        lay.addWidget(self.table)
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.handover_on = QLineEdit()
        self.handover_on.setPlaceholderText("dd/mm/yyyy, before they turn 18")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why they need the transitions service")
        self.basis = QComboBox()
        self.basis.addItem("Choose…", "")
        for value, label in LawfulBasis.choices():
            self.basis.addItem(label, value)
        self.consent_by = QComboBox()
        self.consent_by.addItem("(not consent)", "")
        for value, label in ConsentGivenBy.choices():
            self.consent_by.addItem(label, value)
        self.errors.add_row(form, "Hando&ver on", "handover_on", self.handover_on)
        self.errors.add_row(form, "Reason", "reason", self.reason)
        self.errors.add_row(form, "Lawful &basis", "lawful_basis", self.basis)
        self.errors.add_row(form, "Consent given by", "consent_given_by", self.consent_by)
        lay.addLayout(form)
        self.plan_button = button("Plan ha&ndover for the highlighted young person")
        self.plan_button.clicked.connect(self.plan)
        lay.addWidget(self.plan_button, alignment=Qt.AlignmentFlag.AlignRight)

    def show_rows(self, rows: list[TransitionRow]) -> int:
        """Show `rows` (TransitionService.due, read by the Today page off the UI thread), keeping the highlight."""
        keep = self._current()
        self.rows = rows
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = [row.person.display_name, uk_date(row.turns_18_on), ", ".join(row.why), handover_text(row)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.person.id)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        at = [r for r, row in enumerate(self.rows) if keep and row.person.id == keep.person.id]
        self.table.setCurrentCell(at[0] if at else (0 if self.rows else -1), 0)
        self.setVisible(bool(self.rows))
        return len(self.rows)

    def _current(self) -> TransitionRow | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def plan(self) -> bool:
        row = self._current()
        if row is None:
            return False
        if row.planned:
            self.errors.show([Problem("handover_on", "Their handover is already planned: follow it in Referrals.")])
            return False
        try:
            when = parse_uk_date(self.handover_on.text())
        except ValueError as exc:
            self.errors.show([Problem("handover_on", str(exc))])
            return False
        person_id, reason = row.person.id, self.reason.text()
        basis, consent = self.basis.currentData() or None, self.consent_by.currentData() or None
        try:
            self.backend.write(
                lambda: self.backend.transitions.plan_handover(person_id, when, reason, basis, consent_given_by=consent)
            )
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return False
        self.errors.clear()
        for box in (self.handover_on, self.reason):
            box.clear()
        self.basis.setCurrentIndex(0)
        self.consent_by.setCurrentIndex(0)
        # The row shows it planned once Today has read itself afresh, as it does after every write (refresh_for).
        return True
