"""Sessions: the newest first, loaded a page at a time."""

from __future__ import annotations

import logging

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


def _where(s: Session) -> str:
    return ", ".join(x for x in (s.place, s.area) if x)


SESSION_COLUMNS = [
    Column("Date", lambda s: uk_date(s.starts_at)),
    Column("Time", lambda s: f"{time_of(s.starts_at)}–{time_of(s.ends_at)}" if s.starts_at else ""),
    Column("Type", lambda s: session_type(s.session_type)),
    Column("Where", _where),
    Column("Headcount", lambda s: str(s.headcount_total) if s.headcount_total else ""),
    Column("Status", lambda s: session_status(s.status)),
    Column(
        "Concern",
        lambda s: "Concern flagged" if s.concern else "",
        foreground=lambda s: CONCERN if s.concern else None,
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
        self.new_button = button("&Log a session", "Ctrl+N", primary=True)
        top.addWidget(self.new_button)
        lay.addLayout(top)
        self.message = hint("")
        lay.addWidget(self.message)
        self.model = LazyTableModel(SESSION_COLUMNS, PAGE_SIZE, self)
        self.table = lazy_table_view(self.model, "Sessions")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 13), (1, 15), (2, 16), (4, 14), (5, 22), (6, 17)):
            header.resizeSection(col, chars(self, width))
        lay.addWidget(self.table, 1)
        lay.addWidget(
            hint("Enter opens the highlighted session. Drafts can be carried on; submitted ones are read-only.")
        )
        self.table.activated.connect(self._open)
        self.new_button.clicked.connect(self.new_session)

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
        self.model.reset(lambda offset, limit: sessions.recent(offset, limit))
        if self.model.rowCount() == 0:
            self.message.setText("No sessions yet. Press Ctrl+N to log one.")
        elif not self.message.text().startswith("Submitted") and not self.message.text().startswith("Draft"):
            self.message.setText("")

    def _open(self, index: QModelIndex) -> None:
        self.open_session.emit(self.model.row_at(index.row()).id)
