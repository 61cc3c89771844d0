"""Encrypted local backups: taken, rotated, restored (in process and by the CLI), and the passphrase still works."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.core.conftest import FAST_KDF, PASSPHRASE
from youthwork import backup
from youthwork.domain.records import YoungPerson
from youthwork.store.errors import NotAStore, StoreError, WrongPassphrase
from youthwork.store.profile import Profile

ROOT = Path(__file__).resolve().parents[2]


def names(profile: Profile) -> set[str]:
    return {r[0] for r in profile.db.query("SELECT first_name FROM people")}


def add(profile: Profile, *first_names: str) -> list[YoungPerson]:
    return [profile.records.save(YoungPerson(first_name=n, area="Peckham", team_id="team-1")) for n in first_names]


def test_backup_is_encrypted_and_opens_with_the_passphrase_and_recovery_key(tmp_path: Path) -> None:
    directory = tmp_path / "p"
    profile, recovery = Profile.create(directory, PASSPHRASE, argon2=FAST_KDF)
    with profile:
        add(profile, "Aisha", "Ben")
        made = backup.take_backup(profile)
    assert made.path.parent == directory and made.label == "manual" and made.kind == "made by hand"
    raw = made.path.read_bytes()
    assert b"Aisha" not in raw and not raw.startswith(b"SQLite format 3")
    assert oct(made.path.stat().st_mode & 0o777) == "0o600"
    # No key-slot copy goes with it: it opens only through the profile's one key file, with either secret.
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        ["keyslots.json", "attempts.json", "youthwork.db", made.path.name]
    )
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "youthwork.db").write_bytes(raw)
    (alone / "keyslots.json").write_bytes((directory / "keyslots.json").read_bytes())
    with Profile.open(alone, PASSPHRASE) as copy:
        assert names(copy) == {"Aisha", "Ben"}
    with Profile.open_with_recovery_key(alone, recovery) as copy:
        assert names(copy) == {"Aisha", "Ben"}
    assert not list(directory.glob(".*partial*"))
    # Without the profile's key file a backup is of no use: restore refuses, and says why.
    stray = tmp_path / "stray"
    with pytest.raises(NotAStore, match="key file"):
        backup.restore(stray, made.path, PASSPHRASE)


def test_restore_brings_back_lost_data_keeps_a_safety_copy_and_the_passphrase_still_works(
    profile: Profile, profile_dir: Path
) -> None:
    add(profile, "Aisha", "Ben", "Chloe")
    made = backup.take_backup(profile)
    # Data changed and lost after the backup.
    profile.db.execute("DELETE FROM outbox")
    profile.db.execute("DELETE FROM people WHERE first_name IN ('Aisha', 'Ben')")
    add(profile, "Dev")
    profile.close()

    with pytest.raises(WrongPassphrase):
        backup.restore(profile_dir, made.path, "not the passphrase at all")
    with Profile.open(profile_dir, PASSPHRASE) as p:  # a refused restore changed nothing
        assert names(p) == {"Chloe", "Dev"}

    done = backup.restore(profile_dir, made.path, PASSPHRASE)
    assert done.people == 3 and done.safety_copy is not None
    with Profile.open(profile_dir, PASSPHRASE) as p:
        assert names(p) == {"Aisha", "Ben", "Chloe"}
        add(p, "Eve")  # and it takes new work
    with Profile.open(profile_dir, PASSPHRASE) as p:
        assert names(p) == {"Aisha", "Ben", "Chloe", "Eve"}
    # The file as it was before the restore is kept, and restores too.
    assert [b.label for b in backup.list_backups(profile_dir)].count("before-restore") == 1
    backup.restore(profile_dir, done.safety_copy, PASSPHRASE)
    with Profile.open(profile_dir, PASSPHRASE) as p:
        assert names(p) == {"Chloe", "Dev"}


def test_restore_after_a_passphrase_change_uses_the_new_passphrase(profile: Profile, profile_dir: Path) -> None:
    add(profile, "Aisha")
    made = backup.take_backup(profile)
    new = "quiet heron meadow lantern"
    profile.change_passphrase(PASSPHRASE, new, argon2=FAST_KDF)
    profile.close()
    backup.restore(profile_dir, made.path, new)
    with Profile.open(profile_dir, new) as p:
        assert names(p) == {"Aisha"}
    with pytest.raises(WrongPassphrase):
        Profile.open(profile_dir, PASSPHRASE)


def test_restore_refuses_a_damaged_backup_and_changes_nothing(profile: Profile, profile_dir: Path) -> None:
    add(profile, "Aisha")
    made = backup.take_backup(profile)
    profile.close()
    data = bytearray(made.path.read_bytes())
    data[8192:12288] = os.urandom(4096)
    made.path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"damaged"):
        backup.restore(profile_dir, made.path, PASSPHRASE)
    with Profile.open(profile_dir, PASSPHRASE) as p:
        assert names(p) == {"Aisha"}
    assert not [b for b in backup.list_backups(profile_dir) if b.label == "before-restore"]


def test_daily_backup_is_taken_once_a_day_and_rotation_keeps_seven(profile: Profile, profile_dir: Path) -> None:
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    assert backup.backup_if_due(profile, now=start) is not None
    assert backup.backup_if_due(profile, now=start + timedelta(hours=5)) is None
    for day in range(1, 12):
        assert backup.backup_if_due(profile, now=start + timedelta(days=day)) is not None
    daily = [b for b in backup.list_backups(profile_dir) if b.label == "daily"]
    assert len(daily) == backup.KEEP_DAILY
    assert daily[0].taken_at == start + timedelta(days=11)
    assert not list(profile_dir.glob("*.keyslots"))  # no key-slot copies: one key file per profile


def test_the_copy_taken_before_a_migration_is_listed_and_restores(profile: Profile, profile_dir: Path) -> None:
    add(profile, "Aisha")
    before = profile.db.backup("before-v99")  # as Database.migrate does
    listed = backup.list_backups(profile_dir)
    assert [b.kind for b in listed] == ["before an update"] and listed[0].path == before
    add(profile, "Ben")
    profile.close()
    backup.restore(profile_dir, before, PASSPHRASE)
    with Profile.open(profile_dir, PASSPHRASE) as p:
        assert names(p) == {"Aisha"}


def cli(*args: str, passphrase: str = PASSPHRASE, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOUTHWORK_")}
    env["YOUTHWORK_PASSPHRASE"] = passphrase
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "youthwork.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_cli_backup_list_and_restore(profile: Profile, profile_dir: Path) -> None:
    add(profile, "Aisha", "Ben")
    profile.close()
    out = cli("backup", "--profile", str(profile_dir))
    assert out.returncode == 0, out.stderr
    made = Path(out.stdout.splitlines()[0].removeprefix("Backed up to "))
    assert made.is_file()
    listing = cli("backup", "--list", "--profile", str(profile_dir))
    assert listing.returncode == 0 and "made by hand" in listing.stdout and str(made) in listing.stdout

    with Profile.open(profile_dir, PASSPHRASE) as p:
        p.db.execute("DELETE FROM outbox")
        p.db.execute("DELETE FROM people")

    refused = cli("restore", "--profile", str(profile_dir), "--from", str(made))
    assert refused.returncode == 1 and "--yes" in refused.stderr and "Traceback" not in refused.stderr
    wrong = cli("restore", "--profile", str(profile_dir), "--from", str(made), "--yes", passphrase="wrong wrong wrong")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    missing = cli("restore", "--profile", str(profile_dir), "--from", str(profile_dir / "nope.bak"), "--yes")
    assert missing.returncode == 1 and "There is no backup" in missing.stderr

    out = cli("restore", "--profile", str(profile_dir), "--from", str(made), "--yes")
    assert out.returncode == 0, out.stderr
    assert "2 young people" in out.stdout and "kept at" in out.stdout
    with Profile.open(profile_dir, PASSPHRASE) as p:
        assert names(p) == {"Aisha", "Ben"}


def test_cli_restore_with_the_recovery_key_when_the_passphrase_is_lost(tmp_path: Path) -> None:
    directory = tmp_path / "p"
    profile, recovery = Profile.create(directory, PASSPHRASE, argon2=FAST_KDF)
    with profile:
        add(profile, "Aisha")
        made = backup.take_backup(profile)
        profile.db.execute("DELETE FROM outbox")
        profile.db.execute("DELETE FROM people")
    args = ("restore", "--profile", str(directory), "--from", str(made.path), "--yes", "--recovery-key")
    wrong = cli(*args, YOUTHWORK_RECOVERY_KEY="AAAA-BBBB-CCCC-DDDD")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    out = cli(*args, passphrase="forgotten it", YOUTHWORK_RECOVERY_KEY=recovery)
    assert out.returncode == 0, out.stderr
    with Profile.open_with_recovery_key(directory, recovery) as p:
        assert names(p) == {"Aisha"}


def test_erasure_reaches_the_daily_and_hand_made_backups(profile: Profile, profile_dir: Path) -> None:
    from youthwork.privacy.erasure import ErasureService
    from youthwork.store.database import Database

    aisha, _ben = add(profile, "Aisha", "Ben")
    made = [backup.take_backup(profile), backup.backup_if_due(profile, now=datetime.now(UTC) + timedelta(days=2))]
    assert ErasureService(profile).erase_in_backups([aisha.id]) == 2
    for b in made:
        assert b is not None
        db = Database.open(b.path, bytes(profile._key), migrate=False)
        try:
            assert {r[0] for r in db.query("SELECT first_name FROM people")} == {"Ben"}
        finally:
            db.close()


def test_restore_refuses_while_the_profile_is_open_in_another_process(profile: Profile, profile_dir: Path) -> None:
    add(profile, "Aisha")
    made = backup.take_backup(profile)
    profile.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from youthwork.store.profile import Profile; "
            "p = Profile.open(sys.argv[1], sys.argv[2]); print('open', flush=True); time.sleep(60)",
            str(profile_dir),
            PASSPHRASE,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="open in youthwork"):
            backup.restore(profile_dir, made.path, PASSPHRASE)
    finally:
        holder.kill()
        holder.wait()
    assert not [b for b in backup.list_backups(profile_dir) if b.label == "before-restore"]
    backup.restore(profile_dir, made.path, PASSPHRASE)  # closed there: now it goes ahead


def test_a_backup_of_another_profile_is_refused(profile: Profile, profile_dir: Path, tmp_path: Path) -> None:
    other, _ = Profile.create(tmp_path / "other", PASSPHRASE, argon2=FAST_KDF)
    with other:
        add(other, "Zed")
        theirs = backup.take_backup(other)
    add(profile, "Aisha")
    profile.close()
    with pytest.raises(StoreError, match="belongs to another profile"):
        backup.restore(profile_dir, theirs.path, PASSPHRASE)
    with Profile.open(profile_dir, PASSPHRASE) as p:
        assert names(p) == {"Aisha"}
