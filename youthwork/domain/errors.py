"""The one root for errors a youth worker may be shown.

Anything raised as a `ShownError` carries a `message` written for the worker: the app shows it as it is. Anything
else is a fault: the app logs it (its text can hold personal data, so only its type reaches the log's first line)
and shows its own plain words instead.
"""

from __future__ import annotations


class ShownError(Exception):
    """An error whose `message` a youth worker can read as it is; it never holds secrets."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def message_for(error: BaseException, fallback: str) -> str:
    """The words to show for `error`: its own when it is meant to be shown, `fallback` otherwise."""
    return error.message if isinstance(error, ShownError) else fallback
