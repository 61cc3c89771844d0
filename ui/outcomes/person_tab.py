"""A young person's outcomes on their profile: the capabilities rated with them at the start and at each review
(the organisation's framework; by default the seven of the Framework of Outcomes for Young People), and the change.

Keyboard: Tab through the scores (type 1 to 5; 0 leaves a capability unrated), then Ctrl+Shift+O saves the rating.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint, section
from ui.labels import label_of, uk_date
from youthwork.domain.errors import ShownError
from youthwork.domain.outcomes import SCALE, RatingStage
from youthwork.domain.vocab import SessionType

log = logging.getLogger(__name__)


def _change_text(change: int | None) -> str:
    if change is None:
        return ""
    return "no change" if change == 0 else f"{change:+d}"


class PersonOutcomesTab(QWidget):
    rated = Signal()

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person_id: str | None = None
        lay = QVBoxLayout(self)
        self.framework_label = hint("")
        lay.addWidget(self.framework_label)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Capability", "At the start", "Latest", "Change"])
        self.table.setAccessibleName("Distance travelled: each capability at the start, latest and the change")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 3)
        self.history = hint("")
        lay.addWidget(self.history)
        lay.addWidget(section("Rate it together"))
        lay.addWidget(
            hint(f"Ask them how they see themselves, from {SCALE[0]} (not yet) to {SCALE[1]} (a real strength).")
        )
        self.form = QHBoxLayout()
        self.stage = QComboBox()
        for code, label in RatingStage.choices():
            self.stage.addItem(label, code)
        self.stage.setAccessibleName("Stage")
        self.programme = QComboBox()
        for code, label in SessionType.choices():
            self.programme.addItem(label, code)
        self.programme.setAccessibleName("Programme")
        for text, widget in (("Stage", self.stage), ("Programme", self.programme)):
            caption = QLabel(text)
            caption.setBuddy(widget)
            self.form.addWidget(caption)
            self.form.addWidget(widget, 1)
        lay.addLayout(self.form)
        self.scores_form = QGridLayout()  # two capabilities a row: the table above keeps its height at 1366x768
        lay.addLayout(self.scores_form)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Outcome rating message")
        lay.addWidget(self.message)
        self.save_button = button("Save rating", "Ctrl+Shift+O", primary=True)
        self.save_button.clicked.connect(self.save)
        lay.addWidget(self.save_button, alignment=Qt.AlignmentFlag.AlignRight)
        self.spins: dict[str, QSpinBox] = {}

    def _build_scores(self) -> None:
        fw = self.backend.outcomes.framework()
        self.framework_label.setText(fw.name)
        if list(self.spins) == [c for c, _ in fw.capabilities]:
            return
        while self.scores_form.count():
            item = self.scores_form.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        self.spins = {}
        for n, (code, label) in enumerate(fw.capabilities):
            spin = QSpinBox()
            spin.setRange(0, SCALE[1])
            spin.setSpecialValueText("–")
            spin.setAccessibleName(label)
            spin.setAccessibleDescription("0 leaves it unrated")
            name = QLabel(label)
            name.setBuddy(spin)
            self.scores_form.addWidget(name, n // 2, (n % 2) * 2)
            self.scores_form.addWidget(spin, n // 2, (n % 2) * 2 + 1)
            self.spins[code] = spin

    def show_for(self, person_id: str) -> int:
        self.person_id = person_id
        self._build_scores()
        service = self.backend.outcomes
        changes = service.changes(person_id)
        ratings = service.for_person(person_id)
        shown = [c for c in changes if c.start is not None or c.code in self.spins]
        self.table.setRowCount(len(shown))
        for r, c in enumerate(shown):
            for col, text in enumerate([c.label, str(c.start or ""), str(c.latest or ""), _change_text(c.change)]):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, col, item)
        self.history.setText(
            "Not rated yet: rate it with them at the start of the work."
            if not ratings
            else "Rated "
            + ", ".join(f"{uk_date(x.rated_on)} ({label_of(RatingStage, x.stage).lower()})" for x in ratings)
        )
        if ratings:
            self.stage.setCurrentIndex(max(0, self.stage.findData(RatingStage.REVIEW.value)))
            self.programme.setCurrentIndex(max(0, self.programme.findData(ratings[-1].programme)))
        return len(ratings)

    def save(self) -> None:
        if self.person_id is None:
            return
        scores = {code: spin.value() for code, spin in self.spins.items() if spin.value()}
        person_id = self.person_id
        try:
            self.backend.write(
                lambda: self.backend.outcomes.rate(
                    person_id,
                    scores,
                    rated_on=date.today(),
                    stage=self.stage.currentData(),
                    programme=self.programme.currentData(),
                )
            )
        except ShownError as e:
            self.message.setText(str(e))
            return
        for spin in self.spins.values():
            spin.setValue(0)
        self.message.setText("Rating saved.")
        self.show_for(person_id)
        self.rated.emit()
