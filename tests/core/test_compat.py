"""A profile and a backup made by release 0.1 (the sqlcipher3-binary driver, SQLCipher 4.12) open with this build.

`tests/fixtures/release-0.1-profile` was made once by the code of release 0.1 (commit bf9c68b) with the cipher settings
it pinned, and is never regenerated: a build that changes a pin (page size, HMAC, KDF ...) or a driver that writes
the file differently fails here instead of on a worker's laptop ("hmac check failed").

    passphrase:   release 0.1 fixture passphrase
    recovery key: FCC7-IATD-3IIK-QL7T-VTYG-LREU-Q6BC-WNRZ
    people:       Aisha, Ben (in the backup of 2026-11-30 12:00), then Chloe (in the store only)
    Argon2id:     time_cost 1, memory 8 MiB, parallelism 1 (so the test is quick)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlcipher3

from youthwork import backup
from youthwork.store.database import cipher_settings
from youthwork.store.profile import Profile

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release-0.1-profile"
PASSPHRASE = "release 0.1 fixture passphrase"
RECOVERY_KEY = "FCC7-IATD-3IIK-QL7T-VTYG-LREU-Q6BC-WNRZ"
BACKUP = "youthwork.db.manual.20261130T120000.bak"

# Written out here, not imported: the pins must not move with the code under test.
PINS = {
    "kdf_iter": "256000",
    "cipher_page_size": "4096",
    "cipher_use_hmac": "1",
    "cipher_plaintext_header_size": "0",
    "cipher_hmac_algorithm": "HMAC_SHA512",
    "cipher_kdf_algorithm": "PBKDF2_HMAC_SHA512",
}


@pytest.fixture
def old_profile(tmp_path: Path) -> Path:
    folder = tmp_path / "profile"
    shutil.copytree(FIXTURE, folder)
    return folder


def names(profile: Profile) -> set[str]:
    return {r[0] for r in profile.db.query("SELECT first_name FROM people")}


def test_the_driver_is_sqlcipher3_with_sqlcipher_4() -> None:
    version = sqlcipher3.connect(":memory:").execute("PRAGMA cipher_version").fetchone()[0]
    assert version.startswith("4."), version


def test_a_release_0_1_profile_opens_with_its_passphrase_and_recovery_key(old_profile: Path) -> None:
    legacy_slots = (old_profile / "keyslots.json").read_bytes()
    with Profile.open(old_profile, PASSPHRASE) as p:
        assert names(p) == {"Aisha", "Ben", "Chloe"}
        settings = cipher_settings(p.db._conn)
        assert {k: settings.get(k) for k in PINS} == PINS
    with Profile.open_with_recovery_key(old_profile, RECOVERY_KEY) as p:
        assert names(p) == {"Aisha", "Ben", "Chloe"}
    # On the first unlock the key file becomes the in-place kind, and the backup's key-slot copy is shredded.
    now = (old_profile / "keyslots.json").read_bytes()
    assert now.startswith(b"youthwork-keyslots 2") and legacy_slots[:200] not in now
    assert not (old_profile / (BACKUP + ".keyslots")).exists()


def test_a_release_0_1_backup_opens_and_restores(old_profile: Path) -> None:
    with Profile.open(old_profile, PASSPHRASE) as p:
        key = bytes(p._key)
    assert backup.check_backup(old_profile / BACKUP, key) >= 1
    done = backup.restore(old_profile, old_profile / BACKUP, PASSPHRASE)
    assert done.people == 2
    with Profile.open(old_profile, PASSPHRASE) as p:
        assert names(p) == {"Aisha", "Ben"}
        settings = cipher_settings(p.db._conn)
        assert {k: settings.get(k) for k in PINS} == PINS


def test_the_fixture_is_untouched() -> None:
    # The tests work on copies; the committed files are release 0.1's bytes.
    assert sorted(f.name for f in FIXTURE.iterdir()) == sorted(
        ["keyslots.json", "youthwork.db", BACKUP, BACKUP + ".keyslots"]
    )
