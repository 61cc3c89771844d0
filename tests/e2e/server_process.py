"""A real youthwork-server process on a free loopback port, over a SQLite file or a PostgreSQL database (the
`database_url` fixture in conftest.py gives each test module both), for end-to-end tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from youthwork.services.sync import sync_engine
from youthwork.store.profile import Profile
from youthwork.sync import device

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(self, tmp: Path, database_url: str | None = None) -> None:
        # The SQLite file when there is one (byte-level checks); None on PostgreSQL.
        self.db: Path | None = None if database_url else tmp / "server.sqlite3"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url or f"sqlite:///{self.db}"
        self.teams: dict[str, str] = {}  # team ids by kind, for the teams added with add_team
        self.env = dict(
            os.environ,
            YOUTHWORK_DATABASE_URL=self.database_url,
            YOUTHWORK_ARGON2_TIME_COST="1",
            YOUTHWORK_ARGON2_MEMORY_KIB="1024",
            YOUTHWORK_PASSWORD=PASSWORD,
            YOUTHWORK_SECRET_KEY_FILE=str(tmp / "server-secret.key"),
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

    def add_team(self, name: str, kind: str) -> str:
        """Add a team with the admin CLI; its id (also kept in `teams` under its kind)."""
        match = re.search(r"id (\S+)", self.admin("add-team", name, "--kind", kind))
        assert match, "add-team did not say the new team's id"
        self.teams[kind] = match.group(1)
        return self.teams[kind]

    def add_user(self, username: str, team: str, role: str = "worker", name: str | None = None) -> None:
        """Add a user with the admin CLI; their password is PASSWORD."""
        self.admin("add-user", username, "--name", name or username.title(), "--role", role, "--team", team)

    def start(self, *serve_args: str) -> None:
        """Start `youthwork-server serve` (with `serve_args`, e.g. "--workers", "2") and wait until it answers."""
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "youthwork.server.cli", "serve", "--port", str(self.port), *serve_args],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        # Generous: on a loaded 2-core machine a --workers 2 start (each worker imports the app) took over 30 s.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                if self.proc.poll() is not None:
                    break  # it stopped: no point waiting
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

    def rows(self, sql: str) -> list[tuple]:
        """Rows from the server's database, read as an operator would (SQL the same on SQLite and PostgreSQL)."""
        engine = sa.create_engine(self.database_url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(sa.text(sql))]
        finally:
            engine.dispose()

    def count(self, sql: str) -> int:
        return int(self.rows(sql)[0][0])


def sync_once(profile: Profile) -> None:
    """One full sync of an enrolled laptop with its server; the connection is closed afterwards."""
    client = device.client_for(profile)
    try:
        sync_engine(profile, client).run()
    finally:
        client.transport.close()  # type: ignore[attr-defined]
