"""Errors from the encrypted store. Each carries a `message` a youth worker can read as it is."""

from __future__ import annotations

from youthwork.domain.errors import ShownError


class StoreError(ShownError):
    """Something about the local store went wrong; `message` says what in plain English."""


class WrongPassphrase(StoreError):
    """The passphrase (or recovery key) did not open the profile. Attempts are counted and later ones slowed."""

    def __init__(self, message: str, *, attempts: int, wait_seconds: float) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.wait_seconds = wait_seconds


class TooManyAttempts(WrongPassphrase):
    """Refused without trying: too many wrong attempts recently; try again after `wait_seconds`."""


class NotAStore(StoreError):
    """The file or folder is not a youthwork store (a foreign file, not a database, or no profile there)."""


class ProfileMissing(NotAStore):
    """There is no youthwork profile in the folder at all."""


class CorruptStore(StoreError):
    """The store is truncated or damaged."""


class NewerStore(StoreError):
    """The store was written by a newer version of youthwork."""


class ReadOnlyRecord(StoreError):
    """An append-only record (case note, RAG rating) cannot be changed: add a correction instead."""


class WeakPassphrase(StoreError):
    """A new passphrase was refused as too easy to guess."""


class ProfileExists(StoreError):
    """`create` was asked to make a profile where one already is."""
