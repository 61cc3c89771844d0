"""Merge two records of one young person: the two side by side, a choice for each detail that differs, a reason.

The record on the right stays; everything about the one on the left moves to it (youthwork.services.merges).
Special category and criminal-offence details are not shown here, only whether they differ: the choice between them
is still the worker's, and the profile shows them after a reason is given.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint
from ui.theme import chars
from youthwork.domain.errors import ShownError
from youthwork.domain.merges import UNDO_DAYS
from youthwork.domain.records import YoungPerson
from youthwork.domain.vocab import EducationStatus, Gender, Rag, Vocab
from youthwork.services.changes import EVERYTHING
from youthwork.services.merges import FROM, INTO, Comparison
from youthwork.store.settings import WORKER_NAMES

log = logging.getLogger(__name__)

RESTRICTED = frozenset(YoungPerson.restricted_fields())


VOCABS: dict[str, type[Vocab]] = {"gender": Gender, "education_status": EducationStatus, "rag": Rag}


def shown(name: str, value: Any, names: dict[str, str] | None = None) -> str:
    """A value as a worker reads it; restricted details only as held or not."""
    if name in RESTRICTED:
        return "held (restricted)" if value not in (None, "", [], False, 0) else "not recorded"
    if value in (None, "", []):
        return "not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{value:%d %b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if name in VOCABS:
        return dict(VOCABS[name].choices()).get(str(value), str(value))
    if name in ("lead_worker_id", "rag_set_by"):
        return (names or {}).get(str(value), str(value))
    return str(value)


class MergeDialog(QDialog):
    def __init__(self, backend: Backend, duplicate_id: str, keep_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.setWindowTitle("Merge two records of one young person")
        self.setAccessibleName("Merge two records of one young person")
        self.resize(chars(self, 96), 620)
        self.groups: dict[str, QButtonGroup] = {}
        self.merged = False
        lay = QVBoxLayout(self)
        lay.addWidget(
            hint(
                "The record on the right stays. Everything recorded about the one on the left (sessions, notes, "
                "plans, referrals, RAG, NFAs, consent) moves to it. For each detail that differs, choose which to "
                f"keep. A merge can be undone for {UNDO_DAYS} days while nothing new is recorded about them."
            )
        )
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        lay.addWidget(self.message)
        self.body = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        lay.addWidget(scroll, 1)
        form = QHBoxLayout()
        reason_label = QLabel("&Reason")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for merging")
        self.reason.setPlaceholderText("Why these are the same young person (a supervisor may leave it blank)")
        reason_label.setBuddy(self.reason)
        form.addWidget(reason_label)
        form.addWidget(self.reason, 1)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.swap_button = button("S&wap: keep the other record")
        row.addWidget(self.swap_button)
        row.addStretch(1)
        self.cancel_button = button("Cancel", "Esc")
        self.merge_button = button("&Merge", "Ctrl+Return", primary=True)
        row.addWidget(self.cancel_button)
        row.addWidget(self.merge_button)
        lay.addLayout(row)
        self.cancel_button.clicked.connect(self.reject)
        self.merge_button.clicked.connect(self.merge)
        self.swap_button.clicked.connect(self.swap)
        self.show_pair(duplicate_id, keep_id)

    # ---- the side-by-side -----------------------------------------------------------------------------------------

    def show_pair(self, duplicate_id: str, keep_id: str) -> None:
        self.side: Comparison = self.backend.merges.compare(duplicate_id, keep_id)
        old = self.body.layout()
        if old is not None:
            QWidget().setLayout(old)  # drop the previous grid and its widgets
        grid = QGridLayout(self.body)
        dup, keep = self.side.duplicate, self.side.keep
        for col, text in ((1, "Merge away (the duplicate)"), (2, "Keep (the record that stays)")):
            head = QLabel(text)
            head.setObjectName("sectionTitle")
            grid.addWidget(head, 0, col)
        for r, (label, a, b) in enumerate(
            (
                ("Name", dup.display_name, keep.display_name),
                ("Added", f"{dup.created_at:%d %b %Y}", f"{keep.created_at:%d %b %Y}"),
                ("Recorded", self._held(dup.id), self._held(keep.id)),
            ),
            start=1,
        ):
            grid.addWidget(QLabel(label), r, 0)
            grid.addWidget(QLabel(a), r, 1)
            grid.addWidget(QLabel(b), r, 2)
        start = 4
        if not self.side.fields:
            grid.addWidget(QLabel("The two records say the same about everything: nothing to choose."), start, 0, 1, 3)
        self.groups = {}
        names = self.backend.setting(WORKER_NAMES) or {}
        for r, choice in enumerate(self.side.fields, start=start):
            grid.addWidget(QLabel(choice.label), r, 0)
            group = QButtonGroup(self)
            pick_from = QRadioButton(shown(choice.name, choice.from_value, names))
            pick_into = QRadioButton(shown(choice.name, choice.into_value, names))
            pick_from.setAccessibleName(f"{choice.label}: keep {pick_from.text()}, from the duplicate")
            pick_into.setAccessibleName(f"{choice.label}: keep {pick_into.text()}, from the record that stays")
            group.addButton(pick_from)
            group.addButton(pick_into)
            # The record that stays keeps its own value, unless it has none and the duplicate has one.
            empty = choice.into_value in (None, "", [])
            (pick_from if empty and choice.from_value not in (None, "", []) else pick_into).setChecked(True)
            pick_from.setProperty("which", FROM)
            pick_into.setProperty("which", INTO)
            grid.addWidget(pick_from, r, 1)
            grid.addWidget(pick_into, r, 2)
            self.groups[choice.name] = group
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(start + len(self.side.fields), 1)

    def _held(self, person_id: str) -> str:
        sessions = len(self.backend.sessions.for_person(person_id))
        notes = len(self.backend.notes.for_person(person_id))
        return f"{sessions} session{'s' if sessions != 1 else ''}, {notes} note{'s' if notes != 1 else ''}"

    def choices(self) -> dict[str, str]:
        out = {}
        for name, group in self.groups.items():
            checked = group.checkedButton()
            out[name] = str(checked.property("which")) if checked is not None else INTO
        return out

    def swap(self) -> None:
        self.show_pair(self.side.keep.id, self.side.duplicate.id)

    def merge(self) -> None:
        dup, keep, choices, reason = self.side.duplicate.id, self.side.keep.id, self.choices(), self.reason.text()
        try:
            # Re-pointing what only this laptop holds is not in the outbox: every open screen reloads.
            self.backend.write(lambda: self.backend.merges.merge(dup, keep, choices, reason), also=EVERYTHING)
        except ShownError as exc:
            self.message.setText(exc.message)
            self.message.setVisible(True)
            return
        self.merged = True
        self.accept()
