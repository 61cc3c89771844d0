"""Schema migrations from every earlier version, with a backup first; newer files refused."""

from __future__ import annotations

import secrets

import pytest

from tests.core.conftest import FAST_KDF, PASSPHRASE
from youthwork.config import DB_FILENAME, KEYSLOTS_FILENAME
from youthwork.domain import YoungPerson
from youthwork.keys.slots import KeySlots
from youthwork.services import PeopleService
from youthwork.store.database import SQLITE_HEADER, Database
from youthwork.store.errors import StoreError
from youthwork.store.migrations import LATEST_VERSION, all_migrations
from youthwork.store.profile import Profile


def _schema(db: Database) -> set[tuple[str, str]]:
    rows = db.query("SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL")
    return {(r[0], r[1]) for r in rows}


def test_there_is_more_than_one_migration():
    assert LATEST_VERSION >= 2
    assert [m.version for m in all_migrations()] == list(range(1, LATEST_VERSION + 1))


@pytest.mark.parametrize("start", range(LATEST_VERSION))
def test_migrates_from_every_earlier_version(tmp_path, start):
    directory = tmp_path / "old"
    directory.mkdir()
    key = secrets.token_bytes(32)
    slots, _ = KeySlots.new(directory / KEYSLOTS_FILENAME, key, PASSPHRASE, argon2=FAST_KDF)
    slots.save()
    old = Database.open(directory / DB_FILENAME, key, create=True, migrate=False)
    old.migrate(target=start)
    assert old.schema_version == start
    if start >= 1:
        old.execute(
            "INSERT INTO people (id, created_at, updated_at, first_name, last_name, area, postcode)"
            " VALUES ('p-1', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00',"
            " 'Tyrese', 'Campbell', 'Wyndham Gardens', 'SE5 7QT')"
        )
    old.close()

    with Profile.open(directory, PASSPHRASE) as profile:
        assert profile.db.schema_version == LATEST_VERSION
        fresh, _ = Profile.create(tmp_path / "fresh", PASSPHRASE, argon2=FAST_KDF)
        assert _schema(profile.db) == _schema(fresh.db)
        fresh.close()
        if start >= 1:
            assert profile.records.get(YoungPerson, "p-1").first_name == "Tyrese"
            assert [p.id for p in PeopleService(profile).search("wynd")] == ["p-1"]
    backups = sorted(directory.glob(f"{DB_FILENAME}.before-v*.bak"))
    if start >= 1:
        assert len(backups) == 1
        assert not backups[0].read_bytes().startswith(SQLITE_HEADER)  # the backup is encrypted too
        restored = Database.open(backups[0], key, migrate=False)
        assert restored.schema_version == start
        restored.close()
    else:
        assert backups == []


def test_failed_migration_leaves_the_old_version(tmp_path, monkeypatch):
    from youthwork.store import database, migrations

    directory = tmp_path / "p"
    profile, _ = Profile.create(directory, PASSPHRASE, argon2=FAST_KDF)
    profile.records.save(YoungPerson(first_name="Safe"))
    profile.close()
    broken = migrations.Migration(LATEST_VERSION + 1, "broken", sql="CREATE TABLE extra (x); SELECT no_such_fn();")
    monkeypatch.setattr(database, "all_migrations", lambda: (*all_migrations(), broken))
    monkeypatch.setattr(database, "LATEST_VERSION", LATEST_VERSION + 1)
    with pytest.raises(StoreError, match="could not be updated") as err:
        Profile.open(directory, PASSPHRASE)
    assert "no_such_fn" in str(err.value.__cause__)
    monkeypatch.undo()
    with Profile.open(directory, PASSPHRASE) as again:
        assert again.db.schema_version == LATEST_VERSION
        assert again.db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'extra'") == 0
        assert [p.first_name for p in again.records.select(YoungPerson)] == ["Safe"]


def test_a_python_migration_step_runs_in_its_transaction(tmp_path, monkeypatch):
    from youthwork.store import database, migrations

    directory = tmp_path / "p"
    Profile.create(directory, PASSPHRASE, argon2=FAST_KDF)[0].close()

    def step(conn) -> None:
        conn.execute("CREATE TABLE extra_py (x)")
        conn.execute("INSERT INTO extra_py VALUES (1)")

    extra = migrations.Migration(LATEST_VERSION + 1, "py_step", fn=step)
    monkeypatch.setattr(database, "all_migrations", lambda: (*all_migrations(), extra))
    monkeypatch.setattr(database, "LATEST_VERSION", LATEST_VERSION + 1)
    with Profile.open(directory, PASSPHRASE) as profile:
        assert profile.db.schema_version == LATEST_VERSION + 1
        assert profile.db.scalar("SELECT x FROM extra_py") == 1
    assert len(list(directory.glob("*.bak"))) == 1
