"""The Backups area: list the encrypted backups kept beside the store, make one now, restore one.

A daily backup is taken in the background when the workspace opens (`take_daily_backup`), on its own connection so
the window never waits for it. A restore locks the window (closing the store), swaps the file with
`youthwork.backup.restore` (which keeps a safety copy first), then unlocks again with the passphrase just given.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.backup.passphrase import ChangePassphraseDialog
from ui.forms import button, hint, title
from ui.workers import Failure, Workers
from youthwork import backup
from youthwork.store.errors import StoreError

log = logging.getLogger(__name__)


def take_daily_backup(backend: Backend, workers: Workers) -> None:
    """On unlock: a daily backup if the newest is more than a day old, off the UI thread on its own connection."""

    workers.submit(
        lambda: backend.take_backup(only_if_due=True),
        lambda made: log.info("daily backup %s", "taken" if made else "not due"),
        None,
        "The daily backup could not be made. Your records are safe; it will be tried again next time.",
    )


class BackupArea(QWidget):
    def __init__(self, backend: Backend, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.workers = workers
        self.directory = Path(backend.directory)
        lay = QVBoxLayout(self)
        lay.addWidget(title("Backups"))
        lay.addWidget(
            hint(
                "youthwork keeps encrypted copies of this laptop's records beside them: one a day (the last "
                f"{backup.KEEP_DAILY} days) and one before each update. They open with your passphrase or the "
                "recovery key. A copy on this laptop does not protect against losing the laptop: sync does that."
            )
        )
        self.list = QListWidget()
        self.list.setAccessibleName("Backups, newest first")
        lay.addWidget(self.list, 1)
        self.status = hint("")
        lay.addWidget(self.status)
        row = QHBoxLayout()
        self.backup_button = button("&Back up now")
        self.restore_button = button("&Restore the selected backup…")
        self.passphrase_button = button("Change &passphrase…")
        row.addWidget(self.backup_button)
        row.addWidget(self.passphrase_button)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        lay.addLayout(row)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.passphrase_button.clicked.connect(self.change_passphrase)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.refresh()

    def focus_first(self) -> None:
        self.list.setFocus()

    def showEvent(self, event: Any) -> None:
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self.list.clear()
        for b in self.backend.backups():
            size = f"{b.size / 1_048_576:.1f} MB" if b.size >= 1_048_576 else f"{b.size // 1024} KB"
            item = QListWidgetItem(f"{b.taken_at.astimezone():%a %d %b %Y %H:%M}   {b.kind}   {size}")
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            self.list.addItem(item)
        if self.list.count() == 0:
            self.status.setText("There are no backups yet.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.list.currentRow() >= 0)

    def selected(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def back_up_now(self) -> None:
        self.backup_button.setEnabled(False)
        self.status.setText("Backing up…")

        def done(made: backup.Backup) -> None:
            self.backup_button.setEnabled(True)
            self.status.setText(f"Backed up at {made.taken_at.astimezone():%H:%M}.")
            self.refresh()

        def failed(failure: Failure) -> None:
            self.backup_button.setEnabled(True)
            self.status.setText(failure.message)

        failure = "The backup could not be made. Nothing has been changed; try again."
        self.workers.submit(self.backend.take_backup, done, failed, failure)

    def change_passphrase(self) -> ChangePassphraseDialog:
        """The new passphrase, and the choice to change the key too ("someone may have seen it")."""
        dialog = ChangePassphraseDialog(self.backend, self.window(), self)
        dialog.open()
        return dialog

    def restore_selected(self) -> None:
        source = self.selected()
        if source is None:
            return
        answer = QMessageBox.question(
            self,
            "Restore this backup?",
            "This puts the backup in place of the records on this laptop. Anything recorded since it was taken and "
            "not yet synced will only be in the safety copy kept now (listed here as 'before a restore').",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        passphrase, ok = QInputDialog.getText(
            self, "Restore this backup", "Your passphrase, to confirm:", QLineEdit.EchoMode.Password
        )
        if ok and passphrase:
            restore_into_window(self.window(), self.directory, source, passphrase)


def restore_into_window(window: Any, directory: Path, source: Path, passphrase: str) -> str:
    """Lock the window (closing the store), restore, unlock again. Returns the message shown to the worker."""
    window.lock()
    try:
        done = backup.restore(directory, source, passphrase)
        message = f"Restored: {done.people} young people."
    except StoreError as e:
        message = f"Not restored: {e}"
    window.unlock.passphrase.setText(passphrase)
    window.unlock.submit()
    window.statusBar().showMessage(message, 15_000)
    return message
