"""After a recovery-key unlock: the forgotten passphrase is replaced before the workspace opens."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from ui.forms import FieldErrors, button
from ui.gate.layout import column
from ui.gate.passphrase import PassphraseTwice
from ui.workers import Failure, Workers
from youthwork.store.errors import StoreError
from youthwork.store.profile import Profile


class NewPassphrasePage(PassphraseTwice, QWidget):
    """After a recovery-key unlock: the forgotten passphrase is replaced before the workspace opens."""

    done = Signal(object)  # Profile, its passphrase now reset

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile: Profile | None = None
        self.workers = Workers(self)  # Argon2id again: off the UI thread
        self.busy = False
        lay = column(
            self,
            "Choose a new passphrase",
            "You opened youthwork with the recovery key. Choose a new passphrase now: you will need it every "
            "time you open youthwork. Your recovery key keeps working too.",
        )
        form = QFormLayout()
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        self._add_passphrase_rows(form, "New &passphrase", "&Repeat new passphrase")
        lay.addLayout(form)
        self.save_button = button("&Save and open", "Ctrl+Return", primary=True)
        lay.addWidget(self.save_button, alignment=Qt.AlignmentFlag.AlignRight)

        self.save_button.clicked.connect(self.submit)
        self.repeat.returnPressed.connect(self.submit)

    def start(self, profile: Profile) -> None:
        self.profile = profile
        self._clear_passphrases()

    def focus_first(self) -> None:
        self.passphrase.setFocus()

    def discard(self) -> None:
        """Close a profile still waiting for its new passphrase (the window is closing)."""
        profile, self.profile = self.profile, None
        if profile is not None:
            profile.close()

    def submit(self) -> None:
        if self.busy or self.profile is None:
            return
        if not self._passphrases_ok():
            return
        self.errors.clear()
        self.errors.message("Saving your new passphrase…")
        self.busy = True
        self.save_button.setEnabled(False)
        profile, new = self.profile, self.passphrase.text()

        def reset() -> StoreError | None:
            try:
                profile.reset_passphrase(new)
            except StoreError as exc:
                return exc
            return None

        self.workers.submit(reset, self._reset, self._failed)

    def _reset(self, problem: StoreError | None) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        if self.profile is None:
            return  # the window was shut down meanwhile and closed the profile
        if problem is not None:
            self.errors.message(f"The passphrase was not changed: {problem}")
            return
        profile, self.profile = self.profile, None
        self._clear_passphrases()
        self.done.emit(profile)

    def _failed(self, _failure: Failure) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.errors.message("The passphrase could not be saved. Try again; if it keeps happening, ask support.")
