"""The Sessions area: the list and the session form, in one stack."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from ui.backend import Backend
from ui.forms import Focusable
from ui.sessions.list_page import SessionsListPage
from ui.sessions.session_form import SessionFormPage
from ui.workers import Workers
from youthwork.domain.records import Session
from youthwork.services.changes import Changes

log = logging.getLogger(__name__)

SESSION_DRAFT = "session_form"
SESSION_NOTE_DRAFT = "session_note"


class SessionsArea(QWidget):
    open_person = Signal(str)

    def __init__(self, backend: Backend, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.workers = workers
        self.stack = QStackedWidget()
        self.list = SessionsListPage(backend)
        self.stack.addWidget(self.list)
        self._form: SessionFormPage | None = None  # built on first use: unlocking is quicker
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.list.new_session.connect(self.new_session)
        self.list.open_session.connect(self.open_session)
        # The list loads when first shown (see SessionsListPage.showEvent): unlocking does not wait for it.

    @property
    def form(self) -> SessionFormPage:
        if self._form is None:
            self._form = SessionFormPage(self.backend, self.workers)
            self.stack.addWidget(self._form)
            self._form.saved.connect(self._saved)
            self._form.cancelled.connect(self.show_list)
            self._form.discarded.connect(self._discarded)
            self._form.open_person.connect(self.open_person)
        return self._form

    def focus_first(self) -> None:
        if isinstance(page := self.stack.currentWidget(), Focusable):
            page.focus_first()

    def show_list(self) -> None:
        self.backend.drafts.discard(SESSION_DRAFT)
        self.list.refresh()
        self.stack.setCurrentWidget(self.list)
        self.list.focus_first()

    def new_session(self) -> None:
        self.form.start_new()
        self.stack.setCurrentWidget(self.form)
        self.form.focus_first()

    def open_session(self, session_id: str) -> None:
        session = self.backend.sessions.get(session_id)
        if session is None:
            return
        self.form.open(session)
        self.stack.setCurrentWidget(self.form)
        self.form.focus_first()

    def _saved(self, session_id: str, submitted: bool) -> None:
        self.backend.drafts.discard(SESSION_DRAFT)
        if submitted:
            session = self.backend.sessions.get(session_id)
            flagged = " Your supervisor will see the safeguarding concern." if session and session.concern else ""
            self.list.message.setText("Submitted for sign-off." + flagged)
            self.show_list()

    def _discarded(self) -> None:
        self.list.message.setText("Draft discarded.")
        self.show_list()

    def refresh_for(self, changes: Changes) -> None:
        """The list reloads when sessions or registers changed; an open form is left as the worker has it."""
        if changes.touches("sessions", "attendance"):
            self.list.refresh()

    # Drafts --------------------------------------------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        return self._form is not None and self.stack.currentWidget() is self._form and not self._form.read_only

    def drafts(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        if self.editing:
            out[SESSION_DRAFT] = self.form.draft()
        if self._form is not None and self.stack.currentWidget() is self._form:
            note = self.form.notes.draft()
            if note is not None:
                out[SESSION_NOTE_DRAFT] = note
        return out

    def restore_draft(self, key: str, data: dict[str, Any]) -> None:
        if key == SESSION_DRAFT:
            stored = self.backend.sessions.get(data.get("session_id", ""))
            if stored is not None:
                self.form.open(stored)
            else:
                self.form.start_new()
                self.form.session = Session(id=data["session_id"], created_by=self.backend.profile.user_id)
            self.form.set_values(data.get("values", {}))
            self.form.status.setText("Put back from your draft")
            self.stack.setCurrentWidget(self.form)
        elif key == SESSION_NOTE_DRAFT:
            index = self.form.note_person.findData(data.get("person_id"))
            if index >= 0:
                self.form.note_person.setCurrentIndex(index)
            self.form.notes.restore(data)

    def shutdown(self) -> None:
        if self._form is not None:
            self._form.register.searcher.cancel()
