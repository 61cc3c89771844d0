"""Case notes on a young person: append-only. An amendment is added under the note it corrects; nothing is erased."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, hint
from ui.labels import uk_datetime
from ui.theme import em
from youthwork.domain.records import CaseNote
from youthwork.domain.validation import ValidationError
from youthwork.store.settings import WORKER_NAMES

log = logging.getLogger(__name__)


class NotesPanel(QWidget):
    note_added = Signal(str)  # note id

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person_id: str | None = None
        self.session_id: str | None = None
        self.amending: CaseNote | None = None

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Written", "By", "Note"])
        self.tree.setColumnWidth(0, em(self, 8))
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAccessibleName("Case notes")
        lay.addWidget(self.tree, 1)

        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        self.mode = hint("New case note (facts, what was said, what you did; it can't be edited later, only amended)")
        lay.addWidget(self.mode)
        self.editor = QPlainTextEdit()
        self.editor.setMaximumHeight(em(self, 5))
        self.editor.setTabChangesFocus(True)
        self.editor.setAccessibleName("Case note text")
        lay.addWidget(self.editor)
        err = QLabel()
        err.setObjectName("fieldError")
        err.hide()
        lay.addWidget(err)
        self.errors.register("text", self.editor, err)

        row = QHBoxLayout()
        self.amend_button = button("Amend the selected note")
        self.cancel_amend = button("Stop amending")
        self.cancel_amend.hide()
        self.add_button = button("Add note", "Ctrl+Return", primary=True)
        row.addWidget(self.amend_button)
        row.addWidget(self.cancel_amend)
        row.addStretch(1)
        row.addWidget(self.add_button)
        lay.addLayout(row)
        # Ctrl+Enter in the editor adds the note. The editor claims the key before any window shortcut (the
        # session form's Submit uses the same keys), so the two never clash.
        for sc in self.add_button.findChildren(QShortcut):
            sc.setEnabled(False)
        self.editor.installEventFilter(self)
        self.add_button.clicked.connect(self.add)
        self.amend_button.clicked.connect(self.start_amend)
        self.cancel_amend.clicked.connect(self.stop_amend)
        self.tree.itemActivated.connect(lambda _i, _c: self.start_amend())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        ctrl_enter = (
            watched is self.editor
            and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        )
        if ctrl_enter:
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self.add()
            return True
        return super().eventFilter(watched, event)

    def show_for(self, person_id: str, session_id: str | None = None) -> None:
        if person_id != self.person_id:
            self.editor.clear()
            self.stop_amend()
        self.person_id = person_id
        self.session_id = session_id
        self.reload()

    def reload(self) -> None:
        self.tree.clear()
        if not self.person_id:
            return
        notes = self.backend.notes.for_person(self.person_id)
        names = self.backend.setting(WORKER_NAMES) or {}
        me = self.backend.profile.user_id
        items: dict[str, QTreeWidgetItem] = {}
        for note in notes:
            parent = items.get(note.corrects_id or "")
            text = note.text
            if note.corrects_id:
                text = "Amendment: " + text
            author = "you" if note.author_id == me else names.get(note.author_id, note.author_id)
            item = QTreeWidgetItem([uk_datetime(note.written_at), author, text])
            item.setData(0, Qt.ItemDataRole.UserRole, note)
            item.setToolTip(2, note.text)
            if parent is not None:
                parent.addChild(item)
                parent.setExpanded(True)
                # Amendments of amendments hang under the original, in order.
                items[note.id] = parent
            else:
                self.tree.addTopLevelItem(item)
                items[note.id] = item
        self.tree.resizeColumnToContents(0)
        self.tree.resizeColumnToContents(1)
        if (last := self.tree.topLevelItem(self.tree.topLevelItemCount() - 1)) is not None:
            self.tree.setCurrentItem(last)

    def focus_editor(self) -> None:
        self.editor.setFocus()

    def start_amend(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            self.errors.message("Choose the note to amend first (use the arrow keys in the list of notes).")
            return
        top = item
        while (up := top.parent()) is not None:
            top = up
        self.amending = top.data(0, Qt.ItemDataRole.UserRole)
        self.mode.setText(f"Amending the note written {uk_datetime(self.amending.written_at)}: the original stays.")
        self.add_button.setText("Add amendment  (Ctrl+Enter)")
        self.cancel_amend.show()
        self.editor.setFocus()

    def stop_amend(self) -> None:
        self.amending = None
        self.mode.setText("New case note (facts, what was said, what you did; it can't be edited later, only amended)")
        self.add_button.setText("Add note  (Ctrl+Enter)")
        self.cancel_amend.hide()

    def add(self) -> None:
        if not self.person_id:
            return
        text = self.editor.toPlainText()
        try:
            if self.amending is not None:
                amending = self.amending.id
                note = self.backend.write(lambda: self.backend.notes.amend(amending, text)).value
            else:
                person_id, session_id = self.person_id, self.session_id
                note = self.backend.write(lambda: self.backend.notes.add(person_id, text, session_id=session_id)).value
        except ValidationError as exc:
            self.errors.show(exc.problems)
            self.editor.setFocus()
            return
        self.errors.clear()
        self.editor.clear()
        self.stop_amend()
        self.reload()
        self.note_added.emit(note.id)

    # Drafts --------------------------------------------------------------------------------------------------------

    def draft(self) -> dict[str, Any] | None:
        text = self.editor.toPlainText()
        if not text.strip() or not self.person_id:
            return None
        return {
            "person_id": self.person_id,
            "session_id": self.session_id,
            "text": text,
            "amending": self.amending.id if self.amending else None,
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.show_for(data["person_id"], data.get("session_id"))
        self.editor.setPlainText(data.get("text", ""))
        if data.get("amending"):
            note = self.backend.notes.get(data["amending"])
            if note is not None:
                self.amending = note
                self.mode.setText(f"Amending the note written {uk_datetime(note.written_at)}: the original stays.")
                self.cancel_amend.show()
