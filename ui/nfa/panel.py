"""Police "no further action" notifications on a young person's profile (criminal-offence data: need to know).

Recording the third raises a prompt for a joint home visit with the police."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
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
from ui.labels import label_of, parse_uk_date, uk_date
from youthwork.domain.nfa import JOINT_VISIT_AT, OffenceCategory
from youthwork.domain.validation import Problem, ValidationError

log = logging.getLogger(__name__)

PROMPT = (
    "This is their {n} NFA. Arrange a joint home visit with the police (TYS with the police), "
    "and record it as a case note."
)


class NfaPanel(QWidget):
    recorded = Signal(int)  # the new count

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person_id: str | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(hint("Criminal-offence data: need to know only."))
        self.prompt = QLabel()
        self.prompt.setObjectName("banner")
        self.prompt.setWordWrap(True)
        self.prompt.hide()
        lay.addWidget(self.prompt)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Police NFA notifications")
        self.table.setHorizontalHeaderLabels(["Date", "Offence category", "Told by"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        lay.addWidget(self.table, 1)
        lay.addWidget(section("Record an NFA"))
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.when = QLineEdit()
        self.when.setPlaceholderText("dd/mm/yyyy")
        self.category = QComboBox()
        self.category.addItem("Choose…", "")
        for value, label in OffenceCategory.choices():
            self.category.addItem(label, value)
        self.source = QLineEdit()
        self.source.setPlaceholderText("Officer or unit that told us")
        self.errors.add_row(form, "NFA &date", "notified_on", self.when)
        self.errors.add_row(form, "Offence &category", "offence_category", self.category)
        self.errors.add_row(form, "Told &by", "source", self.source)
        lay.addLayout(form)
        self.save_button = button("Record NFA")
        self.save_button.clicked.connect(self.record)
        lay.addWidget(self.save_button)

    def show_for(self, person_id: str) -> int:
        self.person_id = person_id
        items = self.backend.nfa.for_person(person_id)
        self.table.setRowCount(len(items))
        for r, n in enumerate(items):
            for c, text in enumerate([uk_date(n.notified_on), label_of(OffenceCategory, n.offence_category), n.source]):
                self.table.setItem(r, c, QTableWidgetItem(text))
        person = self.backend.people.get(person_id)
        count = person.nfa_count if person else len(items)
        self.prompt.setVisible(count >= JOINT_VISIT_AT)
        if count >= JOINT_VISIT_AT:
            self.prompt.setText(f"{count} NFAs: a joint home visit with the police is due.")
        return count

    def record(self) -> bool:
        assert self.person_id is not None
        try:
            when = parse_uk_date(self.when.text())
        except ValueError as exc:
            self.errors.show([Problem("notified_on", str(exc))])
            return False
        try:
            person_id, category, source = self.person_id, self.category.currentData(), self.source.text()
            result = self.backend.write(lambda: self.backend.nfa.record(person_id, when, category, source)).value
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return False
        self.errors.clear()
        self.when.clear()
        self.category.setCurrentIndex(0)
        self.source.clear()
        self.show_for(self.person_id)
        self.recorded.emit(result.count)  # the profile refreshes (and this panel with it) before the prompt is set
        if result.joint_visit_due:
            self.prompt.setText(PROMPT.format(n=_ordinal(result.count)))
            self.prompt.show()
        return True


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")
