"""Opening, keys and bad files: a real SQLCipher file in a temporary folder."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from tests.core.conftest import FAST_KDF, PASSPHRASE
from youthwork.domain import YoungPerson
from youthwork.keys.slots import read_documents
from youthwork.store.database import SQLITE_HEADER
from youthwork.store.errors import (
    CorruptStore,
    NewerStore,
    NotAStore,
    ProfileExists,
    ProfileMissing,
    StoreError,
    TooManyAttempts,
    WeakPassphrase,
    WrongPassphrase,
)
from youthwork.store.profile import Profile


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def test_create_then_open_reads_back(profile_dir):
    p, recovery = Profile.create(profile_dir, PASSPHRASE)  # the production Argon2id setting
    person = p.records.save(YoungPerson(first_name="Tyrese", area="Peckham"))
    p.close()
    with Profile.open(profile_dir, PASSPHRASE) as again:
        assert again.records.get(YoungPerson, person.id) == person
    assert len(recovery.replace("-", "")) == 32
    slot = read_documents((profile_dir / "keyslots.json").read_bytes())[0]["slots"]["passphrase"]
    assert (slot["kdf"], slot["time_cost"], slot["memory_cost"], slot["parallelism"]) == ("argon2id", 3, 65536, 4)


def test_files_are_private_and_db_has_no_sqlite_header(profile_dir):
    Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)[0].close()
    assert stat.S_IMODE(profile_dir.stat().st_mode) == 0o700
    for f in profile_dir.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name
    assert not (profile_dir / "youthwork.db").read_bytes().startswith(SQLITE_HEADER)


def test_wrong_passphrase_fails_cleanly_counts_and_never_touches_the_db(profile_dir):
    Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)[0].close()
    db_before = (profile_dir / "youthwork.db").read_bytes()
    slots_before = (profile_dir / "keyslots.json").read_bytes()
    for attempt in (1, 2):
        with pytest.raises(WrongPassphrase) as err:
            Profile.open(profile_dir, "not the passphrase")
        assert err.value.attempts == attempt
        assert "not right" in str(err.value)
        assert err.value.wait_seconds == 0
    with pytest.raises(WrongPassphrase) as err:
        Profile.open(profile_dir, "still not it")
    assert err.value.attempts == 3 and err.value.wait_seconds > 0
    # Slowed: even the right passphrase is refused until the wait is over, and that is not counted.
    with pytest.raises(TooManyAttempts) as err:
        Profile.open(profile_dir, PASSPHRASE)
    assert err.value.attempts == 3
    assert "Wait" in err.value.message
    assert (profile_dir / "youthwork.db").read_bytes() == db_before
    # Counted in their own file: the key slots are never rewritten by a wrong guess (no old copies on the disk).
    assert (profile_dir / "keyslots.json").read_bytes() == slots_before
    assert json.loads((profile_dir / "attempts.json").read_text())["failed"] == 3
    time.sleep(err.value.wait_seconds + 0.05)
    Profile.open(profile_dir, PASSPHRASE).close()
    assert json.loads((profile_dir / "attempts.json").read_text())["failed"] == 0
    assert (profile_dir / "keyslots.json").read_bytes() == slots_before


def test_recovery_key_opens_and_a_wrong_one_does_not(profile_dir):
    p, recovery = Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)
    person = p.records.save(YoungPerson(first_name="Amara"))
    p.close()
    typed = recovery.lower().replace("-", " ")  # as a person might type it
    with Profile.open_with_recovery_key(profile_dir, typed) as again:
        assert again.records.get(YoungPerson, person.id) is not None
    with pytest.raises(WrongPassphrase):
        Profile.open_with_recovery_key(profile_dir, "AAAA-" * 7 + "AAAA")


def test_changed_passphrase_opens_and_old_one_does_not(profile_dir):
    p, recovery = Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)
    db_before = {k: v for k, v in _files(profile_dir).items() if k != "keyslots.json"}
    with pytest.raises(WrongPassphrase):
        p.change_passphrase("wrong old one", "a new passphrase")
    with pytest.raises(WeakPassphrase):
        p.change_passphrase(PASSPHRASE, "short")
    p.change_passphrase(PASSPHRASE, "a new passphrase")
    # Rewrapped, not re-encrypted: only the key-slot file changed.
    assert {k: v for k, v in _files(profile_dir).items() if k != "keyslots.json"} == db_before
    p.close()
    with pytest.raises(WrongPassphrase):
        Profile.open(profile_dir, PASSPHRASE)
    Profile.open(profile_dir, "a new passphrase").close()
    Profile.open_with_recovery_key(profile_dir, recovery).close()  # the recovery slot still works


def test_create_refuses_weak_passphrase_and_existing_profile(profile_dir):
    with pytest.raises(WeakPassphrase):
        Profile.create(profile_dir, "short")
    Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)[0].close()
    with pytest.raises(ProfileExists):
        Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)


def test_missing_profile_and_file_instead_of_folder(tmp_path):
    with pytest.raises(ProfileMissing):
        Profile.open(tmp_path / "nothing", PASSPHRASE)
    f = tmp_path / "a-file"
    f.write_text("hello")
    with pytest.raises(NotAStore):
        Profile.open(f, PASSPHRASE)


def _made(profile_dir: Path) -> None:
    p, _ = Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)
    with p.transaction():
        for i in range(300):
            p.records.save(YoungPerson(first_name=f"Person{i}", area="Brixton", address="x" * 200))
    p.close()


@pytest.mark.parametrize(
    ("damage", "error"),
    [
        ("plain_sqlite", NotAStore),
        ("pdf", NotAStore),
        ("text", NotAStore),
        ("random", CorruptStore),
        ("truncated_odd", CorruptStore),
        ("truncated_pages", CorruptStore),
        ("empty", CorruptStore),
        ("foreign_keyslots", NotAStore),
        ("truncated_keyslots", CorruptStore),
        ("missing_db", CorruptStore),
    ],
)
def test_bad_files_get_a_clear_error_and_are_left_as_they_were(profile_dir, damage, error):
    _made(profile_dir)
    db = profile_dir / "youthwork.db"
    slots = profile_dir / "keyslots.json"
    data = db.read_bytes()
    if damage == "plain_sqlite":
        db.unlink()
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    elif damage == "pdf":
        db.write_bytes(b"%PDF-1.7\n" + os.urandom(8192))
    elif damage == "text":
        db.write_text("name,postcode\nJay,SE15 5AB\n" * 400)
    elif damage == "random":
        db.write_bytes(os.urandom(len(data)))
    elif damage == "truncated_odd":
        db.write_bytes(data[: len(data) // 2 + 100])
    elif damage == "truncated_pages":
        db.write_bytes(data[: (len(data) // 2 // 4096) * 4096])
    elif damage == "empty":
        db.write_bytes(b"")
    elif damage == "foreign_keyslots":
        slots.write_text(json.dumps({"hello": "world"}))
    elif damage == "truncated_keyslots":
        slots.write_bytes(slots.read_bytes()[:100])
    elif damage == "missing_db":
        db.unlink()
    before = _files(profile_dir)
    with pytest.raises(error) as err:
        Profile.open(profile_dir, PASSPHRASE)
    assert isinstance(err.value, StoreError)
    assert err.value.message and "Traceback" not in err.value.message
    after = _files(profile_dir)
    assert {k: v for k, v in after.items() if not k.endswith(("-wal", "-shm"))} == before


def test_newer_store_is_refused_untouched(profile_dir):
    p, _ = Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)
    p.db.execute("PRAGMA user_version = 999")
    p.close()
    before = (profile_dir / "youthwork.db").read_bytes()
    with pytest.raises(NewerStore, match="newer version"):
        Profile.open(profile_dir, PASSPHRASE)
    assert (profile_dir / "youthwork.db").read_bytes() == before


def test_settings_round_trip_inside_the_store(profile):
    assert profile.get_setting("worker_name") == "Sam Worker"
    assert profile.get_setting("missing", 7) == 7
    profile.set_setting("idle_lock_minutes", 10)
    assert profile.get_setting("idle_lock_minutes") == 10


def test_a_busy_profile_is_not_called_damaged(profile_dir, monkeypatch):
    from youthwork.store import database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    p, _ = Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)
    p.db.execute("PRAGMA locking_mode = EXCLUSIVE")
    p.db.execute("BEGIN EXCLUSIVE")  # another window holds the file
    try:
        with pytest.raises(StoreError, match="busy") as err:
            Profile.open(profile_dir, PASSPHRASE)
        assert not isinstance(err.value, CorruptStore)
    finally:
        p.db.execute("ROLLBACK")
        p.close()


def test_a_write_while_another_connection_writes_gets_a_plain_busy_error(profile_dir, monkeypatch):
    from youthwork.store import database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    p, _ = Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)
    other = p.another_connection()
    try:
        with other.transaction():
            other.records.save(YoungPerson(first_name="Holding the lock"))
            with pytest.raises(StoreError, match="busy"):
                p.records.save(YoungPerson(first_name="Waiting"))
        p.records.save(YoungPerson(first_name="After"))
        assert sorted(x.first_name for x in p.records.select(YoungPerson)) == ["After", "Holding the lock"]
    finally:
        other.close()
        p.close()


def test_reset_passphrase_after_the_recovery_key(profile_dir):
    """A forgotten passphrase: the recovery key opens the profile and a new passphrase is set without the old."""
    p, recovery = Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)
    person = p.records.save(YoungPerson(first_name="Tyrese", area="Peckham"))
    p.close()
    with pytest.raises(WrongPassphrase):
        Profile.open(profile_dir, "not what it was")  # one wrong try at the forgotten one
    # Opened with the passphrase, the reset is refused: changing needs the old passphrase.
    with Profile.open(profile_dir, PASSPHRASE) as p, pytest.raises(StoreError, match="recovery key"):
        p.reset_passphrase("a fresh new passphrase")
    with Profile.open_with_recovery_key(profile_dir, recovery) as p:
        with pytest.raises(WeakPassphrase):
            p.reset_passphrase("short")
        p.reset_passphrase("a fresh new passphrase", argon2=FAST_KDF)
        with pytest.raises(StoreError):
            p.reset_passphrase("and another passphrase")  # once per recovery-key unlock
    with pytest.raises(WrongPassphrase):
        Profile.open(profile_dir, PASSPHRASE)
    with Profile.open(profile_dir, "a fresh new passphrase") as again:
        assert again.records.get(YoungPerson, person.id) == person
    Profile.open_with_recovery_key(profile_dir, recovery).close()  # the recovery key still works


def test_deleting_the_attempt_counter_gives_no_free_tries(profile_dir):
    Profile.create(profile_dir, PASSPHRASE, argon2=FAST_KDF)[0].close()
    (profile_dir / "attempts.json").unlink()  # as someone might, to skip the wait
    with pytest.raises(WrongPassphrase) as err:
        Profile.open(profile_dir, "not the passphrase")
    assert err.value.attempts == 4 and err.value.wait_seconds > 0  # counted as after three failures already


def test_none_is_bound_through_a_registered_adapter_and_stored_as_null(profile):
    """sqlcipher3 adapts every None it binds: with no adapter registered for None it looks for __adapt__ and
    __conform__ first, two AttributeErrors made and thrown away each time (about 200,000 in an import of 20,000
    young people). youthwork.store.database registers one; a None is still stored as NULL."""
    import sqlcipher3

    assert (type(None), sqlcipher3.PrepareProtocol) in sqlcipher3.adapters
    person = profile.records.save(YoungPerson(first_name="Ola", date_of_birth=None))
    assert profile.db.scalar("SELECT typeof(date_of_birth) FROM people WHERE id = ?", (person.id,)) == "null"
    assert profile.db.scalar("SELECT typeof(?)", (None,)) == "null"
