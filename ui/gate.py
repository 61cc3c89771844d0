"""The screens before the workspace: first run (create a profile), the recovery key shown once, and unlock."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from zxcvbn import zxcvbn

from ui.forms import FieldErrors, button, hint, title
from ui.theme import chars
from ui.workers import Workers
from youthwork.domain.validation import Problem
from youthwork.store.errors import StoreError, WrongPassphrase
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable"


def passphrase_problem(text: str) -> str | None:
    """Why this passphrase is too weak, in plain words, or None if it is strong enough."""
    if len(text) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters. Three or four unrelated words work well."
    result = zxcvbn(text[:100])
    if result["score"] < MIN_SCORE:
        warning = result["feedback"].get("warning") or "This would be easy to guess."
        return f"{warning} Try three or four unrelated words."
    return None


def strength_text(text: str) -> str:
    if not text:
        return ""
    problem = passphrase_problem(text)
    return f"Too weak: {problem}" if problem else "Strong enough."


def _centred(inner: QWidget) -> QWidget:
    outer = QWidget()
    outer.setObjectName("gate")
    lay = QHBoxLayout(outer)
    lay.addStretch(1)
    col = QVBoxLayout()
    col.addStretch(1)
    col.addWidget(inner)
    col.addStretch(2)
    lay.addLayout(col)
    lay.addStretch(1)
    inner.setMaximumWidth(chars(inner, 80))
    return outer


def _centre_in(page: QWidget, inner: QWidget) -> None:
    """Fill the page with `inner`, centred at a readable width."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(_centred(inner))


def _column(page: QWidget, heading: str, explanation: str) -> QVBoxLayout:
    """The page's centred column, opening with its title and explanation; the rest goes in the layout returned."""
    body = QWidget()
    lay = QVBoxLayout(body)
    lay.addWidget(title(heading))
    lay.addWidget(hint(explanation))
    _centre_in(page, body)
    return lay


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(chars(field, 40))
    return field


class _PassphraseTwice:
    """The passphrase typed twice with a strength hint, shared by first run and the new-passphrase page.

    The page using it owns `self.errors` (FieldErrors) before calling `_add_passphrase_rows`."""

    errors: FieldErrors
    passphrase: QLineEdit
    repeat: QLineEdit
    strength: QLabel

    def _add_passphrase_rows(self, form: QFormLayout, label: str, repeat_label: str) -> None:
        self.passphrase = _password_field()
        self.repeat = _password_field()
        self.strength = hint("")
        self.errors.add_row(form, label, "passphrase", self.passphrase)
        form.addRow("", self.strength)
        self.errors.add_row(form, repeat_label, "repeat", self.repeat)
        self.passphrase.textChanged.connect(lambda t: self.strength.setText(strength_text(t)))
        self.passphrase.returnPressed.connect(self.repeat.setFocus)

    def _passphrases_ok(self) -> bool:
        """Strong enough and typed the same twice; otherwise the problems are shown and the first field focused."""
        problems: list[Problem] = []
        weak = passphrase_problem(self.passphrase.text())
        if weak:
            problems.append(Problem("passphrase", weak))
        if self.repeat.text() != self.passphrase.text():
            problems.append(Problem("repeat", "The two passphrases are not the same."))
        if problems:
            first = self.errors.show(problems)
            if first:
                first.setFocus()
            return False
        return True

    def _clear_passphrases(self) -> None:
        self.passphrase.clear()
        self.repeat.clear()
        self.errors.clear()


class FirstRunPage(_PassphraseTwice, QWidget):
    """Create the encrypted profile: a name, the passphrase twice with a strength check."""

    created = Signal(object, str)  # Profile, recovery key

    def __init__(self, directory: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.directory = directory
        # Making the key (Argon2id, about half a second) runs off the UI thread, like unlocking: the window stays alive.
        self.workers = Workers(self)
        self.busy = False
        lay = _column(
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

    def _create_failed(self, _message: str) -> None:
        self.busy = False
        self.create_button.setEnabled(True)
        self.errors.message("youthwork could not create your profile. Try again; if it keeps happening, ask support.")


class RecoveryKeyPage(QWidget):
    """The recovery key, shown once, with a tick to say it has been stored safely."""

    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = _column(
            self,
            "Your recovery key",
            "If you forget your passphrase, this key is the only way back into your records. "
            "It is shown only this once. Write it down or give it to your manager to keep with the team's "
            "recovery keys, somewhere safe and away from this laptop. Do not keep it in a file on this laptop.",
        )
        self.key = QLabel()
        self.key.setObjectName("recoveryKey")
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setWordWrap(True)
        lay.addWidget(self.key)
        self.tick = QCheckBox("I have stored the recovery key somewhere safe")
        lay.addWidget(self.tick)
        self.continue_button = button("C&ontinue", "Ctrl+Return", primary=True)
        self.continue_button.setEnabled(False)
        lay.addWidget(self.continue_button, alignment=Qt.AlignmentFlag.AlignRight)
        self.tick.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self._done)

    def show_key(self, key: str) -> None:
        self.key.setText(key)
        self.tick.setChecked(False)
        self.tick.setFocus()

    def focus_first(self) -> None:
        self.tick.setFocus()

    def _done(self) -> None:
        if self.tick.isChecked():
            self.key.clear()  # shown once
            self.confirmed.emit()


class NewPassphrasePage(_PassphraseTwice, QWidget):
    """After a recovery-key unlock: the forgotten passphrase is replaced before the workspace opens."""

    done = Signal(object)  # Profile, its passphrase now reset

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile: Profile | None = None
        self.workers = Workers(self)  # Argon2id again: off the UI thread
        self.busy = False
        lay = _column(
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

    def _failed(self, _message: str) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.errors.message("The passphrase could not be saved. Try again; if it keeps happening, ask support.")


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
        self.passphrase = _password_field()
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

        _centre_in(self, self.stack)

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

    def _open_failed(self, _message: str) -> None:
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
