"""Erase or anonymise a young person: what will go, why, and a typed confirmation. A legal hold stops it."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, hint
from youthwork.domain.privacy import ErasureMode, ErasureReason
from youthwork.domain.records import RECORD_TYPES
from youthwork.domain.validation import ValidationError
from youthwork.services.changes import EVERYTHING

log = logging.getLogger(__name__)

KINDS = {
    "people": "the young person's record",
    "attendance": "register entries",
    "session_checkins": "check-ins with their name on",
    "case_notes": "case notes",
    "rag_ratings": "RAG ratings",
    "safety_plans": "safety plans",
    "safety_plan_versions": "safety plan versions",
    "referrals": "referrals",
    "referral_events": "referral steps",
    "share_records": "records of sharing",
    "consent_events": "consent history entries",
    "nfa_notifications": "NFA records",
    "legal_holds": "lifted legal holds",
}


class ErasureDialog(QDialog):
    def __init__(self, backend: Backend, person_id: str, first_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person_id = person_id
        self.service = backend.erasure
        self.word = (first_name or "ERASE").strip()
        self.setWindowTitle("Erase or anonymise")
        lay = QVBoxLayout(self)
        counts = self.service.preview(person_id)
        what = ", ".join(f"{n} {KINDS.get(t, RECORD_TYPES[t].TABLE.replace('_', ' '))}" for t, n in counts.items())
        lay.addWidget(
            hint(
                f"This removes from this laptop, the server and every other laptop after sync: {what or 'nothing'}. "
                "It can't be undone. The audit trail keeps only that it was done, by whom and why."
            )
        )
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        self.holds = self.service.active_holds(person_id)
        self.hold_label = QLabel("A legal hold is in place: these records can't be erased until it is lifted.")
        self.hold_label.setObjectName("banner")
        self.hold_label.setVisible(bool(self.holds))
        lay.addWidget(self.hold_label)
        form = QFormLayout()
        self.erase_mode = QRadioButton(ErasureMode.ERASE.label)
        self.anon_mode = QRadioButton(ErasureMode.ANONYMISE.label)
        self.erase_mode.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.erase_mode)
        group.addButton(self.anon_mode)
        modes = QWidget()
        ml = QVBoxLayout(modes)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.erase_mode)
        ml.addWidget(self.anon_mode)
        self.reason = QComboBox()
        self.reason.addItem("Choose…", "")
        for value, label in ErasureReason.choices():
            self.reason.addItem(label, value)
        self.confirm = QLineEdit()
        self.confirm.setPlaceholderText(self.word)
        self.errors.add_row(form, "&What", "mode", modes)
        self.errors.add_row(form, "&Reason", "reason", self.reason)
        self.errors.add_row(form, "&Confirm", "confirm", self.confirm, f"Type “{self.word}” to confirm")
        lay.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = button("Cancel", "Esc")
        self.erase_button = button("Erase")
        row.addWidget(self.cancel_button)
        row.addWidget(self.erase_button)
        lay.addLayout(row)
        self.cancel_button.clicked.connect(self.reject)
        self.erase_button.clicked.connect(self.erase)
        self.confirm.textChanged.connect(self._ready)
        self.reason.currentIndexChanged.connect(self._ready)
        self._ready()

    def _ready(self) -> None:
        ok = not self.holds and bool(self.reason.currentData()) and self.confirm.text().strip() == self.word
        self.erase_button.setEnabled(ok)

    def erase(self) -> None:
        mode = ErasureMode.ANONYMISE if self.anon_mode.isChecked() else ErasureMode.ERASE
        person_id, reason, confirmed = self.person_id, str(self.reason.currentData()), self._confirmed()
        try:
            # The wipe of what only this laptop held is not queued for sync: every open screen reloads.
            self.backend.write(
                lambda: self.service.erase(person_id, mode=mode, reason=reason, confirm=confirmed), also=EVERYTHING
            )
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return
        self.accept()

    def _confirmed(self) -> bool:
        return self.confirm.text().strip() == self.word
