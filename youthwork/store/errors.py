"""Errors from the encrypted store. Each carries a `message` a youth worker can read as it is.

The ones the key slots raise too are defined below the store, in `youthwork.keys.errors`, and re-exported here.
"""

from __future__ import annotations

from youthwork.keys.errors import (
    CorruptStore,
    NewerStore,
    NotAStore,
    StoreError,
    TooManyAttempts,
    WeakPassphrase,
    WrongPassphrase,
)

__all__ = [
    "CorruptStore",
    "NewerStore",
    "NotAStore",
    "ProfileExists",
    "ProfileMissing",
    "ReadOnlyRecord",
    "StoreError",
    "TooManyAttempts",
    "WeakPassphrase",
    "WrongPassphrase",
]


class ProfileMissing(NotAStore):
    """There is no youthwork profile in the folder at all."""


class ReadOnlyRecord(StoreError):
    """An append-only record (case note, RAG rating) cannot be changed: add a correction instead."""


class ProfileExists(StoreError):
    """`create` was asked to make a profile where one already is."""
