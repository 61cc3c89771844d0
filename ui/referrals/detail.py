"""One referral: what was sent, every step since, and for the receiving team the next steps to take."""

from __future__ import annotations

import html
import logging
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from ui.forms import FieldErrors, button, date_edit, hint, py_date, section, title_with_back
from ui.labels import label_of, uk_date, uk_datetime
from youthwork.domain.referrals import (
    ACTION_ALLOWED_FROM,
    Referral,
    ReferralAction,
    ReferralSource,
    ReferralStatus,
    Urgency,
    answering_team,
    from_outside,
    off_service,
)
from youthwork.domain.validation import ValidationError
from youthwork.domain.vocab import ConsentGivenBy, LawfulBasis, RiskIndicator
from youthwork.services.referrals import ReferralView
from youthwork.store.settings import WORKER_NAMES

log = logging.getLogger(__name__)


def status_text(view: ReferralView) -> str:
    text = view.status.label
    if view.waiting_to_sync:
        text += " (waiting to sync)"
    if view.overdue:
        text += " · overdue: not acknowledged"
    return text


class ReferralDetail(QWidget):
    back = Signal()
    changed = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.view: ReferralView | None = None
        lay = QVBoxLayout(self)
        self.heading, self.back_button = title_with_back(lay, "Referral")
        self.status = QLabel()
        self.status.setObjectName("sectionTitle")
        lay.addWidget(self.status)
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.body)
        lay.addWidget(section("Steps"))
        self.events = QTableWidget(0, 4)
        self.events.setAccessibleName("Steps taken on this referral")
        self.events.setHorizontalHeaderLabels(["When", "Step", "By", "Details"])
        self.events.verticalHeader().hide()
        self.events.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.events.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.events.setTabKeyNavigation(False)
        lay.addWidget(self.events, 1)

        self.answer = QWidget()
        al = QVBoxLayout(self.answer)
        al.setContentsMargins(0, 0, 0, 0)
        self.answer_title = section("Answer this referral")
        al.addWidget(self.answer_title)
        self.outside_hint = hint(
            "This agency has no team on youthwork, so you record what they tell you: each step says who told you."
        )
        self.outside_hint.setWordWrap(True)
        al.addWidget(self.outside_hint)
        self.errors = FieldErrors(QLabel())
        al.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Needed to decline")
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText("Needed to close: what became of it")
        self.allocated = QLineEdit()
        self.allocated.setPlaceholderText("The worker it is allocated to")
        self.note = QLineEdit()
        # For an agency with no team on the service: who there told the referrer, by what means.
        self.told_by = QLineEdit()
        self.told_by.setPlaceholderText("A name or role, and how: “Duty clinician, by phone”")
        self.appointment = date_edit()
        self.appointment.setDisplayFormat("dd/MM/yyyy")
        self.appointment.setDate(QDate.currentDate())
        self.passed_to = QLineEdit()
        self.passed_to.setPlaceholderText("Needed to pass it on: the service it went to")
        # Two columns, so the steps table keeps its room at 1366x768.
        right = QFormLayout()
        self.answer_form = form
        self.told_row = self.errors.add_row(form, "Who &told you", "told_by", self.told_by)
        self.errors.add_row(form, "Reason", "reason", self.reason)
        self.errors.add_row(form, "Outcome", "outcome", self.outcome)
        self.errors.add_row(form, "Passed on to", "passed_to", self.passed_to)
        self.answer_right = right
        self.allocate_row = self.errors.add_row(right, "Allocate to", "allocated_to", self.allocated)
        self.errors.add_row(right, "First appointment on", "first_appointment_on", self.appointment)
        self.errors.add_row(right, "Note", "note", self.note)
        columns = QHBoxLayout()
        columns.addLayout(form, 1)
        columns.addLayout(right, 1)
        al.addLayout(columns)
        row = QHBoxLayout()
        self.step_buttons: dict[ReferralAction, object] = {}
        for action, text in (
            (ReferralAction.ACKNOWLEDGE, "Ac&knowledge"),
            (ReferralAction.ACCEPT, "A&ccept"),
            (ReferralAction.DECLINE, "&Decline"),
            (ReferralAction.REDIRECT, "Pa&ss on"),
            (ReferralAction.ALLOCATE, "A&llocate"),
            (ReferralAction.APPOINTMENT, "First appoint&ment"),
            (ReferralAction.CLOSE, "Cl&ose"),
        ):
            b = button(text)
            b.clicked.connect(lambda _=False, a=action: self.take_step(a))
            self.step_buttons[action] = b
            row.addWidget(b)
        row.addStretch(1)
        al.addLayout(row)
        lay.addWidget(self.answer)
        note_row = QHBoxLayout()
        self.note_button = button("Add &note")
        self.note_button.clicked.connect(lambda: self.take_step(ReferralAction.NOTE))
        note_row.addWidget(hint("Either side can add a note: it travels with the referral."))
        note_row.addStretch(1)
        note_row.addWidget(self.note_button)
        lay.addLayout(note_row)
        self.back_button.clicked.connect(self.back)

    def show_referral(self, referral_id: str) -> bool:
        view = self.backend.referrals.get(referral_id)
        if view is None:
            return False
        self.view = view
        r = view.referral
        self.heading.setText(f"Referral of {view.person_name} to {view.agency_label}")
        self.status.setText(status_text(view))
        risks = ", ".join(label_of(RiskIndicator, x) for x in r.risk_indicators) or "None given"
        basis = label_of(LawfulBasis, r.lawful_basis, "Not recorded")
        if r.consent_given_by:
            basis += f" (given by {label_of_consent(r.consent_given_by)})"
        pairs = [
            ("Reason", r.reason),
            ("Urgency", label_of(Urgency, r.urgency)),
            ("Risk indicators", risks),
            ("Lawful basis", basis),
            ("Sent", uk_datetime(r.sent_at) if r.sent_at else "Not sent: draft"),
            *((("Referred by", referred_by(r)),) if from_outside(r) else ()),
            *((("First appointment", uk_date(first)),) if (first := first_appointment(view)) else ()),
            ("Outcome", r.outcome),
        ]
        self.body.setText(
            "<table cellspacing='4'>"
            + "".join(
                f"<tr><td style='color:#4a5560; padding-right:1em'>{k}</td><td>{html.escape(v or '—')}</td></tr>"
                for k, v in pairs
            )
            + "</table>"
        )
        names = self.backend.setting(WORKER_NAMES) or {}
        me = self.backend.profile.user_id
        self.events.setRowCount(len(view.events))
        for i, e in enumerate(view.events):
            by = names.get(e.by_user_id) or ("you" if e.by_user_id == me else "their team")
            details = " · ".join(
                x
                for x in (
                    e.first_appointment_on and f"on {uk_date(e.first_appointment_on)}",
                    e.passed_to and f"to {e.passed_to}",
                    e.reason,
                    e.outcome,
                    e.allocated_to and f"to {e.allocated_to}",
                    e.note,
                    e.told_by and f"heard from {e.told_by}",
                )
                if x
            )
            for c, text in enumerate([uk_datetime(e.at), label_of(ReferralAction, e.action), by, details]):
                self.events.setItem(i, c, QTableWidgetItem(text))
        self.events.resizeColumnsToContents()
        team = self.backend.profile.team_id
        outside = off_service(r)
        self.answer.setVisible(bool(team) and answering_team(r) == team)
        self.answer_title.setText(f"Record what {view.agency_label} told you" if outside else "Answer this referral")
        self.outside_hint.setVisible(outside)
        self.answer_form.setRowVisible(self.told_row, outside)
        self.answer_right.setRowVisible(self.allocate_row, not outside)  # the agency allocates its own workers
        for action, b in self.step_buttons.items():
            b.setEnabled(view.status in ACTION_ALLOWED_FROM[action])  # type: ignore[attr-defined]
        self.step_buttons[ReferralAction.ALLOCATE].setVisible(not outside)  # type: ignore[attr-defined]
        self.note_button.setEnabled(r.status != ReferralStatus.DRAFT)
        self.errors.clear()
        return True

    def take_step(self, action: ReferralAction) -> bool:
        assert self.view is not None
        referral_id = self.view.referral.id
        words = dict(
            reason=self.reason.text(),
            outcome=self.outcome.text(),
            allocated_to=self.allocated.text(),
            note=self.note.text(),
            told_by=self.told_by.text() if action != ReferralAction.NOTE else "",
            passed_to=self.passed_to.text(),
        )
        appointment = py_date(self.appointment.date()) if action == ReferralAction.APPOINTMENT else None
        try:
            self.backend.write(
                lambda: self.backend.referrals.step(referral_id, action, first_appointment_on=appointment, **words)
            )
        except ValidationError as exc:
            self.errors.show_and_focus(exc.problems)
            return False
        for box in (self.reason, self.outcome, self.allocated, self.note, self.passed_to):
            box.clear()
        self.show_referral(self.view.referral.id)
        self.changed.emit(self.view.referral.id)
        return True


def referred_by(r: Referral) -> str:
    who = label_of(ReferralSource, r.from_source)
    when = f", arrived {uk_date(r.received_on)}" if r.received_on else ""
    return f"{who}{f' ({r.from_name})' if r.from_name else ''}{when}"


def first_appointment(view: ReferralView) -> date | None:
    """The referral's first appointment: the service's copy, or a step this laptop recorded and hasn't synced."""
    if view.referral.first_appointment_on:
        return view.referral.first_appointment_on
    return next((e.first_appointment_on for e in view.events if e.first_appointment_on), None)


def label_of_consent(value: str) -> str:
    return label_of(ConsentGivenBy, value).lower()
