"""The places a safety plan names, as records: safe places and routes, and places to avoid (counted on each place's
page). The plan's own words about them stay in "Safe places and routes"."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ui.backend import Backend
from ui.forms import accessible, button, shortcut
from ui.labels import label_of
from ui.theme import em
from youthwork.domain.places import PlaceStance
from youthwork.domain.validation import ValidationError

log = logging.getLogger(__name__)


class PlanPlacesPanel(QWidget):
    """`plan_id` says which plan; `save_first` saves a new plan (returns its id, or None when it can't be saved)."""

    def __init__(self, backend: Backend, save_first: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.save_first = save_first
        self.plan_id: str | None = None
        # One column, read top to bottom (Tab follows it): the list, then what to add.
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        accessible(self.list, "Places this plan names", "Delete takes the highlighted place off the plan")
        self.list.setMaximumHeight(em(self, 5.5))
        lay.addWidget(self.list, 1)
        side = lay
        self.place = QComboBox()
        accessible(self.place, "Place to add")
        self.stance = QComboBox()
        for value, text in PlaceStance.choices():
            self.stance.addItem(text, value)
        accessible(self.stance, "Safe, or to avoid")
        self.add_button = button("Add to the plan")
        self.remove_button = button("Take off the plan")
        side.addWidget(self.place)
        side.addWidget(self.stance)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        side.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("formError")
        self.message.setWordWrap(True)
        self.message.hide()
        side.addWidget(self.message)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        shortcut(self.list, "Delete", self.remove)

    def show_plan(self, plan_id: str | None) -> None:
        self.plan_id = plan_id
        self.message.hide()
        self.place.clear()
        places = self.backend.places.all()
        for p in places:
            self.place.addItem(p.name, p.id)
        self.add_button.setEnabled(bool(places))
        if not places:
            self.place.addItem("No places yet: add them in Places (Ctrl+0)", "")
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        if not self.plan_id or self.backend.plans.get(self.plan_id) is None:
            return
        names = {p.id: p.name for p in self.backend.places.all(include_inactive=True)}
        for entry in self.backend.places.on_plan(self.plan_id):
            item = QListWidgetItem(f"{label_of(PlaceStance, entry.stance)}: {names.get(entry.place_id, 'a place')}")
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.list.addItem(item)

    def add(self) -> bool:
        place_id = self.place.currentData() or ""
        if not place_id:
            return False
        plan_id = self.plan_id if self.plan_id and self.backend.plans.get(self.plan_id) else self.save_first()
        if not plan_id:
            return False
        self.plan_id = plan_id
        stance = self.stance.currentData()
        try:
            self.backend.write(lambda: self.backend.places.name_on_plan(plan_id, place_id, stance))
        except ValidationError as e:
            self.message.setText(str(e))
            self.message.show()
            return False
        self.message.hide()
        self.reload()
        return True

    def remove(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        entry_id = item.data(Qt.ItemDataRole.UserRole)
        self.backend.write(lambda: self.backend.places.take_off_plan(entry_id))
        self.reload()
