"""A young person's missing episodes on their profile: report one, record the return, and the return home interview
(offered within 72 hours of the return: done, declined or not yet; who did it, what was learned, places and people).

Special category and criminal-offence data where the fields say so: need to know only."""

from __future__ import annotations

import logging
from datetime import datetime, time

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
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, hint, section
from ui.labels import label_of, parse_uk_date, uk_datetime
from youthwork.domain.missing import InterviewStatus, ReportedBy
from youthwork.domain.validation import Problem, ValidationError
from youthwork.services.missing import EpisodeView

log = logging.getLogger(__name__)


def parse_when(text: str, name: str) -> datetime | None:
    """ "dd/mm/yyyy hh:mm" (the time optional: midday) in this laptop's time zone; a Problem for `name` if not."""
    text = text.strip()
    if not text:
        return None
    day_text, _, time_text = text.partition(" ")
    try:
        day = parse_uk_date(day_text)
        at = time(12, 0)
        if time_text.strip():
            hours, _, minutes = time_text.strip().replace(".", ":").partition(":")
            at = time(int(hours), int(minutes or 0))
    except ValueError as exc:
        message = str(exc) if "date" in str(exc) else "Write the time as hours:minutes, for example 21:30."
        raise ValidationError([Problem(name, message)]) from None
    assert day is not None
    return datetime.combine(day, at).astimezone()


def _multiline(placeholder: str, rows: int = 2) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * (rows + 1))
    return box


