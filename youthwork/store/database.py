"""Opening the SQLCipher file: key first, cipher settings pinned, checks before anything is written, migrations.

One connection per profile, shared by threads under a re-entrant lock; `transaction()` nests with savepoints so a
use case can run inside a caller's transaction (e.g. a sync page and its cursor).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from youthwork.store.errors import CorruptStore, NewerStore, NotAStore, StoreError
from youthwork.store.migrations import LATEST_VERSION, all_migrations

log = logging.getLogger(__name__)

PAGE_SIZE = 4096
# 64 MiB: at 100,000 young people the weekly report's probes outgrow 32 MiB and redecrypt pages (229 ms vs 149 ms).
CACHE_KIB = 64 * 1024
BUSY_TIMEOUT_S = 5.0  # how long to wait for another connection's write to finish
SQLITE_HEADER = b"SQLite format 3\x00"
# Openings of common file types someone might point us at by mistake. A SQLCipher file starts with a random salt.
FOREIGN_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")
# "YW" + 1: marks the file as a youthwork store once it is decrypted.
APPLICATION_ID = 0x59570001
WAL_DMS_BYTE = 128  # SQLite's unix VFS: (22 + 8) * 4 + 8, the -shm byte every open WAL connection holds shared

# SQLCipher 4 defaults, set explicitly so a file written by one build opens in the next (coleifer/sqlcipher3 #13).
# kdf_iter does nothing with a raw key but is pinned anyway in case a passphrase key is ever used. Every open checks
# `PRAGMA cipher_settings` against these, and tests/core/test_compat.py opens a profile made by release 0.1.
PINNED_CIPHER = {
    "kdf_iter": "256000",
    "cipher_page_size": str(PAGE_SIZE),
    "cipher_use_hmac": "1",
    "cipher_plaintext_header_size": "0",
    "cipher_hmac_algorithm": "HMAC_SHA512",
    "cipher_kdf_algorithm": "PBKDF2_HMAC_SHA512",
}
CIPHER_PRAGMAS = ("PRAGMA cipher_compatibility = 4", *(f"PRAGMA {k} = {v}" for k, v in PINNED_CIPHER.items()))


def _null(_: None) -> None:
    return None


# sqlcipher3 binds a None (an empty column: about ten per young person) through its adapter protocol, and with no
# adapter registered for None it asks the protocol for __adapt__ and None for __conform__, two AttributeErrors made
# and thrown away (~1 µs each None; CPython's own sqlite3 binds None directly). A registered adapter is one dictionary
# lookup: 0.2 s of CPU of an import of 20,000 young people. None is still bound as NULL.
sqlcipher3.register_adapter(type(None), _null)


def keyed(conn: Any, key: bytes) -> None:
    """Key a fresh connection with the raw 32-byte key and pin the cipher (the key must be the first statement)."""
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    for pragma in CIPHER_PRAGMAS:
        conn.execute(pragma)
    # SQLCipher 4.19 prints every failed page check on stderr; a wrong key is reported by us, in words.
    conn.execute("PRAGMA cipher_log_level = NONE")


def cipher_settings(conn: Any) -> dict[str, str]:
    """The connection's cipher settings as SQLCipher reports them (`PRAGMA cipher_settings`)."""
    found = {}
    for (line,) in conn.execute("PRAGMA cipher_settings").fetchall():
        name, _, value = str(line).removeprefix("PRAGMA ").rstrip(";").partition(" = ")
        found[name.strip()] = value.strip()
    return found


Row = sqlcipher3.Row
DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError


