"""Subject access export of one young person from the app: JSON or PDF, optionally with third parties redacted."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, hint
from youthwork.domain.validation import Problem, ValidationError

log = logging.getLogger(__name__)


class SubjectAccessDialog(QDialog):
    def __init__(self, backend: Backend, person_id: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person_id = person_id
        self.written: Path | None = None
        self.setWindowTitle("Subject access export")
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                f"Everything held about {name} on this laptop, in one file: details, sessions, notes, plans, "
                "referrals, shares, consent history and who has accessed the record. Sync first so it is complete. "
                "Making the export is recorded."
            )
        )
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.format = QComboBox()
        self.format.addItem("PDF (to print or send)", "pdf")
        self.format.addItem("JSON (for another system)", "json")
        self.redact = QCheckBox("Replace other young people's names")
        self.redact.setChecked(True)
        self.path = QLineEdit(str(Path.home() / f"subject-access-{person_id[:8]}.pdf"))
        self.path.setAccessibleName("Save to")
        choose = button("Choose…")
        where = QWidget()
        wl = QHBoxLayout(where)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.addWidget(self.path, 1)
        wl.addWidget(choose)
        self.errors.add_row(form, "&Format", "format", self.format)
        self.errors.add_row(form, "&Third parties", "redact", self.redact)
        self.errors.add_row(form, "&Save to", "path", where)
        lay.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = button("Cancel", "Esc")
        self.export_button = button("Export", "Ctrl+Return", primary=True)
        row.addWidget(self.cancel_button)
        row.addWidget(self.export_button)
        lay.addLayout(row)
        self.done_label = hint("")
        lay.addWidget(self.done_label)
        choose.clicked.connect(self._choose)
        self.format.currentIndexChanged.connect(self._suffix)
        self.cancel_button.clicked.connect(self.reject)
        self.export_button.clicked.connect(self.export)

    def _suffix(self) -> None:
        fmt = str(self.format.currentData())
        self.path.setText(str(Path(self.path.text()).with_suffix(f".{fmt}")))

    def _choose(self) -> None:
        fmt = str(self.format.currentData())
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the export", self.path.text(), f"{fmt.upper()} (*.{fmt})")
        if chosen:
            self.path.setText(chosen)

    def export(self) -> None:
        out = Path(self.path.text().strip()).expanduser()
        if not self.path.text().strip() or not out.parent.is_dir():
            self.errors.show([Problem("path", "Choose a folder that exists for the export.")])
            return
        try:
            self.written = self.backend.subject_access.export(
                self.person_id, out, fmt=str(self.format.currentData()), redact_third_parties=self.redact.isChecked()
            )
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return
        except OSError as exc:
            self.errors.show([Problem("path", f"The export could not be saved there ({exc.strerror}).")])
            return
        self.errors.clear()
        self.done_label.setText(f"Saved to {out}. Keep it safe: it holds everything about this young person.")
        self.accept()
