"""Imported records sync like any other: a register sheet imported with the real `youthwork import` on laptop A goes
to a real `youthwork-server` at A's next sync and reaches laptop B of the same team, young people, sessions and
registers, on SQLite and on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_process import ROOT, ServerProcess

from benchmarks.import_sheet import write_csv
from youthwork.store.profile import Profile

PASSPHRASE = "brisk otter lantern harbour"


@pytest.fixture
def server(tmp_path: Path, database_url: str | None) -> Iterator[ServerProcess]:
    s = ServerProcess(tmp_path, database_url)
    yield s
    s.stop()


def youthwork(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "youthwork.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow  # real key derivation in every CLI call
def test_an_imported_register_reaches_the_service_and_the_other_laptop(server: ServerProcess, tmp_path: Path) -> None:
    server.add_team("Peckham detached", "detached")
    server.add_user("ana", "Peckham detached", name="Ana Worker")
    server.add_user("ben", "Peckham detached", name="Ben Worker")
    server.start()
    env = dict(server.env, YOUTHWORK_PASSPHRASE=PASSPHRASE, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    a, b = tmp_path / "a", tmp_path / "b"
    for directory, user in ((a, "ana"), (b, "ben")):
        assert youthwork("init", "--profile", str(directory), env=env).returncode == 0
        out = youthwork("enrol", "--profile", str(directory), "--server", server.url, "--username", user, env=env)
        assert out.returncode == 0, out.stderr

    sheet = tmp_path / "register.csv"
    expected = write_csv(sheet, 600)  # rows 3 (encoding), 502 (31/02) refused: 598 people, 60 sessions
    out = youthwork("import", "--profile", str(a), str(sheet), env=env)
    assert out.returncode == 0, out.stderr
    assert "Added: 598 young people, 60 sessions, 598 lines on registers." in out.stdout, out.stdout
    assert "Row 502: The date of birth “31/02/2009” isn't a real date" in out.stdout

    out = youthwork("sync", "--profile", str(a), env=env)
    assert out.returncode == 0, out.stderr
    assert "rejected" not in out.stdout, out.stdout
    out = youthwork("sync", "--profile", str(b), env=env)
    assert out.returncode == 0, out.stderr

    for table, n in (("people", expected.imported), ("sessions", 60), ("attendance", expected.imported)):
        assert server.count(f"SELECT count(*) FROM records WHERE table_name = '{table}'") == n, table
    with Profile.open(b, PASSPHRASE) as profile:
        assert profile.db.scalar("SELECT count(*) FROM people") == expected.imported
        assert profile.db.scalar("SELECT count(*) FROM sessions WHERE status = 'submitted'") == 60
        assert profile.db.scalar("SELECT count(*) FROM attendance") == expected.imported
    with Profile.open(a, PASSPHRASE) as profile:
        assert profile.db.scalar("SELECT count(*) FROM outbox") == 0
