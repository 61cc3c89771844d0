"""The Review area's "Moves in" tab: young people other teams want to move to this team, oldest first, with the
handover note and what goes with them; accept (Ctrl+Enter) or decline with a reason (Ctrl+Shift+D)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import accessible, button, hint
from ui.labels import uk_date
from ui.stale_view import StaleView
from youthwork.domain.errors import ShownError
from youthwork.domain.transfers import CAN_GO, PersonTransfer

log = logging.getLogger(__name__)

MOVES_TABLES = ("person_transfers", "people")


def _in_a_sentence(words: str) -> str:
    """ "Safety plans" -> "safety plans", but "RAG ratings" stays as it is."""
    return words if words[:2].isupper() else words[:1].lower() + words[1:]


class MovesTab(StaleView):
    """The moves waiting for this team's answer; an answer is a write through the backend, so it syncs."""

    TABLES = MOVES_TABLES

    waiting_count = Signal(int)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.service = backend.transfers
        self.moves: list[PersonTransfer] = []
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                "Young people another team wants to move to yours. Until you accept you see only who they are and "
                "the handover note; once you accept, their record and what goes with them come to your team."
            )
        )
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Young person", "From", "Proposed"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName("Moves waiting for your answer")
        lay.addWidget(self.table, 1)
        self.note = QPlainTextEdit()
        self.note.setReadOnly(True)
        self.note.setTabChangesFocus(True)
        accessible(self.note, "Handover note and what goes with them")
        lay.addWidget(self.note, 1)
        reason_row = QHBoxLayout()
        reason_label = QLabel("&Reason, if you decline:")
        self.reason = QLineEdit()
        accessible(self.reason, "Reason for declining")
        reason_label.setBuddy(self.reason)
        reason_row.addWidget(reason_label)
        reason_row.addWidget(self.reason, 1)
        lay.addLayout(reason_row)
        row = QHBoxLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        row.addWidget(self.message, 1)
        self.decline_button = button("Decline", "Ctrl+Shift+D")
        self.accept_button = button("Accept the move", "Ctrl+Return", primary=True)
        row.addWidget(self.decline_button)
        row.addWidget(self.accept_button)
        lay.addLayout(row)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.accept_button.clicked.connect(self.accept_selected)
        self.decline_button.clicked.connect(self.decline_selected)

    def refresh(self) -> None:
        self.moves = self.service.incoming()
        self.table.setRowCount(len(self.moves))
        for r, move in enumerate(self.moves):
            proposed = uk_date(move.proposed_at or move.created_at)
            cells = (self.service.person_name(move), self.service.team_name(move.team_id), proposed)
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.moves:
            self.table.selectRow(0)
        self._show_selected()
        self.waiting_count.emit(len(self.moves))

    def selected(self) -> PersonTransfer | None:
        rows = self.table.selectionModel().selectedRows()
        return self.moves[rows[0].row()] if rows and rows[0].row() < len(self.moves) else None

    def _show_selected(self) -> None:
        move = self.selected()
        for b in (self.accept_button, self.decline_button):
            b.setEnabled(move is not None)
        if move is None:
            self.note.setPlainText("No moves are waiting for your team's answer." if not self.moves else "")
            return
        goes = ", ".join(_in_a_sentence(CAN_GO[t][0]) for t in move.goes if t in CAN_GO) or "nothing else"
        self.note.setPlainText(f"{move.note}\n\nGoes with them: their record; {goes}.")

    def accept_selected(self) -> None:
        move = self.selected()
        if move is None:
            return
        self._answer(lambda: self.service.accept(move.id), "Accepted: they are in your team's young people now.")

    def decline_selected(self) -> None:
        move = self.selected()
        if move is None:
            return
        reason = self.reason.text()
        if not reason.strip():
            self.message.setText("Say why you decline, so the other team knows what to do next.")
            self.reason.setFocus()
            return
        self._answer(lambda: self.service.decline(move.id, reason), "Declined: the other team will see your reason.")

    def _answer(self, use_case: Callable[[], PersonTransfer], done: str) -> None:
        try:
            self.backend.write(use_case)
        except ShownError as e:
            self.message.setText(e.message)
            return
        self.reason.clear()
        self.message.setText(done + " It goes to the service at the next sync.")
        self.refresh()
        self.table.setFocus()
