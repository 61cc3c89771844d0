"""The Review area for supervisors: the week at a glance (tiles + charts), the records behind any figure, sign-off,
the 12-week trend, the quarterly board summary, data quality, erasure requests from other teams (ui.review.erasure_tab),
and exports (PDF, CSV, Excel).

Keyboard: Alt+Left / Alt+Right change week, type a week (2026-W47) and press Enter, Tab to a figure and press Enter
(or click) to list the records behind it; in Sign-off, Ctrl+Enter signs off and Ctrl+Shift+R returns to the worker.
Figures are computed on the background pool; the screen never waits on a query.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint, title
from ui.quality.tab import DataQualityTab
from ui.review.board_tab import BoardTab
from ui.review.erasure_tab import ErasureRequestsTab
from ui.review.moves_tab import MovesTab
from ui.review.pdf import write_report_pdf
from ui.review.signoff_tab import SignoffTab
from ui.review.tiles import DrilldownDialog, FigureButton
from ui.review.trend_tab import TrendTab
from ui.review.week_tab import WeekTab
from ui.theme import chars
from ui.workers import Failure, Workers
from youthwork.domain.figures import Figure, WeeklyReport
from youthwork.domain.records import Session
from youthwork.domain.weeks import BadWeek, IsoWeek, Period
from youthwork.reports.board import BoardSummary
from youthwork.reports.export import ExportError, register_pdf_writer, write_report
from youthwork.services.changes import Changes

log = logging.getLogger(__name__)

# What the figures and the sign-off list are made of.
REVIEW_TABLES = (
    "sessions",
    "attendance",
    "people",
    "rag_ratings",
    "case_notes",
    "referrals",
    "referral_events",
    "safety_plans",
    "safety_plan_versions",
    "nfa_notifications",
)

register_pdf_writer(write_report_pdf)  # the core draws no charts: the Review area's PDF export uses Qt's

SIGNOFF_TAB, TREND_TAB, BOARD_TAB, ERASURE_TAB = 1, 2, 3, 5


class ReviewArea(QWidget):
    """The week and scope chooser, the exports, and one widget per tab (WeekTab, SignoffTab, TrendTab, BoardTab).
    The figures are worked out here, on the background pool, and handed to the tab that shows them."""

    open_session = Signal(str)
    open_person = Signal(str)
    loaded = Signal()  # the week's figures are on screen

    def __init__(self, backend: Backend, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.workers = workers
        self.review = backend.review
        self.week = IsoWeek.current().shifted(-1)
        self.report: WeeklyReport | None = None
        self.trend: list[WeeklyReport] | None = None
        self.board: BoardSummary | None = None
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
        for wid, name in sorted(self._names().items(), key=lambda kv: kv[1]):
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
        self.pdf_button = button("Export &PDF…")
        self.csv_button = button("&CSV…")
        self.xlsx_button = button("E&xcel…")
        for b in (self.pdf_button, self.csv_button, self.xlsx_button):
            sub.addWidget(b)
        lay.addLayout(sub)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Review")
        self.week_page = WeekTab()
        self.signoff = SignoffTab(backend, self.review)
        self.trend_page = TrendTab()
        self.board_page = BoardTab()
        self.board_page.profile = backend.profile  # the board pack's exports are written and audited through it
        self.board_page.workers = workers
        self.tabs.addTab(self.week_page, "The &week")
        self.tabs.addTab(self.signoff, "Sign-&off")
        self.tabs.addTab(self.trend_page, "T&rends")
        self.tabs.addTab(self.board_page, "&Board summary")
        self.quality = DataQualityTab(backend)
        self.tabs.addTab(self.quality, "Data &quality")
        self.quality.open_person.connect(self.open_person)
        self.erasures = ErasureRequestsTab(backend)
        self.tabs.addTab(self.erasures, "&Erasure requests")
        self.erasures.count.connect(self._erasure_count)
        self.moves = MovesTab(backend)
        self.tabs.addTab(self.moves, "&Moves in")
        self.moves.waiting_count.connect(
            lambda n: self.tabs.setTabText(self.tabs.indexOf(self.moves), f"&Moves in ({n})" if n else "&Moves in")
        )
        lay.addWidget(self.tabs, 1)

        self.prev_button.clicked.connect(lambda: self.set_week(self.week.shifted(-1)))
        self.next_button.clicked.connect(lambda: self.set_week(self.week.shifted(1)))
        self.week_edit.returnPressed.connect(self._typed_week)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tabs.currentChanged.connect(self._tab_changed)
        self.pdf_button.clicked.connect(lambda: self._ask_export("pdf"))
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        self.week_page.drill.connect(self.drill)
        self.board_page.drill.connect(self.drill)
        self.signoff.open_session.connect(self.open_session)
        self.signoff.waiting_count.connect(lambda n: self.tabs.setTabText(SIGNOFF_TAB, f"Sign-&off ({n} waiting now)"))
        self._shown_once = False
        self._stale = False  # something it counts changed while it was out of sight

    # ---- the tabs' parts, reached from the area (tests, the screenshot script) --------------------------------------

    @property
    def figure_buttons(self) -> list[FigureButton]:
        return self.week_page.figure_buttons

    @property
    def waiting(self) -> QTableWidget:
        return self.signoff.waiting

    @property
    def _waiting(self) -> list[Session]:
        return self.signoff.sessions

    @property
    def comment(self) -> QPlainTextEdit:
        return self.signoff.comment

    @property
    def signoff_message(self) -> QLabel:
        return self.signoff.message

    def selected_session(self) -> Session | None:
        return self.signoff.selected_session()

    def approve_selected(self) -> None:
        self.signoff.approve_selected()

    def return_selected(self) -> None:
        self.signoff.return_selected()

    # ---- week and scope ---------------------------------------------------------------------------------------------

    @property
    def worker_id(self) -> str | None:
        return self.scope.currentData()

    def _names(self) -> dict[str, str]:
        return self.backend.team_names()

    def focus_first(self) -> None:
        if not self._shown_once:
            self._shown_once = True
            self.refresh()
        self.week_edit.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once or self._stale:
            self._shown_once = True
            self.refresh()

    def refresh_for(self, changes: Changes) -> None:
        """The figures and the sign-off list are worked out again when what they count changed: at once while on
        screen (a sign-off, a session synced in), otherwise when next shown."""
        self.quality.refresh_for(changes)
        self.erasures.refresh_for(changes)
        self.moves.refresh_for(changes)
        if not changes.touches(*REVIEW_TABLES):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

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
        self._stale = False
        week, worker = self.week, self.worker_id
        self.week_label.setText(f"{week.label()} · {week.hours:.0f} hours, UK time")
        self.message.setText("Counting…")
        self.trend = None
        self.board = None
        names = self._names()
        self.workers.submit(
            lambda: self.backend.weekly_report(week, worker_id=worker, names=names),
            self._show_report,
            self._failed,
            "The figures could not be worked out. Try again.",
        )
        self.signoff.load(self.worker_id, names)
        self.erasures.load()
        self._tab_changed(self.tabs.currentIndex())

    def _erasure_count(self, n: int) -> None:
        self.tabs.setTabText(ERASURE_TAB, f"&Erasure requests ({n} to decide)" if n else "&Erasure requests")

    def _failed(self, failure: Failure) -> None:
        self.message.setText(failure.message)

    def _show_report(self, report: WeeklyReport) -> None:
        if report.week != self.week or report.worker_id != self.worker_id:
            return  # an older request finishing late
        self.report = report
        self.message.setText("Press Enter on any figure to see the records behind it.")
        self.week_page.show_report(report)
        for a, b in itertools.pairwise([self.scope, *self.figure_buttons]):
            QWidget.setTabOrder(a, b)
        self.loaded.emit()

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

    # ---- trends and board ------------------------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        week, worker = self.week, self.worker_id
        if index == ERASURE_TAB and self.isVisible():
            self.erasures.requests.setFocus()  # keyboard first: Alt+E lands on the list of requests
        if index == TREND_TAB and self.trend is None:
            self.workers.submit(lambda: self.backend.trend(week, worker_id=worker), self._show_trend, self._failed)
        elif index == BOARD_TAB and self.board is None:
            period = Period.quarter_of(week.monday)
            self.workers.submit(lambda: self.backend.board_summary(period), self._show_board, self._failed)

    def _show_trend(self, reports: list[WeeklyReport]) -> None:
        if not reports or reports[-1].week != self.week:
            return
        self.trend = reports
        self.trend_page.show_trend(reports)

    def _show_board(self, board: BoardSummary) -> None:
        self.board = board
        self.board_page.show_board(board)

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


__all__: Sequence[str] = ["DrilldownDialog", "FigureButton", "ReviewArea"]
