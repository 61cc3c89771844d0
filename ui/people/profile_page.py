"""One young person: details, sessions attended, case notes, plans, referrals and history, as tabs."""

from __future__ import annotations

import html
import logging
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, button, hint, section, title
from ui.labels import label_of, rag_label, session_status, session_type, time_of, uk_date, uk_datetime
from ui.missing.person_tab import PersonMissingTab
from ui.nfa.panel import NfaPanel
from ui.notes_panel import NotesPanel
from ui.outcomes.person_tab import PersonOutcomesTab
from ui.people.chronology_tab import ChronologyTab
from ui.people.family_tab import FamilyTab
from ui.plans.person_tab import PersonPlansTab
from ui.privacy.person_tab import PersonPrivacyTab
from ui.referrals.person_tab import PersonReferralsTab
from ui.theme import RAG_COLOURS
from ui.workers import Workers
from youthwork.domain.circumstances import Circumstance, current_values, since
from youthwork.domain.records import YoungPerson
from youthwork.domain.transfers import TransferStatus
from youthwork.domain.validation import ValidationError
from youthwork.domain.vocab import EducationStatus, Gender, LawfulBasis, Rag, Role
from youthwork.store.settings import ROLE, WORKER_NAMES

log = logging.getLogger(__name__)

(
    TAB_DETAILS,
    TAB_SESSIONS,
    TAB_NOTES,
    TAB_PLANS,
    TAB_REFERRALS,
    TAB_HISTORY,
    TAB_NFA,
    TAB_FAMILY,
    TAB_CHRONOLOGY,
    TAB_MISSING,
) = range(10)
TAB_OUTCOMES = 11  # after Privacy (10)


def _rows(pairs: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><td style='color:#4a5560; padding-right:1em'>{html.escape(k)}</td><td>{html.escape(v or '—')}</td></tr>"
        for k, v in pairs
    )
    return f"<table cellspacing='4'>{body}</table>"


