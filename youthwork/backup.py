"""Encrypted local backups of a profile's store: take, list, rotate, restore.

A backup is a consistent copy of the SQLCipher file made with SQLite's online backup API into a file keyed with the
same database key, so it stays encrypted on disk and opens with the profile's passphrase or recovery key. It lives
beside the store, named like the copies the store takes before a migration (`youthwork.db.<label>.<stamp>.bak`), so
erasure (`ErasureService.erase_in_backups`), a key change (`store.rekey`) and a remote wipe (`device.wipe`) reach
every backup too. No copy of the key slots goes with it: a backup opens only through the profile's one key-slot file,
so a changed passphrase or key is changed for the backups too (a stale copy would be a key that can't be revoked).

    take_backup(profile)                  # "manual"; the app and CLI call this
    backup_if_due(profile)                # on unlock: a "daily" one if the newest is older than a day
    list_backups(directory)               # newest first, with kind and time
    restore(directory, source, passphrase)  # profile closed; keeps a safety copy of the current file first

Every file is written under a temporary name, fsynced and renamed, so a crash never leaves half a backup under a
backup's name. Rotation keeps the newest KEEP_DAILY daily/manual backups, KEEP_SAFETY safety copies taken before a
restore and KEEP_BEFORE_UPDATE copies taken before migrations.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlcipher3

from youthwork.config import DB_FILENAME, KEYSLOTS_FILENAME
from youthwork.keys.slots import KeySlots
from youthwork.store.database import Database, DatabaseError, keyed, open_elsewhere
from youthwork.store.errors import CorruptStore, NotAStore, StoreError
from youthwork.store.profile import Profile, private_files

log = logging.getLogger(__name__)

KEEP_DAILY = 7
KEEP_SAFETY = 3
KEEP_BEFORE_UPDATE = 3
DAILY_EVERY = timedelta(days=1)
STAMP = "%Y%m%dT%H%M%S"
_NAME = re.compile(rf"^{re.escape(DB_FILENAME)}\.(?P<label>[\w-]+)\.(?P<stamp>\d{{8}}T\d{{6}})(?:-(?P<n>\d+))?\.bak$")

DISK_FULL = "The laptop's disk is full: no backup was made. Free some space and try again."
RESTORE_DISK_FULL = "The laptop's disk is full: nothing was restored. Free some space and try again."


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    label: str  # daily, manual, before-restore, before-v7 ...
    taken_at: datetime
    size: int

    @property
    def kind(self) -> str:
        """In words, for lists."""
        if self.label.startswith("before-v"):
            return "before an update"
        return {"before-restore": "before a restore", "daily": "daily", "manual": "made by hand"}.get(
            self.label, self.label
        )


def list_backups(directory: Path) -> list[Backup]:
    """The profile's backups, newest first (including the copies the store took before migrating)."""
    found = []
    for path in Path(directory).glob(f"{DB_FILENAME}.*.bak"):
        m = _NAME.match(path.name)
        if not m:
            continue
        taken = datetime.strptime(m["stamp"], STAMP).replace(tzinfo=UTC)
        with suppress(OSError):
            found.append(Backup(path, m["label"], taken, path.stat().st_size))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def take_backup(profile: Profile, label: str = "manual", *, now: datetime | None = None) -> Backup:
    """A consistent encrypted copy of the open profile's store, then rotation. Raises StoreError in plain words."""
    if not re.fullmatch(r"[\w-]+", label):
        raise ValueError(f"bad backup label {label!r}")
    directory = profile.directory
    now = now or datetime.now(UTC)
    target = _free_name(directory, label, now)
    tmp = target.with_name(f".{target.name}.partial")
    key = profile.database_key()  # the same key: the copy is encrypted exactly as the store is
    try:
        with private_files():
            _copy_database(profile, tmp, key)
            _fsync(tmp)
            os.replace(tmp, target)
            _fsync_dir(directory)
    except OSError as e:
        _discard(tmp)
        if e.errno == 28:  # ENOSPC
            raise StoreError(DISK_FULL) from None
        raise StoreError(f"The backup could not be written ({e.strerror}). Nothing has been changed.") from None
    except DatabaseError as e:
        _discard(tmp)
        if "full" in str(e).lower():
            raise StoreError(DISK_FULL) from None
        log.warning("backup failed: %s", e)
        raise StoreError("The backup could not be made just now. Nothing has been changed; try again.") from None
    log.info("store backed up (%s)", label)
    made = Backup(target, label, now.astimezone(UTC).replace(microsecond=0), target.stat().st_size)
    rotate(directory)
    return made


