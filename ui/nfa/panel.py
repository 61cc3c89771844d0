"""Police "no further action" notifications on a young person's profile (criminal-offence data: need to know).

Recording the third raises a prompt for a joint home visit with the police; recording the visit (done, no answer or
declined) closes it."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, hint, section
from ui.labels import label_of, parse_uk_date, split_list, uk_date
from youthwork.domain.joint_visits import VisitOutcome, VisitStatus
from youthwork.domain.nfa import OffenceCategory
from youthwork.domain.validation import Problem, ValidationError

log = logging.getLogger(__name__)

PROMPT = "This is their {n} NFA. Arrange a joint home visit with the police (TYS with the police), and record it below."


class NfaPanel(QWidget):
    recorded = Signal(int)  # the new count

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person_id: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = scroll = QScrollArea()  # the NFAs and the joint visit: scrolls on a small screen
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Police NFAs and joint home visits")
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll)
        lay = QVBoxLayout(body)
        lay.addWidget(hint("Criminal-offence data: need to know only."))
        self.prompt = QLabel()
        self.prompt.setObjectName("banner")
        self.prompt.setWordWrap(True)
        self.prompt.hide()
        lay.addWidget(self.prompt)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Police NFA notifications")
        self.table.setHorizontalHeaderLabels(["Date", "Offence category", "Told by"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        self.table.setMinimumHeight(self.table.fontMetrics().lineSpacing() * 5)
        lay.addWidget(self.table, 1)
        lay.addWidget(section("Record an NFA"))
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.when = QLineEdit()
        self.when.setPlaceholderText("dd/mm/yyyy")
        self.category = QComboBox()
        self.category.addItem("Choose…", "")
        for value, label in OffenceCategory.choices():
            self.category.addItem(label, value)
        self.source = QLineEdit()
        self.source.setPlaceholderText("Officer or unit that told us")
        self.errors.add_row(form, "NFA &date", "notified_on", self.when)
        self.errors.add_row(form, "Offence &category", "offence_category", self.category)
        self.errors.add_row(form, "Told &by", "source", self.source)
        self.place = QComboBox()
        self.errors.add_row(form, "Arrest &location", "place_id", self.place, "One of the team's places, if known")
        lay.addLayout(form)
        self.save_button = button("Record NFA")
        self.save_button.clicked.connect(self.record)
        lay.addWidget(self.save_button)

        lay.addWidget(section("Joint home visit (TYS with the police)"))
        self.visits = QTableWidget(0, 4)
        self.visits.setAccessibleName("Joint home visits")
        self.visits.setHorizontalHeaderLabels(["Date", "Visit", "Who went", "Outcome"])
        self.visits.verticalHeader().hide()
        self.visits.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.visits.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.visits.setTabKeyNavigation(False)
        self.visits.setMinimumHeight(self.visits.fontMetrics().lineSpacing() * 4)
        lay.addWidget(self.visits, 1)
        self.visit_errors = FieldErrors(QLabel())
        lay.addWidget(self.visit_errors.form_error)
        vform = QFormLayout()
        self.visit_status = QComboBox()
        for value, label in VisitStatus.choices():
            self.visit_status.addItem(label, value)
        self.visit_when = QLineEdit()
        self.visit_when.setPlaceholderText("dd/mm/yyyy")
        self.tys_workers = QLineEdit()
        self.tys_workers.setPlaceholderText("Names, separated by commas")
        self.police_officer = QLineEdit()
        self.police_officer.setPlaceholderText("Officer or unit who went with you")
        self.outcomes = QListWidget()
        self.outcomes.setAccessibleDescription("Space ticks or unticks the highlighted outcome")
        for value, label in VisitOutcome.choices():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.outcomes.addItem(item)
        self.outcomes.setFixedHeight(self.outcomes.sizeHintForRow(0) * (len(VisitOutcome) + 1))
        self.visit_errors.add_row(vform, "&Joint visit", "status", self.visit_status)
        self.visit_errors.add_row(
            vform, "Visit &when", "visited_on", self.visit_when, "The date it happened or is planned"
        )
        self.visit_errors.add_row(vform, "&TYS staff who went", "tys_workers", self.tys_workers)
        self.visit_errors.add_row(vform, "Police off&icer", "police_officer", self.police_officer)
        self.visit_errors.add_row(vform, "O&utcomes", "outcomes", self.outcomes)
        lay.addLayout(vform)
        self.visit_button = button("Record visit")
        self.visit_button.clicked.connect(self.record_visit)
        lay.addWidget(self.visit_button)
        self.planned_id: str | None = None  # a planned visit: recording the visit updates it

    def show_for(self, person_id: str) -> int:
        self.person_id = person_id
        chosen = self.place.currentData()
        self.place.clear()
        self.place.addItem("Not known or not one of our places", "")
        for p in self.backend.places.all():
            self.place.addItem(p.name, p.id)
        self.place.setCurrentIndex(max(0, self.place.findData(chosen)))
        items = self.backend.nfa.for_person(person_id)
        self.table.setRowCount(len(items))
        for r, n in enumerate(items):
            for c, text in enumerate([uk_date(n.notified_on), label_of(OffenceCategory, n.offence_category), n.source]):
                self.table.setItem(r, c, QTableWidgetItem(text))
        person = self.backend.people.get(person_id)
        count = person.nfa_count if person else len(items)
        visits = self.backend.joint_visits.for_person(person_id)
        self.visits.setRowCount(len(visits))
        for r, v in enumerate(visits):
            who = ", ".join([*v.tys_workers, *([v.police_officer] if v.police_officer else [])])
            outcome = ", ".join(label_of(VisitOutcome, o) for o in v.outcomes)
            cells = [uk_date(v.visited_on or v.planned_for), label_of(VisitStatus, v.status), who, outcome]
            for c, text in enumerate(cells):
                self.visits.setItem(r, c, QTableWidgetItem(text))
        planned = [v for v in visits if v.status == VisitStatus.PLANNED]
        self.planned_id = planned[0].id if planned else None
        is_open = person is not None and self.backend.joint_visits.prompt_open(person)
        self.prompt.setVisible(is_open)
        if is_open:
            plan = f" A visit is planned for {uk_date(planned[0].planned_for)}." if planned else ""
            self.prompt.setText(f"{count} NFAs: a joint home visit with the police is due.{plan}")
        return count

    def record_visit(self) -> bool:
        assert self.person_id is not None
        try:
            when = parse_uk_date(self.visit_when.text())
        except ValueError as exc:
            self.visit_errors.show([Problem("visited_on", str(exc))])
            return False
        status = self.visit_status.currentData()
        planned = status == VisitStatus.PLANNED
        outcomes = [
            self.outcomes.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.outcomes.count())
            if self.outcomes.item(i).checkState() == Qt.CheckState.Checked
        ]
        person_id, workers, officer = self.person_id, split_list(self.tys_workers.text()), self.police_officer.text()
        visit_id = None if planned else self.planned_id
        try:
            self.backend.write(
                lambda: self.backend.joint_visits.record(
                    person_id,
                    status,
                    visit_id=visit_id,
                    planned_for=when if planned else None,
                    visited_on=None if planned else when,
                    tys_workers=workers,
                    police_officer=officer,
                    outcomes=outcomes,
                )
            )
        except ValidationError as exc:
            problems = [Problem("visited_on", p.message) if p.field == "planned_for" else p for p in exc.problems]
            self.visit_errors.show(problems)
            return False
        self.visit_errors.clear()
        for box in (self.visit_when, self.tys_workers, self.police_officer):
            box.clear()
        self.visit_status.setCurrentIndex(0)
        for i in range(self.outcomes.count()):
            self.outcomes.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.show_for(person_id)
        if (person := self.backend.people.get(person_id)) is not None:
            self.recorded.emit(person.nfa_count)  # the profile's summary line follows
        return True

    def record(self) -> bool:
        assert self.person_id is not None
        try:
            when = parse_uk_date(self.when.text())
        except ValueError as exc:
            self.errors.show([Problem("notified_on", str(exc))])
            return False
        try:
            person_id, category, source = self.person_id, self.category.currentData(), self.source.text()
            place_id = self.place.currentData() or ""
            result = self.backend.write(
                lambda: self.backend.nfa.record(person_id, when, category, source, place_id=place_id)
            ).value
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return False
        self.errors.clear()
        self.when.clear()
        self.category.setCurrentIndex(0)
        self.source.clear()
        self.place.setCurrentIndex(0)
        self.show_for(self.person_id)
        self.recorded.emit(result.count)  # the profile refreshes (and this panel with it) before the prompt is set
        if result.joint_visit_due:
            self.prompt.setText(PROMPT.format(n=_ordinal(result.count)))
            self.prompt.show()
        return True


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")
