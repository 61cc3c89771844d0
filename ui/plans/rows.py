"""A small editable table for the list parts of a plan (trusted adults, who to call, agreed actions)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.forms import button
from ui.theme import em


class _Cells(QTableWidget):
    """Tab moves from cell to cell while typing, as in a spreadsheet, and on out of the table after the last cell
    (Shift+Tab before the first): Qt's own table would go round again, and Tab could never leave it."""

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        index = self.currentIndex()
        last = index.row() == self.rowCount() - 1 and index.column() == self.columnCount() - 1
        first = index.row() == 0 and index.column() == 0
        leaving = (hint == QAbstractItemDelegate.EndEditHint.EditNextItem and last) or (
            hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem and first
        )
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint if leaving else hint)
        if leaving:
            self.focusNextPrevChild(hint == QAbstractItemDelegate.EndEditHint.EditNextItem)


class RowsEditor(QWidget):
    """Rows of text cells keyed by `columns` ([(key, heading)]); empty rows are dropped by the service."""

    def __init__(self, columns: list[tuple[str, str]], add_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.table = _Cells(0, len(columns))
        self.table.setAccessibleName(add_label.replace("Add ", "").capitalize())
        self.table.setHorizontalHeaderLabels([h for _, h in columns])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setMinimumHeight(em(self, 6))
        self.add_button = button(add_label)
        self.remove_button = button("Remove row")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        self.buttons = QHBoxLayout()  # under the table: a form may add its own buttons to the row
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.remove_button)
        self.buttons.addStretch(1)
        lay.addLayout(self.buttons)
        self.add_button.clicked.connect(self.add_empty)
        self.remove_button.clicked.connect(self.remove_current)

    def set_rows(self, rows: list[dict[str, str]]) -> None:
        self.table.setRowCount(0)
        for row in rows:
            self.append(row)
        self._fit()

    def append(self, row: dict[str, str]) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, (key, _) in enumerate(self.columns):
            self.table.setItem(r, c, QTableWidgetItem(str(row.get(key, ""))))
        self._fit()

    def add_empty(self) -> None:
        self.append({})
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.table.setFocus()
        if (item := self.table.item(self.table.rowCount() - 1, 0)) is not None:
            self.table.editItem(item)

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._fit()

    def rows(self) -> list[dict[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            row = {}
            for c, (key, _) in enumerate(self.columns):
                item = self.table.item(r, c)
                row[key] = item.text().strip() if item else ""
            out.append(row)
        return out

    def _fit(self) -> None:
        rows = max(2, self.table.rowCount())
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + rows * self.table.verticalHeader().defaultSectionSize() + em(self, 0.5))