def backup_if_due(profile: Profile, *, now: datetime | None = None, every: timedelta = DAILY_EVERY) -> Backup | None:
    """Take a daily backup if the newest daily or manual one is older than `every` (or there is none)."""
    now = now or datetime.now(UTC)
    recent = [b for b in list_backups(profile.directory) if b.label in ("daily", "manual")]
    if recent and now - recent[0].taken_at < every:
        return None
    return take_backup(profile, "daily", now=now)


def rotate(directory: Path) -> list[Path]:
    """Delete backups beyond the kept numbers; returns what was deleted."""
    groups: dict[str, list[Backup]] = {"regular": [], "before-restore": [], "before-update": []}
    for b in list_backups(directory):
        if b.label in ("daily", "manual"):
            groups["regular"].append(b)
        elif b.label == "before-restore":
            groups["before-restore"].append(b)
        elif b.label.startswith("before-v"):
            groups["before-update"].append(b)
    keep = {"regular": KEEP_DAILY, "before-restore": KEEP_SAFETY, "before-update": KEEP_BEFORE_UPDATE}
    gone = []
    for group, backups in groups.items():
        for b in backups[keep[group] :]:
            _discard(b.path, *_sidecars(b.path))
            gone.append(b.path)
    return gone


def check_backup(source: Path, key: bytes) -> int:
    """Open a copy of `source` with `key` and check it; returns its schema version. Raises StoreError if unusable."""
    source = Path(source)
    if not source.is_file():
        raise NotAStore(f"There is no backup file at {source}.")
    scratch = source.with_name(f".{source.name}.check")
    try:
        shutil.copyfile(source, scratch)
        return _checked_copy(scratch, key)
    finally:
        _discard(scratch, *_sidecars(scratch))


@dataclass(frozen=True, slots=True)
class Restored:
    source: Path
    safety_copy: Path | None  # the file as it was before the restore (None if there was none)
    people: int


def restore(directory: Path, source: Path, passphrase: str = "", *, recovery_key: str = "") -> Restored:
    """Put the backup `source` in place of the profile's store. The profile must not be open anywhere.

    The passphrase (or recovery key) is checked against the profile's key slots: a backup has no key of its own, so
    it can only go back into the profile it came from. The backup is checked on a copy first; the current file is
    kept as a safety copy; the swap is a rename, so a crash leaves either the old file or the new one, never a mix.
    """
    directory, source = Path(directory), Path(source)
    if source.is_dir():  # a profile folder or a folder copied from one
        source = source / DB_FILENAME
    if not source.is_file():
        raise NotAStore(f"There is no backup file at {source}.")
    slots_path = directory / KEYSLOTS_FILENAME
    if not slots_path.exists():
        raise NotAStore(
            f"There is no youthwork profile in {directory}. A backup opens only with its own profile's key file "
            "(keyslots.json); nothing has been changed."
        )
    slots = KeySlots.load(slots_path)
    key = slots.unlock_with_recovery_key(recovery_key) if recovery_key else slots.unlock(passphrase)

    db_path = directory / DB_FILENAME
    if open_elsewhere(db_path):
        raise StoreError(
            "This profile is open in youthwork (the app or a command). Close it there first; nothing has been changed."
        )
    incoming = directory / f".{DB_FILENAME}.restoring"
    with private_files():
        try:
            shutil.copyfile(source, incoming)
            wal = source.with_name(source.name + "-wal")  # left by a crash while the backup was open (erasure)
            if wal.exists() and wal.stat().st_size:
                shutil.copyfile(wal, incoming.with_name(incoming.name + "-wal"))
            _checked_copy(incoming, key)  # also brings an older backup up to this version's schema
            _fsync(incoming)
            safety = _safety_copy(directory, db_path, key)
            for side in _sidecars(db_path):  # the old file's WAL must never be replayed into the restored one
                with suppress(FileNotFoundError):
                    side.unlink()
            os.replace(incoming, db_path)
            _fsync_dir(directory)
        except OSError as e:
            _discard(incoming, *_sidecars(incoming))
            if e.errno == 28:
                raise StoreError(RESTORE_DISK_FULL) from None
            raise StoreError(f"The backup could not be restored ({e.strerror}). Nothing has been changed.") from None
        except BaseException:
            _discard(incoming, *_sidecars(incoming))
            raise
    db = Database.open(db_path, key)
    try:
        people = int(db.scalar("SELECT count(*) FROM people"))
    finally:
        db.close()
    rotate(directory)
    log.info("store restored from a backup")
    return Restored(source, safety, people)


