"""Restricted details (special category and criminal-offence data) hidden until someone gives a reason to see them.

Revealing is recorded in the audit trail (who, which record, when, why). The details hide again when another young
person is shown or the profile is closed.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ui.backend import Backend
from ui.forms import button, hint, section
from ui.labels import label_of
from youthwork.domain.privacy import AccessReason
from youthwork.domain.records import YoungPerson
from youthwork.domain.vocab import Ethnicity, RiskIndicator, Role, SocialCare
from youthwork.store.settings import ROLE

log = logging.getLogger(__name__)

ROLE_SETTING = ROLE  # set when the laptop is enrolled (youthwork.sync.device)

LABELS = {
    "ethnicity": "Ethnicity",
    "send_ehcp": "SEND / EHCP",
    "health_needs": "Health needs",
    "looked_after": "Looked-after child",
    "social_care": "Child in need or protection plan",
    "risk_indicators": "Risk indicators",
    "nfa_count": "Police NFAs",
    "other_references": "Other agencies' ID numbers",
}


def shown(name: str, value: object) -> str:
    if name == "ethnicity" and (value is None or isinstance(value, str)):
        return label_of(Ethnicity, value, "Not recorded")
    if name == "risk_indicators" and (value is None or isinstance(value, list)):
        return ", ".join(label_of(RiskIndicator, r) for r in value or []) or "None recorded"
    if name == "social_care" and (value is None or isinstance(value, str)):
        return label_of(SocialCare, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


class ReasonDialog(QDialog):
    """Why do you need to see this? One of the recorded reasons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Why do you need to see this?")
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                "These details are special category or criminal-offence data: shown only to those who need them. "
                "Your name, the time and your reason are recorded."
            )
        )
        form = QFormLayout()
        self.reason = QComboBox()
        self.reason.addItem("Choose a reason…", "")
        for value, label in AccessReason.choices():
            self.reason.addItem(label, value)
        caption = QLabel("&Reason")
        caption.setBuddy(self.reason)
        form.addRow(caption, self.reason)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Show the details")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setEnabled(False)
        self.reason.currentIndexChanged.connect(lambda _i: self._ok.setEnabled(bool(self.reason.currentData())))

    @property
    def chosen(self) -> str:
        return str(self.reason.currentData() or "")


class RestrictedDetails(QWidget):
    """The restricted fields of one young person: hidden, or shown after a recorded reason."""

    revealed = Signal(str)  # the reason code

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.ntk = backend.need_to_know
        self.person: YoungPerson | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(section("Special category and criminal-offence details"))
        self.status = hint("Hidden: shown only when you need them, with a reason that is recorded.")
        lay.addWidget(self.status)
        self.values = QLabel()
        self.values.setTextFormat(Qt.TextFormat.RichText)
        self.values.setObjectName("restrictedValues")
        self.values.hide()
        lay.addWidget(self.values)
        self.show_button = button("Show, with a reason…", "Ctrl+Shift+R")
        self.show_button.clicked.connect(self.ask)
        lay.addWidget(self.show_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.dialog_factory = ReasonDialog
        self.dialog: ReasonDialog | None = None

    def show_for(self, person: YoungPerson) -> None:
        self.person = person
        self.hide_details()

    def hide_details(self) -> None:
        self.values.clear()
        self.values.hide()
        if self.backend.setting(ROLE_SETTING) == Role.PARTNER:
            # The server never sends these to partner staff, so there is nothing here to show.
            self.status.setText("Your role doesn't see special category or criminal-offence details.")
            self.show_button.setEnabled(False)
            return
        self.status.setText("Hidden: shown only when you need them, with a reason that is recorded.")
        self.show_button.setEnabled(self.person is not None)

    def ask(self) -> None:
        """Open the reason dialog (window-modal, not a nested event loop); reveal when a reason is given."""
        if self.person is None:
            return
        self.dialog = self.dialog_factory(self)

        def accepted() -> None:
            if self.dialog is not None and self.dialog.chosen:
                self.reveal(self.dialog.chosen)

        self.dialog.accepted.connect(accepted)
        self.dialog.open()

    def reveal(self, reason: str) -> None:
        if self.person is None:
            return
        values = self.ntk.reveal(self.person, reason)
        rows = "".join(
            f"<tr><td style='color:#4a5560; padding-right:1em'>{html.escape(LABELS.get(k, k))}</td>"
            f"<td>{html.escape(shown(k, v) or '—')}</td></tr>"
            for k, v in values.items()
        )
        self.values.setText(f"<table cellspacing='4'>{rows}</table>")
        self.values.show()
        self.status.setText(f"Shown because: {AccessReason(reason).label}. This has been recorded.")
        self.show_button.setEnabled(False)
        self.revealed.emit(reason)
