"""Small helpers shared by every form: labelled fields with an error line under each, and plain-English problems."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import date, time
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from youthwork.domain.validation import Problem

log = logging.getLogger(__name__)


@runtime_checkable
class Focusable(Protocol):
    """A page that knows which of its fields takes the focus first."""

    def focus_first(self) -> None: ...


def plain(text: str) -> str:
    """A label's words as a screen reader should say them: no mnemonic ampersands, markup or trailing colon."""
    text = re.sub(r"<[^>]+>", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.strip().rstrip(":").strip()


def accessible(widget: QWidget, accessible_name: str, description: str = "") -> QWidget:
    """Set what assistive technology announces for `widget` (its name, and a description where one helps)."""
    widget.setAccessibleName(plain(accessible_name))
    if description:
        widget.setAccessibleDescription(plain(description))
    return widget


def title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    label.setAccessibleName(text)
    return label


def section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def button(text: str, shortcut: str | QKeySequence | None = None, primary: bool = False) -> QPushButton:
    """A button whose shortcut is shown in its label so nobody has to guess it."""
    seq = QKeySequence(shortcut) if isinstance(shortcut, str) else shortcut
    keys = seq.toString(QKeySequence.SequenceFormat.NativeText).replace("Return", "Enter") if seq else ""
    shown = f"{text}  ({keys})" if keys else text
    b = QPushButton(shown)
    if seq and not seq.isEmpty():
        # A QShortcut rather than QPushButton.setShortcut: the button's own shortcut "animates" the click and
        # fires it 100 ms later; this one acts at once. It is live only while the button is on screen.
        sc = QShortcut(seq, b)
        sc.setContext(Qt.ShortcutContext.WindowShortcut)

        def press() -> None:
            if b.isEnabled():
                b.click()

        sc.activated.connect(press)
    if primary:
        b.setObjectName("primary")
    b.setAutoDefault(False)
    return b


def date_edit() -> QDateEdit:
    """A date field whose calendar drops down."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    return edit


def py_date(value: QDate) -> date:
    """A QDate as a date (PySide6's stubs type toPython() as returning object)."""
    d = value.toPython()
    assert isinstance(d, date)
    return d


def py_time(value: QTime) -> time:
    """A QTime as a time (PySide6's stubs type toPython() as returning object)."""
    t = value.toPython()
    assert isinstance(t, time)
    return t


def title_with_back(lay: QVBoxLayout, text: str) -> tuple[QLabel, QPushButton]:
    """A page title with a Back button (Esc) at the right, added to `lay`; the title and the button."""
    head = QHBoxLayout()
    heading = title(text)
    head.addWidget(heading)
    head.addStretch(1)
    back = button("Back", "Esc")
    head.addWidget(back)
    lay.addLayout(head)
    return heading, back


def shortcut(parent: QWidget, keys: str | QKeySequence, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut):
    sc = QShortcut(QKeySequence(keys), parent)
    sc.setContext(context)
    sc.activated.connect(slot)
    return sc


def form_state(root: QWidget) -> tuple[object, ...]:
    """Everything typed, chosen or ticked in the fields under `root`: equal states mean nothing was changed.

    Forms take it when they load and when they save; Esc (Back) keeps a draft only when it differs."""
    state: list[object] = []
    for w in root.findChildren(QWidget):
        if isinstance(w, QLineEdit) and not w.isReadOnly():
            state.append(w.text())
        elif isinstance(w, QPlainTextEdit) and not w.isReadOnly():
            state.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            state.append(w.currentIndex())
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            state.append(w.isChecked())
        elif isinstance(w, QListWidget):
            state.append(tuple(w.item(i).checkState().value for i in range(w.count())))
        elif isinstance(w, QTableWidget):
            cells = ((w.item(r, c) for c in range(w.columnCount())) for r in range(w.rowCount()))
            state.append(tuple(tuple(i.text() if i else "" for i in row) for row in cells))
    return tuple(state)


def bring_into_view(widget: QWidget, below: QWidget | None = None) -> None:
    """Show the tab that holds `widget`, scroll it (and `below`, its error line) on screen, and give it the focus."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:  # outermost tabs last: each tab on the way is opened
        if isinstance(parent, QStackedWidget) and isinstance(tabs := parent.parentWidget(), QTabWidget):
            index = tabs.indexOf(child)
            if index >= 0:
                tabs.setCurrentIndex(index)
        child, parent = parent, parent.parentWidget()
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            if below is not None and below.isVisibleTo(parent):
                parent.ensureWidgetVisible(below, 0, widget.fontMetrics().height())
            parent.ensureWidgetVisible(widget, 0, widget.fontMetrics().height())
        parent = parent.parentWidget()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)


class FieldErrors:
    """An error line under each field of a form; shows a ValidationError's problems where they belong."""

    def __init__(self, form_error: QLabel, summary: bool = True) -> None:
        self.form_error = form_error
        self.summary = summary  # a one-field page needs no "check the form" line
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}

    def add_row(self, form: QFormLayout, label: str, name: str, widget: QWidget, hint_text: str = "") -> QLabel:
        """Add `label: widget` with an error line (and an optional hint) beneath the widget."""
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(widget)
        if hint_text:
            lay.addWidget(hint(hint_text))
        err = QLabel()
        err.setObjectName("fieldError")
        err.setWordWrap(True)
        err.hide()
        lay.addWidget(err)
        caption = QLabel(label)
        caption.setBuddy(widget)
        if plain(label) and not widget.accessibleName():
            widget.setAccessibleName(plain(label))
        if hint_text and not widget.accessibleDescription():
            widget.setAccessibleDescription(hint_text)
        form.addRow(caption, box)
        self.register(name, widget, err)
        return caption

    def register(self, name: str, widget: QWidget, error_label: QLabel) -> None:
        self._labels[name] = error_label
        self._widgets[name] = widget

    def clear(self) -> None:
        self.form_error.hide()
        for name, label in self._labels.items():
            label.hide()
            label.clear()
            self._mark(self._widgets[name], False)

    def show(self, problems: Iterable[Problem]) -> QWidget | None:
        """Show each problem at its field; returns the first widget with a problem (to move the focus there)."""
        self.clear()
        first: QWidget | None = None
        unplaced: list[str] = []
        count = 0
        for p in problems:
            count += 1
            label = self._labels.get(p.field)
            if label is None:
                unplaced.append(p.message)
                continue
            label.setText((label.text() + "\n" if label.text() else "") + p.message)
            label.show()
            self._mark(self._widgets[p.field], True, label.text())
            first = first or self._widgets[p.field]
        if count and (self.summary or unplaced):
            summary = "Please check the form: " + ("one thing needs" if count == 1 else f"{count} things need")
            summary += " attention."
            if unplaced:
                summary += "\n" + "\n".join(unplaced)
            self.form_error.setText(summary)
            self.form_error.show()
        return first

    def show_and_focus(self, problems: Iterable[Problem]) -> QWidget | None:
        """Show the problems, then bring the first field that needs attention into view with the focus on it."""
        first = self.show(problems)
        if first is not None:
            label = next((self._labels[n] for n, w in self._widgets.items() if w is first), None)
            bring_into_view(first, label)
        return first

    def message(self, text: str) -> None:
        self.form_error.setText(text)
        self.form_error.show()

    @staticmethod
    def _mark(widget: QWidget, invalid: bool, problem: str = "") -> None:
        # A screen reader hears the problem with the field's name; the field's own description comes back after.
        if invalid:
            if widget.property("usual_description") is None:
                widget.setProperty("usual_description", widget.accessibleDescription())
            widget.setAccessibleDescription(problem)
        elif widget.property("usual_description") is not None:
            widget.setAccessibleDescription(str(widget.property("usual_description")))
        widget.setProperty("invalid", invalid)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
