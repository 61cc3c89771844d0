"""The young people's check-in at the end of a session: three taps each, on the coach's laptop, under a minute.

The coach opens it from the Sessions list (Ctrl+Shift+K on the highlighted session) and hands the laptop round. Each
young person answers with the number keys (or a click): felt safe getting here, had someone to talk to, one thing
that would help; 0 skips a question. Their answers are saved at once, with no name and no person id, and it starts
again for the next one. Esc ends it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.backend import Backend
from ui.forms import hint
from youthwork.domain.checkins import Answer, WouldHelp
from youthwork.domain.errors import ShownError
from youthwork.domain.records import Session

log = logging.getLogger(__name__)

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
        self.setWindowTitle("Young people's check-in")
        self.setAccessibleName("Young people's check-in")
        lay = QVBoxLayout(self)
        when = session.starts_at.strftime("%a %d %b") if session.starts_at else ""
        lay.addWidget(
            hint(f"{when} {session.area}. No names are kept. Press a number to answer, 0 to skip, Esc to end.")
        )
        self.question = QLabel()
        self.question.setObjectName("pageTitle")
        self.question.setWordWrap(True)
        lay.addWidget(self.question)
        self.options = QVBoxLayout()
        lay.addLayout(self.options)
        self.status = QLabel("")
        self.status.setAccessibleName("Check-ins taken")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self._buttons: list[QPushButton] = []
        self._show_step()

    def _show_step(self) -> None:
        for b in self._buttons:
            self.options.removeWidget(b)
            b.deleteLater()
        self._buttons = []
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

    def answer(self, code: str) -> None:
        self.answers[QUESTIONS[self.step][0]] = code
        self.step += 1
        if self.step < len(QUESTIONS):
            self._show_step()
            return
        answers, self.answers, self.step = self.answers, {}, 0
        try:
            self.backend.write(
                lambda: self.backend.checkins.record(
                    self.session.id, answers["felt_safe"], answers["someone_to_talk"], answers["would_help"]
                )
            )
        except ShownError as e:
            self.status.setText(f"Not saved: {e}")
        else:
            self.saved += 1
            self.status.setText(
                f"Thank you! Saved ({self.earlier + self.saved} at this session). Next person: press a number."
            )
        self._show_step()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit():
            n = int(text)
            choices = QUESTIONS[self.step][2]
            if n == 0:
                self.answer("")
                return
            if n <= len(choices):
                self.answer(choices[n - 1][0])
                return
        if event.key() == Qt.Key.Key_Escape:
            self.accept()
            return
        super().keyPressEvent(event)
