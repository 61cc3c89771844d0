"""A view that works out what it shows again when that changed: at once while on screen, otherwise when next shown."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from youthwork.services.changes import Changes


class StaleView(QWidget):
    """Subclasses name the `TABLES` they show and implement `refresh()`; a new view starts stale."""

    TABLES: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stale = True

    def refresh(self) -> None:
        raise NotImplementedError

    def refresh_for(self, changes: Changes) -> None:
        if not changes.touches(*self.TABLES):
            return
        if self.isVisible():
            self._reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._reload()

    def _reload(self) -> None:
        self._stale = False
        self.refresh()
