"""The Young people area: list → profile → add/edit, in one stack."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from ui.backend import Backend
from ui.forms import Focusable, hint
from ui.people.list_page import PeopleListPage
from ui.people.person_form import PersonFormPage
from ui.people.profile_page import ProfilePage
from ui.workers import Workers
from youthwork.services.changes import Changes

log = logging.getLogger(__name__)

PERSON_DRAFT = "person_form"
NOTE_DRAFT = "person_note"
# What the list shows, and what a profile's tabs show (details, sessions, notes, plans, referrals, history, NFAs,
# privacy): a change to any of these reloads them.
LIST_TABLES = ("people", "rag_ratings", "sessions", "attendance")
PROFILE_TABLES = (
    *LIST_TABLES,
    "case_notes",
    "safety_plans",
    "safety_plan_versions",
    "referrals",
    "referral_events",
    "share_records",
    "nfa_notifications",
    "consent_events",
    "legal_holds",
    "erasures",
)


class PeopleArea(QWidget):
    open_session = Signal(str)

    def __init__(self, backend: Backend, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.workers = workers
        self.stack = QStackedWidget()
        self.list = PeopleListPage(backend, workers)
        self.stack.addWidget(self.list)
        # The profile and the form are built on first use: unlocking shows the list sooner.
        self._profile: ProfilePage | None = None
        self._form: PersonFormPage | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        # Esc on the form keeps what was typed as a draft (as the session form does): this says where it is.
        self.kept_note = hint("")
        self.kept_note.setObjectName("banner")
        self.kept_note.hide()
        lay.addWidget(self.kept_note)
        lay.addWidget(self.stack)
        self._form_return_to: str | None = None
        self._kept: dict[str, Any] | None = None  # the form as it was when the worker pressed Esc

        self.list.open_person.connect(self.open_profile)
        self.list.add_person.connect(self.new_person)
        self.list.load_areas()
        self.list.refresh(now=True)

    @property
    def profile(self) -> ProfilePage:
        if self._profile is None:
            self._profile = ProfilePage(self.backend, self.workers)
            self.stack.addWidget(self._profile)
            self._profile.back.connect(self.show_list)
            self._profile.edit.connect(self.edit_person)
            self._profile.open_session.connect(self.open_session)
        return self._profile

    @property
    def form(self) -> PersonFormPage:
        if self._form is None:
            self._form = PersonFormPage(self.backend)
            self.stack.addWidget(self._form)
            self._form.saved.connect(self._saved)
            self._form.cancelled.connect(self._cancelled)
            self._form.discarded.connect(self._discarded)
            self._form.open_existing.connect(self.open_profile)
        return self._form

    def focus_first(self) -> None:
        if isinstance(page := self.stack.currentWidget(), Focusable):
            page.focus_first()

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list)
        self.list.focus_search()

    def open_profile(self, person_id: str) -> None:
        if self.profile.show_person(person_id):
            self.backend.people.record_viewed(person_id)  # once per opening; refreshes and tabs are not audited
            self.stack.setCurrentWidget(self.profile)
            self.profile.focus_first()

    def new_person(self, **prefill: Any) -> None:
        self.form.start_new(**prefill)
        if not prefill and self._kept is not None and not self._kept.get("person_id"):
            self._put_back()
        self._form_return_to = None
        self.stack.setCurrentWidget(self.form)
        self.form.focus_first()

    def edit_person(self, person_id: str) -> None:
        person = self.backend.people.get(person_id)
        if person is None:
            return
        self.form.start_edit(person)
        if self._kept is not None and self._kept.get("person_id") == person_id:
            self._put_back()
        self._form_return_to = person_id
        self.stack.setCurrentWidget(self.form)
        self.form.focus_first()

    def _saved(self, person_id: str) -> None:
        self._forget_kept()
        self.backend.areas(refresh=True)
        self.list.load_areas()
        self.list.refresh(now=True)
        self.open_profile(person_id)

    def _cancelled(self) -> None:
        """Esc on the form: what was typed is kept as a draft (in the store too), put back when they come back."""
        if self.form.is_dirty():
            self._kept = self.form.draft()
            self.backend.drafts.save(PERSON_DRAFT, self._kept)
            who = "a new young person" if not self._kept.get("person_id") else "this young person"
            again = "Ctrl+N puts it back" if not self._kept.get("person_id") else "Edit (Ctrl+E) puts it back"
            self.kept_note.setText(f"What you typed for {who} is kept as a draft: {again}.")
            self.kept_note.show()
        else:
            self._forget_kept()
        if self._form_return_to:
            self.open_profile(self._form_return_to)
        else:
            self.show_list()

    def refresh_for(self, changes: Changes) -> None:
        """Reload the list and the open profile when what they show changed; a form being filled in is left alone."""
        if changes.touches(*LIST_TABLES):
            self.list.refresh(now=True)
        profile = self._profile
        if profile is None or profile.person is None or not changes.touches(*PROFILE_TABLES):
            return
        if self.stack.currentWidget() is profile and not profile.show_person(profile.person.id):
            self.show_list()  # erased or removed meanwhile

    def _discarded(self) -> None:
        self._forget_kept()
        if self._form_return_to:
            self.open_profile(self._form_return_to)
        else:
            self.show_list()

    def _put_back(self) -> None:
        assert self._kept is not None
        self.form.set_form_values(self._kept.get("values", {}))
        self.form.discard_button.show()
        self.kept_note.hide()

    def _forget_kept(self) -> None:
        self._kept = None
        self.backend.drafts.discard(PERSON_DRAFT)
        self.kept_note.hide()
        if self._form is not None:
            self._form.discard_button.hide()

    # Drafts --------------------------------------------------------------------------------------------------------

    def drafts(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        if self._form is not None and self.stack.currentWidget() is self._form and self._form.is_dirty():
            out[PERSON_DRAFT] = self._form.draft()
        elif self._kept is not None:
            out[PERSON_DRAFT] = self._kept  # kept on Esc: stays in the store until saved or discarded
        note = self._profile.draft() if self._profile is not None else None
        if note is not None:
            out[NOTE_DRAFT] = note
        return out

    def restore_draft(self, key: str, data: dict[str, Any]) -> None:
        if key == PERSON_DRAFT:
            self._kept = data  # put back by the form, which offers to discard it
            person_id = data.get("person_id")
            if person_id:
                self.edit_person(person_id)
            else:
                self.new_person()
            self.form.set_form_values(data.get("values", {}))
        elif key == NOTE_DRAFT:
            if self.stack.currentWidget() is not self._form:
                self.open_profile(data["person_id"])
                self.profile.tabs.setCurrentIndex(2)
            else:
                self.profile.show_person(data["person_id"])
            self.profile.notes.restore(data)

    def shutdown(self) -> None:
        self.list.searcher.cancel()
        self.list._count_timer.stop()
        self.list.counter.join()
