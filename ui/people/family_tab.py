"""A young person's family and household on their profile ("think family"): brothers and sisters on our records,
parents and carers with contact details, who holds parental responsibility and what each may be told.

Partner staff never reach this tab's records (the service sends them none), so it says so instead."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, hint, section, shortcut
from youthwork.domain.family import BETWEEN_YOUNG_PEOPLE, MayBeTold, Relation, Relationship
from youthwork.domain.validation import Problem, ValidationError
from youthwork.domain.vocab import Role
from youthwork.services.family import FamilyMember, FamilyService
from youthwork.store.settings import ROLE

log = logging.getLogger(__name__)

NOT_ON_RECORDS = "Not on our records"


class FamilyTab(QWidget):
    counted = Signal(int)  # how many are shown, after each change

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.service = FamilyService(backend.profile)
        self.person_id: str | None = None
        self.members: list[FamilyMember] = []
        lay = QVBoxLayout(self)
        self.partner_note = hint("Your role doesn't see young people's families or their carers' contact details.")
        lay.addWidget(self.partner_note)
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName("Family and household")
        self.table.setHorizontalHeaderLabels(["Who", "Name", "Parental responsibility", "May be told", "Contact"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(hint("Delete removes the highlighted link (the person's own record stays)."))
        row.addStretch(1)
        lay.addLayout(row)
        shortcut(self.table, "Delete", self.remove_selected)

        lay.addWidget(section("Add someone to their family"))
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        cols = QHBoxLayout()
        left, right = QFormLayout(), QFormLayout()
        cols.addLayout(left, 1)
        cols.addLayout(right, 1)
        lay.addLayout(cols)
        self.relation = QComboBox()
        self.relation.addItem("Choose…", "")
        for value, label in Relation.choices():
            self.relation.addItem(label, value)
        self.name = QLineEdit()
        self.name.setPlaceholderText("A parent's or carer's name, or type to find a young person")
        self.on_records = QComboBox()
        self.on_records.addItem(NOT_ON_RECORDS, "")
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.address = QLineEdit()
        self.parental = QCheckBox("Holds parental respons&ibility")
        self.lives_with = QCheckBox("Lives with the youn&g person")
        self.may_be_told = QComboBox()
        for value, label in MayBeTold.choices():
            self.may_be_told.addItem(label, value)
        self.may_be_told.setCurrentIndex(self.may_be_told.findData(MayBeTold.SAFETY.value))
        e = self.errors
        e.add_row(left, "Rela&tionship", "relation", self.relation)
        e.add_row(left, "&Carer's or sibling's name", "name", self.name)
        e.add_row(left, "Brother or sister on o&ur records", "other_person_id", self.on_records)
        e.add_row(left, "What they may &know", "may_be_told", self.may_be_told)
        e.add_row(right, "Mo&bile or phone", "phone", self.phone)
        e.add_row(right, "Em&ail", "email", self.email)
        e.add_row(right, "&Where they live", "address", self.address)
        e.add_row(right, "", "parental_responsibility", self.parental)
        e.add_row(right, "", "lives_with", self.lives_with)
        self.add_button = button("Add to their family", "Ctrl+Shift+Y")
        self.add_button.clicked.connect(self.add)
        lay.addWidget(self.add_button, alignment=Qt.AlignmentFlag.AlignRight)
        self.name.textEdited.connect(self._find)

    def _partner(self) -> bool:
        return self.backend.setting(ROLE) == Role.PARTNER

    def show_for(self, person_id: str) -> int:
        self.person_id = person_id
        partner = self._partner()
        self.partner_note.setVisible(partner)
        for w in (self.table, self.add_button):
            w.setEnabled(not partner)
        self.members = [] if partner else self.service.for_person(person_id)
        self.table.setRowCount(len(self.members))
        told = dict(MayBeTold.choices())
        for r, m in enumerate(self.members):
            rel = m.relationship
            contact = ", ".join(x for x in (rel.phone, rel.email, rel.address) if x)
            if rel.lives_with:
                contact = f"Lives with them. {contact}".strip()
            cells = [
                m.relation_label,
                m.name + (" (on our records)" if m.other_person_id else ""),
                "Yes" if rel.parental_responsibility else ("" if m.other_person_id else "No"),
                "" if m.other_person_id else told.get(rel.may_be_told, rel.may_be_told),
                contact,
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, rel.id)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.counted.emit(len(self.members))
        return len(self.members)

    def _find(self, text: str) -> None:
        """Young people on our records whose name starts with what is typed, to link as a brother or sister."""
        current = self.on_records.currentData()
        self.on_records.clear()
        self.on_records.addItem(NOT_ON_RECORDS, "")
        if len(text.strip()) >= 2:
            for p in self.backend.people.search(text, limit=8):
                if p.id != self.person_id:
                    self.on_records.addItem(f"{p.display_name}, {p.area}" if p.area else p.display_name, p.id)
        self.on_records.setCurrentIndex(max(0, self.on_records.findData(current)))

    def add(self) -> bool:
        if self.person_id is None:
            return False
        other = self.on_records.currentData() or ""
        link = Relationship(
            person_id=self.person_id,
            relation=self.relation.currentData() or "",
            other_person_id=other,
            name="" if other else self.name.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            address=self.address.text(),
            parental_responsibility=self.parental.isChecked(),
            lives_with=self.lives_with.isChecked(),
            may_be_told=self.may_be_told.currentData(),
        )
        if other and link.relation and link.relation not in BETWEEN_YOUNG_PEOPLE:
            self.errors.show([Problem("relation", "Only a brother or sister can be a young person on our records.")])
            return False
        try:
            self.backend.write(lambda: self.service.add(link))
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return False
        self.errors.clear()
        for w in (self.name, self.phone, self.email, self.address):
            w.clear()
        self.relation.setCurrentIndex(0)
        self._find("")
        self.parental.setChecked(False)
        self.lives_with.setChecked(False)
        self.show_for(self.person_id)
        return True

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if self.person_id is None or row < 0 or (item := self.table.item(row, 0)) is None:
            return
        link_id = item.data(Qt.ItemDataRole.UserRole)
        self.backend.write(lambda: self.service.remove(link_id))
        self.show_for(self.person_id)
