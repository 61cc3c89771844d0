"""A session's register: tick known young people (type to find), add new faces, and an anonymous headcount."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint
from ui.search import DebouncedSearch
from ui.theme import chars, em
from ui.workers import Workers
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.domain.vocab import AgeBand, Gender
from youthwork.services.sessions import RegisterMatch, ambiguous

log = logging.getLogger(__name__)

FIND_LIMIT = 8
FIND_DEBOUNCE_MS = 0  # newest-wins coalescing instead of a fixed pause (see ui.search)
GENDERS = [Gender.MALE, Gender.FEMALE, Gender.NON_BINARY, Gender.OTHER, Gender.NOT_KNOWN]
GENDER_HEADERS = ["Male", "Female", "Non-\nbinary", "Other", "Not\nknown"]
BANDS = list(AgeBand)


def describe(p: YoungPerson, match: RegisterMatch | None = None) -> str:
    """Name, estate and age band (and whether they came here before): enough to tell two Skinnys apart."""
    bits = [p.display_name, p.area or "no estate recorded"]
    age = p.age_on(date.today())
    bits.append(AgeBand.for_age(age).label if age is not None else "age not known")
    if match is not None and match.been_here:
        bits.append("came here before")
    return " · ".join(bits)


class HeadcountGrid(QTableWidget):
    """Gender across, age band down, typed as a spreadsheet: a digit replaces the cell's number (more digits add to
    it); the arrow keys, Enter (down) and Tab (right; on from the last column) keep the number and move;
    Backspace takes off a digit, Delete empties the cell. There is no in-cell editor, so no key is lost to one."""

    changed = Signal()
    MAX_DIGITS = 3  # a headcount is under 1000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(len(BANDS), len(GENDERS), parent)
        self.setHorizontalHeaderLabels(GENDER_HEADERS)
        self.setVerticalHeaderLabels([b.label for b in BANDS])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setAccessibleName("Headcount by gender and age band")
        self.setObjectName("headcount")
        self.read_only = False
        self._typing: tuple[int, int] | None = None  # the cell whose number is being typed
        self._digits = ""
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                item = QTableWidgetItem("")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.setItem(r, c, item)
        self.currentCellChanged.connect(self._moved)
        self.setCurrentCell(0, 0)

    def _moved(self, *_args: int) -> None:
        self._typing = None  # the next digit starts the new cell afresh

    def cell(self, row: int, col: int) -> QTableWidgetItem:
        """The item at (row, col): every cell has one from the start."""
        item = self.item(row, col)
        assert item is not None
        return item

    def _set_cell(self, row: int, col: int, digits: str) -> None:
        n = int(digits) if digits else 0
        self.cell(row, col).setText(str(n) if n else "")
        self.changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row, col = self.currentRow(), self.currentColumn()
        key, text = event.key(), event.text()
        plain = not (event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier))
        if row < 0 or col < 0:
            super().keyPressEvent(event)
            return
        if plain and len(text) == 1 and text.isdigit():
            if self.read_only:
                return
            if self._typing != (row, col):
                self._typing, self._digits = (row, col), ""
            if len(self._digits.lstrip("0")) < self.MAX_DIGITS:
                self._digits += text
            self._set_cell(row, col, self._digits)
            return
        if plain and key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            if self.read_only:
                return
            if key == Qt.Key.Key_Backspace:
                current = self._digits if self._typing == (row, col) else self.cell(row, col).text()
                self._typing, self._digits = (row, col), current[:-1]
            else:
                self._typing, self._digits = (row, col), ""
            self._set_cell(row, col, self._digits)
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._typing = None
            self.setCurrentCell(min(row + 1, self.rowCount() - 1), col)
            return
        super().keyPressEvent(event)  # the arrow keys, Home/End, Page Up/Down

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab moves right along the row and Shift+Tab left; from the row's end they go on to the next control.
        if self.hasFocus():
            row, col = self.currentRow(), self.currentColumn() + (1 if next else -1)
            if row >= 0 and 0 <= col < self.columnCount():
                self.setCurrentCell(row, col)
                return True
        return super().focusNextPrevChild(next)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r, band in enumerate(BANDS):
            for c, gender in enumerate(GENDERS):
                text = self.cell(r, c).text().strip()
                if text.isdigit() and int(text) > 0:
                    out[f"{gender.value}/{band.value}"] = int(text)
        return out

    def set_counts(self, counts: dict[str, int]) -> None:
        self._typing = None
        for r, band in enumerate(BANDS):
            for c, gender in enumerate(GENDERS):
                n = counts.get(f"{gender.value}/{band.value}", 0)
                self.cell(r, c).setText(str(n) if n else "")
        self.changed.emit()

    def total(self) -> int:
        return sum(self.counts().values())


class RegisterPanel(QWidget):
    """Who was there. `person_ids()` is the register; `headcounts()` the anonymous count."""

    changed = Signal()

    def __init__(
        self, backend: Backend, workers: Workers, area_hint: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.area_hint = area_hint
        self.regulars_source: Callable[[], list[YoungPerson]] | None = None
        self.where: Callable[[], tuple[str, str]] = lambda: ("", "")  # this session's (area, place), for ranking
        self._ticked: dict[str, tuple[str, bool]] = {}  # id -> (label, new face)
        self._ticks: list[list[str]] = []  # what each tick (or "last time's regulars") added, newest last: Ctrl+Z
        self._batch: list[str] | None = None
        self._tick_when_found = False
        self.choosing = False  # matches were equally good: nothing is highlighted until the worker picks one

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Register and headcount")
        lay.addWidget(self.tabs, 1)

        # Named register
        named = QWidget()
        nl = QVBoxLayout(named)
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("Type a name or nickname, then Enter to tick")
        self.find_box.setAccessibleName("Find a young person to tick")
        find_label = QLabel("Find and tick (Alt+F)")
        find_label.setBuddy(self.find_box)
        nl.addWidget(find_label)
        nl.addWidget(self.find_box)
        self.results = QListWidget()
        self.results.setMaximumHeight(em(self, 5.5))
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrows in the find box move the highlight
        nl.addWidget(self.results)
        self.find_hint = hint("")
        nl.addWidget(self.find_hint)

        row = QHBoxLayout()
        self.regulars_button = button("Last time's regulars", "Alt+G")
        self.new_face_button = button("New face", "Alt+W")
        row.addWidget(self.regulars_button)
        row.addWidget(self.new_face_button)
        row.addStretch(1)
        nl.addLayout(row)

        # Quick add: a first name or nickname, an estimated age, the estate.
        self.quick = QWidget()
        ql = QHBoxLayout(self.quick)
        ql.setContentsMargins(0, 0, 0, 0)
        self.quick_name = QLineEdit()
        self.quick_name.setPlaceholderText("First name or nickname")
        self.quick_age = QSpinBox()
        self.quick_age.setRange(0, 30)
        self.quick_age.setSpecialValueText("Age?")
        self.quick_age.setMaximumWidth(chars(self, 10))
        self.quick_area = QLineEdit()
        self.quick_area.setPlaceholderText("Estate")
        self.quick_add = button("Add", "")
        for caption, w in (("Name", self.quick_name), ("Age", self.quick_age), ("Estate", self.quick_area)):
            label = QLabel(caption)
            label.setBuddy(w)
            ql.addWidget(label)
            ql.addWidget(w, 2 if w is not self.quick_age else 0)
        ql.addWidget(self.quick_add)
        self.quick.hide()
        nl.addWidget(self.quick)
        self.quick_error = QLabel()
        self.quick_error.setObjectName("fieldError")
        self.quick_error.setWordWrap(True)
        self.quick_error.hide()
        nl.addWidget(self.quick_error)

        self.ticked_label = QLabel("On the register (Alt+R): nobody yet")
        self.ticked_label.setObjectName("sectionTitle")
        nl.addWidget(self.ticked_label)
        self.ticked = QListWidget()
        self.ticked.setAccessibleName("On the register")
        nl.addWidget(self.ticked, 1)
        nl.addWidget(hint("Delete removes the highlighted name from the register; Ctrl+Z takes back the last tick."))
        self.tabs.addTab(named, "Register")

        # Headcount
        counted = QWidget()
        cl = QVBoxLayout(counted)
        cl.addWidget(
            hint(
                "For young people who gave no name. Type a number in a cell; the arrow keys, Tab and Enter"
                " move on. Delete empties a cell."
            )
        )
        self.grid = HeadcountGrid()
        cl.addWidget(self.grid, 1)
        self.headcount_total = QLabel("Headcount: 0")
        cl.addWidget(self.headcount_total)
        self.tabs.addTab(counted, "Headcount (Alt+H)")

        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)

        self.searcher = DebouncedSearch(workers, self._search, FIND_DEBOUNCE_MS, self)
        self.searcher.results.connect(self._show_results)
        self.find_box.textChanged.connect(self._find_changed)
        self.find_box.returnPressed.connect(self._tick_highlighted)
        self.find_box.installEventFilter(self)
        self.ticked.installEventFilter(self)
        self.regulars_button.clicked.connect(self.tick_regulars)
        self.new_face_button.clicked.connect(self.start_quick_add)
        self.quick_add.clicked.connect(self.add_new_face)
        for w in (self.quick_name, self.quick_area):
            w.returnPressed.connect(self.add_new_face)
        self.quick_age.lineEdit().returnPressed.connect(self.add_new_face)
        self.quick.installEventFilter(self)
        for w in (self.quick_name, self.quick_age, self.quick_area):
            w.installEventFilter(self)
        self.grid.changed.connect(self._grid_changed)

    # Finding and ticking -------------------------------------------------------------------------------------------

    def _search(self, query: tuple[str, str, str]) -> list[RegisterMatch]:
        text, area, place = query
        return self.backend.background_sessions.register_matches(text, area, place, FIND_LIMIT) if text else []

    def _find_changed(self, text: str) -> None:
        if text.strip():
            area, place = self.where()
            self.searcher.request((text.strip(), area.strip(), place.strip()))
        else:
            self.searcher.cancel()
            self.results.clear()
            self.find_hint.setText("")

    def _show_results(self, _query: object, matches: list[RegisterMatch]) -> None:
        self.results.clear()
        for m in matches:
            item = QListWidgetItem(("✓ " if m.person.id in self._ticked else "") + describe(m.person, m))
            item.setData(Qt.ItemDataRole.UserRole, m.person)
            self.results.addItem(item)
        self.choosing = ambiguous(matches)
        if self.choosing:
            self.results.setCurrentRow(-1)
            tied = sum(1 for m in matches if m.rank == matches[0].rank)
            self.find_hint.setText(
                f"{tied} match equally well: check the estate and age, choose with ↓ ↑, then press Enter."
            )
        elif matches:
            self.results.setCurrentRow(0)
            self.find_hint.setText("Enter ticks the highlighted name; ↑ ↓ choose another.")
        else:
            self.find_hint.setText("Nobody found. Press Alt+W to add them as a new face.")
        if self._tick_when_found:
            self._tick_when_found = False
            self._tick_highlighted()

    def _tick_highlighted(self) -> None:
        if self.searcher.waiting and self.find_box.text().strip():
            self._tick_when_found = True  # Enter pressed before the results arrived
            return
        item = self.results.currentItem()
        if item is None or self.results.currentRow() < 0:
            return  # nothing chosen yet (the hint says how)
        person: YoungPerson = item.data(Qt.ItemDataRole.UserRole)
        self.tick(person.id, describe(person))
        self.choosing = False
        self.find_box.clear()

    def tick(self, person_id: str, name: str, new_face: bool = False) -> None:
        if person_id in self._ticked:
            return
        self._ticked[person_id] = (name, new_face)
        if self._batch is not None:
            self._batch.append(person_id)
        else:
            self._ticks.append([person_id])
        item = QListWidgetItem(name + ("  (new face)" if new_face else ""))
        item.setData(Qt.ItemDataRole.UserRole, person_id)
        self.ticked.addItem(item)
        self._register_changed()

    def untick(self, person_id: str) -> None:
        if self._ticked.pop(person_id, None) is None:
            return
        self._ticks = [kept for kept in ([i for i in b if i != person_id] for b in self._ticks) if kept]
        for i in range(self.ticked.count()):
            if self.ticked.item(i).data(Qt.ItemDataRole.UserRole) == person_id:
                self.ticked.takeItem(i)
                break
        self._register_changed()

    def tick_regulars(self) -> None:
        people = self.regulars_source() if self.regulars_source else []
        if not people:
            self.find_hint.setText("No earlier register here to copy. Choose the area first, or type names.")
            return
        before = len(self._ticked)
        self._batch = []
        try:
            for p in people:
                if p.active:
                    self.tick(p.id, describe(p))
        finally:
            if self._batch:
                self._ticks.append(self._batch)
            self._batch = None
        self.find_hint.setText(
            f"Ticked {len(self._ticked) - before} regulars from last time. Remove anyone not here"
            " (Ctrl+Z takes them all off again)."
        )
        self.find_box.setFocus()

    def undo_tick(self) -> None:
        """Take back the newest tick (all of "last time's regulars" if that was the newest)."""
        if not self._ticks:
            self.find_hint.setText("Nothing to take back.")
            return
        batch = self._ticks.pop()
        labels = [self._ticked[i][0].split(" · ")[0] for i in batch if i in self._ticked]
        for pid in batch:
            self.untick(pid)
        self.find_hint.setText(
            f"Took {labels[0]} off the register." if len(labels) == 1 else f"Took {len(labels)} off the register."
        )

    def _register_changed(self) -> None:
        n = len(self._ticked)
        self.ticked_label.setText(f"On the register (Alt+R): {n}" if n else "On the register (Alt+R): nobody yet")
        self.tabs.setTabText(0, f"Register ({n})")
        self.changed.emit()

    def _grid_changed(self) -> None:
        total = self.grid.total()
        self.headcount_total.setText(f"Headcount: {total}")
        self.tabs.setTabText(1, f"Headcount ({total})")
        self.changed.emit()

    # New faces -----------------------------------------------------------------------------------------------------

    def start_quick_add(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.quick.show()
        if not self.quick_area.text().strip():
            self.quick_area.setText(self.area_hint())
        self.quick_name.setText(self.find_box.text().strip())
        self.quick_name.setFocus()
        self.quick_name.selectAll()

    def add_new_face(self) -> None:
        name = self.quick_name.text().strip()
        if not name:
            self._quick_problem("Enter a first name or the name they go by.", self.quick_name)
            return
        age = self.quick_age.value() or None
        try:
            area = self.quick_area.text().strip()
            person = self.backend.write(lambda: self.backend.people.quick_add(name, area, age)).value
        except ValidationError as exc:
            self._quick_problem(" ".join(p.message for p in exc.problems), self.quick_name)
            return
        self.quick_error.hide()
        self.tick(person.id, describe(person), new_face=True)
        self.quick_name.clear()
        self.quick_age.setValue(0)
        self.find_box.clear()
        self.quick_name.setFocus()

    def _quick_problem(self, text: str, widget: QWidget) -> None:
        self.quick_error.setText(text)
        self.quick_error.show()
        widget.setFocus()

    def close_quick_add(self) -> None:
        self.quick.hide()
        self.quick_error.hide()
        self.find_box.setFocus()

    def focus_register(self) -> None:
        """Alt+R: the list of who is ticked, its first name highlighted (Delete takes the highlighted one off)."""
        self.tabs.setCurrentIndex(0)
        self.ticked.setFocus()
        if self.ticked.currentRow() < 0 and self.ticked.count():
            self.ticked.setCurrentRow(0)

    def focus_headcount(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.grid.setFocus()
        if not self.grid.currentIndex().isValid():
            self.grid.setCurrentCell(0, 0)

    # Keys ----------------------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        quick_fields = (self.quick_name, self.quick_age, self.quick_area)
        if not isinstance(event, QKeyEvent):  # what follows is about keys (ShortcutOverride is a key event too)
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            # Esc in the new-face row closes the row; it must not reach the form's Back shortcut.
            if watched in quick_fields and event.key() == Qt.Key.Key_Escape:
                event.accept()
                return True
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        undo = key == Qt.Key.Key_Z and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        if undo and (watched is self.ticked or (watched is self.find_box and not self.find_box.text())):
            self.undo_tick()
            return True
        if watched is self.find_box and key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
            row = self.results.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
            self.results.setCurrentRow(max(0, min(self.results.count() - 1, row)))
            return True
        if watched is self.ticked and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            item = self.ticked.currentItem()
            if item is not None:
                self.untick(item.data(Qt.ItemDataRole.UserRole))
            return True
        if watched in quick_fields and key == Qt.Key.Key_Escape:
            self.close_quick_add()
            return True
        return False

    # State ---------------------------------------------------------------------------------------------------------

    def person_ids(self) -> list[str]:
        return list(self._ticked)

    def headcounts(self) -> dict[str, int]:
        return self.grid.counts()

    def state(self) -> dict[str, Any]:
        return {
            "register": [{"id": pid, "name": name, "new": new} for pid, (name, new) in self._ticked.items()],
            "headcounts": self.headcounts(),
        }

    def set_state(self, register: list[dict[str, Any]], headcounts: dict[str, int]) -> None:
        self.clear()
        for entry in register:
            self.tick(entry["id"], entry["name"], bool(entry.get("new")))
        self._ticks.clear()  # what was already recorded is not "the last tick"
        self.grid.set_counts(headcounts)

    def clear(self) -> None:
        self._ticked.clear()
        self._ticks.clear()
        self.ticked.clear()
        self.results.clear()
        self.find_box.clear()
        self.quick.hide()
        self.quick_area.clear()
        self.grid.set_counts({})
        self.show_problem("")
        self._register_changed()
        self.tabs.setCurrentIndex(0)

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def set_read_only(self, read_only: bool) -> None:
        for w in (self.find_box, self.regulars_button, self.new_face_button, self.quick):
            w.setEnabled(not read_only)
        self.grid.read_only = read_only
