"""Writing and revising a context safety plan, for a place or a peer group: the concern, the partners responsible for
the context, actions with who and by when, a review date. Saving keeps a draft; agreeing keeps a version for good
(the first agreed, then each review), listed with what changed between any two on the second tab."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, accessible, button, hint
from ui.labels import label_of, parse_uk_date, uk_date
from ui.plans.rows import RowsEditor
from ui.plans.versions import VersionsPanel
from ui.theme import chars, em
from youthwork.domain.context_plans import ContextPlan, PartnerKind
from youthwork.domain.safety_plans import PlanStatus
from youthwork.domain.validation import Problem, ValidationError

TAB_PLAN, TAB_VERSIONS = 0, 1


def partner_kind(text: str) -> str:
    """A kind typed in the partners table ("housing", "Shop") as its code; anything else is "other"."""
    t = text.strip().casefold()
    if not t:
        return ""
    for value, label in PartnerKind.choices():
        if t in (value, label.casefold()) or label.casefold().startswith(t):
            return value
    return PartnerKind.OTHER.value


def plan_state(backend: Backend, plan: ContextPlan | None) -> str:
    """One line on where the plan stands, as the place's or group's page shows it."""
    if plan is None:
        return "No context plan yet."
    versions = backend.context_plans.versions(plan.id) if plan.current_version_id else []
    kept = f"version {versions[-1].number}" if versions else "not agreed yet"
    return (
        f"{label_of(PlanStatus, plan.status)} ({kept}). {len(plan.partners)} partner(s), {len(plan.actions)} "
        f"action(s); review by {uk_date(plan.review_date) or 'not set'}."
    )


class ContextPlanDialog(QDialog):
    """A place's or a group's context safety plan. `about` names the context in the title ("Commercial Way bus
    stop")."""

    def __init__(self, backend: Backend, plan: ContextPlan, about: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.plan = plan
        self.setWindowTitle(f"Context safety plan: {about}" if about else "Context safety plan")
        screen = self.screen().availableGeometry().height() if self.screen() else em(self, 40)
        self.resize(em(self, 50), min(em(self, 38), screen - em(self, 3)))  # room for its title bar on a laptop
        lay = QVBoxLayout(self)
        lay.addWidget(hint("About the context, not a child: don't name young people here. The pack leaves names out."))
        self.state = hint("")  # where the plan stands: which version was agreed last
        lay.addWidget(self.state)
        self.errors = FieldErrors(QLabel())
        lay.addWidget(self.errors.form_error)
        self.tabs = QTabWidget()
        accessible(self.tabs, "Context plan", "Ctrl+Tab moves between the plan and its kept versions")
        body = QWidget()
        form = QFormLayout(body)
        scroll = QScrollArea()  # a long plan scrolls inside the tab; the dialog stays within the screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAccessibleName("The plan")
        self._scroll = scroll
        app = QApplication.instance()
        if isinstance(app, QApplication):  # Alt+V or Alt+W scrolls to its field, as Tab does
            app.focusChanged.connect(self._follow_focus)
            self.finished.connect(lambda _r: app.focusChanged.disconnect(self._follow_focus))
        self.concern = QPlainTextEdit(plan.concern)
        self.concern.setTabChangesFocus(True)
        self.concern.setFixedHeight(em(self.concern, 3.6))
        self.partners = RowsEditor(
            [("name", "Partner"), ("kind", "Kind (housing, shop…)"), ("responsible_for", "For")], "Add partner"
        )
        self.partners.set_rows(
            [dict(p, kind=label_of(PartnerKind, p["kind"]) if p.get("kind") else "") for p in plan.partners]
        )
        self.action_rows = RowsEditor(
            [("action", "Action"), ("who", "Who"), ("by_when", "By (day/month/year)")], "Add action"
        )
        self.action_rows.set_rows([dict(a, by_when=_uk(a.get("by_when", ""))) for a in plan.actions])
        self.review = QLineEdit(uk_date(plan.review_date))
        self.review.setPlaceholderText("Day/month/year")
        self.review.setAccessibleDescription("Day/month/year")
        self.note = QLineEdit()
        self.note.setPlaceholderText("For example: after the context conference")
        self.note.setAccessibleDescription("Kept with the version you agree")
        self.errors.add_row(form, "The &concern", "concern", self.concern)
        for label, name, rows in (("&Partners", "partners", self.partners), ("&Actions", "actions", self.action_rows)):
            self.errors.add_row(form, label, name, rows).setBuddy(rows.table)  # Alt+key goes to the cells
        # The review date and the note for the version share a row, so a plan fits a laptop's screen unscrolled.
        when = QWidget()
        row_lay = QHBoxLayout(when)
        row_lay.setContentsMargins(0, 0, 0, 0)
        self.review.setMaximumWidth(chars(self.review, 18))
        note_label = QLabel("&What changed")
        note_label.setBuddy(self.note)
        self.note.setAccessibleName("What changed")
        row_lay.addWidget(self.review)
        row_lay.addSpacing(em(self, 0.5))
        row_lay.addWidget(note_label)
        row_lay.addWidget(self.note, 1)
        self.review.setAccessibleName("Review by")
        box = QWidget()
        box_lay = QVBoxLayout(box)
        box_lay.setContentsMargins(0, 0, 0, 0)
        box_lay.setSpacing(0)
        box_lay.addWidget(when)
        error = QLabel()  # as FieldErrors.add_row makes it, for the review date (the field a problem is about)
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        box_lay.addWidget(error)
        caption = QLabel("Re&view by")
        caption.setBuddy(self.review)
        form.addRow(caption, box)
        self.errors.register("review_date", self.review, error)
        self.tabs.addTab(scroll, "The p&lan")
        self.versions = VersionsPanel(backend, source=lambda: backend.context_plans)
        self.tabs.addTab(self.versions, "Kep&t versions")
        lay.addWidget(self.tabs, 1)
        row = QDialogButtonBox()
        self.save_button = button("Save draft", "Ctrl+S")
        self.agree_button = button("Agree this version", "Ctrl+Return", primary=True)
        row.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        row.addButton(self.agree_button, QDialogButtonBox.ButtonRole.AcceptRole)
        row.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        self.save_button.clicked.connect(lambda: self._write(agree=False))
        self.agree_button.clicked.connect(lambda: self._write(agree=True))
        lay.addWidget(row)
        self._show_versions()

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        body = self._scroll.widget()
        if new is not None and body is not None and body.isAncestorOf(new):
            self._scroll.ensureWidgetVisible(new)

    def _show_versions(self) -> None:
        p = self.plan
        saved = self.backend.context_plans.get(p.id) is not None
        self.versions.show_plan(p.id if saved else None)
        n = len(self.versions.versions)
        self.tabs.setTabText(TAB_VERSIONS, f"Kep&t versions ({n})")
        if n:
            last = self.versions.versions[-1]
            self.state.setText(
                f"Version {last.number} was agreed on {uk_date(last.agreed_at)}. Agreeing your changes keeps them as "
                f"version {n + 1}."
            )
        else:
            self.state.setText("Not agreed yet: save a draft, or agree it with the partners to keep it as version 1.")

    def _collect(self) -> ContextPlan | None:
        p = self.plan
        try:
            p.review_date = parse_uk_date(self.review.text())
        except ValueError as exc:
            self.errors.show_and_focus([Problem("review_date", str(exc))])
            return None
        actions = []
        for a in self.action_rows.rows():
            try:
                when = parse_uk_date(a.get("by_when", ""))
            except ValueError as exc:
                self.errors.show_and_focus([Problem("actions", str(exc))])
                return None
            actions.append(dict(a, by_when=when.isoformat() if when else ""))
        p.concern = self.concern.toPlainText()
        p.partners = [dict(r, kind=partner_kind(r.get("kind", ""))) for r in self.partners.rows()]
        p.actions = actions
        return p

    def _write(self, agree: bool) -> None:
        plan = self._collect()
        if plan is None:
            return
        service = self.backend.context_plans
        note = self.note.text()
        try:
            if agree:
                self.backend.write(lambda: service.agree(plan, note))
            else:
                self.backend.write(lambda: service.save(plan))
        except ValidationError as exc:
            self.tabs.setCurrentIndex(TAB_PLAN)
            self.errors.show_and_focus(exc.problems)
            return
        self.accept()


def _uk(iso: str) -> str:
    try:
        return uk_date(date.fromisoformat(iso)) if iso else ""
    except ValueError:
        return iso
