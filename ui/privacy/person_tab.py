"""The Privacy tab of a young person's profile: restricted details behind a reason, lawful basis and consent,
subject access export, legal hold, erasure. Opening the profile is recorded as "viewed"."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from ui.backend import Backend
from ui.forms import button, hint, section
from ui.labels import uk_datetime
from ui.privacy.break_glass import ROLE_SETTING, RestrictedDetails
from ui.privacy.consent_panel import ConsentPanel
from ui.privacy.erasure_dialog import ErasureDialog
from ui.privacy.export_dialog import SubjectAccessDialog
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.domain.vocab import Role

log = logging.getLogger(__name__)


def may_erase(backend: Backend) -> bool:
    """Supervisors erase; a laptop not enrolled with a server has no one else to ask."""
    role = backend.setting(ROLE_SETTING) or ""
    return role in ("", Role.SUPERVISOR)


class PersonPrivacyTab(QWidget):
    erased = Signal(str)
    changed = Signal()

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person: YoungPerson | None = None
        self.ntk = backend.need_to_know
        self.erasure = backend.erasure
        self.dialog: QWidget | None = None
        inner = QWidget()
        lay = QVBoxLayout(inner)
        self.restricted = RestrictedDetails(backend)
        lay.addWidget(self.restricted)
        self.consent = ConsentPanel(backend)
        lay.addWidget(self.consent)

        lay.addWidget(section("Legal hold"))
        self.hold_status = hint("")
        lay.addWidget(self.hold_status)
        hold_row = QHBoxLayout()
        self.hold_reason = QLineEdit()
        self.hold_reason.setPlaceholderText("Case or court reference (no names)")
        self.hold_reason.setAccessibleName("Legal hold reference")
        self.hold_reason.setAccessibleDescription("A case or court reference, with no names")
        self.hold_button = button("Place a legal hold")
        self.lift_button = button("Lift the hold")
        hold_row.addWidget(self.hold_reason, 1)
        hold_row.addWidget(self.hold_button)
        hold_row.addWidget(self.lift_button)
        lay.addLayout(hold_row)
        self.hold_error = QLabel()
        self.hold_error.setObjectName("formError")
        self.hold_error.hide()
        lay.addWidget(self.hold_error)

        lay.addWidget(section("The young person's rights"))
        rights = QHBoxLayout()
        self.export_button = button("Subject access export…", "Ctrl+Shift+X")
        self.erase_button = button("Erase or anonymise…")
        rights.addWidget(self.export_button)
        rights.addWidget(self.erase_button)
        rights.addStretch(1)
        lay.addLayout(rights)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop for Tab: it scrolls to the field in focus
        scroll.setAccessibleName("Privacy: hidden details, consent and rights")
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.hold_button.clicked.connect(self._place_hold)
        self.lift_button.clicked.connect(self._lift_hold)
        self.export_button.clicked.connect(self.open_export)
        self.erase_button.clicked.connect(self.open_erasure)
        self.consent.changed.connect(self.changed)

    def show_for(self, person: YoungPerson, *, viewed: bool = True) -> None:
        self.person = person
        if viewed:
            self.ntk.viewed(person)
        self.restricted.show_for(person)
        self.consent.show_for(person)
        self._fill_holds()
        allowed = may_erase(self.backend)
        self.erase_button.setEnabled(allowed)
        self.erase_button.setToolTip("" if allowed else "Only a supervisor can erase or anonymise records.")

    def _fill_holds(self) -> None:
        assert self.person is not None
        holds = self.erasure.active_holds(self.person.id)
        if holds:
            self.hold_status.setText(
                f"On legal hold since {uk_datetime(holds[0].placed_at)} ({holds[0].reason}): it can't be erased."
            )
        else:
            self.hold_status.setText("No legal hold.")
        self.hold_button.setEnabled(not holds)
        self.lift_button.setEnabled(bool(holds))
        self.hold_error.hide()

    def _place_hold(self) -> None:
        if self.person is None:
            return
        try:
            self.erasure.place_hold(self.person.id, self.hold_reason.text())
        except ValidationError as exc:
            self.hold_error.setText(str(exc))
            self.hold_error.show()
            return
        self.hold_reason.clear()
        self._fill_holds()

    def _lift_hold(self) -> None:
        if self.person is None:
            return
        for hold in self.erasure.active_holds(self.person.id):
            self.erasure.lift_hold(hold.id)
        self._fill_holds()

    def open_export(self) -> None:
        if self.person is None:
            return
        self.dialog = SubjectAccessDialog(self.backend, self.person.id, self.person.display_name, self)
        self.dialog.open()

    def open_erasure(self) -> None:
        if self.person is None or not may_erase(self.backend):
            return
        dialog = ErasureDialog(self.backend, self.person.id, self.person.first_name or self.person.known_as, self)
        pid = self.person.id
        dialog.accepted.connect(lambda: self.erased.emit(pid))
        self.dialog = dialog
        dialog.open()
