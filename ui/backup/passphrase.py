"""Changing the passphrase from the window, with the choice "someone may have seen my passphrase".

A plain change rewraps the key slot (about a second, off the UI thread). The choice also gives the records and every
backup a new key (`youthwork.store.rekey.rotate_key`, as `youthwork change-passphrase --rotate-key` does): the window
locks (closing the store), a progress dialog follows the re-encryption, and the new recovery key is then shown once
on the recovery-key page, after which the workspace opens with the new passphrase. If the laptop dies part way,
the next unlock (old passphrase or new) finishes the job: nothing is lost.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QProgressDialog, QVBoxLayout

from ui.forms import FieldErrors, button, hint
from ui.gate.layout import password_field
from ui.gate.passphrase import PassphraseTwice
from ui.workers import Failure, Workers
from youthwork.domain.validation import Problem
from youthwork.store.profile import Profile
from youthwork.store.rekey import rotate_key

log = logging.getLogger(__name__)

ROTATE_TEXT = (
    "Someone may have seen my passphrase: also give the records and every backup a &new key "
    "(takes a minute or two on a big profile; you get a new recovery key)"
)


class ChangePassphraseDialog(PassphraseTwice, QDialog):
    """The current passphrase, the new one twice, and whether to change the key too."""

    def __init__(self, backend: Any, main_window: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.main_window = main_window
        self.setWindowTitle("Change your passphrase")
        self.workers = Workers(self)
        self.busy = False
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                "Choose a new passphrase. If someone may have seen the old one, tick the box: then the old "
                "passphrase and recovery key open nothing on this laptop, not even an old copy of the key file."
            )
        )
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.current = password_field()
        self.errors.add_row(form, "&Current passphrase", "current", self.current)
        self._add_passphrase_rows(form, "New &passphrase", "&Repeat new passphrase")
        lay.addLayout(form)
        self.rotate = QCheckBox(ROTATE_TEXT)
        lay.addWidget(self.rotate)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = button("Cancel", "Esc")
        self.change_button = button("C&hange", "Ctrl+Return", primary=True)
        row.addWidget(self.cancel_button)
        row.addWidget(self.change_button)
        lay.addLayout(row)
        self.cancel_button.clicked.connect(self.reject)
        self.change_button.clicked.connect(self.submit)
        self.current.returnPressed.connect(self.passphrase.setFocus)
        self.repeat.returnPressed.connect(self.submit)
        self.current.setFocus()

    def submit(self) -> None:
        if self.busy:
            return
        if not self.current.text():
            self.errors.show([Problem("current", "Type your current passphrase.")])
            self.current.setFocus()
            return
        if not self._passphrases_ok():
            return
        old, new = self.current.text(), self.passphrase.text()
        if self.rotate.isChecked():
            directory = Path(self.backend.directory)
            self.accept()
            rotate_in_window(self.main_window, directory, old, new)
            return
        self.busy = True
        self.change_button.setEnabled(False)
        self.errors.message("Changing your passphrase…")
        profile = self.backend.profile
        self.workers.submit(lambda: profile.change_passphrase(old, new), self._changed, self._failed)

    def _changed(self, _result: Any) -> None:
        self.busy = False
        self.errors.message("Passphrase changed. Use the new one from now on.")
        self.accept()

    def _failed(self, failure: Failure) -> None:
        self.busy = False
        self.change_button.setEnabled(True)
        self.errors.message(f"The passphrase was not changed: {failure.message}")


class _RotationSignals(QObject):
    progress = Signal(int, int)


class Rotation(QObject):
    """A key rotation under way for the window: the job, its progress dialog, then the recovery-key page."""

    def __init__(self, window: Any, directory: Path, old: str, new: str) -> None:
        super().__init__(window)
        self.window = window
        self.signals = _RotationSignals()
        self.workers = Workers(self)
        self.recovery = ""
        self.dialog = QProgressDialog(
            "Giving your records and every backup a new key. Keep youthwork open; if the laptop stops, unlock again "
            "to finish.",
            "",
            0,
            100,
            window,
        )
        self.dialog.setWindowTitle("Changing the key")
        self.dialog.setCancelButton(None)  # stopping half way is safe, but not offered
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setValue(0)
        self.signals.progress.connect(self._progress)

        def run() -> Profile:
            def shown(recovery: str) -> None:
                self.recovery = recovery

            rotate_key(
                directory,
                old,
                new,
                progress=lambda done, total: self.signals.progress.emit(done, total),
                show_recovery_key=shown,
            )
            return Profile.open(directory, new)

        self.workers.submit(run, self._done, self._failed, "The key could not be changed. Nothing has been lost.")

    def _progress(self, done: int, total: int) -> None:
        self.dialog.setValue(min(99, 100 * done // max(total, 1)))

    def _done(self, profile: Profile) -> None:
        self.dialog.setValue(100)
        self.dialog.close()
        log.info("key rotated from the window")
        self.window.show_new_recovery_key(profile, self.recovery)

    def _failed(self, failure: Failure) -> None:
        self.dialog.close()
        self.window.statusBar().showMessage(f"The key was not changed: {failure.message}", 15_000)


def rotate_in_window(window: Any, directory: Path, old: str, new: str) -> Rotation:
    """Lock the window (closing the store) and rotate the key off the UI thread, with progress."""
    window.lock()
    window.rotation = Rotation(window, directory, old, new)
    return window.rotation
