"""The Referrals area: referrals our team made (with overdue and waiting-to-sync marks) and, for a receiving team
(TYS, IGT), the inbox of referrals sent to it; a referral's detail and the referral form share the stack."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import hint, title
from ui.labels import label_of, uk_date
from ui.referrals.detail import ReferralDetail, status_text
from ui.referrals.form import ReferralForm
from ui.workers import Workers
from youthwork.domain.referrals import OVERDUE_RULE, ReferralStatus, Urgency
from youthwork.services.changes import Changes
from youthwork.services.referrals import ReferralView

log = logging.getLogger(__name__)

OVERDUE = QColor("#b3261e")
REFERRAL_TABLES = ("referrals", "referral_events", "share_records", "people")


def referral_table(headings: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headings))
    t.setHorizontalHeaderLabels(headings)
    t.setAccessibleName(name)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setSectionResizeMode(len(headings) - 1, QHeaderView.ResizeMode.Stretch)
    t.setTabKeyNavigation(False)
    return t


def fill(table: QTableWidget, views: list[ReferralView], cells) -> None:
    table.setRowCount(len(views))
    for r, v in enumerate(views):
        for c, text in enumerate(cells(v)):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, v.referral.id)
            if v.overdue:
                item.setForeground(OVERDUE)
            table.setItem(r, c, item)
    for c in range(table.columnCount() - 1):
        table.resizeColumnToContents(c)


class ReferralsListPage(QWidget):
    def __init__(self, backend: Backend, open_referral, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        lay = QVBoxLayout(self)
        lay.addWidget(title("Referrals"))
        lay.addWidget(hint(f"Start a referral from a young person's profile (Referrals tab). {OVERDUE_RULE}"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Referrals")
        self.sent = referral_table(["Young person", "To", "Urgency", "Sent", "Status"], "Referrals our team made")
        self.inbox = referral_table(["Young person", "Urgency", "Sent", "Status", "Reason"], "Referral inbox")
        self.tabs.addTab(self.sent, "&Made by our team")
        self.tabs.addTab(self.inbox, "&Inbox: sent to our team")
        lay.addWidget(self.tabs, 1)
        for t in (self.sent, self.inbox):
            t.itemActivated.connect(lambda item: open_referral(item.data(Qt.ItemDataRole.UserRole)))

    def refresh(self) -> None:
        sent = self.backend.referrals.sent_by_team()
        fill(
            self.sent,
            sent,
            lambda v: [
                v.person_name,
                v.agency_label,
                label_of(Urgency, v.referral.urgency).split(" (")[0],
                uk_date(v.referral.sent_at),
                status_text(v),
            ],
        )
        inbox = self.backend.referrals.inbox()
        fill(
            self.inbox,
            inbox,
            lambda v: [
                v.person_name,
                label_of(Urgency, v.referral.urgency).split(" (")[0],
                uk_date(v.referral.sent_at),
                status_text(v),
                v.referral.reason,
            ],
        )
        waiting = sum(v.status == ReferralStatus.SENT for v in inbox)
        self.tabs.setTabText(1, f"&Inbox: sent to our team ({waiting} new)" if waiting else "&Inbox: sent to our team")
        if inbox and not sent:
            self.tabs.setCurrentIndex(1)

    def focus_first(self) -> None:
        (self.sent if self.tabs.currentIndex() == 0 else self.inbox).setFocus()


class ReferralsArea(QWidget):
    def __init__(self, backend: Backend, parent: QWidget | None = None, workers: Workers | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.workers = workers
        self.stack = QStackedWidget()
        self.list = ReferralsListPage(backend, self.open_referral)
        self.detail = ReferralDetail(backend)
        self.form = ReferralForm(backend)
        for w in (self.list, self.detail, self.form):
            self.stack.addWidget(w)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.detail.back.connect(self.show_list)
        self.form.back.connect(self.show_list)
        self.form.done.connect(self.open_referral)
        self.list.refresh()

    def show_list(self) -> None:
        self.list.refresh()
        self.stack.setCurrentWidget(self.list)
        self.list.focus_first()

    def open_referral(self, referral_id: str) -> None:
        view = self.backend.referrals.get(referral_id)
        if view is None:
            return
        if view.referral.status == ReferralStatus.DRAFT and view.referral.team_id == self.backend.profile.team_id:
            self.form.open_referral(referral_id)
            self.stack.setCurrentWidget(self.form)
            self.form.focus_first()
            return
        self.detail.show_referral(referral_id)
        self.stack.setCurrentWidget(self.detail)

    def new_referral(self, person_id: str) -> None:
        self.learn_receiving_teams()
        self.form.new_referral(person_id)
        self.stack.setCurrentWidget(self.form)
        self.form.focus_first()

    def new_incoming(self, person_id: str) -> None:
        self.form.new_incoming(person_id)
        self.stack.setCurrentWidget(self.form)
        self.form.focus_first()

    def learn_receiving_teams(self) -> None:
        """Find out (in the background) which teams on the service receive TYS and IGT referrals."""
        if self.workers is None or not self.backend.needs_receiving_teams():
            return
        self.workers.submit(
            self.backend.receiving_teams,
            self.backend.referrals.learn_receiving_teams,
            on_failed=lambda failure: log.info("receiving teams not fetched: %s", failure.message),
            failure_message="Could not reach the service to find the receiving teams; it will try again.",
        )

    def focus_first(self) -> None:
        if self.stack.currentWidget() is self.list:
            self.list.refresh()
            self.list.focus_first()

    def refresh_for(self, changes: Changes) -> None:
        """The lists and an open referral reload when referrals changed or were sent ("waiting to sync" goes);
        the form is left as the worker has it."""
        if not changes.touches(*REFERRAL_TABLES):
            return
        self.list.refresh()
        view = self.detail.view
        if self.stack.currentWidget() is self.detail and view is not None:
            self.detail.show_referral(view.referral.id)
