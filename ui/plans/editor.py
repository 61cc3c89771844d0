"""The safety plan editor: write the plan with the young person, save it as a draft, agree it (a kept version),
review it later, close it, print their copy, and see every agreed version and what changed."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, form_state, hint, section, title
from ui.labels import parse_uk_date, uk_date, uk_datetime
from ui.places.plan_places import PlanPlacesPanel
from ui.plans.print import write_plan_pdf
from ui.plans.rows import RowsEditor
from ui.plans.versions import VersionsPanel
from ui.theme import em
from youthwork.domain.safety_plans import EMERGENCY_CONTACTS, NrmOutcome, PlanStatus, SafetyPlan, SafetyPlanVersion
from youthwork.domain.validation import Problem, ValidationError
from youthwork.store.settings import WORKER_NAMES

log = logging.getLogger(__name__)

STATUS_TEXT = {
    PlanStatus.DRAFT: "Draft: not yet agreed with them",
    PlanStatus.AGREED: "Agreed",
    PlanStatus.REVIEWED: "Reviewed",
    PlanStatus.CLOSED: "Closed",
}


def _text_box(name: str, lines: float = 3.5) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setAccessibleName(name)
    box.setFixedHeight(em(box, lines))
    return box


class PlanEditor(QWidget):
    back = Signal()
    saved = Signal(str)  # plan id

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.plan: SafetyPlan | None = None
        self.person_name = ""
        self._clean: tuple[object, ...] = ()

        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        self.heading = title("Safety plan")
        head.addWidget(self.heading)
        self.status_badge = QLabel()
        self.status_badge.setObjectName("hint")
        head.addWidget(self.status_badge)
        head.addStretch(1)
        self.back_button = button("Back", "Esc")
        head.addWidget(self.back_button)
        lay.addLayout(head)
        self.conflict = QLabel()
        self.conflict.setObjectName("formError")
        self.conflict.setWordWrap(True)
        self.conflict.hide()
        lay.addWidget(self.conflict)
        self.pending = hint("")
        lay.addWidget(self.pending)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Safety plan")
        lay.addWidget(self.tabs, 1)

        form_host = QWidget()
        outer = QVBoxLayout(form_host)
        self.errors = FieldErrors(QLabel())
        outer.addWidget(self.errors.form_error)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.risks = _text_box("Risks and triggers")
        self.signs = _text_box("Warning signs")
        self.places = _text_box("Safe places and routes")
        self.adults = RowsEditor([("name", "Name"), ("relationship", "Who they are"), ("phone", "Phone")], "Add adult")
        self.contacts = RowsEditor([("name", "Who"), ("number", "Number"), ("when", "When to call")], "Add number")
        self.emergency_button = button("Add the emergency numbers")
        self.contacts.buttons.insertWidget(2, self.emergency_button)
        self.action_rows = RowsEditor(
            [("action", "What we agreed"), ("who", "Who"), ("by_when", "By when (dd/mm/yyyy)")], "Add action"
        )
        self.own_words = _text_box("In their own words")
        self.review = QLineEdit()
        self.review.setPlaceholderText("dd/mm/yyyy")
        self.review.setAccessibleName("Review date")
        self.nrm_date = QLineEdit()
        self.nrm_date.setPlaceholderText("dd/mm/yyyy, if there is an NRM decision")
        self.nrm_outcome = QComboBox()
        self.nrm_outcome.addItem("No NRM decision", None)
        for value, label in NrmOutcome.choices():
            self.nrm_outcome.addItem(label, value)
        e = self.errors
        e.add_row(form, "&Risks and triggers", "risks_triggers", self.risks, "What puts them at risk, in plain words.")
        e.add_row(form, "&Warning signs", "warning_signs", self.signs)
        e.add_row(form, "Safe &places and routes", "safe_places", self.places)
        self.named_places = PlanPlacesPanel(backend, self._saved_id)
        e.add_row(
            form,
            "Places &named",
            "plan_places",
            self.named_places,
            "The team's places this plan calls safe or to avoid",
        )
        e.add_row(form, "&Trusted adults", "trusted_adults", self.adults)
        e.add_row(form, "Who to &call", "contacts", self.contacts, "At least one, with a number, before agreeing.")
        e.add_row(form, "Agreed &actions", "actions", self.action_rows)
        e.add_row(form, "In their &own words", "own_words", self.own_words)
        e.add_row(form, "Re&view date", "review_date", self.review, "Needed before the plan is agreed.")
        form.addRow(section("Internal: never printed"))
        e.add_row(form, "NRM decision &date", "nrm_decision_date", self.nrm_date)
        e.add_row(form, "NRM &decision", "nrm_outcome", self.nrm_outcome)
        outer.addLayout(form)
        outer.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop for Tab: it scrolls to the field in focus
        scroll.setAccessibleName("The plan")
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_host)
        self.tabs.addTab(scroll, "The &plan")
        self.versions = VersionsPanel(backend)
        self.tabs.addTab(self.versions, "&Versions and changes")

        buttons = QHBoxLayout()
        self.save_button = button("Save draft", "Ctrl+S")
        self.agree_button = button("Agree with them", "Ctrl+Return", primary=True)
        self.print_button = button("Print their copy", "Ctrl+P")
        self.close_button = button("Close plan…")
        for b in (self.save_button, self.print_button, self.close_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.agree_button)
        lay.addLayout(buttons)

        self.back_button.clicked.connect(self.go_back)
        self.save_button.clicked.connect(self.save)
        self.agree_button.clicked.connect(self.agree)
        self.print_button.clicked.connect(self._print_clicked)
        self.close_button.clicked.connect(self._close_clicked)
        self.emergency_button.clicked.connect(self.add_emergency_numbers)

    # Showing -------------------------------------------------------------------------------------------------------

    def new_plan(self, person_id: str) -> None:
        self._load(self.backend.plans.new_plan(person_id))

    def open_plan(self, plan_id: str) -> bool:
        plan = self.backend.plans.get(plan_id)
        if plan is None:
            return False
        self._load(plan)
        return True

    def _load(self, plan: SafetyPlan) -> None:
        self.plan = plan
        person = self.backend.people.get(plan.person_id)
        self.person_name = (person.known_as or person.first_name) if person else ""
        self.heading.setText(f"Safety plan: {person.display_name if person else ''}")
        self.risks.setPlainText(plan.risks_triggers)
        self.signs.setPlainText(plan.warning_signs)
        self.places.setPlainText(plan.safe_places)
        self.adults.set_rows(plan.trusted_adults)
        self.contacts.set_rows(plan.contacts)
        self.action_rows.set_rows([{**a, "by_when": _uk(a.get("by_when", ""))} for a in plan.actions])
        self.own_words.setPlainText(plan.own_words)
        self.review.setText(uk_date(plan.review_date))
        self.nrm_date.setText(uk_date(plan.nrm_decision_date))
        self.nrm_outcome.setCurrentIndex(max(0, self.nrm_outcome.findData(plan.nrm_outcome)))
        self.named_places.show_plan(plan.id)
        self.errors.clear()
        self._refresh_state()
        self.tabs.setCurrentIndex(0)
        self._clean = form_state(self)

    def go_back(self) -> None:
        """Esc: back to the list. What was typed is kept as a draft first; nothing is thrown away."""
        open_plan = self.plan is not None and self.plan.status != PlanStatus.CLOSED
        if open_plan and form_state(self) != self._clean and not self.save():
            return  # the draft could not be saved as it is: the problems are shown at their fields
        self.back.emit()

    def _refresh_state(self) -> None:
        plan = self.plan
        assert plan is not None
        status = PlanStatus(plan.status)
        text = STATUS_TEXT[status]
        if plan.review_date and status in (PlanStatus.AGREED, PlanStatus.REVIEWED):
            text += f" · review by {uk_date(plan.review_date)}"
        self.status_badge.setText(text)
        saved = self.backend.plans.get(plan.id) is not None
        closed = status == PlanStatus.CLOSED
        for w in (self.save_button, self.agree_button, self.close_button):
            w.setEnabled(not closed)
        self.close_button.setEnabled(saved and not closed)
        self.agree_button.setText(
            self.agree_button.text().replace("Agree with them", "Review with them")
            if plan.current_version_id
            else self.agree_button.text().replace("Review with them", "Agree with them")
        )
        conflicts = self.backend.plans.conflicts(plan.id) if saved else []
        if conflicts:
            names = self.backend.setting(WORKER_NAMES) or {}
            me = self.backend.profile.user_id

            def who(v: SafetyPlanVersion) -> str:
                by = names.get(v.agreed_by) or ("you" if v.agreed_by == me else "another worker")
                return f"version {v.number} by {by} on {uk_datetime(v.agreed_at)}"

            parts = [" and ".join(who(v) for v in c.versions) for c in conflicts]
            self.conflict.setText(
                "Two workers agreed changes to this plan from the same starting point: "
                + "; ".join(parts)
                + ". Both are kept. Compare them under Versions, then agree the plan that stands."
            )
            self.conflict.show()
        else:
            self.conflict.hide()
        changes = self.backend.plans.unagreed_changes(plan) if plan.current_version_id else []
        self.pending.setText(
            "Changed since it was agreed: " + ", ".join(c.label.lower() for c in changes) + ". Agree it again to keep."
            if changes
            else ""
        )
        self.pending.setVisible(bool(changes))
        self.versions.show_plan(plan.id if saved else None)
        self.tabs.setTabText(1, f"&Versions and changes ({len(self.versions.versions)})")

    def focus_first(self) -> None:
        self.risks.setFocus()

    # Editing -------------------------------------------------------------------------------------------------------

    def add_emergency_numbers(self) -> None:
        have = {r["number"] for r in self.contacts.rows()}
        for c in EMERGENCY_CONTACTS:
            if c["number"] not in have:
                self.contacts.append(dict(c))

    def _collect(self) -> SafetyPlan | None:
        """The form into the plan; date problems are shown at their fields (None if any)."""
        assert self.plan is not None
        problems: list[Problem] = []
        dates = {}
        for name, box in (("review_date", self.review), ("nrm_decision_date", self.nrm_date)):
            try:
                dates[name] = parse_uk_date(box.text())
            except ValueError as exc:
                problems.append(Problem(name, str(exc)))
        actions = []
        for a in self.action_rows.rows():
            when = a.get("by_when", "")
            try:
                parsed = parse_uk_date(when)
                a["by_when"] = parsed.isoformat() if parsed else ""
            except ValueError:
                problems.append(Problem("actions", f"“{when}” is not a date: write it as day/month/year."))
            actions.append(a)
        if problems:
            self.errors.show_and_focus(problems)
            return None
        p = self.plan
        p.risks_triggers = self.risks.toPlainText()
        p.warning_signs = self.signs.toPlainText()
        p.safe_places = self.places.toPlainText()
        p.trusted_adults = self.adults.rows()
        p.contacts = self.contacts.rows()
        p.actions = actions
        p.own_words = self.own_words.toPlainText()
        p.review_date = dates["review_date"]
        p.nrm_decision_date = dates["nrm_decision_date"]
        p.nrm_outcome = self.nrm_outcome.currentData()
        return p

    def _saved_id(self) -> str | None:
        """A place can only be named on a plan that is saved: save the draft first (it is kept as typed)."""
        return self.plan.id if self.save() and self.plan is not None else None

    def save(self) -> bool:
        plan = self._collect()
        if plan is None:
            return False
        try:
            self.plan = self.backend.write(lambda: self.backend.plans.save(plan)).value
        except ValidationError as exc:
            self._show(exc)
            return False
        self.errors.clear()
        self._after_write("Draft saved.")
        return True

    def agree(self) -> bool:
        plan = self._collect()
        if plan is None:
            return False
        try:
            version = self.backend.write(lambda: self.backend.plans.agree(plan)).value
        except ValidationError as exc:
            self._show(exc)
            return False
        self.errors.clear()
        self.plan = self.backend.plans.get(plan.id)
        self._after_write(f"Version {version.number} agreed and kept.")
        return True

    def close_plan(self, reason: str) -> bool:
        assert self.plan is not None
        try:
            plan_id = self.plan.id
            self.backend.write(lambda: self.backend.plans.close(plan_id, reason))
        except ValidationError as exc:
            self._show(exc)
            return False
        self.plan = self.backend.plans.get(self.plan.id)
        self._after_write("Plan closed. Its versions stay on the record.")
        return True

    def print_to(self, path: Path) -> Path:
        """Their copy of the plan as it is on screen (saved or not)."""
        plan = self._collect() or self.plan
        assert plan is not None
        written = write_plan_pdf(plan, self.person_name or "My", Path(path), worker=self.backend.worker_name)
        # A copy now exists outside the encrypted store: recorded, so a remote wipe removes it.
        self.backend.write(lambda: self.backend.plans.record_printed(plan, written))
        self.pending.setText(
            f"Saved {written.name} (readable by you only). It is not encrypted: give it to them and delete your "
            "copy. The print is in the audit trail."
        )
        self.pending.show()
        return written

    def _show(self, exc: ValidationError) -> None:
        self.errors.show_and_focus(exc.problems)

    def _after_write(self, message: str) -> None:
        assert self.plan is not None
        self._refresh_state()
        self._clean = form_state(self)
        self.pending.setText(message if not self.pending.text() else self.pending.text())
        self.pending.show()
        self.saved.emit(self.plan.id)

    @staticmethod
    def default_pdf_path() -> Path:
        # No name or nickname in the file name: a folder listing or a recent-files menu shows it to anyone.
        return Path.home() / f"safety-plan-{date.today().isoformat()}.pdf"

    def _print_clicked(self) -> None:
        default = self.default_pdf_path()
        path, _ = QFileDialog.getSaveFileName(self, "Save their plan as a PDF", str(default), "PDF (*.pdf)")
        if path:
            self.print_to(Path(path))

    def _close_clicked(self) -> None:
        reason, ok = QInputDialog.getText(self, "Close the plan", "Why is the plan being closed?")
        if ok:
            self.close_plan(reason)


def _uk(iso: str) -> str:
    try:
        return uk_date(date.fromisoformat(iso)) if iso else ""
    except ValueError:
        return iso
