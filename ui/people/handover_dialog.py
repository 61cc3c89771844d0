"""A supervisor hands a leaving worker's caseload to a colleague in one step (youthwork.services.allocation)."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.backend import Backend
from ui.forms import FieldErrors, accessible, button, hint, title
from ui.theme import chars
from youthwork.domain.errors import ShownError
from youthwork.domain.validation import Problem
from youthwork.services.allocation import AllocationService

log = logging.getLogger(__name__)


class HandoverDialog(QDialog):
    """Choose the worker leaving and the worker taking their young people; every young person they lead moves."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = AllocationService(backend.profile)
        self.moved: int | None = None
        self.setWindowTitle("Hand over a caseload")
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.windowTitle()))
        lay.addWidget(hint("Every young person whose lead worker is leaving gets the new lead worker, all at once."))
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.leaver = QComboBox()
        self.receiver = QComboBox()
        for box in (self.leaver, self.receiver):
            box.addItem("Choose a worker", "")
            for worker_id, name in self.service.workers().items():
                box.addItem(name, worker_id)
        accessible(self.leaver, "Worker leaving")
        accessible(self.receiver, "Worker taking the young people")
        self.errors.add_row(form, "Worker &leaving", "leaver", self.leaver)
        self.errors.add_row(form, "&Taking the young people", "receiver", self.receiver)
        lay.addLayout(form)
        self.count = hint("")
        accessible(self.count, "How many young people move")
        lay.addWidget(self.count)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = button("Cancel", "Esc")
        cancel.clicked.connect(self.reject)
        self.save = button("Hand &over", "Ctrl+Return", primary=True)
        self.save.clicked.connect(self.hand_over)
        row.addWidget(cancel)
        row.addWidget(self.save)
        lay.addLayout(row)
        self.leaver.currentIndexChanged.connect(lambda _i: self._show_count())
        self.setMinimumWidth(chars(self, 56))
        self._show_count()

    def _show_count(self) -> None:
        leaver = str(self.leaver.currentData() or "")
        n = len(self.service.caseload(leaver))
        self.count.setText(
            "" if not leaver else f"{n} young {'person' if n == 1 else 'people'} will move to the new lead worker."
        )

    def hand_over(self) -> None:
        problems = []
        if not self.leaver.currentData():
            problems.append(Problem("leaver", "Choose the worker who is leaving."))
        if not self.receiver.currentData():
            problems.append(Problem("receiver", "Choose the worker taking their young people."))
        if problems:
            self.errors.show_and_focus(problems)
            return
        try:
            self.moved = self.service.reassign_caseload(
                str(self.leaver.currentData()), str(self.receiver.currentData())
            )
        except ShownError as e:
            self.errors.show_and_focus([Problem("receiver", e.message)])
            return
        self.accept()
