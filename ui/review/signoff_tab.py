"""The Review area's "Sign-off" tab: sessions waiting, oldest first; sign off (Ctrl+Enter) or return with a comment
(Ctrl+Shift+R)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint, shortcut
from ui.theme import chars, em
from youthwork.domain.records import Session
from youthwork.domain.validation import ValidationError
from youthwork.domain.vocab import SessionType
from youthwork.services.review import ReviewService


class SignoffTab(QWidget):
    """The sign-off queue for one worker or the whole team (`load`). A sign-off or return is a write through the
    backend, which tells the area to count again; `waiting_count` gives the tab its title."""

    open_session = Signal(str)  # Enter on a waiting session opens it in Sessions
    waiting_count = Signal(int)

    def __init__(self, backend: Backend, review: ReviewService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.review = review
        self.sessions: list[Session] = []
        self.names: dict[str, str] = {}
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                "Sessions waiting for sign-off, oldest first. Signing off locks a session: later changes "
                "come back here as amendments. Returning it sends your comment to the worker."
            )
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        self.waiting = QTableWidget(0, 5)
        self.waiting.setHorizontalHeaderLabels(["Date", "Type", "Where", "Workers", "Concern"])
        self.waiting.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.waiting.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.waiting.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.waiting.verticalHeader().setVisible(False)
        self.waiting.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.waiting.setAccessibleName("Sessions waiting for sign-off")
        self.waiting.itemActivated.connect(self._open_selected)
        split.addWidget(self.waiting)
        right = QWidget()
        rl = QVBoxLayout(right)
        self.detail = QLabel("Choose a session.")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        rl.addWidget(self.detail, 1)
        rl.addWidget(QLabel("Comment for the worker (needed to return it):"))
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setAccessibleName("Comment for the worker")
        self.comment.setMaximumHeight(em(self.comment, 5))
        rl.addWidget(self.comment)
        buttons = QHBoxLayout()
        self.approve_button = button("Sign off", "Ctrl+Return", primary=True)
        self.return_button = button("Return to worker", "Ctrl+Shift+R")
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.return_button)
        rl.addLayout(buttons)
        self.message = hint("")
        rl.addWidget(self.message)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([chars(self, 70), chars(self, 50)])
        lay.addWidget(split, 1)
        self.waiting.itemSelectionChanged.connect(self._show_waiting)
        self.approve_button.clicked.connect(self.approve_selected)
        self.return_button.clicked.connect(self.return_selected)
        shortcut(self, "Ctrl+Enter", self.approve_selected)

    def load(self, worker_id: str | None, names: Mapping[str, str]) -> None:
        self.sessions = self.review.waiting(worker_id)
        self.names = dict(names)
        self.waiting.setRowCount(len(self.sessions))
        for r, s in enumerate(self.sessions):
            when = s.starts_at.astimezone().strftime("%a %d %b %H:%M") if s.starts_at else ""
            kind = _type_label(s.session_type)
            cells = (
                when,
                kind,
                s.place or s.area,
                ", ".join(names.get(w, w) for w in s.workers),
                self._concern_cell(s),
            )
            for c, text in enumerate(cells):
                self.waiting.setItem(r, c, QTableWidgetItem(text))
        self.waiting.resizeColumnToContents(0)
        self.waiting_count.emit(len(self.sessions))
        if self.sessions:
            self.waiting.selectRow(0)
        else:
            self.detail.setText("Nothing is waiting for sign-off.")
        self.approve_button.setEnabled(bool(self.sessions))
        self.return_button.setEnabled(bool(self.sessions))

    def _concern_cell(self, s: Session) -> str:
        if not s.concern:
            return ""
        about = set(self.backend.sessions.concern_about(s.id))
        names = [p.display_name for p in self.backend.sessions.register(s.id) if p.id in about] if about else []
        return "Concern about " + ", ".join(names) if names else "Concern"

    def selected_session(self) -> Session | None:
        row = self.waiting.currentRow()
        return self.sessions[row] if 0 <= row < len(self.sessions) else None

    def _show_waiting(self) -> None:
        s = self.selected_session()
        if s is None:
            return
        register = self.backend.sessions.register(s.id)
        kind = _type_label(s.session_type)
        worked = ", ".join(self.names.get(w, w) for w in s.workers) or "nobody recorded"
        shown = ", ".join(p.display_name for p in register[:SHOW_NAMES])
        more = f" and {len(register) - SHOW_NAMES} more" if len(register) > SHOW_NAMES else ""
        parts = [
            f"<b>{_escape(kind)}</b> at {_escape(s.place or s.area)}, {s.hours:.1f} hours",
            f"<b>Worked by:</b> {_escape(worked)}",
            f"<b>On the register:</b> {len(register)} named · headcount {s.headcount_total}",
        ]
        if register:
            parts.append(_escape(shown + more))
        if s.concern:
            about = set(self.backend.sessions.concern_about(s.id))
            who = ", ".join(p.display_name for p in register if p.id in about) or "nobody on the register named"
            parts.append(f"<b>Safeguarding concern</b> about {_escape(who)}: {_escape(s.concern_details)}")
        if s.review_comment:
            parts.append(f"<i>{_escape(s.review_comment)}</i>")
        if s.narrative:
            parts.append(_escape(s.narrative))
        self.detail.setText("<br>".join(parts))

    def _open_selected(self) -> None:
        session = self.selected_session()
        if session is not None:
            self.open_session.emit(session.id)

    def approve_selected(self) -> None:
        self._act(lambda s: self.review.approve(s.id, self.comment.toPlainText()), "Signed off.")

    def return_selected(self) -> None:
        self._act(lambda s: self.review.return_to_worker(s.id, self.comment.toPlainText()), "Returned to the worker.")

    def _act(self, action: Callable[[Session], object], done: str) -> None:
        s = self.selected_session()
        if s is None:
            return
        try:
            self.backend.write(lambda: action(s))
        except ValidationError as e:
            self.message.setText(str(e))
            return
        self.comment.clear()
        self.message.setText(done)
        self.waiting.setFocus()


SHOW_NAMES = 30  # names listed in the detail; the rest are counted


def _type_label(code: str) -> str:
    try:
        return SessionType(code).label
    except ValueError:
        return code


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
