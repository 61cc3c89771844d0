"""A table model that loads rows a page at a time as the view scrolls (canFetchMore/fetchMore).

The view asks for more only when the user nears the end, so a list of 100,000 young people opens and scrolls as
quickly as a list of 100: only the rows seen so far are in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
Loader = Callable[[int, int], Sequence[Any]]


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    text: Callable[[Any], str]
    tooltip: Callable[[Any], str] | None = None
    foreground: Callable[[Any], Any] | None = None


def _no_rows(_offset: int, _limit: int) -> Sequence[Any]:
    return []


class LazyTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], page_size: int = 200, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.page_size = page_size
        self._rows: list[Any] = []
        self._loader: Loader = _no_rows
        self._more = False

    # Loading -------------------------------------------------------------------------------------------------

    def reset(self, loader: Loader, first_page: Sequence[Any] | None = None) -> None:
        """Show a new result set. `first_page` is given when it was already loaded off the UI thread."""
        self.beginResetModel()
        self._loader = loader
        if first_page is None:
            first_page = loader(0, self.page_size)
        self._rows = list(first_page)
        self._more = len(self._rows) >= self.page_size
        self.endResetModel()

    def clear(self) -> None:
        self.reset(_no_rows, [])

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or not self._more:
            return
        page = list(self._loader(len(self._rows), self.page_size))
        self._more = len(page) >= self.page_size
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    # Reading ---------------------------------------------------------------------------------------------------

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    @property
    def loaded(self) -> int:
        return len(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            return column.foreground(row)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


def lazy_table_view(model: LazyTableModel, name: str) -> QTableView:
    """A read-only list, one row selected at a time, Tab leaving it, rows of fixed height (scrolling stays fast)."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(round(table.fontMetrics().height() * 1.6))
    table.setAccessibleName(name)
    return table
