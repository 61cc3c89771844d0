"""The Places area's dialogs: a place's details, confirming the free text from earlier sessions as places, and a
deployment log entry."""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, accessible, button, hint, title
from ui.labels import parse_uk_date, uk_date, uk_datetime
from ui.theme import chars, em
from youthwork.domain.places import Deployment, DeploymentSource, Place, PlaceKind
from youthwork.domain.validation import Problem, ValidationError
from youthwork.services.places import PlaceSuggestion

log = logging.getLogger(__name__)


def kind_box() -> QComboBox:
    box = QComboBox()
    for value, label in PlaceKind.choices():
        box.addItem(label, value)
    return box


def _text_box(placeholder: str, lines: float = 3.5) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    box.setMaximumHeight(em(box, lines))
    return box


def _buttons(dialog: QDialog, save_text: str) -> tuple[QHBoxLayout, QPushButton]:
    row = QHBoxLayout()
    row.addStretch(1)
    save = button(save_text, "Ctrl+Return", primary=True)
    cancel = button("Cancel", "Esc")
    cancel.clicked.connect(dialog.reject)
    row.addWidget(cancel)
    row.addWidget(save)
    return row, save


class PlaceDialog(QDialog):
    """Add a place, or change one."""

    def __init__(self, backend: Backend, place: Place | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.place = place or Place()
        self.saved: Place | None = None
        self.setWindowTitle("Change a place" if place else "New place")
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.windowTitle()))
        lay.addWidget(hint("A place is somewhere young people are met or harm happens. Name no young person here."))
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.name = QLineEdit(self.place.name)
        self.name.setPlaceholderText("e.g. Sumner Road cage")
        self.kind = kind_box()
        self.kind.setCurrentIndex(max(0, self.kind.findData(self.place.kind)))
        self.ward = QLineEdit(self.place.ward)
        self.ward.setPlaceholderText("e.g. Peckham")
        self.latitude = QLineEdit("" if self.place.latitude is None else str(self.place.latitude))
        self.latitude.setPlaceholderText("optional, e.g. 51.4735")
        self.longitude = QLineEdit("" if self.place.longitude is None else str(self.place.longitude))
        self.longitude.setPlaceholderText("optional, e.g. -0.0693")
        self.description = _text_box("How a colleague finds it: the cage behind the community centre")
        self.description.setPlainText(self.place.description)
        self.errors.add_row(form, "&Name", "name", self.name)
        self.errors.add_row(form, "&Kind of place", "kind", self.kind)
        self.errors.add_row(form, "&Ward", "ward", self.ward)
        self.errors.add_row(form, "&Latitude", "latitude", self.latitude)
        self.errors.add_row(form, "L&ongitude", "longitude", self.longitude)
        self.errors.add_row(form, "&How to find it", "description", self.description)
        lay.addLayout(form)
        row, save = _buttons(self, "Save place")
        save.clicked.connect(self.save)
        lay.addLayout(row)
        self.setMinimumWidth(chars(self, 60))

    def _number(self, box: QLineEdit, name: str, problems: list[Problem]) -> float | None:
        text = box.text().strip()
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            problems.append(Problem(name, "Enter a number in decimal degrees, e.g. 51.4735."))
            return None

    def save(self) -> None:
        problems: list[Problem] = []
        lat = self._number(self.latitude, "latitude", problems)
        lon = self._number(self.longitude, "longitude", problems)
        if problems:
            self.errors.show_and_focus(problems)
            return
        place = replace(
            self.place,
            name=self.name.text(),
            kind=self.kind.currentData(),
            ward=self.ward.text().strip(),
            latitude=lat,
            longitude=lon,
            description=self.description.toPlainText().strip(),
        )
        try:
            self.saved = self.backend.write(lambda: self.backend.places.save(place)).value
        except ValidationError as e:
            self.errors.show_and_focus(e.problems)
            return
        self.accept()


