"""The context safety plan on a place's page or a group's page: where the plan stands, "Context plan…" to write or
revise it (a kept version each time it is agreed) and "Print conference pack…" for the PDF that names no child.

Who may read it is the declared policy's (youthwork.domain.context_plans): staff of the owning team. Partner staff
never get the panel, and its actions refuse them too."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.backend import Backend
from ui.context_plans.dialog import ContextPlanDialog, plan_state
from ui.context_plans.pack_pdf import write_pack_pdf
from ui.forms import accessible, button, hint, section
from youthwork.domain.context_plans import ContextPlan
from youthwork.domain.policy import Relation, policy_for
from youthwork.domain.vocab import Role
from youthwork.services.context_plans import Pack
from youthwork.store.settings import ROLE

log = logging.getLogger(__name__)

NOT_YOURS = "Context plans are for the team's staff: partner staff see places and headcounts only."


def may_read(backend: Backend) -> bool:
    """Whether this laptop's user may read context plans, as declared. A laptop never enrolled has no role yet: it is
    treated as staff (it holds only what its own user typed)."""
    role = backend.setting(ROLE) or ""
    if not role:
        return True
    policy = policy_for(ContextPlan.TABLE)
    try:
        return policy is not None and bool(policy.readable(Role(role), Relation.OWN))
    except ValueError:
        return False


class ContextPlanPanel(QWidget):
    """Show it for one context with `show_for(group_id=...)` or `show_for(place_id=..., about=name)`."""

    changed = Signal()  # a plan was saved or agreed

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.group_id = ""
        self.place_id = ""
        self.about = ""
        self.dialog: ContextPlanDialog | None = None  # the one open, for tests and screenshots
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(section("Context safety plan"))
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.state.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        accessible(self.state, "Where the context plan stands")
        lay.addWidget(self.state)
        self.concern = hint("")
        lay.addWidget(self.concern)
        self.row = QHBoxLayout()
        self.plan_button = button("Context plan…", "Alt+P")
        accessible(self.plan_button, "Context plan", "Write the plan, or revise it: each agreement is kept")
        self.pack_button = button("Print conference pack…", "Ctrl+P")
        accessible(self.pack_button, "Print conference pack", "A PDF about the context that names no child")
        self.row.addWidget(self.plan_button)
        self.row.addWidget(self.pack_button)
        self.row.addStretch(1)
        lay.addLayout(self.row)
        self.message = hint("")
        lay.addWidget(self.message)
        self.plan_button.clicked.connect(self.open_plan)
        self.pack_button.clicked.connect(self._print_clicked)

    def add_button(self, b: QWidget) -> None:
        """Another action beside the two (a group's "Share the pack")."""
        self.row.insertWidget(self.row.count() - 1, b)

    def show_for(self, *, group_id: str = "", place_id: str = "", about: str = "") -> None:
        self.group_id, self.place_id, self.about = group_id, place_id, about
        self.message.clear()
        self.refresh()

    def current(self) -> ContextPlan | None:
        return self.backend.context_plans.current(group_id=self.group_id, place_id=self.place_id)

    def refresh(self) -> None:
        allowed = may_read(self.backend)
        self.setVisible(allowed)
        if not allowed:
            return
        plan = self.current()
        self.state.setText(plan_state(self.backend, plan) if plan else "No context plan yet: Alt+P starts one.")
        first = plan.concern.strip().splitlines()[0] if plan and plan.concern.strip() else ""
        self.concern.setText(f"The concern: {first}" if first else "")
        self.concern.setVisible(bool(first))

    # ---- actions ------------------------------------------------------------------------------------------------

    def open_plan(self) -> ContextPlanDialog | None:
        """The plan's dialog, opened without blocking (the window stays live for sync and the idle lock)."""
        if not may_read(self.backend):
            self.message.setText(NOT_YOURS)
            return None
        service = self.backend.context_plans
        plan = service.current_or_new(group_id=self.group_id, place_id=self.place_id)
        dialog = ContextPlanDialog(self.backend, plan, self.about, self)
        self.dialog = dialog
        dialog.accepted.connect(self._saved)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def _saved(self) -> None:
        self.changed.emit()  # the page around it may show it again (which clears the message)
        self.refresh()
        self.message.setText("Context plan saved.")

    def pack(self) -> Pack:
        service = self.backend.context_plans
        return service.pack(self.group_id) if self.group_id else service.place_pack(self.place_id)

    def print_to(self, path: Path) -> Path | None:
        if not may_read(self.backend):
            self.message.setText(NOT_YOURS)
            return None
        written = write_pack_pdf(self.pack(), path)
        service = self.backend.context_plans
        self.backend.write(lambda: service.record_printed(self.group_id, written, place_id=self.place_id))
        self.message.setText(f"Saved {written.name}. It names no child. The print is in the audit trail.")
        return written

    @staticmethod
    def default_pdf_path() -> Path:
        return Path.home() / f"context-pack-{date.today().isoformat()}.pdf"

    def _print_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the conference pack as a PDF", str(self.default_pdf_path()), "PDF (*.pdf)"
        )
        if path:
            self.print_to(Path(path))
