"""The Data protection area: consent withdrawals waiting for a supervisor, retention review, the audit trail."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint, section, title
from ui.labels import uk_date
from ui.privacy.audit_view import AuditView
from ui.privacy.retention_review import RetentionReview
from ui.workers import Workers
from youthwork.services.changes import Changes

log = logging.getLogger(__name__)


class WithdrawalsList(QWidget):
    open_person = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = backend.consent
        lay = QVBoxLayout(self)
        lay.addWidget(section("Consent withdrawn"))
        lay.addWidget(
            hint("Young people who withdrew consent. Check nothing is being shared on consent, then mark as seen.")
        )
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName("Consent withdrawals to review")
        self.table.setHorizontalHeaderLabels(["Young person", "Withdrawn on"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.seen_button = button("Mark as seen")
        self.open_button = button("Open their record")
        row.addWidget(self.seen_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(section("Consent reviews due"))
        self.reviews = QTableWidget(0, 2)
        self.reviews.setAccessibleName("Consent reviews due")
        self.reviews.setHorizontalHeaderLabels(["Young person", "Review by"])
        self.reviews.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reviews.verticalHeader().hide()
        self.reviews.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.reviews.setTabKeyNavigation(False)
        self.reviews.itemActivated.connect(self._open_review)
        lay.addWidget(self.reviews, 1)
        self.seen_button.clicked.connect(self.mark_seen)
        self.open_button.clicked.connect(self._open)
        self.table.itemActivated.connect(lambda _i: self._open())

    def refresh(self) -> int:
        waiting = self.service.withdrawals_to_review()
        self.table.setRowCount(len(waiting))
        for r, w in enumerate(waiting):
            name = QTableWidgetItem(w.person_name)
            name.setData(Qt.ItemDataRole.UserRole, (w.event_id, w.person_id))
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, QTableWidgetItem(uk_date(w.withdrawn_on)))
        if waiting:
            self.table.selectRow(0)
        due = self.service.reviews_due()
        self.reviews.setRowCount(len(due))
        for r, p in enumerate(due):
            name = QTableWidgetItem(p.display_name)
            name.setData(Qt.ItemDataRole.UserRole, p.id)
            self.reviews.setItem(r, 0, name)
            self.reviews.setItem(r, 1, QTableWidgetItem(uk_date(p.consent_review_date)))
        return len(waiting)

    def _selected(self) -> tuple[str, str] | None:
        item = self.table.item(self.table.currentRow(), 0) if self.table.currentRow() >= 0 else None
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def mark_seen(self) -> None:
        chosen = self._selected()
        if chosen:
            self.service.acknowledge(chosen[0])
            self.refresh()

    def _open(self) -> None:
        chosen = self._selected()
        if chosen:
            self.open_person.emit(chosen[1])

    def _open_review(self, activated: QTableWidgetItem) -> None:
        """Open the young person on the activated row of the reviews due (their id is held by the name)."""
        if (name := self.reviews.item(activated.row(), 0)) is not None:
            self.open_person.emit(name.data(Qt.ItemDataRole.UserRole))


class PrivacyArea(QWidget):
    open_person = Signal(str)

    def __init__(self, backend: Backend, workers: Workers | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.addWidget(title("Data protection"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Data protection")
        self.withdrawals = WithdrawalsList(backend)
        self.retention = RetentionReview(backend, workers)
        self.audit = AuditView(backend)
        self.tabs.addTab(self.withdrawals, "Consent &withdrawn")
        self.tabs.addTab(self.retention, "Re&tention review")
        self.tabs.addTab(self.audit, "&Audit trail")
        lay.addWidget(self.tabs, 1)
        self.withdrawals.open_person.connect(self.open_person)

    def refresh(self) -> None:
        count = self.withdrawals.refresh()
        self.tabs.setTabText(0, f"Consent &withdrawn ({count})")
        self.retention.refresh()
        self.audit.refresh()

    def showEvent(self, event) -> None:
        self.refresh()
        super().showEvent(event)

    def refresh_for(self, changes: Changes) -> None:
        """On screen, the lists follow consent, holds and erasures as they change (when shown, they read afresh)."""
        if self.isVisible() and changes.touches("consent_events", "consent_acks", "people", "legal_holds", "erasures"):
            self.refresh()

    def focus_first(self) -> None:
        self.tabs.tabBar().setFocus()