class ProfilePage(QWidget):
    back = Signal()
    edit = Signal(str)
    open_session = Signal(str)

    def __init__(self, backend: Backend, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.workers = workers
        self.person: YoungPerson | None = None

        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        self.heading = title("")
        head.addWidget(self.heading)
        self.rag_badge = QLabel()
        head.addWidget(self.rag_badge)
        head.addStretch(1)
        self.back_button = button("Back to the list", "Esc")
        self.note_button = button("Case &note", "Ctrl+Shift+N")
        self.edit_button = button("&Edit", "Ctrl+E", primary=True)
        # A supervisor moves a young person their team holds to another team (the other team accepts).
        self.move_button = button("Move to another team…", "Ctrl+Shift+M")
        self.move_button.setVisible((backend.setting(ROLE) or "") == Role.SUPERVISOR)
        for b in (self.back_button, self.note_button, self.move_button, self.edit_button):
            head.addWidget(b)
        lay.addLayout(head)
        self.summary = hint("")
        lay.addWidget(self.summary)
        self.incomplete = QLabel("Added quickly from a register: complete their details when you can (Ctrl+E).")
        self.incomplete.setObjectName("banner")
        lay.addWidget(self.incomplete)
        self.concern_line = QLabel()
        self.concern_line.setObjectName("concernBanner")
        self.concern_line.setWordWrap(True)
        self.concern_line.hide()
        lay.addWidget(self.concern_line)
        self.move_line = QLabel()
        self.move_line.setObjectName("banner")
        self.move_line.setWordWrap(True)
        self.move_line.hide()
        lay.addWidget(self.move_line)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Profile")
        lay.addWidget(self.tabs, 1)

        # Details
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        scroll = QScrollArea()
        scroll.setAccessibleName("Details")
        scroll.setWidgetResizable(True)
        self.details.setObjectName("details")
        scroll.setWidget(self.details)
        self.tabs.addTab(scroll, "&Details")

        # Sessions attended
        self.sessions = QTableWidget(0, 6)
        self.sessions.setAccessibleName("Sessions attended")
        self.sessions.setHorizontalHeaderLabels(["Date", "Time", "Type", "Where", "Status", "Concern"])
        self.sessions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sessions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sessions.verticalHeader().hide()
        self.sessions.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.sessions.setTabKeyNavigation(False)
        self.sessions.itemActivated.connect(self._open_session)
        self.tabs.addTab(self.sessions, "&Sessions attended")

        # Case notes
        self.notes = NotesPanel(backend)
        self.tabs.addTab(self.notes, "Case n&otes")

        # Plans and referrals (ui.plans, ui.referrals); they open in their own areas.
        self.plans = PersonPlansTab(backend)
        self.tabs.addTab(self.plans, "&Plans")
        self.referrals = PersonReferralsTab(backend)
        self.tabs.addTab(self.referrals, "&Referrals")

        # History: RAG ratings (with who and why) and a form to change it.
        hist = QWidget()
        hl = QVBoxLayout(hist)
        self.history = QTableWidget(0, 4)
        self.history.setAccessibleName("RAG rating history")
        self.history.setHorizontalHeaderLabels(["When", "Rating", "Why", "Set by"])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history.setTabKeyNavigation(False)
        hl.addWidget(section("RAG rating history"))
        hl.addWidget(self.history, 1)
        hl.addWidget(section("Change the RAG rating"))
        form = QFormLayout()
        self.rag_errors = FieldErrors(QLabel())
        hl.addWidget(self.rag_errors.form_error)
        self.rag_choice = QComboBox()
        self.rag_choice.addItem("Choose…", "")
        for value, label in Rag.choices():
            self.rag_choice.addItem(label, value)
        self.rag_reason = QLineEdit()
        self.rag_reason.setPlaceholderText("Why it is changing")
        self.rag_errors.add_row(form, "Ra&ting", "rating", self.rag_choice)
        self.rag_errors.add_row(form, "&Why", "reason", self.rag_reason)
        hl.addLayout(form)
        self.rag_save = button("Save rating")
        hl.addWidget(self.rag_save, alignment=Qt.AlignmentFlag.AlignRight)
        self.record_info = hint("")
        hl.addWidget(self.record_info)
        self.tabs.addTab(hist, "&History")
        self.nfa = NfaPanel(backend)
        self.tabs.addTab(self.nfa, "Police N&FAs")
        self.nfa.recorded.connect(lambda _n: self.person and self.show_person(self.person.id))
        # Brothers and sisters, parents and carers (ui.people.family_tab).
        self.family = FamilyTab(backend)
        self.tabs.addTab(self.family, "Famil&y")
        self.family.counted.connect(lambda n: self.tabs.setTabText(TAB_FAMILY, f"Famil&y ({n})"))
        # Everything above (and circumstances) in time order (ui.people.chronology_tab).
        self.chronology = ChronologyTab(backend)
        self.tabs.addTab(self.chronology, "Chrono&logy")
        self.chronology.open_session.connect(self.open_session)
        self.missing = PersonMissingTab(backend)  # missing episodes and return home interviews (ui.missing)
        self.tabs.addTab(self.missing, "&Missing")
        self.missing.recorded.connect(lambda: self.person and self.show_person(self.person.id))
        # Need-to-know details, consent, rights requests (ui.privacy); opening a profile is audited there.
        self.privacy = PersonPrivacyTab(backend)
        self.tabs.addTab(self.privacy, "Pri&vacy")
        self.privacy.erased.connect(lambda _pid: self.back.emit())
        self.outcomes = PersonOutcomesTab(backend)  # outcome ratings and distance travelled (ui.outcomes)
        self.tabs.addTab(self.outcomes, "Outcomes")
        self.outcomes.rated.connect(lambda: self.person and self.show_person(self.person.id))
        self.privacy.restricted.revealed.connect(lambda _reason: self.chronology.reveal())

        self.back_button.clicked.connect(self.back)
        self.edit_button.clicked.connect(lambda: self.person and self.edit.emit(self.person.id))
        self.note_button.clicked.connect(self.start_note)
        self.move_button.clicked.connect(self.start_move)
        self.rag_save.clicked.connect(self._save_rag)
        self.rag_reason.returnPressed.connect(self._save_rag)
        self.notes.note_added.connect(lambda _id: None)

    def focus_first(self) -> None:
        self.tabs.tabBar().setFocus()

    def start_move(self) -> None:
        from ui.people.move_dialog import MoveDialog

        if self.person is None:
            return
        dialog = MoveDialog(self.backend, self.person, self.workers, self)  # parented: kept while open
        dialog.accepted.connect(lambda: self.person and self.show_person(self.person.id))
        dialog.finished.connect(lambda _result: self._after_move_dialog())
        dialog.open()  # window-modal, not a nested event loop

    def _after_move_dialog(self) -> None:
        (self.move_button if self.move_button.isVisible() else self.tabs.tabBar()).setFocus()

    def _show_moves(self, person: YoungPerson) -> None:
        """Say where a move stands: waiting for the other team, or done (this team keeps only the minimum)."""
        moves = self.backend.transfers
        own = not person.team_id or person.team_id == self.backend.profile.team_id
        text = ""
        for move in moves.for_person(person.id):
            team = moves.team_name(move.to_team_id)
            if move.status == TransferStatus.PROPOSED:
                text = f"Waiting for {team} to accept a move proposed on {uk_date(move.proposed_at)}."
                break
            if move.status == TransferStatus.ACCEPTED and not own and move.team_id == self.backend.profile.team_id:
                text = (
                    f"Moved to {team} on {uk_date(move.answered_at)}. Your team keeps only their name and its own "
                    "records about them."
                )
                break
        self.move_line.setText(text)
        self.move_line.setVisible(bool(text))
        supervisor = (self.backend.setting(ROLE) or "") == Role.SUPERVISOR
        self.move_button.setVisible(supervisor and own)

    def start_note(self) -> None:
        self.tabs.setCurrentIndex(TAB_NOTES)
        self.notes.focus_editor()

    # Showing -------------------------------------------------------------------------------------------------------

    def show_person(self, person_id: str) -> bool:
        person = self.backend.people.get(person_id)
        if person is None:
            return False
        self.person = person
        self.heading.setText(person.display_name)
        colour = RAG_COLOURS.get(person.rag or "")
        if colour and person.rag:
            self.rag_badge.setText(f" {person.rag.capitalize()} ")
            self.rag_badge.setStyleSheet(f"background:{colour}; color:white; font-weight:600; border-radius:0.3em;")
            self.rag_badge.show()
        else:
            self.rag_badge.hide()
        age = person.age_on(date.today())
        bits = []
        if age is not None:
            bits.append(f"{'about ' if not person.date_of_birth else ''}{age} years old")
        if person.area:
            bits.append(person.area)
        bits.append("active" if person.active else "inactive")
        if self.backend.joint_visits.prompt_open(person):
            bits.append(f"{person.nfa_count} NFAs: a joint home visit is due")
        episodes = self.missing.show_for(person.id)
        if episodes:
            bits.append(f"{episodes} missing episode{'' if episodes == 1 else 's'}")
        self.summary.setText(" · ".join(bits))
        self.incomplete.setVisible(person.incomplete)
        self._show_moves(person)
        self._fill_details(person)
        self._fill_sessions(person.id)
        self.notes.show_for(person.id)
        self._fill_history(person)
        self.privacy.show_for(person, viewed=False)  # "viewed" is recorded once per opening (PeopleArea)
        self.tabs.setTabText(TAB_PLANS, f"&Plans ({self.plans.show_for(person.id)})")
        self.tabs.setTabText(TAB_REFERRALS, f"&Referrals ({self.referrals.show_for(person.id)})")
        self.tabs.setTabText(TAB_NFA, f"Police N&FAs ({self.nfa.show_for(person.id)})")
        self.family.show_for(person.id)  # its count goes on the tab (counted)
        self.tabs.setTabText(TAB_CHRONOLOGY, f"Chrono&logy ({self.chronology.show_for(person.id)})")
        self.tabs.setTabText(TAB_MISSING, f"&Missing ({episodes})")
        self.tabs.setTabText(TAB_OUTCOMES, f"Outcomes ({self.outcomes.show_for(person.id)})")
        return True

    def _fill_details(self, p: YoungPerson) -> None:
        names = self.backend.setting(WORKER_NAMES) or {}
        lead = names.get(p.lead_worker_id, "") or ("you" if p.lead_worker_id == self.backend.profile.user_id else "")
        pairs = [
            ("First name", p.first_name),
            ("Last name", p.last_name),
            ("Known as", p.known_as),
            ("Date of birth", uk_date(p.date_of_birth)),
            (
                "Estimated age",
                "" if p.estimated_age is None else f"{p.estimated_age} (on {uk_date(p.age_estimated_on)})",
            ),
            ("Gender", label_of(Gender, p.gender)),
            ("Area or estate", p.area),
            ("Address", self._since(p, Circumstance.ADDRESS, p.address)),
            ("Postcode", p.postcode),
            ("Phone", p.phone),
            ("Email", p.email),
            ("NHS number", p.nhs_number),
            ("NI number", p.ni_number),
            ("Education", self._since(p, Circumstance.EDUCATION, label_of(EducationStatus, p.education_status))),
            ("School or college", p.school),
            ("Lead worker", lead or p.lead_worker_id),
            ("Lawful basis", label_of(LawfulBasis, p.lawful_basis)),
        ]
        self.details.setText(
            _rows(pairs)
            + "<p style='color:#4a5560'><b>Special category and criminal-offence details</b> are hidden: open the "
            "Privacy tab (Alt+V) to see them, with a reason that is recorded.</p>"
        )

    def _since(self, p: YoungPerson, what: Circumstance, shown: str) -> str:
        """The value with the date it has held since ("NEET, since 02/03/2026"), when that is recorded."""
        day = since(self.backend.people.circumstances(p.id), what, current_values(p)[what])
        return f"{shown}, since {uk_date(day)}" if shown and day else shown

    def _fill_sessions(self, person_id: str) -> None:
        sessions = self.backend.sessions.for_person(person_id)
        about = self.backend.sessions.concerns_about_person(person_id)
        self.sessions.setRowCount(len(sessions))
        for r, s in enumerate(sessions):
            cells = [
                uk_date(s.starts_at),
                f"{time_of(s.starts_at)}–{time_of(s.ends_at)}" if s.starts_at else "",
                session_type(s.session_type),
                ", ".join(x for x in (s.place, s.area) if x),
                session_status(s.status),
                "Safeguarding concern about them" if s.id in about else "",
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, s.id)
                self.sessions.setItem(r, c, item)
        self.sessions.resizeColumnsToContents()
        self.tabs.setTabText(TAB_SESSIONS, f"&Sessions attended ({len(sessions)})")
        flagged = [s for s in sessions if s.id in about]
        self.concern_line.setText(
            f"Safeguarding concern about them at {len(flagged)} session{'s' if len(flagged) != 1 else ''}, "
            f"the latest on {uk_date(flagged[0].starts_at)} (Sessions attended tab)"
            if flagged
            else ""
        )
        self.concern_line.setVisible(bool(flagged))

    def _fill_history(self, p: YoungPerson) -> None:
        history = self.backend.people.rag_history(p.id)
        names = self.backend.setting(WORKER_NAMES) or {}
        self.history.setRowCount(len(history))
        for r, h in enumerate(history):
            by = names.get(h.set_by, "") or ("you" if h.set_by == self.backend.profile.user_id else h.set_by)
            for c, text in enumerate([uk_datetime(h.set_at), rag_label(h.rating), h.reason, by]):
                self.history.setItem(r, c, QTableWidgetItem(text))
        self.history.resizeColumnToContents(0)
        self.history.resizeColumnToContents(1)
        self.record_info.setText(f"Record made {uk_datetime(p.created_at)}; last changed {uk_datetime(p.updated_at)}.")

    def _open_session(self, item: QTableWidgetItem) -> None:
        self.open_session.emit(item.data(Qt.ItemDataRole.UserRole))

    def _save_rag(self) -> None:
        if self.person is None:
            return
        try:
            person_id, rating, reason = self.person.id, self.rag_choice.currentData(), self.rag_reason.text()
            self.backend.write(lambda: self.backend.people.set_rag(person_id, rating, reason))
        except ValidationError as exc:
            self.rag_errors.show(exc.problems)
            return
        self.rag_errors.clear()
        self.rag_choice.setCurrentIndex(0)
        self.rag_reason.clear()
        self.show_person(self.person.id)
        self.tabs.setCurrentIndex(TAB_HISTORY)

    # Drafts --------------------------------------------------------------------------------------------------------

    def draft(self) -> dict[str, Any] | None:
        return self.notes.draft()