# ---- helpers --------------------------------------------------------------------------------------------------------


def _copy_database(profile: Profile, target: Path, key: bytes) -> None:
    conn = sqlcipher3.connect(str(target), isolation_level=None)
    try:
        keyed(conn, key)
        profile.db.backup_to(conn)
    finally:
        conn.close()


def _checked_copy(path: Path, key: bytes) -> int:
    try:
        db = Database.open(path, key)
    except CorruptStore:
        raise StoreError(
            "This backup can't be opened with this profile's key: it is damaged, or it belongs to another profile. "
            "Nothing has been changed."
        ) from None
    except StoreError as e:
        raise StoreError(f"This backup can't be used: {e}") from None
    damaged = StoreError("This backup is damaged and can't be used. Nothing has been changed.")
    try:
        try:
            if db.scalar("PRAGMA quick_check") != "ok":
                raise damaged
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return db.schema_version
        except (DatabaseError, MemoryError):  # SQLCipher reports a page that fails its HMAC in odd ways
            raise damaged from None
    finally:
        _close_quietly(db)
        # Sidecars, and the copy the store takes before migrating an older backup: not backups of their own.
        _discard(*_sidecars(path), *path.parent.glob(path.name + ".*.bak"))


def _close_quietly(db: Database) -> None:
    try:
        db.close()
    except (DatabaseError, MemoryError):
        with suppress(Exception):
            db._conn.close()
        db._conn = None


def _safety_copy(directory: Path, db_path: Path, key: bytes) -> Path | None:
    """The current file as a 'before-restore' backup; a file that won't open is kept byte for byte instead."""
    if not db_path.exists():
        return None
    target = _free_name(directory, "before-restore", datetime.now(UTC))
    try:
        db = Database.open(db_path, key, migrate=False)
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
    except (StoreError, DatabaseError):
        log.warning("the current store could not be opened before a restore; keeping its bytes as they are")
        for side in _sidecars(db_path):
            if side.exists():
                shutil.copyfile(side, target.with_name(target.name + side.name[len(db_path.name) :]))
    shutil.copyfile(db_path, target)
    _fsync(target)
    return target


def _free_name(directory: Path, label: str, now: datetime) -> Path:
    base = f"{DB_FILENAME}.{label}.{now.astimezone(UTC).strftime(STAMP)}"
    target = directory / f"{base}.bak"
    n = 2
    while target.exists():
        target = directory / f"{base}-{n}.bak"
        n += 1
    return target


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]


def _discard(*paths: Path) -> None:
    for p in paths:
        with suppress(OSError):
            p.unlink()


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(directory: Path) -> None:
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
