"""A fresh real encrypted profile per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from youthwork.keys.slots import Argon2Params
from youthwork.store.profile import Profile

PASSPHRASE = "correct horse battery"
# Real Argon2id, at a cost that keeps the suite quick; one test in test_profile.py keeps the production setting.
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def profile(profile_dir: Path) -> Iterator[Profile]:
    p, _recovery = Profile.create(profile_dir, PASSPHRASE, worker_name="Sam Worker", argon2=FAST_KDF)
    p.set_setting("user_id", "worker-1")
    p.set_setting("team_id", "team-1")
    yield p
    p.close()