class PersonMissingTab(QWidget):
    recorded = Signal()

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person_id: str | None = None
        self.views: list[EpisodeView] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Missing episodes")
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll)
        lay = QVBoxLayout(body)
        lay.addWidget(hint("Why they went, the police reference and exploitation concerns are need-to-know only."))
        self.prompt = QLabel()
        self.prompt.setObjectName("banner")
        self.prompt.setWordWrap(True)
        self.prompt.hide()
        lay.addWidget(self.prompt)

        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName("Missing episodes")
        self.table.setHorizontalHeaderLabels(["Reported missing", "Reported by", "Back", "Found", "Interview"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        self.table.setMinimumHeight(self.table.fontMetrics().lineSpacing() * 5)
        self.table.currentCellChanged.connect(lambda row, *_: self._choose(row))
        lay.addWidget(self.table)

        # The chosen episode: the return, then the interview
        self.chosen = section("Back from missing")
        lay.addWidget(self.chosen)
        self.return_errors = FieldErrors(QLabel())
        lay.addWidget(self.return_errors.form_error)
        rform = QFormLayout()
        self.returned_at = QLineEdit()
        self.returned_at.setPlaceholderText("dd/mm/yyyy hh:mm")
        self.found_where = QLineEdit()
        self.found_where.setPlaceholderText("Where they were found, or that they came home")
        self.return_errors.add_row(rform, "Came bac&k", "returned_at", self.returned_at)
        self.return_errors.add_row(rform, "Found &where", "found_where", self.found_where)
        lay.addLayout(rform)
        self.return_button = button("Record return")
        self.return_button.clicked.connect(self.record_return)
        lay.addWidget(self.return_button, alignment=Qt.AlignmentFlag.AlignRight)

        lay.addWidget(section("Return home interview"))
        lay.addWidget(hint("Offer it within 72 hours of their return."))
        self.interview_errors = FieldErrors(QLabel())
        lay.addWidget(self.interview_errors.form_error)
        iform = QFormLayout()
        self.offered_at = QLineEdit()
        self.offered_at.setPlaceholderText("dd/mm/yyyy hh:mm")
        self.status = QComboBox()
        for value, label in InterviewStatus.choices():
            self.status.addItem(label, value)
        self.held_at = QLineEdit()
        self.held_at.setPlaceholderText("dd/mm/yyyy hh:mm (when done or declined)")
        self.done_by = QLineEdit()
        self.learned = _multiline("Why they went, where, with whom; what would help", 3)
        self.places = QLineEdit()
        self.places.setPlaceholderText("Places they talked about")
        self.people_linked = QLineEdit()
        self.people_linked.setPlaceholderText("People they were with or talked about")
        self.interview_errors.add_row(iform, "&Interview offered", "offered_at", self.offered_at)
        self.interview_errors.add_row(iform, "Interview s&tatus", "status", self.status)
        self.interview_errors.add_row(iform, "Done or declined on", "held_at", self.held_at)
        self.interview_errors.add_row(iform, "Done &by", "done_by", self.done_by)
        self.interview_errors.add_row(iform, "What was learned", "learned", self.learned)
        self.interview_errors.add_row(iform, "Places linked", "places", self.places)
        self.interview_errors.add_row(iform, "People linked", "people_linked", self.people_linked)
        lay.addLayout(iform)
        row = QHBoxLayout()
        row.addStretch(1)
        self.interview_button = button("Save interview")
        self.interview_button.clicked.connect(self.save_interview)
        row.addWidget(self.interview_button)
        lay.addLayout(row)
        # Report an episode
        lay.addWidget(section("Report a missing episode"))
        self.report_errors = FieldErrors(QLabel())
        lay.addWidget(self.report_errors.form_error)
        form = QFormLayout()
        self.reported_at = QLineEdit()
        self.reported_at.setPlaceholderText("dd/mm/yyyy hh:mm")
        self.reported_by = QComboBox()
        self.reported_by.addItem("Choose…", "")
        for value, label in ReportedBy.choices():
            self.reported_by.addItem(label, value)
        self.reported_by_name = QLineEdit()
        self.reported_by_name.setPlaceholderText("Name or service, as they gave it")
        self.from_care = QCheckBox("Missing from &care (looked after)")
        self.police_reference = QLineEdit()
        self.exploitation = QCheckBox("Concern it is linked to criminal or sexual exploitation")
        self.report_errors.add_row(form, "Reported &at", "reported_at", self.reported_at)
        self.report_errors.add_row(form, "Reported b&y", "reported_by", self.reported_by)
        self.report_errors.add_row(form, "Who reported it", "reported_by_name", self.reported_by_name)
        form.addRow("", self.from_care)
        self.report_errors.add_row(form, "Police reference", "police_reference", self.police_reference)
        form.addRow("", self.exploitation)
        lay.addLayout(form)
        self.report_button = button("Record missing episode")
        self.report_button.clicked.connect(self.report)
        lay.addWidget(self.report_button, alignment=Qt.AlignmentFlag.AlignRight)

        lay.addStretch(1)
        self._choose(-1)

    # Showing ----------------------------------------------------------------------------------------------------

    def show_for(self, person_id: str) -> int:
        keep = self._current_id() if person_id == self.person_id else None
        self.person_id = person_id
        self.views = self.backend.missing.for_person(person_id)
        self.table.setRowCount(len(self.views))
        for r, v in enumerate(self.views):
            e, i = v.episode, v.interview
            back = uk_datetime(e.returned_at) if e.returned_at else "Still missing"
            interview = "" if e.returned_at is None else "Due" if i is None else label_of(InterviewStatus, i.status)
            if i is not None and i.status != InterviewStatus.NOT_YET and i.held_at:
                interview += f" {uk_datetime(i.held_at)}"
            cells = [uk_datetime(e.reported_at), label_of(ReportedBy, e.reported_by), back, e.found_where, interview]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, e.id)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        due = [v for v in self.views if v.interview_due]
        self.prompt.setVisible(bool(due))
        if due:
            by = due[0].episode.interview_due_by()
            self.prompt.setText(
                f"Back since {uk_datetime(due[0].episode.returned_at)}: a return home interview is due"
                f" (offer it by {uk_datetime(by)})."
            )
        rows = [r for r, v in enumerate(self.views) if v.episode.id == keep]
        self.table.setCurrentCell(rows[0] if rows else (0 if self.views else -1), 0)
        self._choose(self.table.currentRow())
        return len(self.views)

    def _current_id(self) -> str | None:
        row = self.table.currentRow()
        return self.views[row].episode.id if 0 <= row < len(self.views) else None

    def _choose(self, row: int) -> None:
        """Fill the return and interview forms from the chosen episode."""
        view = self.views[row] if 0 <= row < len(self.views) else None
        has = view is not None
        back = has and view is not None and view.episode.returned_at is not None
        for w in (self.returned_at, self.found_where, self.return_button):
            w.setEnabled(has)
        for field in (
            self.offered_at,
            self.status,
            self.held_at,
            self.done_by,
            self.learned,
            self.places,
            self.people_linked,
            self.interview_button,
        ):
            field.setEnabled(back)
        if view is None:
            self.chosen.setText("Back from missing (choose an episode above)")
            return
        e, i = view.episode, view.interview
        self.chosen.setText(f"Back from missing: the episode reported {uk_datetime(e.reported_at)}")
        self.returned_at.setText(uk_datetime(e.returned_at))
        self.found_where.setText(e.found_where)
        self.offered_at.setText(uk_datetime(i.offered_at) if i else "")
        self.status.setCurrentIndex(max(0, self.status.findData(i.status if i else InterviewStatus.NOT_YET.value)))
        self.held_at.setText(uk_datetime(i.held_at) if i else "")
        self.done_by.setText(i.done_by if i else self.backend.worker_name)
        self.learned.setPlainText(i.learned if i else "")
        self.places.setText(i.places if i else "")
        self.people_linked.setText(i.people_linked if i else "")

    # Writing ----------------------------------------------------------------------------------------------------

    def report(self) -> bool:
        assert self.person_id is not None
        person_id = self.person_id
        try:
            when = parse_when(self.reported_at.text(), "reported_at")
            by, name = self.reported_by.currentData(), self.reported_by_name.text()
            care, ref, exploit = self.from_care.isChecked(), self.police_reference.text(), self.exploitation.isChecked()
            self.backend.write(
                lambda: self.backend.missing.report(
                    person_id,
                    when,
                    by,
                    reported_by_name=name,
                    from_care=care,
                    police_reference=ref,
                    exploitation_concern=exploit,
                )
            )
        except ValidationError as exc:
            self.report_errors.show(exc.problems)
            return False
        self.report_errors.clear()
        for box in (self.reported_at, self.reported_by_name, self.police_reference):
            box.clear()
        self.reported_by.setCurrentIndex(0)
        self.from_care.setChecked(False)
        self.exploitation.setChecked(False)
        self.person_id = None  # choose the new episode, the newest
        self.show_for(person_id)
        self.recorded.emit()
        return True

    def record_return(self) -> bool:
        episode_id = self._current_id()
        if episode_id is None:
            return False
        try:
            when = parse_when(self.returned_at.text(), "returned_at")
            where = self.found_where.text()
            self.backend.write(lambda: self.backend.missing.record_return(episode_id, when, where))
        except ValidationError as exc:
            self.return_errors.show(exc.problems)
            return False
        self.return_errors.clear()
        self._refresh()
        return True

    def save_interview(self) -> bool:
        episode_id = self._current_id()
        if episode_id is None:
            return False
        try:
            offered = parse_when(self.offered_at.text(), "offered_at")
            held = parse_when(self.held_at.text(), "held_at")
            status, done_by = self.status.currentData(), self.done_by.text()
            learned, places = self.learned.toPlainText(), self.places.text()
            people = self.people_linked.text()
            self.backend.write(
                lambda: self.backend.missing.record_interview(
                    episode_id,
                    offered_at=offered,
                    status=status,
                    held_at=held,
                    done_by=done_by,
                    learned=learned,
                    places=places,
                    people_linked=people,
                )
            )
        except ValidationError as exc:
            self.interview_errors.show(exc.problems)
            return False
        self.interview_errors.clear()
        self._refresh()
        return True

    def _refresh(self) -> None:
        if self.person_id:
            self.show_for(self.person_id)
        self.recorded.emit()
