"""A young person's safety plans, on their profile: each plan's state and review date; start a new one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint
from ui.labels import label_of, uk_date
from ui.plans.links import follow
from youthwork.domain.safety_plans import PlanStatus


class PersonPlansTab(QWidget):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person_id: str | None = None
        lay = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["State", "Review by", "Last agreed", "Versions"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        self.table.setAccessibleName("Safety plans")
        self.table.itemActivated.connect(lambda item: self.open(item.data(Qt.ItemDataRole.UserRole)))
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(hint("Agreed versions are kept for good; a review makes a new version."))
        row.addStretch(1)
        self.new_button = button("New safety plan", "Ctrl+N")  # live while this tab shows, as Ctrl+N is on a list
        self.new_button.clicked.connect(self.new)
        row.addWidget(self.new_button)
        lay.addLayout(row)

    def show_for(self, person_id: str) -> int:
        self.person_id = person_id
        plans = self.backend.plans.for_person(person_id)
        self.table.setRowCount(len(plans))
        for r, p in enumerate(plans):
            cells = [
                label_of(PlanStatus, p.status),
                uk_date(p.review_date),
                uk_date(p.agreed_at),
                str(len(self.backend.plans.versions(p.id))),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                self.table.setItem(r, c, item)
        return len(plans)

    def open(self, plan_id: str) -> None:
        follow(self, "open_plan", plan_id)

    def new(self) -> None:
        if self.person_id:
            follow(self, "new_plan", self.person_id)
