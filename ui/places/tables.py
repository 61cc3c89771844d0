"""Read-only tables for the Places area: named for a screen reader, a row at a time, Tab leaves them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from youthwork.domain.weeks import IsoWeek


def table(headings: Sequence[str], name: str, description: str = "") -> QTableWidget:
    t = QTableWidget(0, len(headings))
    t.setHorizontalHeaderLabels(list(headings))
    t.setAccessibleName(name)
    if description:
        t.setAccessibleDescription(description)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.horizontalHeader().setSectionResizeMode(len(headings) - 1, QHeaderView.ResizeMode.Stretch)
    t.setTabKeyNavigation(False)
    return t


def fill(t: QTableWidget, rows: Sequence[Sequence[str]], keys: Sequence[str] | None = None) -> None:
    """Put `rows` of text in `t`; `keys` (one per row) are kept on every cell for whoever opens the row."""
    t.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            if c and text.replace(".", "", 1).isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            t.setItem(r, c, item)
    for c in range(t.columnCount() - 1):
        t.resizeColumnToContents(c)


def cell(t: QTableWidget, row: int, col: int) -> QTableWidgetItem:
    """The item that `fill` put at (row, col)."""
    item = t.item(row, col)
    assert item is not None
    return item


def week_heading(week: IsoWeek) -> str:
    """A short column heading: the week's Monday, "9 Nov" (the table says the weeks begin on a Monday)."""
    return week.monday.strftime("%-d %b")


def hours(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0") if value else "0"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def fit_height(t: QTableWidget, least_rows: int = 2) -> None:
    """As tall as its rows (the page around it scrolls), so no table scrolls inside a scrolling page."""
    rows = max(t.rowCount(), least_rows)
    row = t.verticalHeader().defaultSectionSize()
    bar = t.horizontalScrollBar().sizeHint().height() if t.horizontalScrollBar().isVisible() else 0
    t.setFixedHeight(t.horizontalHeader().height() + rows * row + bar + 2 * t.frameWidth() + 2)
