"""Changing the database key itself ("someone may have seen my passphrase"): the store and every backup re-encrypted.

    recovery = rotate_key(directory, passphrase, new_passphrase, progress=print)   # the profile is closed

The key-slot file journals the change (`KeySlots.begin_rotation`): until it is finished either key can be had from
the file, with the old secrets or the new. Each file is copied page by page into a new file under the new key
(SQLite's backup API, which reports progress), fsynced, and renamed over the old one; a file that already opens with
the new key is skipped. So an interruption at any point loses nothing: the next unlock (with the old passphrase or
the new one) finishes the job (`resume_rotation`). Only then do the slots keep the new key alone, and no file under
the profile opens with the old key or unwraps with the old passphrase.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import sqlcipher3

from youthwork.config import DB_FILENAME, KEYSLOTS_FILENAME
from youthwork.keys.slots import DEFAULT_ARGON2, KEY_BYTES, Argon2Params, KeySlots, new_recovery_key
from youthwork.platform import files
from youthwork.store.database import PAGE_SIZE, DatabaseError, keyed, open_elsewhere
from youthwork.store.errors import StoreError

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (pages done, pages in all)
STEP_PAGES = 1024  # 4 MiB a step: progress often enough, few enough callbacks
REKEY_SUFFIX = ".rekey"

BUSY = "This profile is open in youthwork (the app or a command). Close it there first; nothing has been changed."


def encrypted_files(directory: Path) -> list[Path]:
    """The store and every backup of it (all encrypted with the database key), the store first."""
    directory = Path(directory)
    found = [directory / DB_FILENAME] if (directory / DB_FILENAME).exists() else []
    return found + sorted(p for p in directory.glob(f"{DB_FILENAME}.*.bak") if p.is_file())


def rotate_key(
    directory: Path,
    passphrase: str,
    new_passphrase: str | None = None,
    *,
    argon2: Argon2Params = DEFAULT_ARGON2,
    progress: Progress | None = None,
    show_recovery_key: Callable[[str], None] | None = None,
) -> str:
    """Give the profile (closed) a new database key, new passphrase slot and a new recovery key; returns the latter.

    `show_recovery_key` is called with the new recovery key before anything changes, so that even if the change is
    interrupted and finished later, the worker has it.
    """
    directory = Path(directory)
    if open_elsewhere(directory / DB_FILENAME):
        raise StoreError(BUSY)
    slots = KeySlots.load(directory / KEYSLOTS_FILENAME)
    old_key = slots.unlock(passphrase)
    if slots.rotating:  # an earlier change never finished: finish it first, then change again
        old_key = resume_rotation(directory, slots, old_key, progress=progress)
    new_key = secrets.token_bytes(KEY_BYTES)
    recovery = new_recovery_key()
    if show_recovery_key is not None:
        show_recovery_key(recovery)
    with files.private_files():
        slots.begin_rotation(old_key, new_key, new_passphrase or passphrase, recovery, argon2=argon2)
        _complete(directory, slots, old_key, new_key, progress)
    log.info("database key changed for the store and its backups")
    return recovery


def resume_rotation(directory: Path, slots: KeySlots, old_key: bytes, *, progress: Progress | None = None) -> bytes:
    """Finish a key change that was interrupted; returns the new key."""
    if open_elsewhere(Path(directory) / DB_FILENAME):
        raise StoreError(BUSY)
    new_key = slots.next_key(old_key)
    log.info("finishing a key change that was interrupted")
    with files.private_files():
        _complete(Path(directory), slots, old_key, new_key, progress)
    return new_key


def _complete(directory: Path, slots: KeySlots, old_key: bytes, new_key: bytes, progress: Progress | None) -> None:
    targets = encrypted_files(directory)
    for leftover in directory.glob(f".*{REKEY_SUFFIX}*"):  # half-made copies from an interrupted run
        leftover.unlink(missing_ok=True)
    total = sum(max(1, p.stat().st_size // PAGE_SIZE) for p in targets)
    done = 0
    for path in targets:
        pages = max(1, path.stat().st_size // PAGE_SIZE)
        base = done

        def step(copied: int, base: int = base) -> None:
            if progress is not None:
                progress(base + copied, total)

        _rekey_file(path, old_key, new_key, step)
        done = base + pages
        step(pages)
    slots.finish_rotation()


def opens_with(path: Path, key: bytes) -> bool:
    """True if `key` decrypts the file's first page (a quiet probe: nothing is written)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        keyed(conn, key)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except DatabaseError:
        return False
    finally:
        conn.close()


def _rekey_file(path: Path, old_key: bytes, new_key: bytes, step: Callable[[int], None]) -> None:
    if opens_with(path, new_key):
        return  # done before an interruption
    if not opens_with(path, old_key):
        log.warning("a backup opens with neither key; left as it is")
        return
    tmp = path.with_name(f".{path.name}{REKEY_SUFFIX}")
    src = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        keyed(src, old_key)
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy reads through the WAL anyway; this empties it
        dst = sqlcipher3.connect(str(tmp), isolation_level=None)
        try:
            keyed(dst, new_key)

            def report(_status: int, remaining: int, pages: int) -> None:
                step(pages - remaining)

            src.backup(dst, pages=STEP_PAGES, progress=report)
        finally:
            dst.close()
    finally:
        src.close()
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    for side in ("-wal", "-shm", "-journal"):  # the old file's WAL (empty now) must never meet the new file
        with suppress(FileNotFoundError):
            path.with_name(path.name + side).unlink()
        with suppress(FileNotFoundError):
            tmp.with_name(tmp.name + side).unlink()
    files.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
