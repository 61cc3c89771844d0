"""Recording a disclosure without a referral (an information request answered, a court order, a safeguarding share),
and adding an agency to the team's list from the same dialog (issue 19, item 4)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, date_edit, hint, py_date, title
from ui.theme import chars, em
from youthwork.domain.disclosures import AgencyKind, Disclosure, DisclosureKind
from youthwork.domain.validation import ValidationError
from youthwork.domain.vocab import LawfulBasis

log = logging.getLogger(__name__)


def _combo(choices: list[tuple[str, str]], first: str | None = None) -> QComboBox:
    box = QComboBox()
    if first:
        box.addItem(first, None)
    for value, label in choices:
        box.addItem(label, value)
    return box


class DisclosureDialog(QDialog):
    def __init__(self, backend: Backend, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person_id = person_id
        self.saved: Disclosure | None = None
        self.setWindowTitle("Record a disclosure")
        lay = QVBoxLayout(self)
        lay.addWidget(title("Record a disclosure"))
        lay.addWidget(
            hint("Information given to another organisation without a referral. It stays with your team and is logged.")
        )
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.kind = _combo(DisclosureKind.choices())
        self.agency = QComboBox()
        self.new_agency = QLineEdit()
        self.new_agency.setPlaceholderText("Not on the list? Its name")
        self.new_kind = _combo(AgencyKind.choices())
        self.new_kind.setAccessibleName("Kind of agency")
        self.add_button = button("Add to the &list")
        self.add_button.clicked.connect(self.add_agency)
        adding = QWidget()
        row = QHBoxLayout(adding)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.new_agency, 2)
        row.addWidget(self.new_kind, 1)
        row.addWidget(self.add_button)
        self.what = QPlainTextEdit()
        self.what.setTabChangesFocus(True)
        self.what.setMaximumHeight(em(self.what, 4))
        self.when = date_edit()
        self.when.setDisplayFormat("dd/MM/yyyy")
        self.when.setDate(QDate.currentDate())
        self.basis = _combo(LawfulBasis.choices(), "Choose…")
        self.approved_by = QLineEdit()
        self.approved_by.setPlaceholderText("A name and role: “Dana Reid, team manager”")
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("The request's or the order's reference, if it has one")
        e = self.errors
        e.add_row(form, "&Kind", "kind", self.kind)
        e.add_row(form, "Given &to", "to_agency", self.agency)
        e.add_row(form, "&New agency", "name", adding)
        e.add_row(form, "&What was disclosed", "what", self.what)
        e.add_row(form, "&Date", "disclosed_on", self.when)
        e.add_row(form, "Lawful &basis", "lawful_basis", self.basis)
        e.add_row(form, "&Approved by", "approved_by", self.approved_by)
        e.add_row(form, "&Reference", "reference", self.reference)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = button("Cancel", "Esc")
        cancel.clicked.connect(self.reject)
        self.save_button = button("Record disclosure", "Ctrl+Return", primary=True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        lay.addLayout(buttons)
        self.setMinimumWidth(chars(self, 70))
        self._fill_agencies()

    def _fill_agencies(self, chosen: str | None = None) -> None:
        self.agency.clear()
        self.agency.addItem("Choose…", None)
        for choice in self.backend.disclosures.agencies(disclosing=True):
            self.agency.addItem(choice.label, choice.code)
        if chosen:
            self.agency.setCurrentIndex(max(0, self.agency.findData(chosen)))

    def add_agency(self) -> bool:
        name, kind = self.new_agency.text(), self.new_kind.currentData()
        try:
            agency = self.backend.write(lambda: self.backend.disclosures.add_agency(name, kind)).value
        except ValidationError as exc:
            self.errors.show_and_focus(exc.problems)
            return False
        self.errors.clear()
        self.new_agency.clear()
        self._fill_agencies(agency.code)
        self.agency.setFocus()
        return True

    def save(self) -> bool:
        disclosure = Disclosure(
            person_id=self.person_id,
            kind=self.kind.currentData(),
            to_agency=self.agency.currentData() or "",
            what=self.what.toPlainText(),
            disclosed_on=py_date(self.when.date()),
            lawful_basis=self.basis.currentData() or "",
            approved_by=self.approved_by.text(),
            reference=self.reference.text(),
        )
        try:
            self.saved = self.backend.write(lambda: self.backend.disclosures.record(disclosure)).value
        except ValidationError as exc:
            self.errors.show_and_focus(exc.problems)
            return False
        self.accept()
        return True
