"""The recovery key, shown once after first run."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from ui.forms import button
from ui.gate.layout import column


class RecoveryKeyPage(QWidget):
    """The recovery key, shown once, with a tick to say it has been stored safely."""

    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = column(
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
