"""Revocable keys: after a passphrase change, or a key rotation, the old secrets open nothing under the profile folder.

"Nothing" is checked the way a thief would: every file under the folder is read as a key-slot document (both halves
of the in-place file, or a release 0.1 file) and tried with the old passphrase; the old database key is tried on every
file as a SQLCipher key. Rotation is also killed part way, as a real CLI process, and finished by the next unlock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.conftest import FAST_KDF, PASSPHRASE
from youthwork import backup
from youthwork.demo_data import generate
from youthwork.domain.records import YoungPerson
from youthwork.keys.slots import KeySlots, read_documents, unwraps
from youthwork.store.errors import WrongPassphrase
from youthwork.store.profile import Profile
from youthwork.store.rekey import encrypted_files, opens_with, rotate_key

ROOT = Path(__file__).resolve().parents[2]
NEW = "quiet maple ferry orbit"


def every_file(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def assert_opens_nothing(folder: Path, passphrase: str, key: bytes) -> None:
    files = every_file(folder)
    assert files
    for path in files:
        raw = path.read_bytes()
        assert unwraps(raw, passphrase) == [], f"{path.name} unwraps with the old passphrase"
        assert not opens_with(path, key), f"{path.name} opens with the old key"


def names(profile: Profile) -> set[str]:
    return {r[0] for r in profile.db.query("SELECT first_name FROM people")}


def make(folder: Path, people: int = 3, backups: int = 2) -> tuple[bytes, str]:
    profile, recovery = Profile.create(folder, PASSPHRASE, argon2=FAST_KDF)
    with profile:
        if people > 100:  # a few megabytes, so a rotation takes long enough to be interrupted
            generate(profile, people=people, weeks=2, seed=3)
        for i in range(min(people, 3)):
            profile.records.save(YoungPerson(first_name=f"Person{i}", area="Peckham", team_id="team-1"))
        for _ in range(backups):
            backup.take_backup(profile)
        return profile.database_key(), recovery


def test_a_changed_passphrase_unwraps_nothing_in_any_file(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    make(folder)
    with Profile.open(folder, PASSPHRASE) as p:
        p.change_passphrase(PASSPHRASE, NEW, argon2=FAST_KDF)
    for path in every_file(folder):
        assert unwraps(path.read_bytes(), PASSPHRASE) == [], path.name
    # Both halves of the key file hold the new slots: the old one is not kept as the "other copy".
    docs = read_documents((folder / "keyslots.json").read_bytes())
    assert len(docs) == 2 and docs[0] == docs[1]
    with Profile.open(folder, NEW) as p:
        assert len(names(p)) == 3


def test_rotation_re_keys_the_store_and_every_backup(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    old_key, old_recovery = make(folder)
    seen: list[tuple[int, int]] = []
    shown: list[str] = []
    recovery = rotate_key(
        folder,
        PASSPHRASE,
        NEW,
        argon2=FAST_KDF,
        progress=lambda d, t: seen.append((d, t)),
        show_recovery_key=shown.append,
    )
    assert shown == [recovery] and recovery != old_recovery
    assert seen and seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert_opens_nothing(folder, PASSPHRASE, old_key)
    with pytest.raises(WrongPassphrase):
        Profile.open_with_recovery_key(folder, old_recovery)
    with Profile.open(folder, NEW) as p:
        assert len(names(p)) == 3
        new_key = p.database_key()
    with Profile.open_with_recovery_key(folder, recovery) as p:
        assert len(names(p)) == 3
    backups = backup.list_backups(folder)
    assert len(backups) == 2 and all(opens_with(b.path, new_key) for b in backups)
    done = backup.restore(folder, backups[-1].path, NEW)
    assert done.people == 3


def test_the_new_passphrase_is_checked_by_the_policy_before_anything_changes(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    make(folder, backups=0)
    out = cli("change-passphrase", "--rotate-key", "--profile", str(folder), new="password1234")
    assert out.returncode == 1 and "too easy to guess" in out.stderr
    with Profile.open(folder, PASSPHRASE) as p:
        assert len(names(p)) == 3


def cli(*args: str, new: str, passphrase: str = PASSPHRASE, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "youthwork.cli", *args], cwd=ROOT, env=env(passphrase, new), capture_output=True,
        text=True, timeout=120, **kw,
    )  # fmt: skip


def env(passphrase: str, new: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("YOUTHWORK_")}
    return base | {"YOUTHWORK_PASSPHRASE": passphrase, "YOUTHWORK_NEW_PASSPHRASE": new}


def test_rotation_by_the_cli_killed_part_way_loses_nothing_and_the_next_unlock_finishes_it(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    old_key, _ = make(folder, people=2000, backups=4)
    files = encrypted_files(folder)
    assert len(files) == 5
    proc = subprocess.Popen(
        [sys.executable, "-m", "youthwork.cli", "change-passphrase", "--rotate-key", "--profile", str(folder)],
        cwd=ROOT,
        env=env(PASSPHRASE, NEW),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:  # 40% or more: the store is re-keyed and in place; some backups are not yet
        if "Re-encrypting" in line and 40 <= int(line.strip().rstrip("%").rsplit(" ", 1)[1]) < 100:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the rotation finished before it could be interrupted"
    assert KeySlots.load(folder / "keyslots.json").rotating
    on_old = [p for p in files if opens_with(p, old_key)]
    assert 0 < len(on_old) < len(files), "killed part way: some files re-keyed, some not"

    # The worker unlocks with the new passphrase they chose; the change is finished first, nothing lost.
    with Profile.open(folder, NEW) as p:
        assert p.db.scalar("SELECT count(*) FROM people") == 2003
    assert not KeySlots.load(folder / "keyslots.json").rotating
    assert not list(folder.glob(".*.rekey*"))
    assert_opens_nothing(folder, PASSPHRASE, old_key)
    with Profile.open(folder, NEW) as p:
        key = p.database_key()
        for b in backup.list_backups(folder):
            assert backup.check_backup(b.path, key) >= 1


def test_an_interrupted_rotation_also_finishes_with_the_old_passphrase(tmp_path: Path) -> None:
    # Killed after the journal was written and before any file was re-keyed: the old passphrase still works, and
    # unlocking with it completes the change (the new passphrase then takes over).
    folder = tmp_path / "profile"
    old_key, _ = make(folder)
    slots = KeySlots.load(folder / "keyslots.json")
    new_key = os.urandom(32)
    slots.begin_rotation(old_key, new_key, NEW, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", argon2=FAST_KDF)
    with Profile.open(folder, PASSPHRASE) as p:
        assert len(names(p)) == 3 and p.database_key() == new_key
    assert_opens_nothing(folder, PASSPHRASE, old_key)
    Profile.open(folder, NEW).close()
