"""A passphrase strong enough, typed twice: the check and the form rows first run and the new-passphrase page share.

The rule and its words are the command line's (`youthwork.keys.passphrase`): one policy, said the same way.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from ui.forms import FieldErrors, hint
from ui.gate.layout import password_field
from youthwork.domain.validation import Problem
from youthwork.keys import passphrase as policy


def passphrase_problem(text: str) -> str | None:
    """Why this passphrase is too weak, with a four-word suggestion, or None if it is strong enough."""
    why = policy.problem(text)
    return None if why is None else policy.advice(why)


def strength_text(text: str) -> str:
    if not text:
        return ""
    why = policy.problem(text)
    return f"Too weak: {why}." if why else "Strong enough."


class PassphraseTwice:
    """The passphrase typed twice with a strength hint, shared by first run and the new-passphrase page.

    The page using it owns `self.errors` (FieldErrors) before calling `_add_passphrase_rows`."""

    errors: FieldErrors
    passphrase: QLineEdit
    repeat: QLineEdit
    strength: QLabel

    def _add_passphrase_rows(self, form: QFormLayout, label: str, repeat_label: str) -> None:
        self.passphrase = password_field()
        self.repeat = password_field()
        self.strength = hint("")
        self.errors.add_row(form, label, "passphrase", self.passphrase)
        form.addRow("", self.strength)
        self.errors.add_row(form, repeat_label, "repeat", self.repeat)
        self.passphrase.textChanged.connect(lambda t: self.strength.setText(strength_text(t)))
        self.passphrase.returnPressed.connect(self.repeat.setFocus)

    def _passphrases_ok(self) -> bool:
        """Strong enough and typed the same twice; otherwise the problems are shown and the first field focused."""
        problems: list[Problem] = []
        weak = passphrase_problem(self.passphrase.text())
        if weak:
            problems.append(Problem("passphrase", weak))
        if self.repeat.text() != self.passphrase.text():
            problems.append(Problem("repeat", "The two passphrases are not the same."))
        if problems:
            first = self.errors.show(problems)
            if first:
                first.setFocus()
            return False
        return True

    def _clear_passphrases(self) -> None:
        self.passphrase.clear()
        self.repeat.clear()
        self.errors.clear()
