"""Who worked a session: ticked from the team's users (their ids are recorded, their names shown), never typed.

A session's `workers` are user ids: the weekly figures count hours by them and the sign-off rule ("a supervisor never
signs off a session they worked") compares them with the supervisor's own id, here and on the service.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ui.theme import em

log = logging.getLogger(__name__)


class WorkersPicker(QListWidget):
    """The team's workers as a tick list: ↑ ↓ move, Space ticks or unticks."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Who worked this session")
        self.setAccessibleDescription("The team's workers. Space ticks or unticks the highlighted name.")
        self.setMaximumHeight(em(self, 5.5))
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def set_team(self, team: Mapping[str, str], me: str) -> None:
        """`team` maps user id to name; `me` (this laptop's user) comes first, as "name (you)"."""
        self.blockSignals(True)
        self.clear()
        order = ([me] if me in team else []) + sorted((i for i in team if i != me), key=lambda i: team[i].lower())
        for uid in order:
            self._add(uid, f"{team[uid]} (you)" if uid == me else team[uid])
        self.blockSignals(False)
        if self.count():
            self.setCurrentRow(0)

    def _add(self, uid: str, label: str) -> QListWidgetItem:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, uid)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.addItem(item)
        return item

    def ids(self) -> list[str]:
        return [
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_ids(self, ids: Iterable[str]) -> None:
        """Tick these; one not in the team (a name typed by an older version, a worker who left) is added as is."""
        wanted = list(dict.fromkeys(i for i in ids if i))
        self.blockSignals(True)
        known = {self.item(i).data(Qt.ItemDataRole.UserRole): self.item(i) for i in range(self.count())}
        for uid in wanted:
            if uid not in known:
                known[uid] = self._add(uid, f"{uid} (not in the team list)")
        for uid, item in known.items():
            item.setCheckState(Qt.CheckState.Checked if uid in wanted else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.changed.emit()
