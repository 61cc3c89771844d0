"""Log a session: when, where, who worked, what was done, incidents and concerns, the register. Draft or submit."""

from __future__ import annotations

import itertools
import logging
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, hint, py_date, py_time, shortcut, title
from ui.labels import join_list, session_status, split_list
from ui.notes_panel import NotesPanel
from ui.places.picker import PlacePicker
from ui.sessions.register import RegisterPanel, describe
from ui.sessions.regulars import last_register
from ui.sessions.workers_picker import WorkersPicker
from ui.theme import em
from ui.workers import Workers
from youthwork.domain.records import Session
from youthwork.domain.validation import Problem, ValidationError
from youthwork.domain.vocab import CoreActivity, SessionStatus, SessionType

log = logging.getLogger(__name__)

# An end time before the start time means the session ran past midnight, if it started in the evening.
EVENING = time(16, 0)
EARLY_MORNING = time(6, 0)


def default_times(now: datetime | None = None) -> tuple[date, time, time]:
    """A session that has just finished: the last quarter hour, and two hours before it."""
    now = now or datetime.now()
    end = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    start = end - timedelta(hours=2)
    return start.date(), start.time(), end.time()


class SessionFormPage(QWidget):
    saved = Signal(str, bool)  # session id, submitted
    cancelled = Signal()
    discarded = Signal()
    open_person = Signal(str)

    def __init__(self, backend: Backend, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.session: Session = Session()
        self.read_only = False
        self._filling = False
        self.times_suggested = False  # a new form's times are a guess until the worker touches them

        outer = QVBoxLayout(self)
        head = QHBoxLayout()
        self.heading = title("Log a session")
        head.addWidget(self.heading)
        head.addStretch(1)
        self.status = hint("")
        head.addWidget(self.status)
        outer.addLayout(head)
        self.errors = FieldErrors(QLabel())
        outer.addWidget(self.errors.form_error)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        outer.addWidget(split, 1)

        # Left: the session itself, scrollable on a small screen.
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop for Tab: it scrolls to the field in focus
        scroll.setAccessibleName("Session details")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left = QWidget()
        scroll.setWidget(left)
        form = QFormLayout(left)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        e = self.errors

        self.session_type = QComboBox()
        for value, label in SessionType.choices():
            self.session_type.addItem(label, value)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setMaximumDate(QDate.currentDate())
        self.start = QTimeEdit()
        self.start.setDisplayFormat("HH:mm")
        self.end = QTimeEdit()
        self.end.setDisplayFormat("HH:mm")
        self.start.setAccessibleName("Started at")
        self.end.setAccessibleName("Ended at")
        times = QWidget()
        column = QVBoxLayout(times)
        column.setContentsMargins(0, 0, 0, 0)
        tl = QHBoxLayout()
        tl.addWidget(self.start)
        to = QLabel("to")
        tl.addWidget(to)
        tl.addWidget(self.end)
        tl.addStretch(1)
        column.addLayout(tl)
        # Under the times, not beside them: a wrapped note beside two time boxes made the row wider than a laptop's
        # form column and was cut off at its edge.
        self.overnight = hint("")
        column.addWidget(self.overnight)
        self.area = QLineEdit()
        self.area.setPlaceholderText("Estate or area, e.g. North Peckham Estate")
        completer = QCompleter(backend.areas(), self.area)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # Inline: the rest of the name appears selected as you type; no pop-up to steal keys.
        completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
        self.area.setCompleter(completer)
        self.place = PlacePicker()
        self.place.setPlaceholderText("One of the team's places: type its name, or ↓ for the list")
        self.place.set_places(backend.places.all())
        self.workers = WorkersPicker()
        self.topics = QLineEdit()
        self.topics.setPlaceholderText("e.g. knife crime, healthy relationships, jobs")
        acts = QWidget()
        grid = QGridLayout(acts)
        grid.setContentsMargins(0, 0, 0, 0)
        self.activities: dict[str, QCheckBox] = {}
        for i, (value, label) in enumerate(CoreActivity.choices()):
            box = QCheckBox(label)
            self.activities[value] = box
            grid.addWidget(box, i // 2, i % 2)
        self.incidents = QPlainTextEdit()
        self.incidents.setTabChangesFocus(True)
        self.incidents.setMaximumHeight(em(self, 3.5))
        self.incidents.setPlaceholderText("Anything that happened: fights, police stops, injuries, damage")
        self.concern = QCheckBox("Safeg&uarding concern: flag for my supervisor")
        self.concern_banner = QLabel(
            "Your supervisor will see this session first. If a child is in immediate danger, call 999; "
            "for a safeguarding referral, contact the Children's Services Contact Team today."
        )
        self.concern_banner.setObjectName("concernBanner")
        self.concern_banner.setWordWrap(True)
        self.concern_banner.hide()
        self.concern_details = QPlainTextEdit()
        self.concern_details.setTabChangesFocus(True)
        self.concern_details.setMaximumHeight(em(self, 3.5))
        self.concern_details.setPlaceholderText("Who, what you saw or were told, what you did")
        self.concern_details.setEnabled(False)
        self.concern_about = QListWidget()  # who on the register the concern is about: Space ticks
        self.concern_about.setAccessibleName("Who the concern is about")
        self.concern_about.setAccessibleDescription(
            "The young people on the register. Space ticks the highlighted one."
        )
        self.concern_about.setMaximumHeight(em(self, 5.5))
        self.concern_about.setEnabled(False)
        self.narrative = QPlainTextEdit()
        self.narrative.setTabChangesFocus(True)
        self.narrative.setMinimumHeight(em(self, 4))
        self.narrative.setPlaceholderText("How the session went: who you spoke to, moods, what to follow up")

        e.add_row(form, "&Type", "session_type", self.session_type)
        e.add_row(form, "&Date", "date", self.date)
        e.add_row(form, "Ti&mes", "times", times)
        e.register("starts_at", self.start, e._labels["times"])
        e.register("ends_at", self.end, e._labels["times"])
        e.add_row(form, "&Area or estate", "area", self.area)
        e.add_row(form, "&Place", "place", self.place)
        e.register("place_id", self.place, e._labels["place"])
        e.add_row(form, "Wor&kers", "workers", self.workers, "Space ticks who worked it")
        e.add_row(form, "T&opics", "topics", self.topics)
        e.add_row(form, "Core a&ctivities", "core_activities", acts)
        e.add_row(form, "&Incidents", "incidents", self.incidents)
        e.add_row(form, "", "concern", self.concern)
        form.addRow("", self.concern_banner)
        e.add_row(form, "Concern d&etails", "concern_details", self.concern_details)
        about_hint = "Space ticks each one it is about"
        about_caption = e.add_row(
            form, "Concern about (&young people)", "concern_about", self.concern_about, about_hint
        )
        about_caption.setWordWrap(True)  # two lines, so the label column stays narrow on a laptop's screen
        e.add_row(form, "&Narrative", "narrative", self.narrative)
        split.addWidget(scroll)

        # Right: the register, and case notes once the session exists.
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.register = RegisterPanel(backend, workers, lambda: self.area.text().strip() or self.place.text().strip())
        self.register.regulars_source = self._regulars
        self.register.where = lambda: (self.area.text(), self.place.text())
        rl.addWidget(self.register, 3)
        self.notes_box = QWidget()
        nl = QVBoxLayout(self.notes_box)
        nl.setContentsMargins(0, 0, 0, 0)
        self.note_person = QComboBox()
        note_label = QLabel("Case note a&bout")
        note_label.setBuddy(self.note_person)
        row = QHBoxLayout()
        row.addWidget(note_label)
        row.addWidget(self.note_person, 1)
        nl.addLayout(row)
        self.notes = NotesPanel(backend)
        nl.addWidget(self.notes, 1)
        self.notes_box.hide()
        rl.addWidget(self.notes_box, 2)
        split.addWidget(right)
        split.setStretchFactor(0, 11)
        split.setStretchFactor(1, 9)
        e.register("register", self.register.ticked, self.register.error)
        e.register("headcounts", self.register.grid, self.register.error)

        # Discarding a draft asks first, in the page (no pop-up): Enter on "Discard it", or Esc/"Keep it".
        self.discard_confirm = QWidget()
        dl = QHBoxLayout(self.discard_confirm)
        dl.setContentsMargins(0, 0, 0, 0)
        self.discard_question = QLabel(
            "Discard this draft? The session and its register are removed, here and on the service once synced. "
            "This can't be undone."
        )
        self.discard_question.setWordWrap(True)
        self.discard_yes = button("Discard it")
        self.discard_no = button("Keep it")
        for b in (self.discard_yes, self.discard_no):
            b.setAutoDefault(True)  # Enter presses the focused one
        dl.addWidget(self.discard_question, 1)
        dl.addWidget(self.discard_yes)
        dl.addWidget(self.discard_no)
        self.discard_confirm.hide()
        outer.addWidget(self.discard_confirm)
        for b in (self.discard_yes, self.discard_no):
            b.installEventFilter(self)

        buttons = QHBoxLayout()
        self.cancel_button = button("Back (keeps a draft)", "Esc")
        self.discard_button = button("Discard draft…", "Ctrl+Shift+D")
        self.draft_button = button("Save draft", "Ctrl+S")
        self.submit_button = button("&Submit for sign-off", "Ctrl+Return", primary=True)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.draft_button)
        buttons.addWidget(self.submit_button)
        outer.addLayout(buttons)

        self.cancel_button.clicked.connect(self.cancel)
        self.discard_button.clicked.connect(self.ask_discard)
        self.discard_yes.clicked.connect(self.discard)
        self.discard_no.clicked.connect(self._keep)
        self.draft_button.clicked.connect(lambda: self.save(submit=False))
        self.submit_button.clicked.connect(lambda: self.save(submit=True))
        shortcut(self, "Ctrl+Enter", lambda: self.save(submit=True))
        shortcut(self, "Alt+H", self.register.focus_headcount)
        shortcut(self, "Alt+R", self.register.focus_register)
        shortcut(self, "Alt+F", self._focus_find)
        self.concern.toggled.connect(self._concern_toggled)
        self.register.changed.connect(self._register_for_concern)
        self.start.timeChanged.connect(self._times_changed)
        self.end.timeChanged.connect(self._times_changed)
        for signal in (self.date.dateChanged, self.start.timeChanged, self.end.timeChanged):
            signal.connect(self._times_edited)
        self.note_person.currentIndexChanged.connect(self._note_person_changed)

        # Tab order follows the form, then the register (its tabs first, then the page shown), then the buttons along
        # the bottom from left to right: Submit comes last.
        chain: list[QWidget] = [
            self.session_type,
            self.date,
            self.start,
            self.end,
            self.area,
            self.place,
            self.workers,
            self.topics,
            *self.activities.values(),
            self.incidents,
            self.concern,
            self.concern_details,
            self.concern_about,
            self.narrative,
            self.register.tabs,
            self.register.find_box,
            self.register.regulars_button,
            self.register.new_face_button,
            self.register.quick_name,
            self.register.quick_age,
            self.register.quick_area,
            self.register.quick_add,
            self.register.ticked,
            self.register.grid,
            self.cancel_button,
            self.discard_button,
            self.draft_button,
            self.submit_button,
        ]
        for before, after in itertools.pairwise(chain):
            self.setTabOrder(before, after)

    # Starting ------------------------------------------------------------------------------------------------------

    def focus_first(self) -> None:
        self.session_type.setFocus()

    def start_new(self) -> None:
        self.session = Session(created_by=self.backend.profile.user_id)
        self._fill(self.session, register=[])
        self.workers.set_ids([self.backend.profile.user_id])
        self.heading.setText("Log a session")

    def open(self, session: Session) -> None:
        self.session = session
        people = self.backend.sessions.register(session.id)
        self._fill(session, [{"id": p.id, "name": describe(p), "new": False} for p in people])
        self.heading.setText("Session" if self.read_only else "Carry on with this session")

    def _fill(self, s: Session, register: list[dict[str, Any]]) -> None:
        self._filling = True
        try:
            self._fill_fields(s, register)
        finally:
            self._filling = False
        self.times_suggested = s.starts_at is None
        self._times_changed()

    def _fill_fields(self, s: Session, register: list[dict[str, Any]]) -> None:
        self.errors.clear()
        self.discard_confirm.hide()
        self.read_only = s.status in (SessionStatus.SUBMITTED, SessionStatus.APPROVED)
        self.session_type.setCurrentIndex(max(0, self.session_type.findData(s.session_type)))
        if s.starts_at:
            start = s.starts_at.astimezone()
            end = (s.ends_at or s.starts_at).astimezone()
            day, t0, t1 = start.date(), start.time(), end.time()
        else:
            day, t0, t1 = default_times()
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.start.setTime(QTime(t0.hour, t0.minute))
        self.end.setTime(QTime(t1.hour, t1.minute))
        self.area.setText(s.area)
        self.place.set_places(self.backend.places.all())
        self.place.choose(s.place_id, s.place)
        self.workers.set_team(self._team(), self.backend.profile.user_id)
        self.workers.set_ids(s.workers)
        self.topics.setText(join_list(s.topics))
        for value, box in self.activities.items():
            box.setChecked(value in s.core_activities)
        self.incidents.setPlainText(s.incidents)
        self.concern.setChecked(s.concern)
        self.concern_details.setPlainText(s.concern_details)
        self.narrative.setPlainText(s.narrative)
        self.register.set_state(register, s.headcounts)
        self._set_concern_about(self.backend.sessions.concern_about(s.id))
        self.status.setText(session_status(s.status) if self.backend.sessions.get(s.id) else "Not saved yet")
        self._apply_read_only()
        self._times_changed()
        self._refresh_note_people()

    def _apply_read_only(self) -> None:
        ro = self.read_only
        for w in (
            self.session_type,
            self.date,
            self.start,
            self.end,
            self.area,
            self.place,
            self.workers,
            self.topics,
            self.concern,
            *self.activities.values(),
        ):
            w.setEnabled(not ro)
        for w in (self.incidents, self.concern_details, self.narrative):
            w.setReadOnly(ro)
        self.concern_about.setEnabled(self.concern.isChecked() and not ro)
        self.register.set_read_only(ro)
        self.draft_button.setVisible(not ro)
        self.submit_button.setVisible(not ro)
        stored = self.backend.sessions.get(self.session.id)
        self.discard_button.setVisible(stored is not None and stored.status == SessionStatus.DRAFT)

    # Reading the form ----------------------------------------------------------------------------------------------

    def _times(self) -> tuple[datetime, datetime]:
        day = py_date(self.date.date())
        t0, t1 = py_time(self.start.time()), py_time(self.end.time())
        start = datetime.combine(day, t0).astimezone()
        end = datetime.combine(day, t1).astimezone()
        if t1 <= t0 and t0 >= EVENING and t1 <= EARLY_MORNING:
            end += timedelta(days=1)
        return start, end

    def _times_changed(self) -> None:
        start, end = self._times()
        notes = ["ends the next day"] if end.date() > start.date() else []
        if self.times_suggested:
            notes.append("suggested: the last two hours. Change them to when the session ran")
        self.overnight.setText(f"({'; '.join(notes)})" if notes else "")

    def _times_edited(self) -> None:
        if not self._filling and self.times_suggested:
            self.times_suggested = False
            self._times_changed()

    def values(self) -> dict[str, Any]:
        """What is typed, as plain values: also the draft kept on lock."""
        return {
            "session_type": self.session_type.currentData(),
            "date": self.date.date().toString("yyyy-MM-dd"),
            "start": self.start.time().toString("HH:mm"),
            "end": self.end.time().toString("HH:mm"),
            "area": self.area.text(),
            "place": self.place.text(),
            "workers": self.workers.ids(),
            "topics": self.topics.text(),
            "core_activities": [v for v, b in self.activities.items() if b.isChecked()],
            "incidents": self.incidents.toPlainText(),
            "concern": self.concern.isChecked(),
            "concern_details": self.concern_details.toPlainText(),
            "concern_about": self._concern_ids(),
            "narrative": self.narrative.toPlainText(),
            **self.register.state(),
        }

    def set_values(self, v: dict[str, Any]) -> None:
        self.session_type.setCurrentIndex(max(0, self.session_type.findData(v.get("session_type"))))
        self.date.setDate(QDate.fromString(v.get("date", ""), "yyyy-MM-dd"))
        self.start.setTime(QTime.fromString(v.get("start", ""), "HH:mm"))
        self.end.setTime(QTime.fromString(v.get("end", ""), "HH:mm"))
        for name in ("area", "place", "topics"):
            getattr(self, name).setText(v.get(name, ""))
        workers = v.get("workers", [])
        self.workers.set_ids(split_list(workers) if isinstance(workers, str) else workers)  # older drafts: text
        for value, box in self.activities.items():
            box.setChecked(value in v.get("core_activities", []))
        self.incidents.setPlainText(v.get("incidents", ""))
        self.concern.setChecked(bool(v.get("concern")))
        self.concern_details.setPlainText(v.get("concern_details", ""))
        self.narrative.setPlainText(v.get("narrative", ""))
        self.register.set_state(v.get("register", []), v.get("headcounts", {}))
        self._set_concern_about(v.get("concern_about", []))

    def build(self) -> Session:
        start, end = self._times()
        v = self.values()
        return replace(
            self.session,
            session_type=v["session_type"],
            starts_at=start,
            ends_at=end,
            area=v["area"].strip(),
            place=self.place.words(),
            place_id=self.place.place_id(),
            workers=v["workers"],
            topics=split_list(v["topics"]),
            core_activities=v["core_activities"],
            incidents=v["incidents"].strip(),
            concern=v["concern"],
            concern_details=v["concern_details"].strip(),
            narrative=v["narrative"].strip(),
            headcounts=self.register.headcounts(),
        )

    # Saving --------------------------------------------------------------------------------------------------------

    def save(self, submit: bool) -> None:
        if self.read_only or not self.isVisible():
            return
        session = self.build()
        try:
            about = self._concern_ids() if session.concern else []
            register = self.register.person_ids()
            saved = self.backend.write(lambda: self.backend.sessions.save_draft(session, register, about)).value
            self.session = saved
            if submit:
                self.session = self.backend.write(lambda: self.backend.sessions.submit(saved.id)).value
        except ValidationError as exc:
            self._show_problems(exc.problems)
            return
        self.errors.clear()
        self.register.show_problem("")
        if submit:
            self.saved.emit(self.session.id, True)
        else:
            self.status.setText(f"Draft saved {datetime.now().strftime('%H:%M')}")
            self._refresh_note_people()
            self._apply_read_only()
            self.saved.emit(self.session.id, False)

    def _show_problems(self, problems: list[Problem]) -> None:
        register_problems = [p.message for p in problems if p.field in ("register", "headcounts")]
        self.register.show_problem("\n".join(register_problems))
        self.errors.show_and_focus(problems)

    def touched(self) -> bool:
        """Has anything been recorded beyond the defaults?"""
        v = self.values()
        typed = any(v[k].strip() for k in ("area", "place", "topics", "incidents", "concern_details", "narrative"))
        return typed or bool(v["register"] or v["headcounts"] or v["core_activities"] or v["concern"])

    def cancel(self) -> None:
        """Back to the list. Anything recorded is saved as a draft session first; nothing is thrown away."""
        if not self.read_only and self.isVisible() and self.touched():
            self.save(submit=False)
            if self.errors.form_error.isVisible():
                return  # the draft could not be saved as it is: the problems are shown at their fields
        self.cancelled.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Esc while asking means "keep it", not the form's Back.
        if (
            watched in (self.discard_yes, self.discard_no)
            and event.type()
            in (
                QEvent.Type.ShortcutOverride,
                QEvent.Type.KeyPress,
            )
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self._keep()
            return True
        return super().eventFilter(watched, event)

    def ask_discard(self) -> None:
        if not self.discard_button.isVisible():
            return
        self.discard_confirm.show()
        self.discard_no.setFocus()  # the safe answer has the focus

    def _keep(self) -> None:
        self.discard_confirm.hide()
        self.focus_first()

    def discard(self) -> None:
        try:
            self.backend.write(lambda: self.backend.sessions.discard_draft(self.session.id))
        except ValidationError as exc:
            self.discard_confirm.hide()
            self._show_problems(exc.problems)
            return
        self.discard_confirm.hide()
        self.discarded.emit()

    def _focus_find(self) -> None:
        self.register.tabs.setCurrentIndex(0)
        self.register.find_box.setFocus()

    def _concern_toggled(self, on: bool) -> None:
        self.concern_details.setEnabled(on)
        self.concern_about.setEnabled(on)
        self.concern_banner.setVisible(on)
        if on:
            self.concern_details.setFocus()

    def _team(self) -> dict[str, str]:
        """The team's users by id (as synced to this laptop), with this laptop's own user."""
        return self.backend.team_names()

    # Who a concern is about: the register's young people, ticked ----------------------------------------------------

    def _concern_ids(self) -> list[str]:
        return [
            self.concern_about.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.concern_about.count())
            if self.concern_about.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _register_for_concern(self) -> None:
        """Keep the list in step with the register, keeping the ticks of those still on it."""
        self._set_concern_about(self._concern_ids())

    def _set_concern_about(self, ticked: list[str]) -> None:
        keep = set(ticked)
        current = self.concern_about.currentRow()
        self.concern_about.clear()
        for entry in self.register.state()["register"]:
            item = QListWidgetItem(entry["name"].split(" · ")[0])
            item.setData(Qt.ItemDataRole.UserRole, entry["id"])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if entry["id"] in keep else Qt.CheckState.Unchecked)
            self.concern_about.addItem(item)
        if self.concern_about.count():
            self.concern_about.setCurrentRow(max(0, min(current, self.concern_about.count() - 1)))

    def _regulars(self) -> list[Any]:
        return last_register(
            self.backend.sessions,
            self.session_type.currentData(),
            self.area.text(),
            self.place.text(),
            self.session.id,
        )

    # Case notes from a session -------------------------------------------------------------------------------------

    def _refresh_note_people(self) -> None:
        saved = self.backend.sessions.get(self.session.id) is not None
        self.notes_box.setVisible(saved)
        if not saved:
            return
        self.note_person.blockSignals(True)
        self.note_person.clear()
        self.note_person.addItem("Choose a young person on the register…", None)
        for p in self.backend.sessions.register(self.session.id):
            self.note_person.addItem(p.display_name, p.id)
        self.note_person.blockSignals(False)
        self.notes.person_id = None
        self.notes.tree.clear()

    def _note_person_changed(self, _index: int) -> None:
        pid = self.note_person.currentData()
        if pid:
            self.notes.show_for(pid, self.session.id)

    # Drafts --------------------------------------------------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        return {"session_id": self.session.id, "values": self.values()}
