"""Unlock with the passphrase, or with the recovery key; wrong tries wait longer each time."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from ui.forms import FieldErrors, button, hint, title
from ui.gate.layout import centre_in, password_field
from ui.theme import chars
from ui.workers import Failure, Workers
from youthwork.domain.validation import Problem
from youthwork.store.errors import StoreError, WrongPassphrase
from youthwork.store.profile import Profile


class UnlockPage(QWidget):
    """Unlock with the passphrase, or with the recovery key."""

    unlocked = Signal(object)  # Profile
    recovered = Signal(object)  # Profile opened with the recovery key: a new passphrase comes next

    def __init__(self, directory: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.directory = directory
        # The passphrase check (Argon2id, deliberately slow) runs here, off the UI thread: the window stays alive.
        self.workers = Workers(self)
        self.busy = False
        self._wait = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)

        self.stack = QStackedWidget()
        # Passphrase route
        pw = QWidget()
        lay = QVBoxLayout(pw)
        lay.addWidget(title("youthwork is locked"))
        self.who = hint("Enter your passphrase to carry on.")
        lay.addWidget(self.who)
        form = QFormLayout()
        self.errors = FieldErrors(QLabel(), summary=False)
        lay.addWidget(self.errors.form_error)
        self.passphrase = password_field()
        self.errors.add_row(form, "&Passphrase", "passphrase", self.passphrase)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.recovery_button = button("Use the &recovery key instead")
        self.unlock_button = button("&Unlock", "Ctrl+Return", primary=True)
        row.addWidget(self.recovery_button)
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        lay.addLayout(row)
        self.stack.addWidget(pw)

        # Recovery key route
        rk = QWidget()
        lay = QVBoxLayout(rk)
        lay.addWidget(title("Unlock with the recovery key"))
        lay.addWidget(
            hint("Type the recovery key you were given when this profile was made. Spaces and dashes do not matter.")
        )
        form = QFormLayout()
        self.key_errors = FieldErrors(QLabel(), summary=False)
        lay.addWidget(self.key_errors.form_error)
        self.key = QLineEdit()
        self.key.setMinimumWidth(chars(self.key, 40))
        self.key_errors.add_row(form, "Recovery &key", "key", self.key)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.back_button = button("&Back to passphrase", "Esc")
        self.key_button = button("&Unlock", "Ctrl+Return", primary=True)
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.key_button)
        lay.addLayout(row)
        self.stack.addWidget(rk)

        centre_in(self, self.stack)

        self.passphrase.returnPressed.connect(self.submit)
        self.unlock_button.clicked.connect(self.submit)
        self.recovery_button.clicked.connect(self.show_recovery)
        self.back_button.clicked.connect(self.show_passphrase)
        self.key.returnPressed.connect(self.submit_key)
        self.key_button.clicked.connect(self.submit_key)

    def focus_first(self) -> None:
        (self.passphrase if self.stack.currentIndex() == 0 else self.key).setFocus()

    def reset(self, worker_name: str = "") -> None:
        self.passphrase.clear()
        self.key.clear()
        self.errors.clear()
        self.key_errors.clear()
        self.who.setText(
            f"{worker_name}, enter your passphrase to carry on."
            if worker_name
            else "Enter your passphrase to carry on."
        )
        self.show_passphrase()

    def show_recovery(self) -> None:
        self.stack.setCurrentIndex(1)
        self.key.setFocus()

    def show_passphrase(self) -> None:
        self.stack.setCurrentIndex(0)
        self.passphrase.setFocus()

    def submit(self) -> None:
        if self._wait > 0 or self.busy:
            return
        if not self.passphrase.text():
            self.errors.show([Problem("passphrase", "Enter your passphrase.")])
            return
        self.errors.clear()
        self.errors.message("Unlocking…")
        self.busy = True
        self.unlock_button.setEnabled(False)
        directory, passphrase = self.directory, self.passphrase.text()

        def open_profile() -> Profile | StoreError:
            try:
                return Profile.open(directory, passphrase)
            except StoreError as exc:
                return exc  # shown to the worker in the UI thread

        self.workers.submit(open_profile, self._opened, self._open_failed)

    def _opened(self, result: Profile | StoreError) -> None:
        self.busy = False
        self.unlock_button.setEnabled(True)
        if isinstance(result, WrongPassphrase):
            self.passphrase.selectAll()
            self._start_wait(result.attempts, result.wait_seconds)
            return
        if isinstance(result, StoreError):
            self.errors.message(str(result))
            return
        self.passphrase.clear()
        self.errors.clear()
        self.unlocked.emit(result)

    def _open_failed(self, _failure: Failure) -> None:
        self.busy = False
        self.unlock_button.setEnabled(True)
        self.errors.message("youthwork could not open your profile. Try again; if it keeps happening, ask support.")

    def submit_key(self) -> None:
        key = self.key.text().strip()
        if not key:
            self.key_errors.show([Problem("key", "Type the recovery key.")])
            return
        try:
            profile = Profile.open_with_recovery_key(self.directory, key)
        except WrongPassphrase as exc:
            self.key_errors.show(
                [Problem("key", self._wrong_text("That recovery key is not right", exc.attempts, exc.wait_seconds))]
            )
            return
        except StoreError as exc:
            self.key_errors.show([Problem("key", str(exc))])
            return
        self.key.clear()
        self.key_errors.clear()
        self.recovered.emit(profile)

    @staticmethod
    def _wrong_text(what: str, attempts: int, wait: float) -> str:
        text = f"{what}"
        if attempts > 1:
            text += f" ({attempts} wrong tries in a row)"
        text += "."
        if wait >= 1:
            text += f" Wait {round(wait)} seconds before trying again."
        return text

    def _start_wait(self, attempts: int, wait_seconds: float) -> None:
        self._attempts = attempts
        self._wait = round(wait_seconds)
        self._show_wait()
        if self._wait > 0:
            self.unlock_button.setEnabled(False)
            self._countdown.start()

    def _show_wait(self) -> None:
        text = self._wrong_text("That passphrase is not right", self._attempts, self._wait)
        self.errors.show([Problem("passphrase", text)])
        self.passphrase.setFocus()

    def _tick(self) -> None:
        self._wait -= 1
        if self._wait <= 0:
            self._countdown.stop()
            self.unlock_button.setEnabled(True)
            self.errors.show([Problem("passphrase", "That passphrase was not right. You can try again now.")])
            self.passphrase.setFocus()
        else:
            self._show_wait()
