"""The errors of the key slots and the store file, at the bottom of the laptop's layers (only the contract below).

Each carries a `message` a youth worker can read as it is. `youthwork.store.errors` re-exports them beside the
store's own, so callers import every store error from one place.
"""

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


class CorruptStore(StoreError):
    """The store is truncated or damaged."""


class NewerStore(StoreError):
    """The store was written by a newer version of youthwork."""


class WeakPassphrase(StoreError):
    """A new passphrase was refused as too easy to guess."""
