"""Making a referral: to whom, why, how urgent, on what basis, and exactly which information is shared."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, date_edit, form_state, hint, py_date, title_with_back
from ui.theme import em
from youthwork.domain.referrals import Referral, ReferralSource, ReferralStatus, Urgency
from youthwork.domain.validation import ValidationError
from youthwork.domain.vocab import ConsentGivenBy, LawfulBasis, RiskIndicator
from youthwork.services.referrals import SHAREABLE_FIELDS

log = logging.getLogger(__name__)


def _ticks(choices: list[tuple[str, str]], name: str) -> QListWidget:
    box = QListWidget()
    box.setAccessibleName(name)
    for value, label in choices:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        box.addItem(item)
    box.setFixedHeight(em(box, min(len(choices), 6) * 1.3 + 0.6))
    return box


def ticked(box: QListWidget) -> list[str]:
    return [
        box.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(box.count())
        if box.item(i).checkState() == Qt.CheckState.Checked
    ]


def set_ticked(box: QListWidget, values: list[str]) -> None:
    for i in range(box.count()):
        item = box.item(i)
        on = item.data(Qt.ItemDataRole.UserRole) in values
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


class ReferralForm(QWidget):
    back = Signal()
    done = Signal(str)  # referral id

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.referral: Referral | None = None
        self._clean: tuple[object, ...] = ()
        lay = QVBoxLayout(self)
        self.heading, self.back_button = title_with_back(lay, "Referral")
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)

        host = QWidget()
        form = QFormLayout(host)
        self.agency = QComboBox()
        self.agency_name = QLineEdit()
        self.agency_name.setPlaceholderText("The agency's name, when it is not on the list")
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(em(self.reason, 4))
        self.reason.setAccessibleName("Reason for the referral")
        self.risks = _ticks(RiskIndicator.choices(), "Risk indicators")
        self.urgency = QComboBox()
        for value, label in Urgency.choices():
            self.urgency.addItem(label, value)
        self.basis = QComboBox()
        self.basis.addItem("Choose…", None)
        for value, label in LawfulBasis.choices():
            self.basis.addItem(label, value)
        self.consent_by = QComboBox()
        self.consent_by.addItem("—", None)
        for value, label in ConsentGivenBy.choices():
            self.consent_by.addItem(label, value)
        self.shared = _ticks(list(SHAREABLE_FIELDS), "Information shared")
        # A referral that came in from outside (a school, the police, a parent, the young person).
        self.incoming = False
        self.source = QComboBox()
        self.source.addItem("Choose…", None)
        for value, label in ReferralSource.choices():
            self.source.addItem(label, value)
        self.from_name = QLineEdit()
        self.from_name.setPlaceholderText("The school, officer or person, and how to reach them")
        self.received_on = date_edit()
        self.received_on.setDisplayFormat("dd/MM/yyyy")
        e = self.errors
        self.outside_rows = [
            e.add_row(form, "Referred &by", "from_source", self.source),
            e.add_row(form, "&Who referred", "from_name", self.from_name),
            e.add_row(form, "Arrived &on", "received_on", self.received_on),
        ]
        self.agency_rows = [
            e.add_row(form, "Refer &to", "to_agency", self.agency),
            e.add_row(form, "Agency &name", "to_agency_name", self.agency_name),
        ]
        self.form = form
        e.add_row(form, "&Reason", "reason", self.reason, "What you have seen or heard, and what you are asking for.")
        self.place = QComboBox()  # the context of the harm (contextual safeguarding): one of the team's places
        e.add_row(
            form, "Where it &happens", "place_id", self.place, "One of the team's places, if the harm has a place"
        )
        self.risks_caption = e.add_row(form, "Ris&k indicators", "risk_indicators", self.risks)
        e.add_row(form, "&Urgency", "urgency", self.urgency)
        e.add_row(form, "&Lawful basis", "lawful_basis", self.basis, "Consent, or the basis for sharing without it.")
        e.add_row(form, "Consent &given by", "consent_given_by", self.consent_by)
        self.shared_row = e.add_row(
            form,
            "Information &shared",
            "shared_fields",
            self.shared,
            "Always shared: first name, known-as name, area and age band, with the reason and risk indicators. "
            "Tick anything else they need, and nothing more.",
        )
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop for Tab: it scrolls to the field in focus
        scroll.setAccessibleName("The referral")
        scroll.setWidgetResizable(True)
        scroll.setWidget(host)
        lay.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.save_button = button("Save draft", "Ctrl+S")
        self.send_button = button("Send", "Ctrl+Return", primary=True)
        buttons.addWidget(self.save_button)
        buttons.addWidget(hint("Sent referrals leave at the next sync; you can send while offline."))
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        lay.addLayout(buttons)
        self.back_button.clicked.connect(self.go_back)
        self.save_button.clicked.connect(self.save_draft)
        self.send_button.clicked.connect(self.send)
        self.agency.currentIndexChanged.connect(self._agency_changed)

    def _fill_agencies(self) -> None:
        self.agency.blockSignals(True)
        self.agency.clear()
        for code, label in self.backend.referrals.agencies():
            self.agency.addItem(label, code)
        self.agency.blockSignals(False)

    def _fit_role(self) -> None:
        """Partner staff record no special category or offence details: those choices are not offered."""
        partner = self.backend.referrals.is_partner()
        self.risks_caption.setVisible(not partner)
        if (risks_row := self.risks.parentWidget()) is not None:  # the field with its error line (add_row)
            risks_row.setVisible(not partner)
        allowed = {f for f, _ in self.backend.referrals.shareable_fields()}
        for i in range(self.shared.count()):
            item = self.shared.item(i)
            item.setHidden(item.data(Qt.ItemDataRole.UserRole) not in allowed)

    def _agency_changed(self) -> None:
        self.agency_name.setEnabled(self.agency.currentData() == "other")

    def new_referral(self, person_id: str) -> None:
        self._load(Referral(person_id=person_id))

    def new_incoming(self, person_id: str) -> None:
        """A referral that reached this team from outside youthwork: recorded as received, in the inbox."""
        self._load(Referral(person_id=person_id, received_on=date.today()), incoming=True)

    def open_referral(self, referral_id: str) -> bool:
        view = self.backend.referrals.get(referral_id)
        if view is None:
            return False
        self._load(view.referral)
        return True

    def _load(self, r: Referral, incoming: bool = False) -> None:
        self.referral = r
        self.incoming = incoming
        person = self.backend.people.get(r.person_id)
        name = person.display_name if person else ""
        self.heading.setText(f"A referral of {name} that came to us" if incoming else f"Refer {name}")
        for caption in self.outside_rows:
            self.form.setRowVisible(caption, incoming)
        for caption in [*self.agency_rows, self.shared_row]:
            self.form.setRowVisible(caption, not incoming)
        self.save_button.setVisible(not incoming)
        self.send_button.setText("Record as &received" if incoming else "Send")
        self.source.setCurrentIndex(max(0, self.source.findData(r.from_source or None)))
        self.from_name.setText(r.from_name)
        received = r.received_on or date.today()
        self.received_on.setDate(QDate(received.year, received.month, received.day))
        self._fill_agencies()
        self._fit_role()
        self.agency.setCurrentIndex(max(0, self.agency.findData(r.to_agency)))
        self.agency_name.setText(r.to_agency_name)
        self.reason.setPlainText(r.reason)
        self.place.clear()
        self.place.addItem("No place, or not one of ours", "")
        for p in self.backend.places.all():
            self.place.addItem(p.name, p.id)
        self.place.setCurrentIndex(max(0, self.place.findData(r.place_id)))
        set_ticked(self.risks, r.risk_indicators)
        self.urgency.setCurrentIndex(max(0, self.urgency.findData(r.urgency)))
        self.basis.setCurrentIndex(max(0, self.basis.findData(r.lawful_basis)))
        self.consent_by.setCurrentIndex(max(0, self.consent_by.findData(r.consent_given_by)))
        set_ticked(self.shared, r.shared_fields)
        self._agency_changed()
        self.errors.clear()
        self._clean = form_state(self)

    def go_back(self) -> None:
        """Esc: back to the list. What was typed is kept as a draft first; nothing is thrown away."""
        draft = self.referral is not None and self.referral.status == ReferralStatus.DRAFT and not self.incoming
        if draft and form_state(self) != self._clean and not self.save_draft():
            return  # the draft could not be saved as it is: the problems are shown at their fields
        self.back.emit()

    def _collect(self) -> Referral:
        r = self.referral
        assert r is not None
        r.to_agency = self.agency.currentData()
        r.to_agency_name = self.agency_name.text().strip() if r.to_agency == "other" else ""
        r.reason = self.reason.toPlainText()
        r.place_id = self.place.currentData() or ""
        r.risk_indicators = ticked(self.risks)
        r.urgency = self.urgency.currentData()
        r.lawful_basis = self.basis.currentData()
        r.consent_given_by = self.consent_by.currentData()
        r.shared_fields = ticked(self.shared)
        if self.incoming:
            r.from_source = self.source.currentData() or ""
            r.from_name = self.from_name.text()
            r.received_on = py_date(self.received_on.date())
            r.to_agency, r.to_agency_name, r.shared_fields = "", "", []
        return r

    def save_draft(self) -> bool:
        try:
            referral = self._collect()
            self.referral = self.backend.write(lambda: self.backend.referrals.save_draft(referral)).value
        except ValidationError as exc:
            self._show(exc)
            return False
        self.errors.clear()
        self._clean = form_state(self)
        self.errors.message("Draft saved. It is not sent until you press Send.")
        return True

    def send(self) -> bool:
        try:
            referral = self._collect()
            service = self.backend.referrals
            record = service.record_incoming if self.incoming else service.send
            self.referral = self.backend.write(lambda: record(referral)).value
        except ValidationError as exc:
            self._show(exc)
            return False
        self.errors.clear()
        self.done.emit(self.referral.id)
        return True

    def _show(self, exc: ValidationError) -> None:
        self.errors.show_and_focus(exc.problems)

    def focus_first(self) -> None:
        (self.source if self.incoming else self.agency).setFocus()
