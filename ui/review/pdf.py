"""The weekly report as a PDF, drawn by Qt: QPdfWriter + QPainter, with the same QtCharts charts as the screen.

Why Qt and not a pure-Python PDF library: the charts are QtCharts already, so the PDF shows exactly what the
supervisor saw, drawn as vectors, with Qt's font handling; and it adds no dependency to the bundle. The headless CLI
(`youthwork report weekly --format pdf`) imports this lazily with QT_QPA_PLATFORM=offscreen.

Page 1: headline figures as tiles and four charts. Page 2 onwards: every breakdown as a table, and how we count.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCharts import QChart
from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen
from PySide6.QtWidgets import QApplication, QGraphicsScene

from ui.review.charts import bar_chart, pie_chart, render_hints, trend_chart
from youthwork.domain.figures import Figure, WeeklyReport
from youthwork.domain.weeks import LONDON

log = logging.getLogger(__name__)

DPI = 150
HEADLINE = (
    "sessions",
    "hours",
    "reached",
    "reached_new",
    "reached_returning",
    "reached_girls",
    "headcount",
    "concerns",
    "referrals",
    "referrals_overdue",
    "plans_overdue",
    "waiting_signoff",
)
TREND_KEYS = (("sessions", "Sessions"), ("reached", "Young people reached"), ("reached_new", "New"))
RULES = (
    "A session counts in the week it starts (UK time), hours included, even if it runs past midnight into the next "
    "week. Hours are real elapsed session hours, not worker-hours.",
    "A young person is counted once a week however often they came. New: first ever attendance was this week.",
    "A record changed after submission is still one record; a case-note amendment is not a new note.",
    "Referrals overdue: still not acknowledged after 1 day (immediate), 2 days (urgent) or 10 days (routine).",
    "“Not recorded yet” means this laptop holds no records of that kind, not that the number is zero.",
    "Every figure lists the records behind it in the app (Review) and in the CSV/XLSX export.",
)


def _app() -> QApplication:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication([])


class _Pen:
    """Drawing helpers in page pixels (DPI per inch)."""

    def __init__(self, painter: QPainter, width: float) -> None:
        self.p = painter
        self.width = width

    def font(self, pt: float, bold: bool = False, colour: str = "#1a1a1a") -> None:
        f = QFont("DejaVu Sans")
        f.setPointSizeF(pt)
        f.setBold(bold)
        self.p.setFont(f)
        self.p.setPen(QColor(colour))

    def text(self, rect: QRectF, text: str, flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QRectF:
        flags = flags | Qt.TextFlag.TextWordWrap
        return self.p.drawText(rect, int(flags), text)


def _chart(painter: QPainter, chart: QChart, rect: QRectF) -> None:
    # Lay the chart out at a screen-like size in its own scene, then draw the scene into the page rectangle: vector
    # output, and the same layout the screen shows.
    scene = QGraphicsScene()
    scene.addItem(chart)
    size = QSizeF(rect.width() * 96 / DPI * 1.5, rect.height() * 96 / DPI * 1.5)
    chart.setGeometry(QRectF(QPointF(0, 0), size))
    scene.setSceneRect(QRectF(QPointF(0, 0), size))
    scene.render(painter, rect, scene.sceneRect())
    painter.setPen(QPen(QColor("#c8c8c8"), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    scene.removeItem(chart)
    chart.deleteLater()


def _tile(pen: _Pen, rect: QRectF, f: Figure) -> None:
    pen.p.setPen(QPen(QColor("#c8c8c8"), 1))
    pen.p.setBrush(QColor("#f4f7fb"))
    pen.p.drawRoundedRect(rect, 8, 8)
    inner = rect.adjusted(14, 8, -14, -8)
    if f.recorded:
        pen.font(20, bold=True, colour="#0b3d66")
        pen.text(QRectF(inner.left(), inner.top(), inner.width(), inner.height() * 0.55), f.display())
    else:
        pen.font(9, colour="#6b6b6b")
        pen.text(QRectF(inner.left(), inner.top() + 10, inner.width(), inner.height() * 0.5), "not recorded yet")
    pen.font(8.5, colour="#333333")
    pen.text(QRectF(inner.left(), inner.top() + inner.height() * 0.55, inner.width(), inner.height() * 0.45), f.label)


def _parts(report: WeeklyReport, section: str, title: str) -> tuple[Figure, ...]:
    for s in report.sections:
        if s.key == section:
            for t, parts in s.breakdowns:
                if t == title:
                    return parts
    return ()


def _scope(report: WeeklyReport, names: Mapping[str, str]) -> str:
    if report.worker_id:
        return f"Worker: {names.get(report.worker_id, report.worker_id)}"
    return f"Team: {names.get(report.team_id or '', report.team_id)}" if report.team_id else "Whole team"


def write_report_pdf(
    report: WeeklyReport,
    path: Path,
    *,
    trend: Sequence[WeeklyReport] | None = None,
    names: Mapping[str, str] | None = None,
) -> None:
    _app()
    names = names or {}
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(12, 12, 12, 12))
    )
    writer.setTitle(f"Weekly report {report.week}")
    writer.setCreator("youthwork")
    painter = QPainter(writer)
    painter.setRenderHints(render_hints())
    try:
        _page_one(painter, writer, report, trend, names)
        writer.newPage()
        _page_two(painter, writer, report, names)
    finally:
        painter.end()


def _page_one(
    painter: QPainter,
    writer: QPdfWriter,
    report: WeeklyReport,
    trend: Sequence[WeeklyReport] | None,
    names: Mapping[str, str],
) -> None:
    page = writer.pageLayout().paintRectPixels(DPI)
    w = float(page.width())
    pen = _Pen(painter, w)
    y = 0.0
    pen.font(18, bold=True, colour="#0b3d66")
    pen.text(QRectF(0, y, w, 50), f"Weekly report · {report.week.label()}")
    y += 46
    pen.font(9.5, colour="#333333")
    made = datetime.now(UTC).astimezone(LONDON).strftime("%d %b %Y %H:%M")
    if report.as_of >= report.week.end:
        as_of = "Figures for the whole week"
    else:
        as_of = "The week is not over: figures so far, as of " + report.as_of.astimezone(LONDON).strftime(
            "%d %b %Y %H:%M"
        )
    pen.text(
        QRectF(0, y, w, 60),
        f"{_scope(report, names)} · Monday 00:00 to Sunday 24:00 UK time ({report.week.hours:.0f} hours)\n"
        f"{as_of} · printed {made}",
    )
    y += 62
    cols, gap = 4, 14.0
    tw = (w - gap * (cols - 1)) / cols
    th = 110.0
    for i, key in enumerate(HEADLINE):
        r, c = divmod(i, cols)
        _tile(pen, QRectF(c * (tw + gap), y + r * (th + gap), tw, th), report.figure(key))
    y += 3 * (th + gap) + 6
    cw = (w - gap) / 2
    ch = 338.0
    charts = [
        bar_chart("Sessions by type", _parts(report, "sessions", "By type"), horizontal=True),
        pie_chart("Young people reached, by gender", _parts(report, "people", "By gender")),
        bar_chart("Young people reached, by age band", _parts(report, "people", "By age band")),
    ]
    if trend:
        charts.append(trend_chart(trend, TREND_KEYS))
    else:
        charts.append(bar_chart("Hours by worker", _parts(report, "sessions", "Hours by worker"), horizontal=True))
    charts.append(
        bar_chart(
            "Young people reached, by ethnicity (largest 6 groups; all on page 2)",
            _parts(report, "people", "By ethnicity"),
            horizontal=True,
            largest=True,
            limit=6,
        )
    )
    charts.append(bar_chart("Referrals made, by agency", _parts(report, "referrals", "By agency"), horizontal=True))
    for i, chart in enumerate(charts):
        r, c = divmod(i, 2)
        _chart(painter, chart, QRectF(c * (cw + gap), y + r * (ch + gap), cw, ch))
    pen.font(8, colour="#555555")
    pen.text(
        QRectF(0, float(page.height()) - 40, w, 40),
        "Every figure traces to the records behind it: open it in youthwork (Review) or see the CSV/XLSX export. "
        "Official – sensitive: personal data about children. Page 1",
    )


def _page_two(painter: QPainter, writer: QPdfWriter, report: WeeklyReport, names: Mapping[str, str]) -> None:
    page = writer.pageLayout().paintRectPixels(DPI)
    w, h = float(page.width()), float(page.height())
    pen = _Pen(painter, w)
    y = 0.0
    page_no = 2
    pen.font(14, bold=True, colour="#0b3d66")
    pen.text(QRectF(0, y, w, 36), f"Breakdowns · {report.week.label()}")
    y += 44
    col_w = (w - 30) / 2
    columns = [0.0, col_w + 30]
    col = 0
    col_y = [y, y]
    row_h = 24.0
    for s in report.sections:
        blocks = [(s.title, s.figures), *s.breakdowns]
        for title, parts in blocks:
            if not parts:
                continue
            heading = title if title == s.title else f"{s.title}: {title.lower()}"
            need = row_h * (len(parts) + 1.6)
            col = 0 if col_y[0] <= col_y[1] else 1
            if col_y[col] + need > h - 60:
                col = 1 - col
                if col_y[col] + need > h - 60:
                    writer.newPage()
                    page_no += 1
                    col_y = [0.0, 0.0]
                    col = 0
            x, yy = columns[col], col_y[col]
            pen.font(9.5, bold=True, colour="#0b3d66")
            pen.text(QRectF(x, yy, col_w, row_h), heading)
            yy += row_h * 1.1
            for f in parts:
                pen.font(8.5, colour="#1a1a1a")
                pen.text(QRectF(x + 8, yy, col_w * 0.75, row_h), f.label)
                pen.font(8.5, bold=f.recorded, colour="#1a1a1a" if f.recorded else "#6b6b6b")
                pen.text(
                    QRectF(x + col_w * 0.72, yy, col_w * 0.28 - 4, row_h), f.display(), Qt.AlignmentFlag.AlignRight
                )
                painter.setPen(QPen(QColor("#e4e4e4"), 1))
                painter.drawLine(int(x), int(yy + row_h - 2), int(x + col_w), int(yy + row_h - 2))
                yy += row_h
            col_y[col] = yy + row_h * 0.5
    y = max(col_y) + 10
    need = 30 + 34 * len(RULES)
    if y + need > h - 40:
        writer.newPage()
        page_no += 1
        y = 0.0
    pen.font(9.5, bold=True, colour="#0b3d66")
    pen.text(QRectF(0, y, w, 28), "How we count")
    y += 30
    pen.font(8.5)
    for rule in RULES:
        used = pen.text(QRectF(12, y, w - 12, 60), f"• {rule}")
        y += used.height() + 6
    pen.font(8, colour="#555555")
    pen.text(QRectF(0, h - 40, w, 40), f"Official – sensitive: personal data about children. Page {page_no}")