class Database:
    """An open store file. Use `Database.open(path, key)`; `key=None` gives an unencrypted file (benchmarks only)."""

    def __init__(self, conn: Any, path: Path, encrypted: bool) -> None:
        self._conn = conn
        self.path = path
        self.encrypted = encrypted
        self.lock = threading.RLock()
        self._depth = 0

    # ---- opening ------------------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, key: bytes | None, *, create: bool = False, migrate: bool = True) -> Database:
        if not create:
            _check_file(path, encrypted=key is not None)
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
        try:
            if key is not None:
                keyed(conn, key)
                _check_pins(conn)
            db = cls(conn, path, encrypted=key is not None)
            version = db._check_readable(create)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            # Every page read from disk is decrypted: a bigger page cache keeps lists and searches from redoing it.
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            conn.row_factory = sqlcipher3.Row
            if create:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            if migrate:
                db.migrate(from_version=version)
            return db
        except sqlcipher3.OperationalError as e:
            conn.close()
            raise _in_words(e, path) from e
        except BaseException:
            conn.close()
            raise

    def _check_readable(self, create: bool) -> int:
        """Read the header pages; map SQLCipher's failures to clear errors. Writes nothing."""
        try:
            self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            app_id = self._conn.execute("PRAGMA application_id").fetchone()[0]
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            pages = self._conn.execute("PRAGMA page_count").fetchone()[0]
        except sqlcipher3.OperationalError as e:
            raise _in_words(e, self.path) from e  # busy, read-only...: not damage
        except DatabaseError as e:
            log.warning("store could not be read: %s", e)
            raise CorruptStore(
                "The youthwork data file is damaged and cannot be opened. Nothing has been changed; "
                "ask support to restore it from a backup."
            ) from None
        if create:
            return int(version)
        if app_id != APPLICATION_ID:
            raise NotAStore("This file is not a youthwork store.")
        if version > LATEST_VERSION:
            raise NewerStore(
                "This profile was saved by a newer version of youthwork. Update youthwork to open it; "
                "nothing has been changed."
            )
        wal = self.path.with_name(self.path.name + "-wal")
        if (not wal.exists() or wal.stat().st_size == 0) and pages * PAGE_SIZE > self.path.stat().st_size:
            raise CorruptStore(
                "The youthwork data file is cut short (truncated) and cannot be opened. Nothing has been changed; "
                "ask support to restore it from a backup."
            )
        return int(version)

    # ---- migrations ---------------------------------------------------------------------------------------------

    def migrate(self, *, from_version: int | None = None, target: int | None = None) -> None:
        """Run the migrations after `from_version` up to `target` (default: the latest), each in one transaction.

        A copy of the file is taken first. If a step fails, that step is rolled back, the file stays at the last
        good version, and a StoreError says so.
        """
        target = LATEST_VERSION if target is None else target
        version = self.schema_version if from_version is None else from_version
        if version >= target:
            return
        backup = self.backup(f"before-v{target}") if version > 0 else None
        for m in all_migrations():
            if not version < m.version <= target:
                continue
            log.info("migrating store to schema version %d (%s)", m.version, m.name)
            with self.lock:
                try:
                    m.run(self._conn)
                except DatabaseError as e:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    log.error("migration %d failed: %s", m.version, e)
                    where = f" A copy from before the update is at {backup}." if backup else ""
                    raise StoreError(
                        "This profile could not be updated for this version of youthwork. Nothing has been lost."
                        + where
                    ) from e
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
            version = m.version

    @property
    def schema_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))

    def backup(self, label: str) -> Path:
        """An exact copy of the (encrypted) file beside it, after folding the WAL in: same key, same cipher."""
        with self.lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            target = self.path.with_name(f"{self.path.name}.{label}.{stamp}.bak")
            shutil.copyfile(self.path, target)
            os.chmod(target, 0o600)
            with open(target, "rb") as f:
                os.fsync(f.fileno())
        log.info("store backed up before migrating")
        return target

    def backup_to(self, target: Any) -> None:
        """Copy this store into the open connection `target` with SQLite's online backup API."""
        # Under the store's lock no other thread of this connection writes mid-copy; other connections' commits
        # make SQLite restart the copy, so the result is always one consistent moment.
        with self.lock:
            self._conn.backup(target)

    # ---- use --------------------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic unit of work. Nested calls become savepoints inside the outer transaction."""
        with self.lock:
            depth = self._depth
            try:
                self._conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT sp{depth}")
            except sqlcipher3.OperationalError as e:
                raise _in_words(e, self.path) from e
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth = depth
                if depth == 0:
                    self._conn.execute("ROLLBACK")
                else:
                    self._conn.execute(f"ROLLBACK TO sp{depth}")
                    self._conn.execute(f"RELEASE sp{depth}")
                raise
            self._depth = depth
            try:
                self._conn.execute("COMMIT" if depth == 0 else f"RELEASE sp{depth}")
            except sqlcipher3.OperationalError as e:
                if self._conn.in_transaction and depth == 0:
                    self._conn.execute("ROLLBACK")
                raise _in_words(e, self.path) from e

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        with self.lock:
            return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> Any:
        with self.lock:
            return self._conn.executemany(sql, rows)

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        with self.lock:
            rows: list[Any] = self._conn.execute(sql, params).fetchall()
            return rows

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        with self.lock:
            return self._conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def columns(self, table: str) -> list[str]:
        return [r[1] for r in self.query(f"PRAGMA table_info({table})")]

    def close(self) -> None:
        with self.lock:
            if self._conn is None:
                return
            with suppress(DatabaseError):
                self._conn.execute("PRAGMA optimize")
            self._conn.close()
            self._conn = None


