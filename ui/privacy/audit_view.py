"""The supervisor's view of the audit trail: who did what to which record and when, filtered, and a chain check."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, date_edit, hint, py_date, section
from ui.labels import label_of, uk_datetime
from ui.lazy_model import Column, LazyTableModel
from youthwork.domain.privacy import AccessReason, AuditAction, AuditEntry, ErasureReason
from youthwork.security.audit import AuditFilter
from youthwork.store.settings import WORKER_NAMES

log = logging.getLogger(__name__)


def _reason(e: AuditEntry) -> str:
    if not e.reason:
        return ""
    vocab = AccessReason if e.action == AuditAction.BREAK_GLASS else ErasureReason
    return label_of(vocab, e.reason)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class AuditView(QWidget):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.audit = backend.audit
        names = backend.setting(WORKER_NAMES) or {}
        self._names = names
        lay = QVBoxLayout(self)
        lay.addWidget(section("Audit trail"))
        lay.addWidget(
            hint("Who viewed, changed, shared, printed, exported, opened restricted details or erased what, and when.")
        )
        grid = QGridLayout()
        self.user = QComboBox()
        self.action = QComboBox()
        self.action.addItem("Any action", "")
        for value, label in AuditAction.choices():
            self.action.addItem(label, value)
        self.since = date_edit()
        self.until = date_edit()
        for d in (self.since, self.until):
            d.setDisplayFormat("dd/MM/yyyy")
        self.since.setDate(_qdate(date.today() - timedelta(days=30)))
        self.until.setDate(_qdate(date.today()))
        self.record = QLineEdit()
        self.record.setPlaceholderText("Record or young person's id")
        for col, (text, widget) in enumerate(
            (("&Who", self.user), ("&Action", self.action), ("&From", self.since), ("&To", self.until))
        ):
            caption = QLabel(text)
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, col)
            grid.addWidget(widget, 1, col)
        caption = QLabel("&Record")
        caption.setBuddy(self.record)
        grid.addWidget(caption, 0, 4)
        grid.addWidget(self.record, 1, 4)
        lay.addLayout(grid)
        row = QHBoxLayout()
        self.apply_button = button("Show", "Ctrl+Return", primary=True)
        self.verify_button = button("Check the trail is whole")
        self.count_label = hint("")
        row.addWidget(self.apply_button)
        row.addWidget(self.verify_button)
        row.addWidget(self.count_label, 1)
        lay.addLayout(row)
        self.verify_label = QLabel()
        self.verify_label.setWordWrap(True)
        self.verify_label.hide()
        lay.addWidget(self.verify_label)
        self.model = LazyTableModel(
            [
                Column("When", lambda e: uk_datetime(e.at)),
                Column("Who", lambda e: self._names.get(e.user_id, "") or e.user_id or "(not signed in)"),
                Column("Action", lambda e: label_of(AuditAction, e.action)),
                Column("Record", lambda e: f"{e.table_name.replace('_', ' ')} {e.record_id[:8]}"),
                Column("Young person", lambda e: self._people.get(e.person_id, e.person_id[:8])),
                Column("Reason", _reason),
            ],
            page_size=200,
            parent=self,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        lay.addWidget(self.table, 1)
        self._people: dict[str, str] = {}  # person id -> name, for the entries loaded so far (ids stay if erased)
        self.apply_button.clicked.connect(self.refresh)
        self.record.returnPressed.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)

    def current_filter(self) -> AuditFilter:
        since = py_date(self.since.date())
        until = py_date(self.until.date()) + timedelta(days=1)
        return AuditFilter(
            user_id=str(self.user.currentData() or "") or None,
            action=str(self.action.currentData() or "") or None,
            since=datetime.combine(since, time(), tzinfo=UTC),
            until=datetime.combine(until, time(), tzinfo=UTC),
            record_id=self.record.text().strip() or None,
        )

    def refresh(self) -> None:
        current = self.user.currentData()
        self.user.blockSignals(True)
        self.user.clear()
        self.user.addItem("Anyone", "")
        for uid in self.audit.users():
            self.user.addItem(self._names.get(uid, "") or uid or "(not signed in)", uid)
        self.user.setCurrentIndex(max(0, self.user.findData(current)))
        self.user.blockSignals(False)
        f = self.current_filter()
        self.model.reset(lambda offset, limit: self._named(self.audit.search(f, limit=limit, offset=offset)))
        self.table.resizeColumnsToContents()
        total = self.audit.count(f)
        self.count_label.setText(f"{total} entr{'y' if total == 1 else 'ies'}")

    def _named(self, entries: list[AuditEntry]) -> list[AuditEntry]:
        for pid in {e.person_id for e in entries} - set(self._people):
            person = self.backend.people.get(pid) if pid else None
            self._people[pid] = person.display_name if person else pid[:8]
        return entries

    def verify(self) -> None:
        problems = self.audit.verify()
        if problems:
            shown = "\n".join(str(p) for p in problems[:10])
            more = f"\n…and {len(problems) - 10} more." if len(problems) > 10 else ""
            self.verify_label.setText(f"The audit trail has been tampered with:\n{shown}{more}")
            self.verify_label.setObjectName("formError")
        else:
            self.verify_label.setText("The audit trail is whole: no entry is missing, changed or out of order.")
            self.verify_label.setObjectName("hint")
        self.verify_label.style().unpolish(self.verify_label)
        self.verify_label.style().polish(self.verify_label)
        self.verify_label.show()

    def focus_first(self) -> None:
        self.user.setFocus(Qt.FocusReason.OtherFocusReason)
