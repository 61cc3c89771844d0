"""The Peer groups area's dialogs: a group, a membership, and sharing the pack (the context plan's dialog is shared
with places: ui.context_plans)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, hint
from ui.labels import parse_uk_date, uk_date
from ui.theme import em
from youthwork.domain.groups import MEMBERSHIP_REVIEW_DAYS, Confidence, MembershipRole, PeerGroup
from youthwork.domain.validation import Problem, ValidationError
from youthwork.domain.vocab import Vocab


def _box(name: str, lines: float = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setAccessibleName(name)
    box.setFixedHeight(em(box, lines * 1.6))
    return box


def _choices(vocab: type[Vocab], first: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(first, "")
    for value, label in vocab.choices():
        combo.addItem(label, value)
    return combo


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)  # Enter saves, from any field
    box.rejected.connect(dialog.reject)
    return box


class GroupDialog(QDialog):
    """A new group, or its name, description and places."""

    def __init__(self, backend: Backend, group: PeerGroup | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.group = group or PeerGroup()
        self.setWindowTitle("Peer group")
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                "Name the group in your own words, by where or how they meet. Not “gang”: the word sticks to every "
                "young person in it."
            )
        )
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.label = QLineEdit(self.group.label)
        self.description = _box("What the group is")
        self.description.setPlainText(self.group.description)
        self.places = QListWidget()
        self.places.setAccessibleName("Places they are seen at")
        self.places.setAccessibleDescription("Space ticks or unticks the highlighted place")
        for place in backend.places.all():
            item = QListWidgetItem(place.name)
            item.setData(Qt.ItemDataRole.UserRole, place.id)
            item.setCheckState(Qt.CheckState.Checked if place.id in self.group.place_ids else Qt.CheckState.Unchecked)
            self.places.addItem(item)
        self.places.setFixedHeight(em(self.places, 7))
        self.errors.add_row(form, "&Name", "label", self.label)
        self.errors.add_row(form, "&What the group is", "description", self.description)
        self.errors.add_row(form, "&Places", "place_ids", self.places, "Space ticks a place")
        lay.addLayout(form)
        box = _buttons(self, "Save the group")
        box.accepted.connect(self.save)
        lay.addWidget(box)

    def save(self) -> None:
        g = self.group
        g.label = self.label.text()
        g.description = self.description.toPlainText()
        g.place_ids = [
            str(self.places.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.places.count())
            if self.places.item(i).checkState() == Qt.CheckState.Checked
        ]
        try:
            self.group = self.backend.write(lambda: self.backend.groups.save_group(g)).value
        except ValidationError as exc:
            self.errors.show_and_focus(exc.problems)
            return
        self.accept()


class MemberDialog(QDialog):
    """Who, and what is known: affected or causing harm (someone must say), how sure, from where, their own words."""

    def __init__(self, backend: Backend, group_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.group_id = group_id
        self.setWindowTitle("Add a young person to the group")
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                f"It lapses on its review date (at most {MEMBERSHIP_REVIEW_DAYS // 30} months on) and is then "
                "erased, unless someone renews it."
            )
        )
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("Type a name")
        self.found = QListWidget()
        self.found.setAccessibleName("Matching young people")
        self.found.setFixedHeight(em(self.found, 5))
        self.find_box.textChanged.connect(self._search)
        self.role = _choices(MembershipRole, "Choose…")
        self.confidence = _choices(Confidence, "Choose…")
        self.source = QLineEdit()
        self.own = _box("Their own account", 2.5)
        self.review = QLineEdit(uk_date(date.today() + timedelta(days=MEMBERSHIP_REVIEW_DAYS)))
        self.errors.add_row(form, "&Find", "find", self.find_box)
        self.errors.add_row(form, "&Young person", "person_id", self.found, "↓ from the name box, then choose")
        self.errors.add_row(form, "&Role in the group", "role", self.role, "Affected, causing harm, both, or not known")
        self.errors.add_row(form, "&How sure", "confidence", self.confidence)
        self.errors.add_row(form, "&Where from", "source", self.source, "Who said so, or where you saw it")
        self.errors.add_row(form, "Their &own account", "own_account", self.own, "If they gave one")
        self.errors.add_row(form, "Re&view by", "review_date", self.review, "Day/month/year")
        lay.addLayout(form)
        box = _buttons(self, "Add to the group")
        box.accepted.connect(self.save)
        lay.addWidget(box)

    def _search(self, text: str) -> None:
        self.found.clear()
        if len(text.strip()) < 2:
            return
        for person in self.backend.people.search(text, limit=20):
            item = QListWidgetItem(f"{person.display_name} — {person.area}" if person.area else person.display_name)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            self.found.addItem(item)
        self.found.setCurrentRow(0)

    def save(self) -> None:
        item = self.found.currentItem()
        if item is None:
            self.errors.show_and_focus([Problem("person_id", "Find and choose the young person first.")])
            return
        try:
            review = parse_uk_date(self.review.text())
        except ValueError as exc:
            self.errors.show_and_focus([Problem("review_date", str(exc))])
            return
        person_id = str(item.data(Qt.ItemDataRole.UserRole))
        try:
            self.backend.write(
                lambda: self.backend.groups.add_member(
                    self.group_id,
                    person_id,
                    role=str(self.role.currentData() or ""),
                    confidence=str(self.confidence.currentData() or ""),
                    source=self.source.text(),
                    own_account=self.own.toPlainText(),
                    review_date=review,
                )
            )
        except ValidationError as exc:
            self.errors.show_and_focus(exc.problems)
            return
        self.accept()


class ShareDialog(QDialog):
    """Send the pack (no child named, no memberships) to a TYS team or the IGT, with the reason recorded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Share the context conference pack")
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                "Only the pack goes: the group's name, its places, counts and the context plan. Who is in the group "
                "never leaves your team. The share is recorded."
            )
        )
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.agency = QComboBox()
        self.agency.addItem("Targeted Youth Support", "tys")
        self.agency.addItem("Integrated Gangs Team", "igt")
        self.reason = QLineEdit()
        self.errors.add_row(form, "Share wit&h", "to_agency", self.agency)
        self.errors.add_row(form, "&Why", "reason", self.reason, "For example: context conference on 12 January")
        lay.addLayout(form)
        self.buttons = _buttons(self, "Share the pack")
        self.buttons.accepted.connect(self.accept)
        lay.addWidget(self.buttons)
