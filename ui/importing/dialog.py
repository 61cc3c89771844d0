"""The guided import: choose a CSV or Excel file and its column mapping, see what each row would do (the preview is
the dry run: nothing is written until Import), then import. Every row not imported is listed with its reason, and a
row matching someone already recorded says so instead of adding them again."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, hint
from ui.workers import Failure, Workers
from youthwork.domain.validation import Problem
from youthwork.services.changes import Changes
from youthwork.services.importing import OUTCOME_WORDS, ImportPlan, Outcome, mappings

log = logging.getLogger(__name__)

SHOWN_ROWS = 2000  # the table lists at most this many; the summary counts them all
FILTERS = (
    ("Rows not imported and matches", (Outcome.REFUSED, Outcome.MATCHED)),
    ("Every row", tuple(Outcome)),
    ("Rows to be added", (Outcome.ADDED,)),
)


class ImportDialog(QDialog):
    def __init__(self, backend: Backend, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.workers = Workers(self)
        self.plan: ImportPlan | None = None
        self.imported_rows = 0
        self.setWindowTitle("Import young people and registers")
        self.resize(1040, 640)
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                "Bring in young people, or sessions with their registers, from a CSV or Excel file (an Upshot "
                "export, a register sheet). Preview shows what each row will do; nothing is saved until you import."
            )
        )
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.path = QLineEdit(str(path) if path else "")
        self.path.setPlaceholderText("The .csv or .xlsx file")
        self.path.setAccessibleName("File to import")
        choose = button("Choose…")
        choose.setAccessibleName("Choose the file")
        where = QWidget()
        wl = QHBoxLayout(where)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.addWidget(self.path, 1)
        wl.addWidget(choose)
        self.mapping = QComboBox()
        self.mapping.addItem("The best fit for the file's headings", None)
        for m in mappings(backend.profile):
            self.mapping.addItem(m.label, m.name)
        self.encoding = QComboBox()
        self.encoding.addItem("UTF-8 (most programs, Excel's “CSV UTF-8”)", None)
        self.encoding.addItem("Windows (an old Excel “CSV”)", "cp1252")
        self.add_new = QCheckBox("Add rows that match someone already recorded as new young people")
        self.errors.add_row(form, "&File", "path", where).setBuddy(self.path)
        self.errors.add_row(form, "Column &mapping", "mapping", self.mapping)
        self.errors.add_row(form, "&Characters", "encoding", self.encoding, "Only for a CSV file")
        self.errors.add_row(
            form, "&Already recorded", "add_new", self.add_new, "Leave unticked: a match joins their record"
        )
        lay.addLayout(form)

        actions = QHBoxLayout()
        self.preview_button = button("&Preview")
        actions.addWidget(self.preview_button)
        actions.addStretch(1)
        self.show_rows = QComboBox()
        for text, _ in FILTERS:
            self.show_rows.addItem(text)
        show_label = QLabel("&Show")
        show_label.setBuddy(self.show_rows)
        self.show_rows.setAccessibleName("Show")
        actions.addWidget(show_label)
        actions.addWidget(self.show_rows)
        lay.addLayout(actions)

        self.summary = hint("Choose a file, then Preview.")
        self.summary.setAccessibleName("What the import will do")
        lay.addWidget(self.summary)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Row", "Name", "What happens", "Why"])
        self.table.setAccessibleName("Rows of the file and what happens to each")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 60)
        header.resizeSection(1, 200)
        header.resizeSection(2, 150)
        lay.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.done_label = hint("")
        row.addWidget(self.done_label, 1)
        self.cancel_button = button("Close", "Esc")
        self.import_button = button("Import", "Ctrl+Return", primary=True)
        self.import_button.setEnabled(False)
        row.addWidget(self.cancel_button)
        row.addWidget(self.import_button)
        lay.addLayout(row)

        choose.clicked.connect(self._choose)
        self.preview_button.clicked.connect(self.preview)
        self.import_button.clicked.connect(self.run_import)
        self.cancel_button.clicked.connect(self.reject)
        self.show_rows.currentIndexChanged.connect(lambda _i: self._fill_table())
        for w in (self.mapping, self.encoding):
            w.currentIndexChanged.connect(lambda _i: self._stale())
        self.add_new.toggled.connect(lambda _b: self._stale())
        self.path.textChanged.connect(lambda _t: self._stale())

    def _choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose the file to import", self.path.text(), "Sheets (*.csv *.xlsx);;All files (*)"
        )
        if chosen:
            self.path.setText(chosen)
            self.preview()

    def _stale(self) -> None:
        if self.plan is not None:
            self.plan = None
            self.import_button.setEnabled(False)
            self.summary.setText("Something changed: Preview again before importing.")

    def preview(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.errors.show([Problem("path", "Choose the file to import.")])
            return
        if self.workers.busy:
            return
        self._busy("Reading the file and checking every row…")
        path, encoding, mapping = Path(text).expanduser(), self.encoding.currentData(), self.mapping.currentData()
        add_new = self.add_new.isChecked()
        self.workers.submit(
            lambda: self.backend.plan_import(path, encoding, mapping, add_new),
            self._planned,
            self._failed,
            "The file could not be read. Try again.",
        )

    def _busy(self, words: str) -> None:
        self.preview_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.summary.setText(words)

    def _failed(self, failure: Failure) -> None:
        self.plan = None
        self.preview_button.setEnabled(True)
        self.summary.setText("")
        self.errors.show([Problem("path", failure.message)])

    def _planned(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.preview_button.setEnabled(True)
        self.errors.clear()
        self._show_summary(plan)
        self._fill_table()
        self.import_button.setEnabled(bool(plan.units))
        self.table.setFocus()

    def _show_summary(self, plan: ImportPlan) -> None:
        lines = [f"{len(plan.sheet.rows)} rows, read with the mapping “{plan.mapping.label}”."]
        if plan.has_sessions:
            lines.append(
                f"Will add {plan.new_people} young people and {plan.new_sessions} sessions, with "
                f"{plan.new_register_lines} lines on registers."
            )
        else:
            lines.append(f"Will add {plan.new_people} young people.")
        matched, refused, done = (plan.count(o) for o in (Outcome.MATCHED, Outcome.REFUSED, Outcome.DONE))
        if matched:
            lines.append(f"{matched} rows match young people already recorded: they are joined to them, not added.")
        if refused:
            lines.append(
                f"{refused} rows can't be imported: each says why below. Fix them in the file and import "
                "it again; rows already imported are not added twice."
            )
        if done:
            lines.append(f"{done} rows were imported before and are left as they are.")
        if plan.unknown_columns:
            lines.append("Columns not imported: " + ", ".join(f"“{c}”" for c in plan.unknown_columns) + ".")
        self.summary.setText(" ".join(lines))

    def _fill_table(self) -> None:
        plan = self.plan
        self.table.setRowCount(0)
        if plan is None:
            return
        wanted = FILTERS[self.show_rows.currentIndex()][1]
        rows = [r for r in plan.rows if r.outcome in wanted][:SHOWN_ROWS]
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for col, value in enumerate((str(r.row), r.name, OUTCOME_WORDS[r.outcome], r.reason)):
                self.table.setItem(i, col, QTableWidgetItem(value))
        self.table.resizeRowsToContents()

    def run_import(self) -> None:
        plan = self.plan
        if plan is None or self.workers.busy:
            return
        self._busy(f"Importing {sum(len(u.rows) for u in plan.units)} rows… (a big sheet takes a minute)")
        self.workers.submit(lambda: self.backend.run_import(plan), self._imported, self._failed)

    def _imported(self, changes: Changes) -> None:
        plan, self.plan = self.plan, None
        self.preview_button.setEnabled(True)
        self.imported_rows = sum(len(u.rows) for u in plan.units) if plan else 0
        self.summary.setText(f"Imported {self.imported_rows} rows. They go to the service at the next sync.")
        self.done_label.setText(self.summary.text())
        self.done_label.setAccessibleName(self.done_label.text())
        self.backend.announce(changes)

    def done(self, result: int) -> None:
        """Closing waits for a preview or import under way (an import stopped half way would be finished by
        importing the file again, but the window should not pretend it has stopped)."""
        self.workers.join(timeout_ms=600_000)
        super().done(result)
