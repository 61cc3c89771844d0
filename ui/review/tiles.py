"""The Review area's shared pieces: a figure as a tile, the records-behind-a-figure dialog, a chart view."""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint, title
from ui.theme import chars, em
from youthwork.domain.figures import Figure


class FigureButton(QPushButton):
    """A figure as a tile: the number big, the label under it. Click or Enter lists the records behind it."""

    def __init__(self, figure: Figure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self.setObjectName("figureTile")
        self.setAutoDefault(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(em(self, 0.5), em(self, 0.3), em(self, 0.5), em(self, 0.3))
        lay.setSpacing(0)
        value = QLabel(figure.display())
        value.setObjectName("figureValue" if figure.recorded else "figureMissing")
        font = value.font()
        font.setPointSizeF(font.pointSizeF() * (1.6 if figure.recorded else 1.0))
        font.setBold(figure.recorded)
        value.setFont(font)
        label = QLabel(figure.label)
        label.setWordWrap(True)
        for w in (value, label):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            lay.addWidget(w)
        self.setMinimumSize(chars(self, 22), em(self, 4.4))
        count = f"{figure.display()} {figure.label}"
        self.setAccessibleName(count)
        self.setToolTip(f"{count}. Press Enter to list the {len(figure.ids)} records behind this figure.")
        self.setStyleSheet(
            "QPushButton#figureTile { text-align: left; border: 1px solid #c8d3de; border-radius: 6px;"
            " background: #f4f7fb; } QPushButton#figureTile:focus { border: 2px solid #0b3d66; }"
            " QLabel#figureValue { color: #0b3d66; } QLabel#figureMissing { color: #666; }"
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)


class DrilldownDialog(QDialog):
    """The records behind one figure. Enter or double-click opens a session or a young person."""

    open_record = Signal(str, str)  # table, id

    def __init__(self, backend: Backend, figure: Figure, on: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{figure.label}: {figure.display()}")
        self.figure = figure
        lay = QVBoxLayout(self)
        lay.addWidget(title(f"{figure.label}: {figure.display()}"))
        if figure.note:
            lay.addWidget(hint(figure.note))
        self.lines = backend.records_behind(figure, on=on)
        self.table = QTableWidget(len(self.lines), 3)
        self.table.setAccessibleName("Records behind this figure")
        self.table.setHorizontalHeaderLabels(["When", "Record", "Details"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for r, line in enumerate(self.lines):
            for c, text in enumerate((line.when, line.title, line.detail)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(0, not any(line.when for line in self.lines))
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)
        if not self.lines:
            lay.addWidget(hint("No records: this figure is zero or not recorded yet."))
        elif figure.table in ("sessions", "people"):
            lay.addWidget(hint("Enter or double-click opens the record."))
        lay.addWidget(self.table, 1)
        close = button("Close", "Esc")
        close.clicked.connect(self.reject)
        lay.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(chars(self, 110), em(self, 26))
        if self.lines:
            self.table.selectRow(0)
        self.table.setFocus()

    def _open(self, index: object) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.lines):
            line = self.lines[row]
            self.open_record.emit(line.table, line.id)
            self.accept()


def chart_view(chart: QChart) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(chars(view, 44), em(view, 13))
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a picture: its figures are in the tiles and tables
    view.setAccessibleName(chart.title() or "Chart")
    return view


def reset_layout(page: QWidget) -> QVBoxLayout:
    """Empty the page's layout (its widgets are deleted), ready to be filled again."""
    lay = page.layout()
    assert isinstance(lay, QVBoxLayout)
    while lay.count():
        item = lay.takeAt(0)
        if item is not None and (widget := item.widget()) is not None:
            widget.deleteLater()
    return lay
