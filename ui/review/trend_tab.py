"""The Review area's "Trends" tab: the last 12 weeks as a chart and a table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ui.review.charts import trend_chart
from ui.review.tiles import chart_view, reset_layout
from youthwork.domain.figures import WeeklyReport

TREND_KEYS = (("sessions", "Sessions"), ("reached", "Young people reached"), ("reached_new", "New"))
TREND_TABLE = ("sessions", "hours", "reached", "reached_new", "headcount", "concerns", "referrals", "waiting_signoff")


class TrendTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        QVBoxLayout(self)

    def show_trend(self, reports: list[WeeklyReport]) -> None:
        lay = reset_layout(self)
        lay.addWidget(chart_view(trend_chart(reports, TREND_KEYS)), 3)
        table = QTableWidget(len(TREND_TABLE), len(reports))
        table.setAccessibleName("Figures week by week")
        table.setHorizontalHeaderLabels([f"W{r.week.week}" for r in reports])
        table.setVerticalHeaderLabels([reports[-1].figure(k).label for k in TREND_TABLE])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for c, r in enumerate(reports):
            for row, key in enumerate(TREND_TABLE):
                item = QTableWidgetItem(r.figure(key).display())
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, c, item)
        table.resizeColumnsToContents()
        lay.addWidget(table, 2)
