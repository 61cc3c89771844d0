"""The Safety plans area: plans due or overdue for review, every current plan, and the editor."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import hint, section, title
from ui.labels import label_of, uk_date
from ui.plans.editor import PlanEditor
from youthwork.domain.safety_plans import PlanStatus
from youthwork.services.changes import Changes

log = logging.getLogger(__name__)

OVERDUE = QColor("#b3261e")


def _table(headings: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headings))
    t.setHorizontalHeaderLabels(headings)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    t.setTabKeyNavigation(False)
    return t


class PlansListPage(QWidget):
    open_plan = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        lay = QVBoxLayout(self)
        lay.addWidget(title("Safety plans"))
        lay.addWidget(hint("Start a plan from a young person's profile (Plans tab). Press Enter to open one."))
        lay.addWidget(section("Due or overdue for review"))
        self.due = _table(["Young person", "Review by", "When", "State"])
        self.due.setAccessibleName("Plans due for review")
        lay.addWidget(self.due, 1)
        lay.addWidget(section("All current plans"))
        self.all = _table(["Young person", "Review by", "State"])
        self.all.setAccessibleName("Current plans")
        lay.addWidget(self.all, 2)
        for t in (self.due, self.all):
            t.itemActivated.connect(lambda item: self.open_plan.emit(item.data(Qt.ItemDataRole.UserRole)))

    def refresh(self) -> None:
        due = self.backend.plans.reviews_due()
        self.due.setRowCount(len(due))
        for r, d in enumerate(due):
            when = (
                f"{-d.days} day{'s' if d.days != -1 else ''} overdue"
                if d.overdue
                else ("today" if d.days == 0 else f"in {d.days} day{'s' if d.days != 1 else ''}")
            )
            cells = [d.person_name, uk_date(d.plan.review_date), when, label_of(PlanStatus, d.plan.status)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, d.plan.id)
                if d.overdue:
                    item.setForeground(OVERDUE)
                self.due.setItem(r, c, item)
        current = self.backend.plans.current()
        self.all.setRowCount(len(current))
        for r, (plan, name) in enumerate(current):
            for c, text in enumerate([name, uk_date(plan.review_date), label_of(PlanStatus, plan.status)]):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, plan.id)
                self.all.setItem(r, c, item)
        for t in (self.due, self.all):
            for c in range(1, t.columnCount()):
                t.resizeColumnToContents(c)

    def focus_first(self) -> None:
        (self.due if self.due.rowCount() else self.all).setFocus()


class PlansArea(QWidget):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.stack = QStackedWidget()
        self.list = PlansListPage(backend)
        self.editor = PlanEditor(backend)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.editor)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.list.open_plan.connect(self.open_plan)
        self.editor.back.connect(self.show_list)
        self.list.refresh()

    def show_list(self) -> None:
        self.list.refresh()
        self.stack.setCurrentWidget(self.list)
        self.list.focus_first()

    def open_plan(self, plan_id: str) -> None:
        if self.editor.open_plan(plan_id):
            self.stack.setCurrentWidget(self.editor)
            self.editor.focus_first()

    def new_plan(self, person_id: str) -> None:
        self.editor.new_plan(person_id)
        self.stack.setCurrentWidget(self.editor)
        self.editor.focus_first()

    def focus_first(self) -> None:
        if self.stack.currentWidget() is self.list:
            self.list.refresh()
            self.list.focus_first()
        else:
            self.editor.focus_first()

    def refresh_for(self, changes: Changes) -> None:
        """The lists reload when plans (or the names on them) changed; the editor is left as the worker has it."""
        if changes.touches("safety_plans", "safety_plan_versions", "people"):
            self.list.refresh()
