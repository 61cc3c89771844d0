"""The Review area's "Board summary" tab: the quarter's board pack on screen (the strategy's measures, fair figures
at every decision point, distance travelled, young people's voice), the "unseen girls" prompt for supervisors, and
the pack as a PDF or a spreadsheet (small numbers suppressed). "Not recorded" is said so, never shown as zero."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.forms import button, hint, title
from ui.review.board_pdf import write_board_pdf
from ui.review.charts import bar_chart
from ui.review.tiles import chart_view, reset_layout
from ui.theme import chars
from ui.workers import Failure, Workers
from youthwork.domain.figures import Figure
from youthwork.domain.figures.board import RAG_HEADLINE, BoardPack
from youthwork.domain.outcomes import FOYP
from youthwork.reports import board_export

if TYPE_CHECKING:
    from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

board_export.register_board_pdf_writer(write_board_pdf)  # the app draws the pack's PDF itself


def _table(headers: list[str], rows: list[list[str]], name: str) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c and text[:1].isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _num(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


class BoardTab(QWidget):
    """Enter on a recorded measure (or a fair-figures group) asks for the records behind it (`drill`)."""

    drill = Signal(object)  # Figure
    exported = Signal(list)  # the files an export wrote

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        QVBoxLayout(self)
        self.board: BoardPack | None = None
        self.profile: Profile | None = None  # set by the Review area: exports are written and audited through it
        self.workers: Workers | None = None  # set by the Review area: exports are written off the UI thread
        self.message: QLabel | None = None
        self.export_buttons: tuple[QWidget, ...] = ()

    def show_board(self, board: BoardPack) -> None:
        self.board = board
        lay = reset_layout(self)
        head = QHBoxLayout()
        head.addWidget(title(f"Board summary: {board.period.label()}"))
        head.addStretch(1)
        pdf = button("Board pack PD&F…")
        pdf.setAccessibleName("Export the board pack as a PDF")
        pdf.clicked.connect(lambda: self._ask_export("pdf"))
        sheet = button("Board pack spreadshee&t…")
        sheet.setAccessibleName("Export the board pack as a spreadsheet")
        sheet.clicked.connect(lambda: self._ask_export("xlsx"))
        head.addWidget(pdf)
        head.addWidget(sheet)
        self.export_buttons = (pdf, sheet)
        lay.addLayout(head)
        lay.addWidget(
            hint(
                "Measures the youth safety strategy asks for. “Not recorded” means youthwork does not hold "
                "that data, not that the number is zero. Exports show counts of 1 to 4 as “fewer than 5”."
            )
        )
        self.message = hint("")
        lay.addWidget(self.message)
        girls = board.unseen_girls
        if girls.value:
            banner = QLabel(
                f"{girls.value} girl{'s' if girls.value != 1 else ''} seen this quarter with exploitation indicators"
                " and no referral or safety plan. Look at them with their worker (Enter on the last row lists them)."
            )
            banner.setObjectName("banner")
            banner.setWordWrap(True)
            banner.setAccessibleName("Unseen girls prompt")
            lay.addWidget(banner)
        quarter_labels = {"reached_new": "New this quarter (first ever attendance)"}
        rows: list[Figure] = [
            replace(board.activity.figure(k), label=quarter_labels.get(k, board.activity.figure(k).label))
            for k in ("sessions", "hours", "reached", "reached_new", "reached_girls")
        ]
        # The RAG spread at the quarter's end (percent of those rated in the note) and who moved over it.
        rows += [f for f in board.activity.figures() if f.key in RAG_HEADLINE and f.recorded]
        rows += [*board.measures, *board.local, girls]  # local: transitions, circumstances, siblings, referral timings
        table = QTableWidget(len(rows), 3)
        table.setAccessibleName("Quarter's measures for the board")
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
        table.activated.connect(lambda idx: self._drill_into(rows[idx.row()]))
        table.setWordWrap(True)
        table.resizeRowsToContents()
        for r, f in enumerate(rows):
            if (item := table.item(r, 0)) is not None:
                item.setToolTip(f.note)
        self.measures_table = table
        measures = QWidget()
        top = QHBoxLayout(measures)
        top.addWidget(table, 3)
        people = next(s for s in board.activity.sections if s.key == "people")
        eth = next((p for t, p in people.breakdowns if t == "By ethnicity"), ())
        top.addWidget(
            chart_view(bar_chart("Reached this quarter, by ethnicity", eth, horizontal=True, largest=True, limit=10)),
            1,
        )
        # One part at a time, each with the page's full height (1366x768): ← → on the tab bar moves between them.
        self.parts = QTabWidget()
        self.parts.setAccessibleName("Measures, fair figures, distance travelled and young people's voice")
        self.parts.addTab(measures, "Measures")
        self.parts.addTab(self._fair(board), "Fair figures")
        self.parts.addTab(self._outcomes(board), "Distance travelled")
        self.parts.addTab(self._voice(board), "Young people's voice")
        lay.addWidget(self.parts, 1)

    def _drill_into(self, figure: Figure) -> None:
        """The young people behind a figure, when it is recorded."""
        if figure.recorded:
            self.drill.emit(figure)

    def _fair(self, board: BoardPack) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        b = board.baseline
        lay.addWidget(
            hint(
                f"Rates per 1,000 residents of the same group: {b.name} ({b.total:,} residents). Ratio 1.0 is in"
                " proportion to the borough; 2.0, twice as likely."
                if b
                else "No population baseline loaded, so no rates: load the borough's ONS figures with"
                " `youthwork report baseline FILE.csv`."
            )
        )
        rows: list[list[str]] = []
        figures: list[Figure] = []
        for p in board.fair:
            if not p.recorded:
                rows.append([p.label, "", "not recorded", "", "", p.figure.note])
                figures.append(p.figure)
                continue
            rows.append([p.label, "All", str(len(p.figure.ids)), _num(p.rate), "", ""])
            figures.append(p.figure)
            for c in (*p.by_group, *p.by_age):
                note = "" if c.population is not None or b is None else "no baseline for this group"
                rows.append(["", c.label, str(c.count), _num(c.rate), _num(c.ratio), note])
                figures.append(Figure(f"{p.figure.key}.{c.key}", f"{p.label}: {c.label}", c.count, c.ids, "people"))
            for f in p.by_agency:
                rows.append(["", f"Referred to {f.label}", f.display(), "", "", "referrals"])
                figures.append(f)
        table = _table(["Decision point", "Group", "Young people", "Per 1,000", "Ratio", "Note"], rows, "Fair figures")
        table.activated.connect(lambda idx: self._drill_into(figures[idx.row()]))
        table.setColumnWidth(1, min(table.columnWidth(1), chars(table, 44)))
        self.fair_table = table
        lay.addWidget(table, 1)
        return page

    def _outcomes(self, board: BoardPack) -> QWidget:
        if board.outcomes is None:
            return hint("Outcome ratings: not recorded on this laptop.")
        rows = []
        for o in board.outcomes:
            caps = ", ".join(f"{FOYP.label(c)} {v:+.1f}" for c, v in o.by_capability)
            rows.append([o.label, str(len(o.people)), f"{o.average_change or 0:+.2f}", str(len(o.improved)), caps])
        if not rows:
            return hint("No one was rated at the start and again this quarter yet.")
        return _table(
            ["Programme", "Young people", "Average change", "Rose", "By capability"], rows, "Distance travelled"
        )

    def _voice(self, board: BoardPack) -> QWidget:
        if board.voice is None:
            return hint("Check-ins: not recorded on this laptop.")
        rows = []
        for v in board.voice:
            kind = {"all": "", "place": "Place", "programme": "Programme"}[v.kind]
            top = ", ".join(f"{k.replace('_', ' ')} ({n})" for k, n in v.would_help[:3])
            rows.append([kind, v.label, str(len(v.ids)), str(v.felt_safe), str(v.someone_to_talk), top])
        return _table(
            ["", "Where", "Check-ins", "Felt safe", "Someone to talk to", "What would help"],
            rows,
            "Young people's voice",
        )

    # ---- export -----------------------------------------------------------------------------------------------------

    def _ask_export(self, fmt: str) -> None:
        if self.board is None:
            return
        filters = {"pdf": "PDF (*.pdf)", "xlsx": "Excel workbook (*.xlsx)"}
        suggested = str(Path.home() / f"board-pack-{self.board.period.quarter_code()}.{fmt}")
        path, _ = QFileDialog.getSaveFileName(self, "Export the board pack", suggested, filters[fmt])
        if path:
            self.export(fmt, Path(path))

    def export(self, fmt: str, path: Path) -> None:
        """Write the pack on screen (audited, small numbers suppressed) in the background, and say when it is saved
        (`exported`) or why not. A large organisation's quarter lists ~80,000 records in the spreadsheet, which takes
        seconds to write: the window stays usable meanwhile."""
        board, profile, workers = self.board, self.profile, self.workers
        if board is None or profile is None or workers is None:
            return
        self._saving(True, f"Saving the board pack as {'a PDF' if fmt == 'pdf' else 'a spreadsheet'}…")
        job = workers.submit(
            lambda: board_export.write_board_pack(profile, board, fmt, path),
            self._saved,
            self._not_saved,
            "The board pack could not be saved. Try again.",
        )
        if job is None:
            self._saving(False, "")

    def _saving(self, busy: bool, words: str) -> None:
        for b in self.export_buttons:
            b.setEnabled(not busy)
        if self.message is not None:
            self.message.setText(words)

    def _saved(self, written: list[Path]) -> None:
        self._saving(False, f"Saved {', '.join(p.name for p in written)}.")
        self.exported.emit(written)

    def _not_saved(self, failure: Failure) -> None:
        self._saving(False, failure.message)
