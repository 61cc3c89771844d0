"""A peer group's page: who is in it (by name, never ranked) with each membership's role, how sure, source and review
date; their age bands; the RAG and risk-indicator mix only after a recorded reason; places; overlapping groups; a
small drawing; the context safety plan and its conference pack (no child named: the panel a place's page shows too),
and sharing the pack. Opening it is audited."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.context_plans.panel import ContextPlanPanel
from ui.forms import accessible, button, hint, section, shortcut, title_with_back
from ui.groups.dialogs import GroupDialog, MemberDialog, ShareDialog
from ui.groups.drawing import RelationshipDrawing
from ui.labels import label_of, uk_date
from ui.privacy.break_glass import ReasonDialog
from youthwork.domain.groups import Confidence, MembershipRole
from youthwork.domain.validation import ValidationError
from youthwork.services.groups import GroupPage

log = logging.getLogger(__name__)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k}: {n}" for k, n in counts.items()) or "none yet"


class GroupPageView(QWidget):
    back = Signal()

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.group_id = ""
        self.page: GroupPage | None = None
        outer = QVBoxLayout(self)
        self.heading, self.back_button = title_with_back(outer, "Peer group")
        self.back_button.clicked.connect(self.back.emit)
        shortcut(self, "Esc", self.back.emit)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        lay = QVBoxLayout(body)
        self.about = hint("")
        lay.addWidget(self.about)
        top = QHBoxLayout()
        facts = QVBoxLayout()
        self.ages = QLabel()
        self.roles = QLabel()
        self.places = QLabel()
        self.overlaps = QLabel()
        self.mix = QLabel("RAG and risk indicators: hidden. Show them only if you need to (a reason is recorded).")
        for w in (self.ages, self.roles, self.places, self.overlaps, self.mix):
            w.setWordWrap(True)
            w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
            facts.addWidget(w)
        self.mix_button = button("Show RAG and risk mix", "Alt+S")
        facts.addWidget(self.mix_button)
        facts.addStretch(1)
        top.addLayout(facts, 1)
        self.drawing = RelationshipDrawing()
        top.addWidget(self.drawing, 1)
        lay.addLayout(top)
        lay.addWidget(section("Who is in it"))
        lay.addWidget(hint("In name order: a list, not a ranking. Each lapses on its review date unless renewed."))
        self.members = QTableWidget(0, 5)
        self.members.setHorizontalHeaderLabels(["Young person", "Role", "How sure", "Where from", "Review by"])
        self.members.verticalHeader().hide()
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.members.setTabKeyNavigation(False)
        accessible(self.members, "Who is in the group", "Alt+R renews the highlighted one; Alt+E ends it")
        lay.addWidget(self.members)
        row = QHBoxLayout()
        self.add_button = button("Add a young person", "Alt+A")
        self.renew_button = button("Renew", "Alt+R")
        self.end_button = button("End (erases it)", "Alt+E")
        self.edit_button = button("Edit the group", "Ctrl+E")
        for b in (self.add_button, self.renew_button, self.end_button, self.edit_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.message = hint("")
        lay.addWidget(self.message)
        self.context_plan = ContextPlanPanel(backend)
        self.share_button = button("Share the pack", "Alt+H")
        self.context_plan.add_button(self.share_button)
        lay.addWidget(self.context_plan)
        lay.addStretch(1)
        self.add_button.clicked.connect(self._add)
        self.renew_button.clicked.connect(self._renew)
        self.end_button.clicked.connect(self._end)
        self.edit_button.clicked.connect(self._edit)
        self.mix_button.clicked.connect(self._show_mix)
        self.share_button.clicked.connect(self._share)
        self.context_plan.changed.connect(self.reload)

    # ---- showing ------------------------------------------------------------------------------------------------

    def open_group(self, group_id: str) -> bool:
        try:
            self.page = self.backend.groups.open(group_id)  # audited as viewed
        except ValidationError:
            return False
        self.group_id = group_id
        self.mix.setText("RAG and risk indicators: hidden. Show them only if you need to (a reason is recorded).")
        self.message.clear()
        self._show()
        return True

    def reload(self) -> None:
        if self.group_id:
            self.page = self.backend.groups.open(self.group_id)
            self._show()

    def _show(self) -> None:
        page = self.page
        assert page is not None
        g = page.group
        self.heading.setText(g.label)
        self.heading.setAccessibleName(f"Peer group: {g.label}")
        self.about.setText(g.description or "No description yet.")
        self.ages.setText(f"Ages: {_counts(page.age_bands)}")
        roles = {label_of(MembershipRole, r): n for r, n in page.roles.items()}
        self.roles.setText(f"Roles: {_counts(roles)}")
        self.places.setText("Places: " + (", ".join(n for _, n in page.places) or "none recorded"))
        overlaps = ", ".join(f"{o.group.label} ({o.shared} in both)" for o in page.overlaps)
        self.overlaps.setText("Shares young people with: " + (overlaps or "no other group"))
        self.drawing.show_group(
            g.label, [(o.group.label, o.shared) for o in page.overlaps], [n for _, n in page.places]
        )
        self.members.setRowCount(len(page.members))
        for r, m in enumerate(page.members):
            ms = m.membership
            cells = [
                m.name,
                label_of(MembershipRole, ms.role),
                label_of(Confidence, ms.confidence),
                ms.source,
                uk_date(ms.review_date),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, ms.id)
                if c == 0 and ms.own_account:
                    item.setToolTip(f"In their words: {ms.own_account}")
                self.members.setItem(r, c, item)
        for c in range(1, 5):
            self.members.resizeColumnToContents(c)
        self.members.setFixedHeight(
            self.members.horizontalHeader().sizeHint().height()
            + max(2, len(page.members)) * self.members.verticalHeader().defaultSectionSize()
            + 6
        )
        self.context_plan.show_for(group_id=g.id, about=g.label)

    def focus_first(self) -> None:
        (self.members if self.members.rowCount() else self.add_button).setFocus()

    # ---- actions ------------------------------------------------------------------------------------------------

    def _selected(self) -> str:
        item = self.members.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def _add(self) -> None:
        if MemberDialog(self.backend, self.group_id, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def _renew(self) -> None:
        mid = self._selected()
        if not mid:
            self.message.setText("Highlight a young person in the list first.")
            return
        m = self.backend.write(lambda: self.backend.groups.renew(mid)).value
        self.reload()
        self.message.setText(f"Renewed: it is reviewed again by {uk_date(m.review_date)}.")

    def _end(self) -> None:
        mid = self._selected()
        if not mid:
            self.message.setText("Highlight a young person in the list first.")
            return
        answer = QMessageBox.question(
            self, "End the membership", "This erases it here and, after the next sync, everywhere. End it?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.backend.write(lambda: self.backend.groups.end(mid))
            self.reload()
            self.message.setText("Ended and erased.")

    def _edit(self) -> None:
        assert self.page is not None
        if GroupDialog(self.backend, self.page.group, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def _show_mix(self) -> None:
        dialog = ReasonDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        mix = self.backend.write(lambda: self.backend.groups.sensitive_mix(self.group_id, dialog.chosen)).value
        self.mix.setText(f"RAG: {_counts(mix.rag)}. Risk indicators: {_counts(mix.risks)}.")

    def print_to(self, path: Path) -> Path | None:
        return self.context_plan.print_to(path)

    def share(self, agency: str, reason: str) -> None:
        pack = self.context_plan.pack()
        try:
            self.backend.write(lambda: self.backend.groups.share(self.group_id, agency, reason, pack.text()))
        except ValidationError as exc:
            self.context_plan.message.setText(" ".join(p.message for p in exc.problems))
            return
        self.context_plan.message.setText("Shared. The pack goes at the next sync; the share is recorded.")

    def _share(self) -> None:
        dialog = ShareDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.share(str(dialog.agency.currentData()), dialog.reason.text())
