"""Add or edit a young person, with validation at each field and a warning when they may already be known."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, hint, section, shortcut, title
from ui.labels import parse_uk_date, uk_date
from ui.theme import chars, em
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import Problem, ValidationError
from youthwork.domain.vocab import (
    EducationStatus,
    Ethnicity,
    Gender,
    LawfulBasis,
    RiskIndicator,
    Role,
    SocialCare,
)
from youthwork.services.allocation import AllocationService
from youthwork.store.settings import ROLE

log = logging.getLogger(__name__)

TEXT_FIELDS = (
    "first_name",
    "last_name",
    "known_as",
    "area",
    "address",
    "postcode",
    "phone",
    "email",
    "nhs_number",
    "ni_number",
    "other_references",
    "health_needs",
    "school",
)


def _combo(choices: list[tuple[str, str]], blank: str | None = None) -> QComboBox:
    combo = QComboBox()
    if blank is not None:
        combo.addItem(blank, None)
    for value, label in choices:
        combo.addItem(label, value)
    return combo


class PersonFormPage(QWidget):
    saved = Signal(str)  # person id
    cancelled = Signal()
    discarded = Signal()
    open_existing = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person: YoungPerson | None = None  # None: adding a new person
        self.changed_on_date: date | None = None  # when the circumstances this save changes took effect
        self._duplicates_seen: set[str] = set()

        outer = QVBoxLayout(self)
        head = QHBoxLayout()
        self.heading = title("Add a young person")
        head.addWidget(self.heading)
        head.addStretch(1)
        outer.addLayout(head)
        self.errors = FieldErrors(QLabel())
        outer.addWidget(self.errors.form_error)

        # Duplicate warning: shown in place, never a pop-up.
        self.duplicates = QWidget()
        dup_lay = QVBoxLayout(self.duplicates)
        dup_lay.setContentsMargins(0, 0, 0, 0)
        self.duplicate_text = QLabel()
        self.duplicate_text.setObjectName("banner")
        self.duplicate_text.setWordWrap(True)
        dup_lay.addWidget(self.duplicate_text)
        self.duplicate_buttons = QHBoxLayout()
        dup_lay.addLayout(self.duplicate_buttons)
        self.duplicates.hide()
        outer.addWidget(self.duplicates)

        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop for Tab: it scrolls to the field in focus
        scroll.setAccessibleName("Young person's details")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        scroll.setWidget(body)
        cols = QHBoxLayout(body)
        left = QFormLayout()
        right = QFormLayout()
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels go above fields when narrow
        cols.addLayout(left, 1)
        cols.addSpacing(em(self, 1))
        cols.addLayout(right, 1)
        outer.addWidget(scroll, 1)

        e = self.errors
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.known_as = QLineEdit()
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setPlaceholderText("dd/mm/yyyy")
        self.date_of_birth.setMaximumWidth(chars(self, 14))
        self.estimated_age = QSpinBox()
        self.estimated_age.setRange(0, 30)
        self.estimated_age.setSpecialValueText("Not known")
        self.estimated_age.setMaximumWidth(chars(self, 14))
        self.gender = _combo(Gender.choices())
        self.ethnicity = _combo(Ethnicity.choices(), "Not recorded")
        self.area = QLineEdit()
        completer = QCompleter(backend.areas(), self.area)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)  # no pop-up over the form
        self.area.setCompleter(completer)
        self.address = QLineEdit()
        self.postcode = QLineEdit()
        self.postcode.setMaximumWidth(chars(self, 12))
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.nhs_number = QLineEdit()
        self.ni_number = QLineEdit()
        self.other_references = QLineEdit()
        self.health_needs = QLineEdit()
        self.health_needs.setPlaceholderText("Only what they chose to tell you")
        self.other_references.setPlaceholderText("Social care: 123456; YOS: Y-889")
        self.education_status = _combo(EducationStatus.choices())
        self.school = QLineEdit()
        self.send_ehcp = QCheckBox("Special educational needs (SEND / EHCP)")
        self.looked_after = QCheckBox("Looked-after child")
        self.social_care = _combo(SocialCare.choices())
        self.changed_on = QLineEdit()
        self.changed_on.setPlaceholderText("dd/mm/yyyy")
        self.changed_on.setMaximumWidth(chars(self, 14))
        self.lead_me = QCheckBox("I am their lead worker")
        # A supervisor names anyone in the team as the lead worker (the service refuses that from a worker).
        self.supervisor = (backend.setting(ROLE) or "") == Role.SUPERVISOR
        self.lead_choice = QComboBox()
        self.lead_choice.addItem("No lead worker", "")
        me = backend.profile.user_id
        for worker_id, name in AllocationService(backend.profile).workers().items():
            self.lead_choice.addItem(f"{name} (you)" if worker_id == me else name, worker_id)
        if self.lead_choice.findData(me) < 0:
            self.lead_choice.addItem("You", me)
        self.lead_choice.setAccessibleName("Lead worker")
        self.lawful_basis = _combo(LawfulBasis.choices(), "Not recorded")
        self.active = QCheckBox("Active: we are working with them")
        self.active.setChecked(True)
        self.competence_note = QPlainTextEdit()
        self.competence_note.setTabChangesFocus(True)  # Tab moves on, as in every field; it never types a tab
        self.competence_note.setMaximumHeight(em(self, 3.5))

        e.add_row(left, "&First name", "first_name", self.first_name)
        e.add_row(left, "&Last name", "last_name", self.last_name)
        e.add_row(left, "&Known as", "known_as", self.known_as, "Nickname or the name they go by")
        e.add_row(left, "Date of &birth", "date_of_birth", self.date_of_birth)
        e.add_row(left, "Estimated a&ge", "estimated_age", self.estimated_age, "If you don't know the date of birth")
        e.add_row(left, "G&ender", "gender", self.gender)
        e.add_row(left, "E&thnicity", "ethnicity", self.ethnicity, "Special category data: only if they chose to say")
        e.add_row(left, "&Area or estate", "area", self.area)
        e.add_row(left, "Add&ress", "address", self.address)
        e.add_row(left, "&Postcode", "postcode", self.postcode)
        e.add_row(right, "P&hone", "phone", self.phone)
        e.add_row(right, "E&mail", "email", self.email)
        e.add_row(right, "NHS n&umber", "nhs_number", self.nhs_number)
        e.add_row(right, "N&I number", "ni_number", self.ni_number)
        e.add_row(
            right,
            "Other agencies' IDs (social care, &YOS, police)",
            "other_references",
            self.other_references,
            "Need to know: shown only with a reason",
        )
        e.add_row(
            right,
            "Health needs (physical or mental)",
            "health_needs",
            self.health_needs,
            "Special category data: shown only with a reason",
        )
        e.add_row(right, "E&ducation", "education_status", self.education_status)
        e.add_row(right, "S&chool or college", "school", self.school)
        e.add_row(right, "Lawful ba&sis", "lawful_basis", self.lawful_basis)
        e.add_row(right, "", "send_ehcp", self.send_ehcp)
        e.add_row(right, "", "looked_after", self.looked_after)
        e.add_row(right, "S&ocial care", "social_care", self.social_care, "A child in need or child protection plan")
        e.add_row(
            right,
            "&When it changed",
            "changed_on",
            self.changed_on,
            "If education, social care, risks or the address changed before today (blank: today)",
        )
        if self.supervisor:
            e.add_row(right, "Lead worker", "lead_worker_id", self.lead_choice)
        else:
            e.add_row(right, "", "lead_worker_id", self.lead_me)
        e.add_row(right, "", "active", self.active)

        right.addRow(section("Risk indicators"))
        risk_box = QWidget()
        grid = QGridLayout(risk_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.risks: dict[str, QCheckBox] = {}
        for i, (value, label) in enumerate(
            (v, lbl) for v, lbl in RiskIndicator.choices() if v not in LINKED_INDICATORS
        ):
            box = QCheckBox(label)
            self.risks[value] = box
            grid.addWidget(box, i, 0)
        err = QLabel()
        err.setObjectName("fieldError")
        err.hide()
        right.addRow(risk_box)
        right.addRow(err)
        e.register("risk_indicators", risk_box, err)
        e.add_row(right, "Consent &note", "competence_note", self.competence_note)

        buttons = QHBoxLayout()
        self.cancel_button = button("Back (keeps a draft)", "Esc")
        self.discard_button = button("Discard draft", "Ctrl+Shift+D")
        self.discard_button.clicked.connect(self.discarded)
        self.discard_button.hide()  # shown when the form was put back from a draft
        self.save_button = button("Save", "Ctrl+Return", primary=True)
        buttons.addWidget(hint("Only a first name or the name they go by is needed; the rest can be completed later."))
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button.clicked.connect(self.save)
        shortcut(self, "Ctrl+S", self.save)

    # Filling and reading -------------------------------------------------------------------------------------------

    def focus_first(self) -> None:
        self.first_name.setFocus()

    def start_new(self, **prefill: Any) -> None:
        self.person = None
        self._duplicates_seen = set()
        self.heading.setText("Add a young person")
        self._fill(YoungPerson(**prefill))
        self.errors.clear()
        self.duplicates.hide()

    def start_edit(self, person: YoungPerson) -> None:
        self.person = person
        self.heading.setText(f"Edit {person.display_name}")
        self._fill(person)
        self.errors.clear()
        self.duplicates.hide()

    def _fill(self, p: YoungPerson) -> None:
        for name in TEXT_FIELDS:
            getattr(self, name).setText(getattr(p, name) or "")
        self.date_of_birth.setText(uk_date(p.date_of_birth))
        self.estimated_age.setValue(p.estimated_age or 0)
        self._set_combo(self.gender, p.gender)
        self._set_combo(self.ethnicity, p.ethnicity)
        self._set_combo(self.education_status, p.education_status)
        self._set_combo(self.lawful_basis, p.lawful_basis)
        self._set_combo(self.social_care, p.social_care)
        self.changed_on.clear()
        indicators = p.risk_indicators or []
        self.send_ehcp.setChecked(bool(p.send_ehcp) or RiskIndicator.SEND.value in indicators)
        self.looked_after.setChecked(bool(p.looked_after) or RiskIndicator.LOOKED_AFTER.value in indicators)
        self.active.setChecked(bool(p.active))
        self.lead_me.setChecked(bool(p.lead_worker_id) and p.lead_worker_id == self.backend.profile.user_id)
        self._set_lead_choice(p.lead_worker_id)
        for value, box in self.risks.items():
            box.setChecked(value in (p.risk_indicators or []))
        self.competence_note.setPlainText(p.competence_note or "")

    @staticmethod
    def _set_combo(combo: QComboBox, value: Any) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def _set_lead_choice(self, worker_id: str) -> None:
        index = self.lead_choice.findData(worker_id)
        if index < 0:  # someone this laptop has no name for (from before the service)
            self.lead_choice.addItem(worker_id, worker_id)
            index = self.lead_choice.count() - 1
        self.lead_choice.setCurrentIndex(index)

    def form_values(self) -> dict[str, Any]:
        """What is typed, as plain values (also the draft)."""
        values: dict[str, Any] = {name: getattr(self, name).text() for name in TEXT_FIELDS}
        values.update(
            date_of_birth=self.date_of_birth.text(),
            estimated_age=self.estimated_age.value() or None,
            gender=self.gender.currentData(),
            ethnicity=self.ethnicity.currentData(),
            education_status=self.education_status.currentData(),
            lawful_basis=self.lawful_basis.currentData(),
            send_ehcp=self.send_ehcp.isChecked(),
            looked_after=self.looked_after.isChecked(),
            social_care=self.social_care.currentData(),
            changed_on=self.changed_on.text(),
            active=self.active.isChecked(),
            lead_me=self.lead_me.isChecked(),
            lead_choice=self.lead_choice.currentData() if self.supervisor else None,
            risk_indicators=_with_linked(
                [v for v, box in self.risks.items() if box.isChecked()],
                self.send_ehcp.isChecked(),
                self.looked_after.isChecked(),
            ),
            competence_note=self.competence_note.toPlainText(),
        )
        return values

    def set_form_values(self, values: dict[str, Any]) -> None:
        for name in TEXT_FIELDS:
            getattr(self, name).setText(values.get(name, "") or "")
        self.date_of_birth.setText(values.get("date_of_birth", "") or "")
        self.estimated_age.setValue(values.get("estimated_age") or 0)
        self._set_combo(self.gender, values.get("gender"))
        self._set_combo(self.ethnicity, values.get("ethnicity"))
        self._set_combo(self.education_status, values.get("education_status"))
        self._set_combo(self.lawful_basis, values.get("lawful_basis"))
        self.send_ehcp.setChecked(bool(values.get("send_ehcp")))
        self.looked_after.setChecked(bool(values.get("looked_after")))
        self._set_combo(self.social_care, values.get("social_care", "none"))
        self.changed_on.setText(values.get("changed_on", "") or "")
        self.active.setChecked(bool(values.get("active", True)))
        self.lead_me.setChecked(bool(values.get("lead_me")))
        if values.get("lead_choice") is not None:
            self._set_lead_choice(str(values["lead_choice"]))
        for value, box in self.risks.items():
            box.setChecked(value in values.get("risk_indicators", []))
        self.competence_note.setPlainText(values.get("competence_note", "") or "")

    def _build(self) -> YoungPerson:
        """The record from the form; raises ValidationError for what only the form can know (a bad date)."""
        values = self.form_values()
        problems: list[Problem] = []
        try:
            dob = parse_uk_date(values["date_of_birth"])
        except ValueError as exc:
            problems.append(Problem("date_of_birth", str(exc)))
            dob = None
        try:
            self.changed_on_date = parse_uk_date(values.get("changed_on", ""))
        except ValueError as exc:
            problems.append(Problem("changed_on", str(exc)))
        base = self.person or YoungPerson(created_by=self.backend.profile.user_id)
        fields = {name: values[name].strip() for name in TEXT_FIELDS}
        fields["postcode"] = fields["postcode"].upper()
        me = self.backend.profile.user_id
        lead = me if values["lead_me"] else ("" if base.lead_worker_id == me else base.lead_worker_id)
        if values.get("lead_choice") is not None:
            lead = str(values["lead_choice"])
        person = replace(
            base,
            **fields,
            date_of_birth=dob,
            estimated_age=values["estimated_age"],
            gender=values["gender"],
            ethnicity=values["ethnicity"],
            education_status=values["education_status"],
            lawful_basis=values["lawful_basis"],
            send_ehcp=values["send_ehcp"],
            looked_after=values["looked_after"],
            social_care=values["social_care"] or "none",
            active=values["active"],
            lead_worker_id=lead,
            risk_indicators=values["risk_indicators"],
            competence_note=values["competence_note"],
        )
        if problems:
            raise ValidationError(problems)
        return person

    # Actions -------------------------------------------------------------------------------------------------------

    def save(self) -> None:
        if not self.isVisible():
            return
        try:
            person = self._build()
            if self.person is None:
                matches = [
                    m for m in self.backend.people.possible_duplicates(person) if m.id not in self._duplicates_seen
                ]
                if matches:
                    self._show_duplicates(matches)
                    return
                saved = self.backend.write(lambda: self.backend.people.add(person, self.changed_on_date)).value
            else:
                saved = self.backend.write(lambda: self.backend.people.update(person, self.changed_on_date)).value
        except ValidationError as exc:
            self.errors.show_and_focus(exc.problems)
            return
        self.errors.clear()
        self.duplicates.hide()
        person_id = getattr(saved, "id", None) or person.id
        self.person = None
        self.saved.emit(person_id)

    def _show_duplicates(self, matches: list[Any]) -> None:
        self._duplicates_seen.update(m.id for m in matches)
        names = "; ".join(self._describe(m) for m in matches[:5])
        self.duplicate_text.setText(
            "This may be someone already on record: "
            + names
            + ". Open them to check, or press Save again (Ctrl+Enter) to add a new young person anyway."
        )
        while self.duplicate_buttons.count():
            item = self.duplicate_buttons.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for i, m in enumerate(matches[:3], start=1):
            b = QPushButton(f"&{i} Open {m.display_name}")
            b.clicked.connect(lambda _c=False, pid=m.id: self.open_existing.emit(pid))
            self.duplicate_buttons.addWidget(b)
        self.duplicate_buttons.addStretch(1)
        self.duplicates.show()
        self.errors.clear()
        if self.duplicate_buttons.count() > 1:
            first = self.duplicate_buttons.itemAt(0)
            if first is not None and (first_button := first.widget()) is not None:
                first_button.setFocus()

    @staticmethod
    def _describe(m: Any) -> str:
        bits = [m.display_name]
        dob = getattr(m, "date_of_birth", None)
        if dob:
            bits.append(f"born {uk_date(dob)}")
        if getattr(m, "area", ""):
            bits.append(m.area)
        return ", ".join(bits)

    def cancel(self) -> None:
        """Esc: back. The area keeps what was typed as a draft (it reads the form before it is cleared)."""
        self.errors.clear()
        self.duplicates.hide()
        self.cancelled.emit()
        self.person = None

    # Drafts --------------------------------------------------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        return {"person_id": self.person.id if self.person else None, "values": self.form_values()}

    def is_dirty(self) -> bool:
        values = self.form_values()
        return any(values[name].strip() for name in TEXT_FIELDS) or bool(values["date_of_birth"].strip())


# SEND and looked-after are facts with their own boxes (send_ehcp, looked_after) and also risk indicators (for the
# list's filter and the referral forms): one box each on the form, and both records kept in step from it.
LINKED_INDICATORS = (RiskIndicator.SEND.value, RiskIndicator.LOOKED_AFTER.value)


def _with_linked(indicators: list[str], send: bool, looked_after: bool) -> list[str]:
    chosen = set(indicators) - set(LINKED_INDICATORS)
    if send:
        chosen.add(RiskIndicator.SEND.value)
    if looked_after:
        chosen.add(RiskIndicator.LOOKED_AFTER.value)
    return [v for v, _label in RiskIndicator.choices() if v in chosen]
