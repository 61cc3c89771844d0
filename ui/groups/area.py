"""The Peer groups area: the team's groups (and packs other teams shared with it), the supervisor's check of who
gets linked to groups, and each group's page."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import accessible, button, hint, section, title
from ui.groups.dialogs import GroupDialog
from ui.groups.group_page import GroupPageView
from ui.labels import uk_date
from youthwork.domain.disproportion import FLAG_MINIMUM, FLAG_RATIO
from youthwork.domain.vocab import Role
from youthwork.services.changes import Changes
from youthwork.store.settings import ROLE

log = logging.getLogger(__name__)

FLAGGED = QColor("#b3261e")
TABLES = ("peer_groups", "group_memberships", "group_shares", "context_plans", "people", "places")


def _table(headings: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headings))
    t.setHorizontalHeaderLabels(headings)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    t.setTabKeyNavigation(False)
    accessible(t, name)
    return t


def _fill(t: QTableWidget, rows: list[tuple[str, list[str], bool]]) -> None:
    t.setRowCount(len(rows))
    for r, (key, cells, flagged) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            if flagged:
                item.setForeground(FLAGGED)
            t.setItem(r, c, item)
    for c in range(1, t.columnCount()):
        t.resizeColumnToContents(c)


class GroupsListPage(QWidget):
    open_group = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(title("Peer groups"))
        head.addStretch(1)
        self.new_button = button("New group", "Ctrl+N", primary=True)
        head.addWidget(self.new_button)
        lay.addLayout(head)
        lay.addWidget(
            hint(
                "Groups of young people seen together, named in your own words. Who is in a group stays in your "
                "team; memberships lapse and are erased at their review date. Press Enter to open a group."
            )
        )
        self.groups = _table(["Group", "Young people", "Places"], "Peer groups")
        lay.addWidget(self.groups, 2)
        lay.addWidget(section("Packs other teams shared with you"))
        self.received = _table(["Pack", "Shared on", "Why"], "Packs shared with your team")
        lay.addWidget(self.received, 1)
        self.monitor_title = section("Who gets linked to groups (for supervisors)")
        self.monitor_hint = hint(
            f"Young people linked to any group against those your team reached in the last year, by ethnic group and "
            f"gender. Red: {FLAG_RATIO:g} times their share or more, from {FLAG_MINIMUM} or more young people: a "
            "question to ask, not a finding."
        )
        self.monitor = _table(["Ethnic group", "Gender", "Linked", "Reached", "Linked %", "Reached %", "Ratio"], "")
        accessible(self.monitor, "Who gets linked to groups, by ethnic group and gender")
        for w in (self.monitor_title, self.monitor_hint):
            lay.addWidget(w)
        lay.addWidget(self.monitor, 2)
        self.groups.itemActivated.connect(lambda item: self.open_group.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.new_button.clicked.connect(self._new)

    @property
    def supervisor(self) -> bool:
        return (self.backend.setting(ROLE) or "") in ("", Role.SUPERVISOR)

    def refresh(self) -> None:
        summaries = self.backend.groups.groups()
        names = {p.id: p.name for p in self.backend.places.all(include_inactive=True)}
        _fill(
            self.groups,
            [
                (
                    s.group.id,
                    [
                        s.group.label,
                        str(s.members),
                        ", ".join(names.get(p, "") for p in s.group.place_ids if p in names),
                    ],
                    False,
                )
                for s in summaries
            ],
        )
        received = self.backend.groups.received()
        _fill(
            self.received,
            [
                (r.id, [r.pack_text.splitlines()[0] if r.pack_text else "", uk_date(r.created_at), r.reason], False)
                for r in received
            ],
        )
        show = self.supervisor
        for w in (self.monitor_title, self.monitor_hint, self.monitor):
            w.setVisible(show)
        if show:
            cells = self.backend.groups.disproportionality()
            _fill(
                self.monitor,
                [
                    (
                        f"{c.ethnic_group}/{c.gender}",
                        [
                            c.ethnic_group,
                            c.gender,
                            str(c.linked),
                            str(c.reached),
                            f"{c.linked_share:.0%}",
                            f"{c.reached_share:.0%}",
                            "—" if c.ratio is None else f"{c.ratio:.1f}",
                        ],
                        c.flagged,
                    )
                    for c in cells
                ],
            )

    def _new(self) -> None:
        dialog = GroupDialog(self.backend, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.open_group.emit(dialog.group.id)

    def focus_first(self) -> None:
        (self.groups if self.groups.rowCount() else self.new_button).setFocus()
        if self.groups.rowCount() and self.groups.currentRow() < 0:
            self.groups.setCurrentCell(0, 0)


class GroupsArea(QWidget):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.stack = QStackedWidget()
        self.list = GroupsListPage(backend)
        self.page = GroupPageView(backend)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.page)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.list.open_group.connect(self.open_group)
        self.page.back.connect(self.show_list)
        self.list.refresh()

    def show_list(self) -> None:
        self.list.refresh()
        self.stack.setCurrentWidget(self.list)
        self.list.focus_first()

    def open_group(self, group_id: str) -> None:
        if self.page.open_group(group_id):
            self.stack.setCurrentWidget(self.page)
            self.page.focus_first()

    def focus_first(self) -> None:
        if self.stack.currentWidget() is self.list:
            self.list.refresh()
            self.list.focus_first()
        else:
            self.page.focus_first()

    def refresh_for(self, changes: Changes) -> None:
        if changes.touches(*TABLES):
            self.list.refresh()
            if self.stack.currentWidget() is self.page:
                self.page.reload()
