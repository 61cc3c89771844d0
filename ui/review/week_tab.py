"""The Review area's first tab, "The week": headline tiles, then each section's tiles, breakdowns and chart."""

from __future__ import annotations

from PySide6.QtCharts import QChart
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.review.charts import bar_chart, pie_chart
from ui.review.tiles import FigureButton, chart_view
from ui.theme import em
from youthwork.domain.figures import Figure, Section, WeeklyReport

HEADLINE = (
    "sessions",
    "hours",
    "reached",
    "reached_new",
    "reached_girls",
    "concerns",
    "referrals",
    "referrals_overdue",
    "plans_overdue",
    "waiting_signoff",
)
# The chart shown beside each section: (breakdown title, kind).
SECTION_CHART = {
    "sessions": ("By type", "bar"),
    "people": ("By gender", "pie"),
    "headcount": ("By age band", "bar"),
    "referrals": ("By agency", "bar"),
}


class WeekTab(QScrollArea):
    """The week's figures as tiles; a tile or a breakdown line asks for the records behind it (`drill`)."""

    drill = Signal(object)  # Figure

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName("The week's figures")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.report: WeeklyReport | None = None
        self.figure_buttons: list[FigureButton] = []

    def show_report(self, report: WeeklyReport) -> None:
        self.report = report
        self.figure_buttons = []
        body = QWidget()
        grid = QVBoxLayout(body)
        glance = QGroupBox("At a glance")
        glance_grid = QGridLayout(glance)
        for i, key in enumerate(HEADLINE):
            glance_grid.addWidget(self._tile(report.figure(key)), i // 5, i % 5)
        grid.addWidget(glance)
        for section in report.sections:
            grid.addWidget(self._section_box(section))
        grid.addStretch(1)
        self.setWidget(body)

    def _section_box(self, section: Section) -> QGroupBox:
        box = QGroupBox(section.title)
        row = QHBoxLayout(box)
        left = QVBoxLayout()
        tiles = QGridLayout()
        for i, f in enumerate(section.figures):
            tiles.addWidget(self._tile(f), i // 3, i % 3)
        left.addLayout(tiles)
        if section.breakdowns:
            tree = QTreeWidget()
            tree.setHeaderLabels(["Breakdown", "Number"])
            tree.setRootIsDecorated(True)
            tree.setAccessibleName(f"{section.title} breakdowns")
            for heading, parts in section.breakdowns:
                top = QTreeWidgetItem([heading, ""])
                tree.addTopLevelItem(top)
                for p in parts:
                    item = QTreeWidgetItem([p.label, p.display()])
                    item.setData(0, Qt.ItemDataRole.UserRole, p.key)
                    item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                    top.addChild(item)
                top.setExpanded(len(parts) <= 8)
            tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            tree.header().setStretchLastSection(False)
            tree.setMinimumHeight(em(tree, 8))
            tree.itemActivated.connect(lambda item, _c: self._open_part(item))
            left.addWidget(tree)
        row.addLayout(left, 3)
        chart = self._section_chart(section)
        if chart is not None:
            row.addWidget(chart_view(chart), 2)
        return box

    def _tile(self, f: Figure) -> FigureButton:
        b = FigureButton(f)
        b.clicked.connect(lambda _=False, fig=f: self.drill.emit(fig))
        self.figure_buttons.append(b)
        return b

    @staticmethod
    def _section_chart(section: Section) -> QChart | None:
        wanted = SECTION_CHART.get(section.key)
        if wanted is None:
            return None
        heading, kind = wanted
        parts = next((p for t, p in section.breakdowns if t == heading), ())
        name = f"{section.title}: {heading.lower()}"
        return pie_chart(name, parts) if kind == "pie" else bar_chart(name, parts, horizontal=True)

    def _open_part(self, item: QTreeWidgetItem) -> None:
        key = item.data(0, Qt.ItemDataRole.UserRole)
        if key and self.report is not None:
            self.drill.emit(self.report.figure(key))
