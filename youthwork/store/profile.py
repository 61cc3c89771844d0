"""A worker's profile: one folder holding the encrypted database and its key-slot file.

    profile, recovery_key = Profile.create(folder, passphrase)   # show recovery_key once
    profile = Profile.open(folder, passphrase)
    with profile.transaction(): ...

Everything else (records, outbox, settings, secrets) hangs off the open profile.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar, overload

from youthwork.config import DB_FILENAME, KEYSLOTS_FILENAME
from youthwork.keys import passphrase as policy
from youthwork.keys.slots import DEFAULT_ARGON2, KEY_BYTES, Argon2Params, KeySlots, shred
from youthwork.store import bulk_load
from youthwork.store.database import Database
from youthwork.store.errors import NotAStore, ProfileExists, ProfileMissing, StoreError
from youthwork.store.outbox import Outbox
from youthwork.store.repository import Repository
from youthwork.store.settings import DEVICE_NODE, TEAM_ID, USER_ID, WORKER_NAME, Setting

log = logging.getLogger(__name__)

T = TypeVar("T")


@contextmanager
def private_files() -> Iterator[None]:
    """Files made inside are readable by this user only (umask 077)."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


class Profile:
    def __init__(self, directory: Path, db: Database, slots: KeySlots, key: bytes) -> None:
        self.directory = directory
        self.db = db
        self._slots = slots
        self._key = bytearray(key)  # mutable, so close() can overwrite it
        # True only when opened with the recovery key: then, and only then, the passphrase may be reset unseen.
        self.opened_with_recovery_key = False
        node = self.get_setting(DEVICE_NODE) or ""
        self.outbox = Outbox(db, node)
        self.records = Repository(db, self.outbox)

    # ---- opening ------------------------------------------------------------------------------------------------

    @staticmethod
    def exists(directory: Path) -> bool:
        directory = Path(directory)
        return (directory / KEYSLOTS_FILENAME).exists() or (directory / DB_FILENAME).exists()

    @classmethod
    def create(
        cls, directory: Path, passphrase: str, *, worker_name: str = "", argon2: Argon2Params = DEFAULT_ARGON2
    ) -> tuple[Profile, str]:
        """Make a new profile; returns it open, and the recovery key (show it once, never store it)."""
        directory = Path(directory)
        policy.check(passphrase, personal=(worker_name,))
        if cls.exists(directory):
            raise ProfileExists(f"There is already a youthwork profile in {directory}.")
        with private_files():
            try:
                directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as e:
                raise StoreError(f"Could not make the profile folder {directory} ({e.strerror}).") from None
            key = secrets.token_bytes(KEY_BYTES)
            slots, recovery = KeySlots.new(directory / KEYSLOTS_FILENAME, key, passphrase, argon2=argon2)
            db_path = directory / DB_FILENAME
            try:
                slots.save()
                db = Database.open(db_path, key, create=True)
            except BaseException:
                for leftover in (slots.path, db_path, *_sidecars(db_path)):
                    with suppress(OSError):
                        leftover.unlink()
                raise
        profile = cls(directory, db, slots, key)
        with profile.transaction():
            profile.set_setting(DEVICE_NODE, secrets.token_hex(4))
            profile.set_setting(WORKER_NAME, worker_name)
        profile.outbox.clock.node = profile.get_setting(DEVICE_NODE)
        log.info("profile created")
        return profile, recovery

    @classmethod
    def open(cls, directory: Path, passphrase: str) -> Profile:
        slots = cls._load_slots(Path(directory))
        key = slots.unlock(passphrase)
        return cls._after_unlock(Path(directory), slots, key)

    @classmethod
    def open_with_recovery_key(cls, directory: Path, recovery_key: str) -> Profile:
        slots = cls._load_slots(Path(directory))
        key = slots.unlock_with_recovery_key(recovery_key)
        profile = cls._after_unlock(Path(directory), slots, key)
        profile.opened_with_recovery_key = True
        return profile

    @classmethod
    def _after_unlock(cls, directory: Path, slots: KeySlots, key: bytes) -> Profile:
        if slots.rotating:  # a key change was interrupted: finish it before anything else is written
            from youthwork.store.rekey import resume_rotation

            key = resume_rotation(directory, slots, key)
        with private_files():
            try:
                slots.upgrade()  # a release 0.1 key file becomes the in-place kind
            except OSError as e:
                log.warning("could not upgrade the key file: %s", e.strerror)
        remove_key_copies(directory)
        profile = cls._open_db(directory, slots, key)
        if bulk_load.loading(profile.db):  # a first sync was cut short: its indexes and triggers go back
            with profile.transaction():
                bulk_load.finish(profile.db)
        return profile

    @staticmethod
    def _load_slots(directory: Path) -> KeySlots:
        if directory.is_file():
            raise NotAStore(f"{directory} is a file, not a youthwork profile folder.")
        if not Profile.exists(directory):
            raise ProfileMissing(f"There is no youthwork profile in {directory}.")
        return KeySlots.load(directory / KEYSLOTS_FILENAME)

    @classmethod
    def _open_db(cls, directory: Path, slots: KeySlots, key: bytes) -> Profile:
        with private_files():
            db = Database.open(directory / DB_FILENAME, key)
        return cls(directory, db, slots, key)

    def another_connection(self) -> Profile:
        """A second, independent connection to this open profile, for a background thread (sync).

        SQLite connections must not be shared across threads mid-transaction; with its own connection a long sync
        transaction never makes the UI thread wait on this profile's lock (WAL lets both read at once).
        """
        return Profile._open_db(self.directory, self._slots, bytes(self._key))

    def change_passphrase(self, old: str, new: str, *, argon2: Argon2Params = DEFAULT_ARGON2) -> None:
        """Rewrap the passphrase slot under `new`, in place. The database itself is not re-encrypted."""
        policy.check(new, personal=(str(self.get_setting(WORKER_NAME) or ""),))
        self._slots.unlock(old)  # counts a wrong old passphrase like any other attempt
        with private_files():
            self._slots.change_passphrase(bytes(self._key), new, argon2=argon2)
        log.info("passphrase changed")

    def reset_passphrase(self, new: str, *, argon2: Argon2Params = DEFAULT_ARGON2) -> None:
        """Set a new passphrase without the old one: only on a profile just opened with the recovery key.

        The recovery key proved the right to the data, so the forgotten passphrase is not asked for. The recovery
        slot is left as it was: the same recovery key still opens the profile.
        """
        if not self.opened_with_recovery_key:
            raise StoreError("The passphrase can only be reset after opening the profile with the recovery key.")
        policy.check(new, personal=(str(self.get_setting(WORKER_NAME) or ""),))
        with private_files():
            self._slots.reset_passphrase(bytes(self._key), new, argon2=argon2)
        self.opened_with_recovery_key = False  # one reset per recovery-key unlock
        log.info("passphrase reset with the recovery key")

    def close(self) -> None:
        self.db.close()
        self._key[:] = bytes(len(self._key))  # best effort: Python may hold other copies

    def __enter__(self) -> Profile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- use ----------------------------------------------------------------------------------------------------

    @property
    def db_path(self) -> Path:
        return self.db.path

    def transaction(self) -> Any:
        return self.db.transaction()

    @overload
    def get_setting(self, key: Setting[T]) -> T: ...

    @overload
    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def get_setting(self, key: Setting[Any] | str, default: Any = None) -> Any:
        """A setting's value: give its entry in youthwork.store.settings (a bare key is for tests and tools)."""
        if isinstance(key, Setting):
            found = self.get_setting(key.key)
            return key.fresh_default() if found is None else found
        value = self.db.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else json.loads(value)

    def set_setting(self, key: Setting[T] | str, value: T) -> None:
        name = key.key if isinstance(key, Setting) else key
        self.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (name, json.dumps(value)),
        )

    @property
    def store_id(self) -> str:
        """A random id of this profile, fixed at creation."""
        return self._slots.store_id

    @property
    def user_id(self) -> str:
        return str(self.get_setting(USER_ID) or "")

    @property
    def team_id(self) -> str:
        return str(self.get_setting(TEAM_ID) or "")

    @property
    def key_slots(self) -> KeySlots:
        return self._slots

    def database_key(self) -> bytes:
        """A copy of the open store's key, for a copy of the store keyed the same (backups, a second connection)."""
        return bytes(self._key)


def remove_key_copies(directory: Path) -> list[Path]:
    """Shred the key-slot copies release 0.1 kept beside each backup (`*.bak.keyslots`): unrevocable keys."""
    gone = []
    for copy in Path(directory).glob(f"{DB_FILENAME}*.keyslots"):
        with suppress(OSError):
            if shred(copy):
                gone.append(copy)
    if gone:
        log.info("removed %d old key-slot copies", len(gone))
    return gone


def _sidecars(db_path: Path) -> list[Path]:
    return [db_path.with_name(db_path.name + s) for s in ("-wal", "-shm", "-journal")]
