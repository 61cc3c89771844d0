"""The Review area's "Board summary" tab: the quarter's measures for the board, with what is not recorded said so."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.forms import hint, title
from ui.review.charts import bar_chart
from ui.review.tiles import chart_view, reset_layout
from ui.theme import chars
from youthwork.domain.figures import Figure
from youthwork.reports.board import BoardSummary


class BoardTab(QWidget):
    """Enter on a recorded measure asks for the records behind it (`drill`)."""

    drill = Signal(object)  # Figure

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        QVBoxLayout(self)

    def show_board(self, board: BoardSummary) -> None:
        lay = reset_layout(self)
        lay.addWidget(title(f"Board summary: {board.period.label()}"))
        lay.addWidget(
            hint(
                "Measures the youth safety strategy asks for. “Not recorded” means youthwork does not hold "
                "that data, not that the number is zero."
            )
        )
        quarter_labels = {"reached_new": "New this quarter (first ever attendance)"}
        rows: list[Figure] = [
            replace(board.activity.figure(k), label=quarter_labels.get(k, board.activity.figure(k).label))
            for k in ("sessions", "hours", "reached", "reached_new", "reached_girls")
        ]
        # The RAG spread at the quarter's end (percent of those rated in the note) and who moved over it.
        rag = ("rag_red", "rag_amber", "rag_green", "rag_towards_green", "rag_towards_red")
        rows += [f for f in board.activity.figures() if f.key in rag and f.recorded]
        rows += [*board.measures, *board.local]  # local: worked out on the laptop (circumstances, referral timings)
        table = QTableWidget(len(rows), 3)
        table.setAccessibleName("Quarter's measures for the board")
        table.setHorizontalHeaderLabels(["Measure", "Quarter", "Note"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        for r, f in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(f.label))
            value = QTableWidgetItem(f.display() if f.recorded else "not recorded")
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, 1, value)
            table.setItem(r, 2, QTableWidgetItem(f.note))
        table.resizeColumnsToContents()
        table.setColumnWidth(0, min(table.columnWidth(0), chars(table, 34)))
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.activated.connect(lambda idx: rows[idx.row()].recorded and self.drill.emit(rows[idx.row()]))
        table.setWordWrap(True)
        table.resizeRowsToContents()
        for r, f in enumerate(rows):
            table.item(r, 0).setToolTip(f.note)
        row = QHBoxLayout()
        row.addWidget(table, 3)
        lay.addLayout(row, 1)
        eth = next((p for t, p in board.activity.sections[1].breakdowns if t == "By ethnicity"), ())
        row.addWidget(
            chart_view(bar_chart("Reached this quarter, by ethnicity", eth, horizontal=True, largest=True, limit=10)),
            1,
        )
