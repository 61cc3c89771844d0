"""A passphrase strong enough, typed twice: the check and the form rows first run and the new-passphrase page share."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit
from zxcvbn import zxcvbn

from ui.forms import FieldErrors, hint
from ui.gate.layout import password_field
from youthwork.domain.validation import Problem

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable"


def passphrase_problem(text: str) -> str | None:
    """Why this passphrase is too weak, in plain words, or None if it is strong enough."""
    if len(text) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters. Three or four unrelated words work well."
    result = zxcvbn(text[:100])
    if result["score"] < MIN_SCORE:
        warning = result["feedback"].get("warning") or "This would be easy to guess."
        return f"{warning} Try three or four unrelated words."
    return None


def strength_text(text: str) -> str:
    if not text:
        return ""
    problem = passphrase_problem(text)
    return f"Too weak: {problem}" if problem else "Strong enough."


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
