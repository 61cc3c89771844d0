"""First run: create the encrypted profile (a name, the passphrase twice with a strength check)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from ui.forms import FieldErrors, button
from ui.gate.layout import column
from ui.gate.passphrase import PassphraseTwice
from ui.workers import Failure, Workers
from youthwork.store.errors import StoreError
from youthwork.store.profile import Profile


class FirstRunPage(PassphraseTwice, QWidget):
    """Create the encrypted profile: a name, the passphrase twice with a strength check."""

    created = Signal(object, str)  # Profile, recovery key

    def __init__(self, directory: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.directory = directory
        # Making the key (Argon2id, about half a second) runs off the UI thread, like unlocking: the window stays alive.
        self.workers = Workers(self)
        self.busy = False
        lay = column(
            self,
            "Welcome to youthwork",
            "Everything you record is kept encrypted on this laptop. Choose a passphrase you will remember: "
            "you need it every time you open youthwork, and it locks itself when you step away.",
        )
        form = QFormLayout()
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Sam Okafor")
        self.errors.add_row(form, "Your &name", "worker_name", self.name)
        self._add_passphrase_rows(form, "&Passphrase", "&Repeat passphrase")
        lay.addLayout(form)
        self.create_button = button("&Create my profile", "Ctrl+Return", primary=True)
        lay.addWidget(self.create_button, alignment=Qt.AlignmentFlag.AlignRight)

        self.create_button.clicked.connect(self.submit)
        self.name.returnPressed.connect(self.passphrase.setFocus)
        self.repeat.returnPressed.connect(self.submit)
        self.setTabOrder(self.name, self.passphrase)
        self.setTabOrder(self.passphrase, self.repeat)
        self.setTabOrder(self.repeat, self.create_button)

    def focus_first(self) -> None:
        self.name.setFocus()

    def submit(self) -> None:
        if self.busy:
            return
        if not self._passphrases_ok():
            return
        self.errors.clear()
        self.errors.message("Creating your encrypted profile…")
        self.busy = True
        self.create_button.setEnabled(False)
        directory, passphrase, name = self.directory, self.passphrase.text(), self.name.text().strip()

        def create() -> tuple[Profile, str] | StoreError:
            try:
                return Profile.create(directory, passphrase, worker_name=name)
            except StoreError as exc:
                return exc  # shown to the worker in the UI thread

        self.workers.submit(create, self._created, self._create_failed)

    def _created(self, result: tuple[Profile, str] | StoreError) -> None:
        self.busy = False
        self.create_button.setEnabled(True)
        if isinstance(result, StoreError):
            self.errors.message(f"Could not create the profile: {result}")
            return
        profile, recovery_key = result
        self._clear_passphrases()
        self.created.emit(profile, recovery_key)

    def _create_failed(self, _failure: Failure) -> None:
        self.busy = False
        self.create_button.setEnabled(True)
        self.errors.message("youthwork could not create your profile. Try again; if it keeps happening, ask support.")
