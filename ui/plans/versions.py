"""Every kept version of a plan, and what changed between any two of them, field by field: a young person's safety
plan, or a context plan for a place or a group (the same panel, given that plan's service)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import hint, section
from ui.labels import label_of, uk_date, uk_datetime
from youthwork.domain.context_plans import PartnerKind
from youthwork.domain.safety_plans import NrmOutcome, PlanStatus
from youthwork.services.plans import FieldChange
from youthwork.store.settings import WORKER_NAMES


class KeptVersion(Protocol):
    """What the panel reads of a kept version: a safety plan's or a context plan's."""

    id: str
    number: int
    status: str
    agreed_by: str
    agreed_at: Any
    change_note: str


class VersionSource(Protocol):
    def versions(self, plan_id: str) -> Sequence[KeptVersion]: ...

    def compare(self, older_id: str, newer_id: str) -> list[FieldChange]: ...


def show_value(field: str, value: Any) -> str:
    """A plan value as a worker reads it in the comparison."""
    if value in (None, "", []):
        return "—"
    if field in ("review_date", "nrm_decision_date"):
        return uk_date(value)
    if field == "nrm_outcome":
        return label_of(NrmOutcome, value)
    if field == "partners" and isinstance(value, list):  # a context plan's: the kind as words, not its code
        value = [dict(row, kind=label_of(PartnerKind, row["kind"])) if row.get("kind") else row for row in value]
    if isinstance(value, list):
        return "\n".join(" · ".join(str(v) for v in row.values() if str(v).strip()) for row in value)
    return str(value)


class VersionsPanel(QWidget):
    def __init__(
        self,
        backend: Backend,
        parent: QWidget | None = None,
        source: Callable[[], VersionSource] | None = None,
    ) -> None:
        """`source` gives the service the versions come from: a young person's safety plans unless told."""
        super().__init__(parent)
        self.backend = backend
        self._source = source or (lambda: backend.plans)
        self.versions: list[KeptVersion] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(section("Agreed versions (kept for good; never overwritten)"))
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName("Agreed versions")
        self.table.setHorizontalHeaderLabels(["No.", "State", "Agreed", "By", "Note"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        lay.addWidget(self.table)
        pick = QHBoxLayout()
        self.older = QComboBox()
        self.newer = QComboBox()
        self.older.setAccessibleName("Compare from version")
        self.newer.setAccessibleName("Compare to version")
        cap = QLabel("Compare &version")
        cap.setBuddy(self.older)
        pick.addWidget(cap)
        pick.addWidget(self.older)
        pick.addWidget(QLabel("with"))
        pick.addWidget(self.newer)
        pick.addStretch(1)
        lay.addLayout(pick)
        self.summary = hint("")
        lay.addWidget(self.summary)
        self.diff = QTableWidget(0, 3)
        self.diff.setAccessibleName("What changed between the versions")
        self.diff.setHorizontalHeaderLabels(["What", "Before", "After"])
        self.diff.verticalHeader().hide()
        self.diff.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.diff.setWordWrap(True)
        self.diff.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.diff.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.diff.setTabKeyNavigation(False)
        lay.addWidget(self.diff, 1)
        self.older.currentIndexChanged.connect(self.compare)
        self.newer.currentIndexChanged.connect(self.compare)

    def show_plan(self, plan_id: str | None) -> None:
        self.versions = list(self._source().versions(plan_id)) if plan_id else []
        names = self.backend.setting(WORKER_NAMES) or {}
        me = self.backend.profile.user_id
        self.table.setRowCount(len(self.versions))
        for r, v in enumerate(self.versions):
            by = names.get(v.agreed_by) or ("you" if v.agreed_by == me else v.agreed_by)
            cells = [str(v.number), label_of(PlanStatus, v.status), uk_datetime(v.agreed_at), by, v.change_note]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        for combo in (self.older, self.newer):
            combo.blockSignals(True)
            combo.clear()
            for v in self.versions:
                combo.addItem(f"{v.number} ({uk_date(v.agreed_at)})", v.id)
            combo.blockSignals(False)
        if len(self.versions) >= 2:
            self.older.setCurrentIndex(len(self.versions) - 2)
            self.newer.setCurrentIndex(len(self.versions) - 1)
        self.compare()

    def compare(self) -> None:
        older, newer = self.older.currentData(), self.newer.currentData()
        if not older or not newer or older == newer:
            self.diff.setRowCount(0)
            self.summary.setText(
                "Choose two versions to see what changed." if len(self.versions) > 1 else "Only one version so far."
            )
            return
        changes = self._source().compare(older, newer)
        self.summary.setText(
            "No differences." if not changes else f"{len(changes)} part{'s' if len(changes) != 1 else ''} changed."
        )
        self.diff.setRowCount(len(changes))
        for r, ch in enumerate(changes):
            for c, text in enumerate([ch.label, show_value(ch.field, ch.before), show_value(ch.field, ch.after)]):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                self.diff.setItem(r, c, item)
        self.diff.resizeColumnToContents(0)
        self.diff.resizeRowsToContents()