class ConfirmPlacesDialog(QDialog):
    """The areas and places typed on earlier sessions, offered one at a time: confirm each as a place, or skip it."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.confirmed = 0
        self.setWindowTitle("Confirm earlier places")
        lay = QVBoxLayout(self)
        lay.addWidget(title("Confirm earlier places"))
        lay.addWidget(
            hint(
                "Before places were records, sessions named where they were in words. Each is offered here: "
                "confirm it as a place (its sessions are then linked to it), or skip it. Nothing changes until you "
                "confirm. Signed-off sessions keep their words."
            )
        )
        self.list = QListWidget()
        accessible(self.list, "Earlier places to confirm", "The words typed on earlier sessions, most used first")
        self.list.setMaximumHeight(em(self, 9))
        lay.addWidget(self.list)
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.name = QLineEdit()
        self.kind = kind_box()
        self.ward = QLineEdit()
        self.errors.add_row(form, "&Name it", "name", self.name, "Tidy the spelling: one place, one name")
        self.errors.add_row(form, "&Kind of place", "kind", self.kind)
        self.errors.add_row(form, "&Ward", "ward", self.ward)
        lay.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.skip_button = button("&Skip this one")
        self.confirm_button = button("&Confirm as a place", "Ctrl+Return", primary=True)
        close = button("Close", "Esc")
        close.clicked.connect(self.accept)
        for b in (close, self.skip_button, self.confirm_button):
            row.addWidget(b)
        lay.addLayout(row)
        self.skip_button.clicked.connect(self.skip)
        self.confirm_button.clicked.connect(self.confirm)
        self.list.currentRowChanged.connect(self._chosen)
        self.setMinimumWidth(chars(self, 64))
        self.load()

    def load(self) -> None:
        self.suggestions = self.backend.places.suggestions()
        self.list.clear()
        for s in self.suggestions:
            item = QListWidgetItem(f"{s.text}: {s.sessions} session{'s' if s.sessions != 1 else ''}")
            self.list.addItem(item)
        empty = not self.suggestions
        for w in (self.name, self.kind, self.ward, self.skip_button, self.confirm_button):
            w.setEnabled(not empty)
        if empty:
            self.message.setText("Every earlier place has been confirmed or skipped.")
        else:
            self.list.setCurrentRow(0)

    def current(self) -> PlaceSuggestion | None:
        row = self.list.currentRow()
        return self.suggestions[row] if 0 <= row < len(self.suggestions) else None

    def _chosen(self, _row: int) -> None:
        s = self.current()
        if s is None:
            return
        self.errors.clear()
        self.name.setText(s.text)
        self.kind.setCurrentIndex(max(0, self.kind.findData(s.kind)))
        self.ward.clear()

    def skip(self) -> None:
        row = self.list.currentRow()
        if row + 1 < self.list.count():
            self.list.setCurrentRow(row + 1)
        self.name.setFocus()

    def confirm(self) -> None:
        s = self.current()
        if s is None:
            return
        try:
            place, linked = self.backend.write(
                lambda: self.backend.places.confirm(s.text, self.name.text(), self.kind.currentData(), self.ward.text())
            ).value
        except ValidationError as e:
            self.errors.show_and_focus(e.problems)
            return
        self.confirmed += 1
        row = self.list.currentRow()
        self.load()
        self.list.setCurrentRow(min(row, self.list.count() - 1))
        self.message.setText(f"{place.name} is a place now; {linked} session{'s' if linked != 1 else ''} linked.")
        self.name.setFocus()


class DeploymentDialog(QDialog):
    """A deployment log entry: the report that sent workers to a place, what they found, what went back to tasking."""

    def __init__(
        self, backend: Backend, entry: Deployment | None = None, place_id: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.entry = entry or Deployment(place_id=place_id)
        self.saved: Deployment | None = None
        self.setWindowTitle("Deployment log entry")
        lay = QVBoxLayout(self)
        lay.addWidget(title("Deployment log entry"))
        lay.addWidget(
            hint(
                "What led the team to a place and what came of it. Name no young person: what is known about a "
                "child goes on their record."
            )
        )
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.place = QComboBox()
        for p in backend.places.all():
            self.place.addItem(p.name, p.id)
        self.place.setCurrentIndex(max(0, self.place.findData(self.entry.place_id)))
        self.source = QComboBox()
        for value, label in DeploymentSource.choices():
            self.source.addItem(label, value)
        self.source.setCurrentIndex(max(0, self.source.findData(self.entry.source)))
        self.reference = QLineEdit(self.entry.reference)
        self.reference.setPlaceholderText("The report's own reference, if it has one")
        self.received = QLineEdit(uk_date(self.entry.received_on))
        self.received.setPlaceholderText("dd/mm/yyyy")
        self.reported = _text_box("What the report said")
        self.reported.setPlainText(self.entry.reported)
        self.session = QComboBox()
        self.found = _text_box("What the workers found when they went")
        self.found.setPlainText(self.entry.found)
        self.fed_back = _text_box("What was fed back to the tasking meeting")
        self.fed_back.setPlainText(self.entry.fed_back)
        self.fed_back_on = QLineEdit(uk_date(self.entry.fed_back_on))
        self.fed_back_on.setPlaceholderText("dd/mm/yyyy")
        e = self.errors
        e.add_row(form, "&Place", "place_id", self.place)
        e.add_row(form, "&What led to it", "source", self.source)
        e.add_row(form, "&Reference", "reference", self.reference)
        e.add_row(form, "Report recei&ved", "received_on", self.received)
        e.add_row(form, "What the report &said", "reported", self.reported)
        e.add_row(form, "Session it le&d to", "session_id", self.session)
        e.add_row(form, "What we &found", "found", self.found)
        e.add_row(form, "Fed &back to tasking", "fed_back", self.fed_back)
        e.add_row(form, "Fed back &on", "fed_back_on", self.fed_back_on)
        lay.addLayout(form)
        row, save = _buttons(self, "Save entry")
        save.clicked.connect(self.save)
        lay.addLayout(row)
        self.place.currentIndexChanged.connect(self._sessions)
        self._sessions()
        self.setMinimumWidth(chars(self, 70))

    def _sessions(self) -> None:
        self.session.clear()
        self.session.addItem("None yet", "")
        place_id = self.place.currentData() or ""
        if place_id:
            for s in self.backend.places.sessions_at(place_id):
                self.session.addItem(f"{uk_datetime(s.starts_at)}, {s.session_type.replace('_', ' ')}", s.id)
        self.session.setCurrentIndex(max(0, self.session.findData(self.entry.session_id)))

    def save(self) -> None:
        problems: list[Problem] = []
        dates = {}
        for name, box in (("received_on", self.received), ("fed_back_on", self.fed_back_on)):
            try:
                dates[name] = parse_uk_date(box.text())
            except ValueError as e:
                problems.append(Problem(name, str(e)))
        if problems:
            self.errors.show_and_focus(problems)
            return
        entry = replace(
            self.entry,
            place_id=self.place.currentData() or "",
            source=self.source.currentData(),
            reference=self.reference.text(),
            received_on=dates["received_on"],
            reported=self.reported.toPlainText(),
            session_id=self.session.currentData() or "",
            found=self.found.toPlainText(),
            fed_back=self.fed_back.toPlainText(),
            fed_back_on=dates["fed_back_on"],
        )
        try:
            self.saved = self.backend.write(lambda: self.backend.places.log_deployment(entry)).value
        except ValidationError as e:
            self.errors.show_and_focus(e.problems)
            return
        self.accept()
