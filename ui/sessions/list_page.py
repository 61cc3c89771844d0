"""Sessions: the newest first, loaded a page at a time."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QVBoxLayout, QWidget

from ui.backend import Backend
from ui.forms import button, hint, title
from ui.labels import session_status, session_type, time_of, uk_date
from ui.lazy_model import Column, LazyTableModel, lazy_table_view
from ui.theme import chars
from youthwork.domain.records import Session

log = logging.getLogger(__name__)

PAGE_SIZE = 100
CONCERN = QColor("#b3261e")


@dataclass(frozen=True, slots=True)
class ListedSession:
    """A row of the list: the session and how many are on its register by name."""

    session: Session
    named: int

    @property
    def id(self) -> str:
        return self.session.id


def _where(r: ListedSession) -> str:
    return ", ".join(x for x in (r.session.place, r.session.area) if x)


def _young_people(r: ListedSession) -> str:
    """Named on the register and counted without a name, e.g. "22 named, 3 counted"."""
    counted = r.session.headcount_total
    bits = [f"{r.named} named"] if r.named else []
    if counted:
        bits.append(f"{counted} counted")
    return ", ".join(bits) or "nobody yet"


SESSION_COLUMNS = [
    Column("Date", lambda r: uk_date(r.session.starts_at)),
    Column(
        "Time",
        lambda r: f"{time_of(r.session.starts_at)}–{time_of(r.session.ends_at)}" if r.session.starts_at else "",
    ),
    Column("Type", lambda r: session_type(r.session.session_type)),
    Column("Where", _where),
    Column("Young people", _young_people),
    Column("Status", lambda r: session_status(r.session.status)),
    Column(
        "Concern",
        lambda r: "Concern flagged" if r.session.concern else "",
        foreground=lambda r: CONCERN if r.session.concern else None,
    ),
]


class SessionsListPage(QWidget):
    open_session = Signal(str)
    new_session = Signal()

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self._loaded = False
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(title("Sessions"))
        top.addStretch(1)
        self.checkin_button = button("Young people's check-&in", "Ctrl+Shift+K")
        self.checkin_button.setAccessibleName("Young people's check-in for the highlighted session")
        top.addWidget(self.checkin_button)
        self.new_button = button("&Log a session", "Ctrl+N", primary=True)
        top.addWidget(self.new_button)
        lay.addLayout(top)
        self.message = hint("")
        lay.addWidget(self.message)
        self.model = LazyTableModel(SESSION_COLUMNS, PAGE_SIZE, self)
        self.table = lazy_table_view(self.model, "Sessions")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 13), (1, 15), (2, 16), (4, 20), (5, 22), (6, 17)):
            header.resizeSection(col, chars(self, width))
        lay.addWidget(self.table, 1)
        lay.addWidget(
            hint("Enter opens the highlighted session. Drafts can be carried on; submitted ones are read-only.")
        )
        self.table.activated.connect(self._open)
        self.new_button.clicked.connect(self.new_session)
        self.checkin_button.clicked.connect(self.check_in)

    def showEvent(self, event) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def focus_first(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def refresh(self) -> None:
        self._loaded = True
        sessions = self.backend.sessions

        def page(offset: int, limit: int) -> list[ListedSession]:
            rows = sessions.recent(offset, limit)
            named = sessions.register_sizes([s.id for s in rows])
            return [ListedSession(s, named.get(s.id, 0)) for s in rows]

        self.model.reset(page)
        if self.model.rowCount() == 0:
            self.message.setText("No sessions yet. Press Ctrl+N to log one.")
        elif not self.message.text().startswith("Submitted") and not self.message.text().startswith("Draft"):
            self.message.setText("")

    def check_in(self) -> None:
        """The young people's check-in for the highlighted session (ui.checkins.dialog)."""
        from ui.checkins.dialog import CheckinDialog

        index = self.table.currentIndex()
        if not index.isValid():
            self.message.setText("Highlight the session first (↑ ↓), then press Ctrl+Shift+K for the check-in.")
            return
        session = self.backend.sessions.get(self.model.row_at(index.row()).id)
        if session is None or session.starts_at is None:
            return
        CheckinDialog(self.backend, session, self).exec()
        self.table.setFocus()

    def _open(self, index: QModelIndex) -> None:
        self.open_session.emit(self.model.row_at(index.row()).id)
