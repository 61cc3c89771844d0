"""Choosing one of the team's places by typing its name: the rest of the name completes inline, and ↓ lists them.

Text that names no place is kept as the session's free text, and offered later as a place to confirm."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from youthwork.domain.places import Place


class PlacePicker(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._ids: dict[str, str] = {}  # lower-cased name -> place id
        self._names: dict[str, str] = {}  # place id -> its name as saved
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
        self.setCompleter(completer)
        self.setAccessibleName("Place")

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        line = self.lineEdit()
        if line is not None:
            line.setAccessibleName(name)

    def set_places(self, places: list[Place]) -> None:
        typed = self.text()
        self.blockSignals(True)
        self.clear()
        self._ids, self._names = {}, {}
        for p in places:
            self.addItem(p.name, p.id)
            self._ids[p.name.lower()] = p.id
            self._names[p.id] = p.name
        self.setEditText(typed)
        self.blockSignals(False)

    def text(self) -> str:
        return self.currentText()

    def setText(self, text: str) -> None:
        self.setEditText(text)

    def setPlaceholderText(self, text: str) -> None:
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText(text)

    def place_id(self) -> str:
        """The place the text names, or "" when it names none of the team's places."""
        return self._ids.get(self.text().strip().lower(), "")

    def words(self) -> str:
        """What to keep as the session's words: the place's own name when the text names one (typed in any case)."""
        return self._names.get(self.place_id(), self.text().strip())

    def choose(self, place_id: str, fallback: str = "") -> None:
        """Show a session's place by its id (its name may have changed since), else its free text."""
        index = self.findData(place_id) if place_id else -1
        self.setEditText(self.itemText(index) if index >= 0 else fallback)
