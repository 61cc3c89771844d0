"""End to end: a real `youthwork-server serve` process on loopback, the admin CLI, two profiles enrolled and synced
with the real `youthwork` CLI, and the server killed (SIGKILL) in the middle of a push. After a restart and another
sync nothing is lost or doubled on either laptop or on the server."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from youthwork.domain.records import YoungPerson
from youthwork.store.profile import Profile

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
PASSPHRASE = "brisk otter lantern harbour"
PEOPLE = 1800  # four push batches of up to 500


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(self, tmp: Path) -> None:
        self.db = tmp / "server.sqlite3"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(
            os.environ,
            YOUTHWORK_DATABASE_URL=f"sqlite:///{self.db}",
            YOUTHWORK_ARGON2_TIME_COST="1",
            YOUTHWORK_ARGON2_MEMORY_KIB="1024",
            YOUTHWORK_PASSWORD=PASSWORD,
            PYTHONPATH=str(ROOT),
        )
        self.log = tmp / "server.log"
        self.proc: subprocess.Popen | None = None

    def admin(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "youthwork.server.cli", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "youthwork.server.cli", "serve", "--port", str(self.port)],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("the server did not start: " + self.log.read_text()[-2000:])

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def count(self, sql: str) -> int:
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    s = ServerProcess(tmp_path)
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
    server.admin("add-team", "Peckham detached", "--kind", "detached")
    server.admin("add-user", "ana", "--name", "Ana Worker", "--role", "worker", "--team", "Peckham detached")
    server.admin("add-user", "ben", "--name", "Ben Worker", "--role", "worker", "--team", "Peckham detached")
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
        with contextlib.suppress(sqlite3.OperationalError):  # the table may be locked for a moment
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
