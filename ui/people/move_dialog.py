"""A supervisor moves a young person to another team with a handover note (youthwork.services.transfers): which team,
the note, and what goes with them. Nothing moves until a supervisor of that team accepts."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import FieldErrors, accessible, button, hint, title
from ui.labels import uk_date
from ui.theme import chars
from ui.workers import Workers
from youthwork.domain.errors import ShownError
from youthwork.domain.records import YoungPerson
from youthwork.domain.transfers import CAN_GO
from youthwork.domain.validation import Problem, ValidationError

log = logging.getLogger(__name__)

STAYS = "Sessions and their registers, peer groups and referrals stay with your team, and so does anything not ticked."


class MoveDialog(QDialog):
    """Propose the move (Ctrl+Enter), or withdraw one that is waiting for the other team's answer."""

    def __init__(self, backend: Backend, person: YoungPerson, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.service = backend.transfers
        self.person = person
        self.workers = workers
        self.waiting = self.service.waiting(person.id)
        self.setWindowTitle(f"Move {person.display_name} to another team")
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.windowTitle()))
        self.errors = FieldErrors(QLabel())
        if self.waiting is not None:
            team = self.service.team_name(self.waiting.to_team_id)
            lay.addWidget(
                hint(
                    f"A move to {team} is waiting for their answer (proposed on {uk_date(self.waiting.proposed_at)}). "
                    "You can withdraw it; nothing has moved yet."
                )
            )
            lay.addWidget(self.errors.form_error)
            self.withdraw_button = button("&Withdraw the move", "Ctrl+Return", primary=True)
            self.withdraw_button.clicked.connect(self.withdraw)
            lay.addLayout(self._buttons(self.withdraw_button))
            self.withdraw_button.setFocus()
            return
        lay.addWidget(
            hint(
                "A supervisor of the team you choose accepts or declines the move. Until then nothing moves; once "
                "accepted, your team keeps only their name and its own records about them."
            )
        )
        lay.addWidget(self.errors.form_error)
        form = QFormLayout()
        self.team = QComboBox()
        accessible(self.team, "Team they are moving to")
        self._fill_teams(self.service.teams())
        self.errors.add_row(form, "&Team", "to_team_id", self.team)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("What the new team needs to know: why they are moving, who they trust, what next.")
        accessible(self.note, "Handover note")
        self.errors.add_row(form, "Handover &note", "note", self.note)
        lay.addLayout(form)
        lay.addWidget(QLabel("What goes with them (their record always goes):"))
        self.goes: dict[str, QCheckBox] = {}
        for table, (words, default) in CAN_GO.items():
            box = QCheckBox(words)
            box.setChecked(default)
            accessible(box, f"{words} go with them")
            self.goes[table] = box
            lay.addWidget(box)
        lay.addWidget(hint(STAYS))
        self.propose_button = button("Propose the &move", "Ctrl+Return", primary=True)
        self.propose_button.clicked.connect(self.propose)
        lay.addLayout(self._buttons(self.propose_button))
        self.setMinimumWidth(chars(self, 64))
        self.team.setFocus()
        self.workers.submit(self.service.fetch_teams, self._fill_teams, lambda _f: None)

    def _buttons(self, primary: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = button("Cancel", "Esc")
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        row.addWidget(primary)
        return row

    def _fill_teams(self, teams: dict[str, str]) -> None:
        chosen = self.team.currentData()
        self.team.clear()
        self.team.addItem("Choose a team" if teams else "No other teams known yet: sync, then try again", "")
        for team_id, name in teams.items():
            self.team.addItem(name, team_id)
        if chosen:
            self.team.setCurrentIndex(max(self.team.findData(chosen), 0))

    def chosen(self) -> list[str]:
        return [table for table, box in self.goes.items() if box.isChecked()]

    def propose(self) -> None:
        problems = []
        if not self.team.currentData():
            problems.append(Problem("to_team_id", "Choose the team they are moving to."))
        if not self.note.toPlainText().strip():
            problems.append(Problem("note", "Write a handover note for the receiving team."))
        if problems:
            self.errors.show_and_focus(problems)
            return
        team, note, goes = str(self.team.currentData()), self.note.toPlainText(), self.chosen()
        try:
            self.backend.write(lambda: self.service.propose(self.person.id, team, note, goes))
        except ValidationError as e:
            self.errors.show_and_focus(e.problems)
            return
        except ShownError as e:
            self.errors.show_and_focus([Problem("to_team_id", e.message)])
            return
        log.info("a move to another team proposed")
        self.accept()

    def withdraw(self) -> None:
        assert self.waiting is not None
        move_id = self.waiting.id
        try:
            self.backend.write(lambda: self.service.withdraw(move_id))
        except ShownError as e:
            self.errors.show_and_focus([Problem("", e.message)])
            return
        self.accept()