def open_elsewhere(db_path: Path) -> bool:
    """Another process has the store open: in WAL mode every open connection holds a shared lock on the shared-memory
    file's "dead man switch" byte, so an exclusive lock on it can only be had when no other process has the file open.
    (POSIX only; elsewhere the check is skipped.)"""
    try:
        import fcntl
    except ImportError:
        return False
    shm = db_path.with_name(db_path.name + "-shm")
    try:
        f = open(shm, "r+b")  # noqa: SIM115 - closed below, after the lock test
    except OSError:
        return False
    try:
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, WAL_DMS_BYTE)
    except OSError:
        return True
    else:
        fcntl.lockf(f, fcntl.LOCK_UN, 1, WAL_DMS_BYTE)
        return False
    finally:
        f.close()


def _check_pins(conn: Any) -> None:
    # A driver that ignored one of the pins would write files the next build cannot open: refuse before writing.
    found = cipher_settings(conn)
    drift = sorted(k for k, v in PINNED_CIPHER.items() if found.get(k) != v)
    if drift:
        log.error("cipher settings differ from the pins: %s", ", ".join(drift))
        raise StoreError(
            "This copy of youthwork is built wrongly (its encryption settings differ), so it will not open the "
            "profile. Nothing has been changed; reinstall youthwork."
        )


def _in_words(e: Exception, path: Path) -> StoreError:
    text = str(e).lower()
    if "readonly" in text or "read-only" in text:
        return StoreError(f"youthwork can't write to {path.parent}: the folder or file is read-only.")
    if "locked" in text or "busy" in text:
        return StoreError("The profile is busy in another youthwork window or command. Close it and try again.")
    if "disk" in text and "full" in text:
        return StoreError("The disk is full. Free some space and try again; nothing has been lost.")
    return StoreError(f"The youthwork data file could not be opened ({e}).")


def _check_file(path: Path, *, encrypted: bool) -> None:
    """Refuse foreign or damaged files by their bytes before SQLCipher is let near them."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
        size = path.stat().st_size
    except FileNotFoundError:
        raise CorruptStore("The profile's data file is missing; only its key file is there.") from None
    except IsADirectoryError:
        raise NotAStore("This is not a youthwork store: the data file is a folder.") from None
    except OSError as e:
        raise StoreError(f"The youthwork data file could not be read ({e.strerror}).") from None
    if encrypted and head == SQLITE_HEADER:
        raise NotAStore("This file is an ordinary unencrypted database, not a youthwork store.")
    if encrypted and _looks_foreign(path):
        raise NotAStore("This file is not a youthwork store (it is some other kind of file).")
    if size == 0 or size % PAGE_SIZE:
        raise CorruptStore(
            "The youthwork data file is damaged (cut short or the wrong size). Nothing has been changed; "
            "ask support to restore it from a backup."
        )


def _looks_foreign(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(512)
    if head.startswith(FOREIGN_MAGIC):
        return True
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(text) and all(ch.isprintable() or ch in "\r\n\t" for ch in text)
