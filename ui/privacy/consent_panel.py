"""Lawful basis and consent for one young person: what it is now, changing it, withdrawal, and the history."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, date_edit, hint, section
from ui.labels import label_of, uk_date, uk_datetime
from youthwork.domain.privacy import ConsentEventKind
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.domain.vocab import ConsentGivenBy, LawfulBasis
from youthwork.privacy.consent import CONSENT_EXPLANATION

log = logging.getLogger(__name__)


def _qdate(d: date | None) -> QDate:
    d = d or date.today()
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ConsentPanel(QWidget):
    changed = Signal()

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.service = backend.consent
        self.person: YoungPerson | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(section("Lawful basis and consent"))
        self.current = QLabel()
        self.current.setWordWrap(True)
        lay.addWidget(self.current)
        self.withdrawn_banner = QLabel()
        self.withdrawn_banner.setObjectName("banner")
        self.withdrawn_banner.setWordWrap(True)
        self.withdrawn_banner.hide()
        lay.addWidget(self.withdrawn_banner)

        self.explanation = hint(CONSENT_EXPLANATION)
        self.explanation.setAccessibleName("What to tell them before they consent")
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        lay.addWidget(self.explanation)

        form = QFormLayout()
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        self.basis = QComboBox()
        for value, label in LawfulBasis.choices():
            self.basis.addItem(label, value)
        self.given_by = QComboBox()
        for value, label in ConsentGivenBy.choices():
            self.given_by.addItem(label, value)
        self.consent_date = date_edit()
        self.consent_date.setDisplayFormat("dd/MM/yyyy")
        self.review_date = date_edit()
        self.review_date.setDisplayFormat("dd/MM/yyyy")
        self.competence = QLineEdit()
        self.competence.setPlaceholderText("For example: understands what is shared, with whom and why")
        self.errors.add_row(form, "Lawful &basis", "lawful_basis", self.basis)
        self.errors.add_row(form, "Consent &given by", "consent_given_by", self.given_by)
        self.errors.add_row(form, "Consent &date", "consent_date", self.consent_date)
        self.errors.add_row(form, "Re&view date", "consent_review_date", self.review_date)
        self.errors.add_row(
            form, "&Competence", "competence_note", self.competence, "The young person's competence to consent"
        )
        lay.addLayout(form)
        row = QHBoxLayout()
        self.save_button = button("Save lawful basis")
        self.withdraw_date = date_edit()
        self.withdraw_date.setDisplayFormat("dd/MM/yyyy")
        self.withdraw_date.setAccessibleName("Consent withdrawn on")
        self.withdraw_button = button("Record consent withdrawn")
        row.addWidget(self.save_button)
        row.addStretch(1)
        row.addWidget(QLabel("Withdrawn on"))
        row.addWidget(self.withdraw_date)
        row.addWidget(self.withdraw_button)
        lay.addLayout(row)
        lay.addWidget(hint("After a withdrawal, nothing new is shared on consent and your supervisor is told."))

        lay.addWidget(section("History"))
        self.history = QTableWidget(0, 4)
        self.history.setAccessibleName("Consent history")
        self.history.setHorizontalHeaderLabels(["When", "What", "Basis", "Details"])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.history.setTabKeyNavigation(False)
        lay.addWidget(self.history, 1)

        self.basis.currentIndexChanged.connect(self._basis_changed)
        self.save_button.clicked.connect(self.save)
        self.withdraw_button.clicked.connect(self.withdraw)

    def _basis_changed(self) -> None:
        is_consent = self.basis.currentData() == LawfulBasis.CONSENT
        for w in (self.given_by, self.consent_date, self.review_date, self.competence):
            w.setEnabled(is_consent)

    def show_for(self, person: YoungPerson) -> None:
        self.person = person
        self.errors.clear()
        basis = person.lawful_basis or LawfulBasis.PUBLIC_TASK.value
        self.basis.setCurrentIndex(max(0, self.basis.findData(basis)))
        self.given_by.setCurrentIndex(max(0, self.given_by.findData(person.consent_given_by or "young_person")))
        self.consent_date.setDate(_qdate(person.consent_date))
        self.review_date.setDate(_qdate(person.consent_review_date or date.today().replace(year=date.today().year + 1)))
        self.competence.setText(person.competence_note)
        self.withdraw_date.setDate(_qdate(None))
        self._basis_changed()
        if person.lawful_basis:
            text = f"Held on: {label_of(LawfulBasis, person.lawful_basis)}."
            if person.lawful_basis == LawfulBasis.CONSENT:
                text += f" Given by {label_of(ConsentGivenBy, person.consent_given_by, 'not recorded').lower()}"
                if person.consent_date:
                    text += f" on {uk_date(person.consent_date)}"
                review = person.consent_review_date
                text += f"; review by {uk_date(review)}." if review else "; no review date recorded."
        else:
            text = "No lawful basis recorded yet: record it before sharing anything."
        self.current.setText(text)
        withdrawn = person.consent_withdrawn_on
        self.withdrawn_banner.setVisible(withdrawn is not None)
        if withdrawn is not None:
            self.withdrawn_banner.setText(
                f"Consent withdrawn on {uk_date(withdrawn)}. Nothing new is shared on consent; only a safeguarding "
                "duty or a risk to life allows sharing now."
            )
        self.withdraw_button.setEnabled(person.lawful_basis == LawfulBasis.CONSENT and withdrawn is None)
        self._fill_history(person.id)

    def _fill_history(self, person_id: str) -> None:
        events = self.service.history(person_id)
        self.history.setRowCount(len(events))
        for r, e in enumerate(events):
            details = []
            if e.consent_given_by:
                details.append(f"given by {label_of(ConsentGivenBy, e.consent_given_by).lower()}")
            if e.consent_date:
                details.append(f"on {uk_date(e.consent_date)}")
            if e.consent_review_date:
                details.append(f"review {uk_date(e.consent_review_date)}")
            if e.withdrawn_on:
                details.append(f"withdrawn {uk_date(e.withdrawn_on)}")
            if e.competence_note:
                details.append(e.competence_note)
            cells = [uk_datetime(e.at), label_of(ConsentEventKind, e.kind), label_of(LawfulBasis, e.lawful_basis)]
            for c, text in enumerate([*cells, "; ".join(details)]):
                self.history.setItem(r, c, QTableWidgetItem(text))
        self.history.resizeColumnsToContents()

    def save(self) -> None:
        if self.person is None:
            return
        basis = str(self.basis.currentData())
        consent = basis == LawfulBasis.CONSENT
        try:
            self.service.record(
                self.person.id,
                basis,
                given_by=str(self.given_by.currentData()) if consent else None,
                competence_note=self.competence.text(),
                consent_date=_pydate(self.consent_date.date()) if consent else None,
                review_date=_pydate(self.review_date.date()) if consent else None,
            )
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return
        self._reload()

    def withdraw(self) -> None:
        if self.person is None:
            return
        try:
            self.service.withdraw(self.person.id, _pydate(self.withdraw_date.date()))
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return
        self._reload()

    def _reload(self) -> None:
        assert self.person is not None
        person = self.backend.people.get(self.person.id)
        if person is not None:
            self.show_for(person)
        self.changed.emit()
