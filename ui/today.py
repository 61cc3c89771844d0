"""Today: where to start, the keys to remember, and the lock setting."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.backend import IDLE_SETTING, Backend
from ui.forms import button, hint, section, title
from ui.theme import chars
from ui.workers import Failure, Workers
from youthwork.domain.vocab import SessionStatus
from youthwork.services.changes import Changes
from youthwork.services.transitions import TransitionRow

log = logging.getLogger(__name__)

SHORTCUTS: list[tuple[str, str]] = [
    ("F12 or Ctrl+Shift+H", "Hide the screen at once (it locks behind a blank window)"),
    ("Ctrl+L", "Lock now"),
    (
        "Ctrl+1 … Ctrl+9",
        "Today, Young people, Sessions, Safety plans, Referrals, Review, Sync, Data protection, Backups",
    ),
    ("Ctrl+N", "New young person (in Young people) or new session (in Sessions)"),
    ("Ctrl+F", "Search young people"),
    ("Enter", "Open the highlighted young person or session"),
    ("Ctrl+S", "Save as a draft"),
    ("Ctrl+Enter", "Save or submit the form"),
    ("Esc", "Back"),
    ("In a register", "Type a name and press Enter to tick; Alt+G ticks last time's regulars; Alt+W adds a new face"),
]


def gather(backend: Backend) -> tuple[str, list[TransitionRow]]:
    """Today's line about the week and what is due, and who is turning 18 (run off the UI thread)."""
    since = datetime.now().astimezone() - timedelta(days=7)
    recent = backend.sessions.recent(0, 200)  # the newest 200 sessions are plenty for a week
    week = [s for s in recent if s.starts_at and s.starts_at >= since]
    drafts = [s for s in recent if s.status in (SessionStatus.DRAFT, SessionStatus.RETURNED)]
    concerns = [s for s in week if s.concern]
    parts = [f"Last 7 days: {len(week)} session{'' if len(week) == 1 else 's'} logged"]
    if concerns:
        parts.append(f"{len(concerns)} with a safeguarding concern")
    parts.append(
        f"{len(drafts)} draft{'' if len(drafts) == 1 else 's'} to finish in Sessions (Ctrl+3)"
        if drafts
        else "no drafts"
    )
    from ui.missing.today import missing_and_visits_note  # return home interviews, joint home visits due
    from ui.plans.today import plans_and_referrals_note  # reviews due, referrals overdue, new in the inbox
    from ui.privacy.today import privacy_note  # consent withdrawals waiting for a supervisor

    for note in (privacy_note(backend), plans_and_referrals_note(backend), missing_and_visits_note(backend)):
        if note:
            parts.append(note)
    return " · ".join(parts), backend.transitions.due()


class TodayPage(QWidget):
    go_to = Signal(str)
    new_session = Signal()
    idle_minutes_changed = Signal(float)
    shown = Signal()  # the page's lines have been worked out afresh and shown

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.workers = Workers(self)  # its own thread (and connection): never queued behind a search, nor it behind
        self._asked = 0  # refreshes asked for; only the newest one's answer is shown
        # The page scrolls rather than make the window taller than a small laptop's screen.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Today")
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll)
        lay = QVBoxLayout(body)
        name = backend.worker_name
        lay.addWidget(title(f"Hello {name}" if name else "Today"))
        lay.addWidget(hint(date.today().strftime("%A %-d %B %Y")))

        row = QHBoxLayout()
        self.log_button = button("Log a &session", primary=True)
        self.people_button = button("Find a &young person")
        row.addWidget(self.log_button)
        row.addWidget(self.people_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.week = hint("")
        lay.addWidget(self.week)
        self.log_button.clicked.connect(self.new_session)
        self.people_button.clicked.connect(lambda: self.go_to.emit("people"))

        from ui.transitions.today_section import TransitionsSection  # turning 18: plan the handover

        self.transitions = TransitionsSection(backend)
        lay.addWidget(self.transitions)

        lay.addWidget(section("Keys to remember"))
        table = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in SHORTCUTS)
        keys = QLabel(f"<table cellspacing='3'>{table}</table>")
        keys.setWordWrap(True)
        lay.addWidget(keys)

        lay.addWidget(section("Locking"))
        form = QFormLayout()
        self.idle_minutes = QDoubleSpinBox()
        self.idle_minutes.setRange(1, 60)
        self.idle_minutes.setDecimals(0)
        self.idle_minutes.setSuffix(" minutes")
        # "1 minute", not "1 minutes"
        self.idle_minutes.valueChanged.connect(
            lambda v: self.idle_minutes.setSuffix(" minute" if v == 1 else " minutes")
        )
        self.idle_minutes.setMaximumWidth(chars(self, 16))
        self.idle_minutes.setValue(float(backend.setting(IDLE_SETTING)))
        label = QLabel("Lock after &idle for")
        label.setBuddy(self.idle_minutes)
        form.addRow(label, self.idle_minutes)
        lay.addLayout(form)
        lay.addWidget(
            hint("Whatever you are typing is kept as a draft when youthwork locks, and put back when you unlock.")
        )
        lay.addStretch(1)
        self.idle_minutes.valueChanged.connect(self._idle_changed)

    def focus_first(self) -> None:
        self.log_button.setFocus()

    def showEvent(self, event) -> None:
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """Work out the page's lines in the background, on a connection of its own, and show them when they come: at
        100,000 young people the lists behind them take ~0.4 s, which on the UI thread froze the window each time
        Today was shown or anything changed. Only the newest answer is shown."""
        self._asked += 1
        asked, reading = self._asked, self.backend.reading()
        self.workers.submit(lambda: gather(reading), lambda got: self._show(asked, got), self._failed)

    def _show(self, asked: int, got: tuple[str, list[TransitionRow]]) -> None:
        if asked != self._asked:
            return  # a newer answer is on its way
        text, due = got
        self.week.setText(text)
        self.transitions.show_rows(due)
        self.shown.emit()

    def _failed(self, failure: Failure) -> None:
        self.week.setText(failure.message)

    def refresh_for(self, changes: Changes) -> None:
        if self.isVisible():  # otherwise it reads afresh when shown
            self.refresh()

    def _idle_changed(self, value: float) -> None:
        self.backend.set_setting(IDLE_SETTING, value)
        self.idle_minutes_changed.emit(value)
