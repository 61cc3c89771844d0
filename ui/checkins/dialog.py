"""The young people's check-in at the end of a session: three taps each, on the coach's laptop, under a minute.

The coach opens it from the Sessions list (Ctrl+Shift+K on the highlighted session) and hands the laptop round. Each
young person answers with the number keys (or a click): felt safe getting here, had someone to talk to, one thing
that would help; 0 skips a question. Their answers are saved at once, with no name and no person id, and it starts
again for the next one. Esc ends it.

Only if they want to, a young person puts their name on theirs: "Put my name on this (only if you want to)" (Alt+N,
off for everyone until they tick it), and after the third answer they pick themself from the session's register
(arrow keys or typing their name, then Enter; 0 leaves the name off after all). The box is clear again for the next
person.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import hint
from youthwork.domain.checkins import Answer, WouldHelp
from youthwork.domain.errors import ShownError
from youthwork.domain.records import Session

log = logging.getLogger(__name__)

NAME_BOX = "Put my name on this (only if you want to)"
QUESTIONS: tuple[tuple[str, str, list[tuple[str, str]]], ...] = (
    ("felt_safe", "Did you feel safe getting here today?", Answer.choices()),
    ("someone_to_talk", "Did you have someone to talk to if you needed it?", Answer.choices()),
    ("would_help", "What one thing would help?", WouldHelp.choices()),
)


class CheckinDialog(QDialog):
    def __init__(self, backend: Backend, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.session = session
        self.step = 0
        self.answers: dict[str, str] = {}
        self.saved = 0
        self.earlier = len(backend.checkins.for_session(session.id))  # taken before this window opened
        self.register = backend.checkins.register(session.id)  # who may choose to put their name on theirs
        self.setWindowTitle("Young people's check-in")
        self.setAccessibleName("Young people's check-in")
        lay = QVBoxLayout(self)
        when = session.starts_at.strftime("%a %d %b") if session.starts_at else ""
        lay.addWidget(
            hint(
                f"{when} {session.area}. No names are kept unless you choose to put yours on it. Press a number to"
                " answer, 0 to skip, Esc to end."
            )
        )
        self.name_box = QCheckBox(f"{NAME_BOX}  (Alt+N)")
        self.name_box.setAccessibleName(NAME_BOX)
        self.name_box.setChecked(False)
        if self.register:
            toggle = QShortcut(QKeySequence("Alt+N"), self)
            toggle.activated.connect(self._toggle_name)
        else:
            self.name_box.setEnabled(False)
            self.name_box.setToolTip("No one is on this session's register yet, so check-ins stay without names.")
        lay.addWidget(self.name_box)
        self.question = QLabel()
        self.question.setObjectName("pageTitle")
        self.question.setWordWrap(True)
        lay.addWidget(self.question)
        self.options = QVBoxLayout()
        lay.addLayout(self.options)
        self.names = QListWidget()
        self.names.setAccessibleName("Choose your name")
        for person in self.register:
            item = QListWidgetItem(person.label)
            item.setData(Qt.ItemDataRole.UserRole, person.person_id)
            self.names.addItem(item)
        self.names.installEventFilter(self)
        self.names.itemActivated.connect(lambda item: self._save(item.data(Qt.ItemDataRole.UserRole)))
        self.names.hide()
        lay.addWidget(self.names)
        self.status = QLabel("")
        self.status.setAccessibleName("Check-ins taken")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self._buttons: list[QPushButton] = []
        self._show_step()

    def _toggle_name(self) -> None:
        if self.step < len(QUESTIONS):  # while they answer; once their name is asked for, 0 leaves it off
            self.name_box.toggle()

    def _clear_options(self) -> None:
        for b in self._buttons:
            self.options.removeWidget(b)
            b.deleteLater()
        self._buttons = []

    def _show_step(self) -> None:
        self._clear_options()
        self.names.hide()
        if self.step == len(QUESTIONS):
            self._show_names()
            return
        _, text, choices = QUESTIONS[self.step]
        self.question.setText(f"{self.step + 1} of 3: {text}")
        self.question.setAccessibleName(text)
        for n, (code, label) in enumerate(choices, start=1):
            b = QPushButton(f"{n}   {label}")
            b.setAccessibleName(label)
            b.setAccessibleDescription(f"Press {n}")
            b.clicked.connect(lambda _=False, c=code: self.answer(c))
            self.options.addWidget(b)
            self._buttons.append(b)
        skip = QPushButton("0   Skip this question")
        skip.setAccessibleName("Skip this question")
        skip.clicked.connect(lambda: self.answer(""))
        self.options.addWidget(skip)
        self._buttons.append(skip)
        self._buttons[0].setFocus()

    def _show_names(self) -> None:
        """The young person asked for their name on it: they pick themself from the register."""
        text = "Which one is you? Choose your name (arrow keys or type it), then press Enter."
        self.question.setText(text)
        self.question.setAccessibleName(text)
        off = QPushButton("0   Leave my name off")
        off.setAccessibleName("Leave my name off")
        off.setAutoDefault(False)
        off.clicked.connect(lambda: self._save(""))
        self.options.addWidget(off)
        self._buttons.append(off)
        self.names.setCurrentRow(-1)
        self.names.clearSelection()
        self.names.show()
        self.names.setFocus()

    def answer(self, code: str) -> None:
        self.answers[QUESTIONS[self.step][0]] = code
        self.step += 1
        if self.step == len(QUESTIONS) and not (self.name_box.isChecked() and self.register):
            self._save("")
            return
        self._show_step()

    def _save(self, person_id: str) -> None:
        """Save this young person's answers (with their name only if they picked it), then start the next one."""
        if self.step != len(QUESTIONS):
            return
        answers, self.answers, self.step = self.answers, {}, 0
        self.name_box.setChecked(False)  # off again for the next person
        try:
            self.backend.write(
                lambda: self.backend.checkins.record(
                    self.session.id,
                    answers["felt_safe"],
                    answers["someone_to_talk"],
                    answers["would_help"],
                    person_id=person_id,
                )
            )
        except ShownError as e:
            self.status.setText(f"Not saved: {e}")
        else:
            self.saved += 1
            named = " with your name on it" if person_id else ""
            self.status.setText(
                f"Thank you! Saved{named} ({self.earlier + self.saved} at this session). Next person: press a number."
            )
        self._show_step()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.names and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.names.currentItem()
                if item is not None and item.isSelected():
                    self._save(item.data(Qt.ItemDataRole.UserRole))
                return True
            if event.text() == "0":
                self._save("")
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and self.step < len(QUESTIONS):
            n = int(text)
            choices = QUESTIONS[self.step][2]
            if n == 0:
                self.answer("")
                return
            if n <= len(choices):
                self.answer(choices[n - 1][0])
                return
        if text == "0" and self.step == len(QUESTIONS):
            self._save("")
            return
        if event.key() == Qt.Key.Key_Escape:
            self.accept()
            return
        super().keyPressEvent(event)
