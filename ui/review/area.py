"""The Review area for supervisors: the week at a glance (tiles + charts), the records behind any figure, sign-off,
the 12-week trend, the quarterly board summary, and exports (PDF, CSV, Excel).

Keyboard: Alt+Left / Alt+Right change week, type a week (2026-W47) and press Enter, Tab to a figure and press Enter
(or click) to list the records behind it; in Sign-off, Ctrl+Enter signs off and Ctrl+Shift+R returns to the worker.
Figures are computed on the background pool; the screen never waits on a query.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint, shortcut, title
from ui.review.charts import bar_chart, pie_chart, trend_chart
from ui.review.pdf import write_report_pdf
from ui.theme import chars, em
from ui.workers import Workers
from youthwork.domain.figures import Figure, Section, WeeklyReport
from youthwork.domain.records import Session
from youthwork.domain.validation import ValidationError
from youthwork.domain.vocab import SessionType
from youthwork.domain.weeks import BadWeek, IsoWeek, Period
from youthwork.reports.board import BoardSummary, board_summary
from youthwork.reports.drilldown import records_behind
from youthwork.reports.export import ExportError, register_pdf_writer, write_report
from youthwork.reports.weekly import trend, weekly_report
from youthwork.services.review import ReviewService

log = logging.getLogger(__name__)

register_pdf_writer(write_report_pdf)  # the core draws no charts: the Review area's PDF export uses Qt's

TREND_KEYS = (("sessions", "Sessions"), ("reached", "Young people reached"), ("reached_new", "New"))
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
TREND_TABLE = ("sessions", "hours", "reached", "reached_new", "headcount", "concerns", "referrals", "waiting_signoff")
# The chart shown beside each section: (breakdown title, kind).
SECTION_CHART = {
    "sessions": ("By type", "bar"),
    "people": ("By gender", "pie"),
    "headcount": ("By age band", "bar"),
    "referrals": ("By agency", "bar"),
}


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
        self.lines = records_behind(backend.profile.db, figure, names=True, on=on)  # type: ignore[arg-type]
        self.table = QTableWidget(len(self.lines), 3)
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


def _chart_view(chart: QChart) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(chars(view, 44), em(view, 13))
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return view


class ReviewArea(QWidget):
    open_session = Signal(str)
    open_person = Signal(str)
    loaded = Signal()  # the week's figures are on screen

    def __init__(self, backend: Backend, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.workers = workers
        self.review = ReviewService(backend.profile)
        self.week = IsoWeek.current().shifted(-1)
        self.report: WeeklyReport | None = None
        self.trend: list[WeeklyReport] | None = None
        self.board: BoardSummary | None = None
        self.figure_buttons: list[FigureButton] = []
        self.dialog: DrilldownDialog | None = None

        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(title("Review"))
        top.addStretch(1)
        self.prev_button = button("◀ Previous week", "Alt+Left")
        self.week_edit = QLineEdit(str(self.week))
        self.week_edit.setAccessibleName("Week (for example 2026-W47)")
        self.week_edit.setToolTip("Type a week like 2026-W47 and press Enter")
        self.week_edit.setMaximumWidth(chars(self.week_edit, 12))
        self.next_button = button("Next week ▶", "Alt+Right")
        self.scope = QComboBox()
        self.scope.setAccessibleName("Team or worker")
        self.scope.addItem("Whole team", None)
        names = dict(backend.setting("worker_names", {}) or {})
        for wid, name in sorted(names.items(), key=lambda kv: kv[1]):
            self.scope.addItem(name, wid)
        for w in (self.prev_button, self.week_edit, self.next_button, self.scope):
            top.addWidget(w)
        lay.addLayout(top)
        sub = QHBoxLayout()
        self.week_label = QLabel()
        self.week_label.setObjectName("sectionTitle")
        self.message = hint("")
        sub.addWidget(self.week_label)
        sub.addWidget(self.message, 1)
        self.pdf_button = button("Export PDF…")
        self.csv_button = button("CSV…")
        self.xlsx_button = button("Excel…")
        for b in (self.pdf_button, self.csv_button, self.xlsx_button):
            sub.addWidget(b)
        lay.addLayout(sub)

        self.tabs = QTabWidget()
        self.week_page = QScrollArea()
        self.week_page.setWidgetResizable(True)
        self.week_page.setFrameShape(QFrame.Shape.NoFrame)
        self.tabs.addTab(self.week_page, "The week")
        self.tabs.addTab(self._build_signoff(), "Sign-off")
        self.trend_page = QWidget()
        QVBoxLayout(self.trend_page)
        self.tabs.addTab(self.trend_page, "Trends")
        self.board_page = QWidget()
        QVBoxLayout(self.board_page)
        self.tabs.addTab(self.board_page, "Board summary")
        lay.addWidget(self.tabs, 1)

        self.prev_button.clicked.connect(lambda: self.set_week(self.week.shifted(-1)))
        self.next_button.clicked.connect(lambda: self.set_week(self.week.shifted(1)))
        self.week_edit.returnPressed.connect(self._typed_week)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tabs.currentChanged.connect(self._tab_changed)
        self.pdf_button.clicked.connect(lambda: self._ask_export("pdf"))
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        self._shown_once = False

    # ---- week and scope ---------------------------------------------------------------------------------------------

    @property
    def worker_id(self) -> str | None:
        return self.scope.currentData()

    def focus_first(self) -> None:
        if not self._shown_once:
            self._shown_once = True
            self.refresh()
        self.week_edit.setFocus()

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._shown_once:
            self._shown_once = True
            self.refresh()

    def _typed_week(self) -> None:
        try:
            self.set_week(IsoWeek.parse(self.week_edit.text()))
        except BadWeek as e:
            self.message.setText(str(e))

    def set_week(self, week: IsoWeek) -> None:
        self.week = week
        self.week_edit.setText(str(week))
        self.refresh()

    def refresh(self) -> None:
        """Recompute this week's figures in the background; the trend and board follow when their tab is open."""
        week, worker = self.week, self.worker_id
        self.week_label.setText(f"{week.label()} · {week.hours:.0f} hours, UK time")
        self.message.setText("Counting…")
        self.trend = None
        self.board = None
        names = dict(self.backend.setting("worker_names", {}) or {})
        db = self.backend.profile.db
        self.workers.submit(
            lambda: weekly_report(db, week, worker_id=worker, names=names),
            self._show_report,
            self._failed,
            "The figures could not be worked out. Try again.",
        )
        self._load_signoff()
        self._tab_changed(self.tabs.currentIndex())

    def _failed(self, message: str) -> None:
        self.message.setText(message)

    # ---- the week ---------------------------------------------------------------------------------------------------

    def _show_report(self, report: WeeklyReport) -> None:
        if report.week != self.week or report.worker_id != self.worker_id:
            return  # an older request finishing late
        self.report = report
        self.message.setText("Press Enter on any figure to see the records behind it.")
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
        self.week_page.setWidget(body)
        tab_order = [self.scope, *self.figure_buttons]
        for a, b in itertools.pairwise(tab_order):
            QWidget.setTabOrder(a, b)
        self.loaded.emit()

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
            row.addWidget(_chart_view(chart), 2)
        return box

    def _tile(self, f: Figure) -> FigureButton:
        b = FigureButton(f)
        b.clicked.connect(lambda _=False, fig=f: self.drill(fig))
        self.figure_buttons.append(b)
        return b

    def _section_chart(self, section: Section) -> QChart | None:
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
            self.drill(self.report.figure(key))

    def drill(self, figure: Figure) -> DrilldownDialog:
        """Open the list of records behind `figure`."""
        dialog = DrilldownDialog(self.backend, figure, self.week.monday, self)
        dialog.open_record.connect(self._open_record)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _open_record(self, table: str, record_id: str) -> None:
        if table == "sessions":
            self.open_session.emit(record_id)
        elif table == "people":
            self.open_person.emit(record_id)

    # ---- sign-off ---------------------------------------------------------------------------------------------------

    def _build_signoff(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(
            hint(
                "Sessions waiting for sign-off, oldest first. Signing off locks a session: later changes "
                "come back here as amendments. Returning it sends your comment to the worker."
            )
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        self.waiting = QTableWidget(0, 4)
        self.waiting.setHorizontalHeaderLabels(["Date", "Type", "Where", "Workers"])
        self.waiting.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.waiting.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.waiting.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.waiting.verticalHeader().setVisible(False)
        self.waiting.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.waiting.setAccessibleName("Sessions waiting for sign-off")
        split.addWidget(self.waiting)
        right = QWidget()
        rl = QVBoxLayout(right)
        self.detail = QLabel("Choose a session.")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        rl.addWidget(self.detail, 1)
        rl.addWidget(QLabel("Comment for the worker (needed to return it):"))
        self.comment = QPlainTextEdit()
        self.comment.setAccessibleName("Comment for the worker")
        self.comment.setMaximumHeight(em(self.comment, 5))
        rl.addWidget(self.comment)
        buttons = QHBoxLayout()
        self.approve_button = button("Sign off", "Ctrl+Return", primary=True)
        self.return_button = button("Return to worker", "Ctrl+Shift+R")
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.return_button)
        rl.addLayout(buttons)
        self.signoff_message = hint("")
        rl.addWidget(self.signoff_message)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([chars(self, 70), chars(self, 50)])
        lay.addWidget(split, 1)
        self.waiting.itemSelectionChanged.connect(self._show_waiting)
        self.approve_button.clicked.connect(self.approve_selected)
        self.return_button.clicked.connect(self.return_selected)
        shortcut(page, "Ctrl+Enter", self.approve_selected)
        self._waiting: list[Session] = []
        return page

    def _load_signoff(self) -> None:
        self._waiting = self.review.waiting(self.worker_id)
        names = dict(self.backend.setting("worker_names", {}) or {})
        self.waiting.setRowCount(len(self._waiting))
        for r, s in enumerate(self._waiting):
            when = s.starts_at.astimezone().strftime("%a %d %b %H:%M") if s.starts_at else ""
            kind = _type_label(s.session_type)
            cells = (when, kind, s.place or s.area, ", ".join(names.get(w, w) for w in s.workers))
            for c, text in enumerate(cells):
                self.waiting.setItem(r, c, QTableWidgetItem(text))
        self.waiting.resizeColumnToContents(0)
        self.tabs.setTabText(1, f"Sign-off ({len(self._waiting)} waiting now)")
        if self._waiting:
            self.waiting.selectRow(0)
        else:
            self.detail.setText("Nothing is waiting for sign-off.")
        self.approve_button.setEnabled(bool(self._waiting))
        self.return_button.setEnabled(bool(self._waiting))

    def selected_session(self) -> Session | None:
        row = self.waiting.currentRow()
        return self._waiting[row] if 0 <= row < len(self._waiting) else None

    def _show_waiting(self) -> None:
        s = self.selected_session()
        if s is None:
            return
        register = len(self.backend.sessions.register(s.id))
        kind = _type_label(s.session_type)
        parts = [
            f"<b>{_escape(kind)}</b> at {_escape(s.place or s.area)}, {s.hours:.1f} hours",
            f"Register: {register} named · headcount {s.headcount_total}",
        ]
        if s.concern:
            parts.append(f"<b>Safeguarding concern:</b> {_escape(s.concern_details)}")
        if s.review_comment:
            parts.append(f"<i>{_escape(s.review_comment)}</i>")
        if s.narrative:
            parts.append(_escape(s.narrative))
        self.detail.setText("<br>".join(parts))

    def approve_selected(self) -> None:
        self._act(lambda s: self.review.approve(s.id, self.comment.toPlainText()), "Signed off.")

    def return_selected(self) -> None:
        self._act(lambda s: self.review.return_to_worker(s.id, self.comment.toPlainText()), "Returned to the worker.")

    def _act(self, action: object, done: str) -> None:
        s = self.selected_session()
        if s is None:
            return
        try:
            action(s)  # type: ignore[operator]
        except ValidationError as e:
            self.signoff_message.setText(str(e))
            return
        self.comment.clear()
        self.signoff_message.setText(done)
        self.refresh()
        self.waiting.setFocus()

    # ---- trends and board ------------------------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        db = self.backend.profile.db
        week, worker = self.week, self.worker_id
        if index == 2 and self.trend is None:
            self.workers.submit(lambda: trend(db, week, worker_id=worker), self._show_trend, self._failed)
        elif index == 3 and self.board is None:
            period = Period.quarter_of(week.monday)
            self.workers.submit(lambda: board_summary(db, period), self._show_board, self._failed)

    def _show_trend(self, reports: list[WeeklyReport]) -> None:
        if not reports or reports[-1].week != self.week:
            return
        self.trend = reports
        lay = _reset(self.trend_page)
        lay.addWidget(_chart_view(trend_chart(reports, TREND_KEYS)), 3)
        table = QTableWidget(len(TREND_TABLE), len(reports))
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

    def _show_board(self, board: BoardSummary) -> None:
        self.board = board
        lay = _reset(self.board_page)
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
        rows += list(board.measures)
        table = QTableWidget(len(rows), 3)
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
        table.activated.connect(lambda idx: rows[idx.row()].recorded and self.drill(rows[idx.row()]))
        table.setWordWrap(True)
        table.resizeRowsToContents()
        for r, f in enumerate(rows):
            table.item(r, 0).setToolTip(f.note)
        row = QHBoxLayout()
        row.addWidget(table, 3)
        lay.addLayout(row, 1)
        eth = next((p for t, p in board.activity.sections[1].breakdowns if t == "By ethnicity"), ())
        row.addWidget(
            _chart_view(bar_chart("Reached this quarter, by ethnicity", eth, horizontal=True, largest=True, limit=10)),
            1,
        )

    # ---- export -----------------------------------------------------------------------------------------------------

    def _ask_export(self, fmt: str) -> None:
        if self.report is None:
            return
        filters = {"pdf": "PDF (*.pdf)", "csv": "CSV (*.csv)", "xlsx": "Excel workbook (*.xlsx)"}
        suggested = str(Path.home() / f"weekly-report-{self.week}.{fmt}")
        path, _ = QFileDialog.getSaveFileName(self, "Export the weekly report", suggested, filters[fmt])
        if path:
            self.export(fmt, Path(path))

    def export(self, fmt: str, path: Path) -> list[Path]:
        """Write the report on screen (audited). Returns the files written; failures show as a message."""
        if self.report is None:
            return []
        try:
            written = write_report(self.backend.profile, self.report, fmt, path)
        except ExportError as e:
            self.message.setText(str(e))
            return []
        self.message.setText("Saved " + ", ".join(p.name for p in written) + ". The export is in the audit trail.")
        return written


def _reset(page: QWidget) -> QVBoxLayout:
    lay = page.layout()
    assert isinstance(lay, QVBoxLayout)
    while lay.count():
        item = lay.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
    return lay


def _type_label(code: str) -> str:
    try:
        return SessionType(code).label
    except ValueError:
        return code


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__: Sequence[str] = ["DrilldownDialog", "FigureButton", "ReviewArea"]
