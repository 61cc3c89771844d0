"""QtCharts pictures of report figures, used on screen and in the PDF: bars for counts by category, a pie for shares,
and the 13-week trend. Each chart is built from Figures, so its numbers are the report's numbers."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter

from youthwork.domain.figures import Figure, WeeklyReport

log = logging.getLogger(__name__)

# Colour-blind-safe (Okabe–Ito) palette.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def _base(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setVisible(False)
    return chart


def _count_axis(top: float) -> QValueAxis:
    """0 to a round number above `top`, with whole-number ticks (a count axis must never show 2 for 2.4)."""
    axis = QValueAxis()
    high = max(1, math.ceil(top * 1.1))
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10**9) if high / s <= 6)
    high = math.ceil(high / step) * step
    axis.setRange(0, high)
    axis.setTickCount(high // step + 1)
    axis.setLabelFormat("%d")
    return axis


def _short(label: str, n: int = 26) -> str:
    # "Black – Caribbean" reads as "Black Caribbean"; "any other ... background" as "other".
    if label.endswith(")") and "(" in label:  # "Targeted Youth Support (TYS)" reads as "TYS"
        label = label[label.rindex("(") + 1 : -1]
    label = re.sub(r"any other (\w+ )?(ethnic group|mixed background|\w+ background)", "other", label)
    label = label.replace("Mixed – White and ", "White & ").replace(
        "White – Gypsy or Irish Traveller", "Gypsy/Traveller"
    )
    label = label.replace("Other – other", "Any other group").replace(" – ", " ")
    label = label.replace("English, Welsh, Scottish, Northern Irish or British", "British")
    return label if len(label) <= n else label[: n - 1] + "…"


def bar_chart(
    title: str, parts: Sequence[Figure], *, horizontal: bool = False, limit: int = 12, largest: bool = False
) -> QChart:
    """One bar per part (the `limit` largest if `largest`), its count as the bar's label; read top-down."""
    shown = [p for p in parts if p.value]
    if largest:
        shown.sort(key=lambda p: -float(p.value or 0))
    shown = shown[:limit]
    chart = _base(title if shown else f"{title}: none this week")
    if not shown:
        return chart
    if horizontal:
        shown.reverse()  # Qt draws the first category at the bottom
    bars = QBarSet(title)
    bars.setColor(QColor(PALETTE[0]))
    for p in shown:
        bars.append(float(p.value or 0))
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsFormat("@value")
    chart.addSeries(series)
    cats = QBarCategoryAxis()
    cats.append([_short(p.label) for p in shown] or ["none"])
    cats.setTruncateLabels(False)  # Qt cut every side label to "…"; `_short` keeps them short instead
    values = _count_axis(max([float(p.value or 0) for p in shown] or [1.0]))
    cat_side, val_side = (
        (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom)
        if horizontal
        else (
            Qt.AlignmentFlag.AlignBottom,
            Qt.AlignmentFlag.AlignLeft,
        )
    )
    chart.addAxis(cats, cat_side)
    chart.addAxis(values, val_side)
    series.attachAxis(cats)
    series.attachAxis(values)
    return chart


def _text_on(colour: QColor) -> QColor:
    """Black or white, whichever contrasts more with `colour` (WCAG relative luminance)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())
    return QColor("#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#FFFFFF")


def pie_chart(title: str, parts: Sequence[Figure]) -> QChart:
    chart = _base(title)
    series = QPieSeries()
    total = sum(float(p.value or 0) for p in parts)
    for i, p in enumerate(x for x in parts if x.value):
        sl = series.append(f"{_short(p.label, 16)} {int(p.value or 0)}", float(p.value or 0))
        colour = QColor(PALETTE[i % len(PALETTE)])
        sl.setColor(colour)
        sl.setLabelVisible(total > 0)
        if total and float(p.value or 0) / total >= 0.2:
            # A big slice's label goes on it: outside, Qt cut "Male 17" to "Male ..." for want of room.
            sl.setLabelPosition(QPieSlice.LabelPosition.LabelInsideHorizontal)
            sl.setLabelColor(_text_on(colour))
    series.setPieSize(0.6)
    chart.addSeries(series)
    return chart


def trend_chart(reports: Sequence[WeeklyReport], keys: Sequence[tuple[str, str]]) -> QChart:
    """Grouped bars per week for each (figure key, legend label); the last week is the one being reviewed."""
    chart = _base(f"Last {len(reports) - 1} weeks against this one")
    series = QBarSeries()
    top = 1.0
    for i, (key, label) in enumerate(keys):
        s = QBarSet(label)
        s.setColor(QColor(PALETTE[i % len(PALETTE)]))
        for r in reports:
            v = float(r.figure(key).value or 0)
            top = max(top, v)
            s.append(v)
        series.append(s)
    chart.addSeries(series)
    cats = QBarCategoryAxis()
    cats.append([f"W{r.week.week}" for r in reports])
    values = _count_axis(top)
    small = QFont(cats.labelsFont())
    small.setPointSizeF(max(6.0, small.pointSizeF() - 2))
    cats.setLabelsFont(small)
    chart.addAxis(cats, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(cats)
    series.attachAxis(values)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def render_hints() -> QPainter.RenderHint:
    return QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
