"""End to end: a real `youthwork-server serve` process on loopback, the admin CLI, two profiles enrolled and synced
with the real `youthwork` CLI, and the server killed (SIGKILL) in the middle of a push. After a restart and another
sync nothing is lost or doubled on either laptop or on the server. On SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from server_process import ROOT, ServerProcess

from youthwork.domain.records import YoungPerson
from youthwork.store.profile import Profile

PASSPHRASE = "brisk otter lantern harbour"
PEOPLE = 1800  # four push batches of up to 500


@pytest.fixture
def server(tmp_path: Path, database_url: str | None) -> Iterator[ServerProcess]:
    s = ServerProcess(tmp_path, database_url)
    yield s
    s.stop()


def youthwork(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "youthwork.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.slow  # about a minute: real key derivation in every CLI call, two server starts
def test_two_laptops_survive_a_server_killed_mid_push(server: ServerProcess, tmp_path: Path) -> None:
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
        assert "inside the encrypted youthwork file" in out.stdout  # no keyring here, and it says so

    # A big outbox on laptop A.
    with Profile.open(a, PASSPHRASE) as profile:
        team = profile.team_id
        profile.records.bulk_insert(
            [YoungPerson(first_name=f"Young{i}", area="Peckham", team_id=team) for i in range(PEOPLE)], outbox=True
        )

    # Push, and kill the server once the first batch is committed and while the next is on its way.
    pusher = subprocess.Popen(
        [sys.executable, "-m", "youthwork.cli", "sync", "--profile", str(a), "--retries", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    applied = 0
    while time.monotonic() < deadline and applied == 0:
        with contextlib.suppress(sa.exc.OperationalError):  # the table may be locked for a moment
            applied = server.count("SELECT count(*) FROM applied_changes")
        time.sleep(0.005)
    server.kill()
    _out, err = pusher.communicate(timeout=60)
    assert 0 < applied < PEOPLE, "the kill should land mid-push"
    assert pusher.returncode == 1 and "could not be reached" in err, err
    assert "Traceback" not in err

    server.start()
    out = youthwork("sync", "--profile", str(a), env=env)
    assert out.returncode == 0, out.stderr
    # What the server committed before the kill but the laptop never heard of comes back as its stored result.
    pushed = int(out.stdout.split(",")[0].removeprefix("pushed "))
    assert PEOPLE - applied <= pushed <= PEOPLE, out.stdout

    with Profile.open(b, PASSPHRASE) as profile:
        person = profile.records.save(YoungPerson(first_name="Kim", area="Nunhead", team_id=profile.team_id))
    out = youthwork("sync", "--profile", str(b), env=env)
    assert out.returncode == 0, out.stderr
    assert "pushed 1," in out.stdout and f"pulled {PEOPLE + 1}" in out.stdout
    out = youthwork("sync", "--profile", str(a), env=env)
    assert out.returncode == 0 and "pushed 0, pulled 1," in out.stdout, out.stdout

    for directory in (a, b):
        stats = json.loads(youthwork("stats", "--profile", str(directory), env=env).stdout)
        assert stats["people"] == PEOPLE + 1 and stats["outbox"] == 0
        with Profile.open(directory, PASSPHRASE) as profile:
            names = [r[0] for r in profile.db.query("SELECT first_name FROM people")]
            assert len(names) == len(set(names)) == PEOPLE + 1
            assert profile.records.get(YoungPerson, person.id) is not None
    assert server.count("SELECT count(*) FROM records WHERE table_name = 'people'") == PEOPLE + 1
    assert server.count("SELECT count(*) FROM applied_changes") == PEOPLE + 1
    assert server.count("SELECT count(*) FROM change_log WHERE table_name = 'people'") == PEOPLE + 1
