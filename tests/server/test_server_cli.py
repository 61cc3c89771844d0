"""The admin CLI and a real `youthwork-server serve` process on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from server_helpers import cheap_settings, envelope

# The real-process helper is shared with the end-to-end tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from server_process import PASSWORD, ServerProcess

from youthwork.server import db
from youthwork.server import schema as t
from youthwork.server.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]


def cli(url: str, *args: str, password: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "YOUTHWORK_DATABASE_URL": url,
        "YOUTHWORK_ARGON2_TIME_COST": "1",
        "YOUTHWORK_ARGON2_MEMORY_KIB": "1024",
    }
    env.pop("YOUTHWORK_PASSWORD", None)
    if password is not None:
        env["YOUTHWORK_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "youthwork.server.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def run_main(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    """The CLI in this process (the same code path as the console script), for the many quick cases."""
    code = cli_main(["--database-url", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_admin_commands_and_plain_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite only: the admin functions run against PostgreSQL in every other test module's fixtures.
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("YOUTHWORK_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("YOUTHWORK_ARGON2_MEMORY_KIB", "1024")
    monkeypatch.delenv("YOUTHWORK_PASSWORD", raising=False)
    r = cli(url, "migrate")  # as a real process
    assert r.returncode == 0 and "up to date" in r.stdout
    code, out, _ = run_main(capsys, url, "add-team", "Peckham Detached CLI", "--kind", "detached")
    assert code == 0 and "Added team" in out
    code, _, err = run_main(capsys, url, "add-team", "Peckham Detached CLI", "--kind", "detached")
    assert code == 1 and err == "error: There is already a team called 'Peckham Detached CLI'.\n"
    code, _, err = run_main(capsys, url, "add-user", "amy-cli", "--role", "worker", "--team", "Peckham Detached CLI")
    assert code == 1 and "YOUTHWORK_PASSWORD" in err and err.count("\n") == 1
    monkeypatch.setenv("YOUTHWORK_PASSWORD", "long enough pw")
    code, _, err = run_main(capsys, url, "add-user", "amy-cli", "--role", "worker", "--team", "Nowhere")
    assert code == 1 and err.count("\n") == 1 and "no team" in err
    code, _, err = run_main(capsys, url, "add-user", "amy-cli", "--role", "partner", "--team", "Peckham Detached CLI")
    assert code == 1 and "partner team" in err
    monkeypatch.setenv("YOUTHWORK_PASSWORD", "short")
    code, _, err = run_main(capsys, url, "add-user", "amy-cli", "--role", "worker", "--team", "Peckham Detached CLI")
    assert code == 1 and "at least 10" in err
    monkeypatch.setenv("YOUTHWORK_PASSWORD", "long enough pw")
    code, out, _ = run_main(
        capsys, url, "add-user", "amy-cli", "--name", "Amy", "--role", "worker", "--team", "Peckham Detached CLI"
    )
    assert code == 0 and "Added user" in out
    code, out, _ = run_main(capsys, url, "list-devices")
    assert code == 0 and "No devices" in out
    for command in ("revoke-device", "wipe-device"):
        code, _, err = run_main(capsys, url, command, "no-such-device")
        assert code == 1 and "list-devices" in err and err.count("\n") == 1
    r = cli("postgresql+psycopg://nobody@127.0.0.1:1/none", "list-devices")  # as a real process
    assert r.returncode == 1 and r.stderr.startswith("error: cannot use the database") and r.stderr.count("\n") == 1


@pytest.mark.slow
def test_serve_process_logs_in_and_syncs(tmp_path: Path) -> None:
    """A real server process on a free loopback port: migrate on start, log in, push, pull; revoke and wipe by CLI."""
    server = ServerProcess(tmp_path)
    url = server.database_url
    server.add_team("Served team", "tys")
    server.add_user("sam", "Served team", role="receiving")
    server.start()
    base = f"{server.url}/api/v1"
    try:
        r = httpx.post(f"{base}/auth/login", json={"username": "sam", "password": PASSWORD, "device_name": "lap"})
        assert r.status_code == 200
        login = r.json()
        assert login["role"] == "receiving" and login["team_name"] == "Served team"
        headers = {"Authorization": f"Bearer {login['device_token']}"}
        r = httpx.post(f"{base}/sync/pull", headers=headers, json=envelope())
        assert r.status_code == 200 and r.json()["wipe"] is False
        listed = cli(url, "list-devices")
        assert login["device_id"] in listed.stdout and "active" in listed.stdout
        assert cli(url, "wipe-device", login["device_id"]).returncode == 0
        r = httpx.post(f"{base}/sync/pull", headers=headers, json=envelope())
        assert r.json()["wipe"] is True
        assert httpx.post(f"{base}/devices/wipe-confirm", headers=headers).status_code == 200
        assert httpx.post(f"{base}/sync/pull", headers=headers, json=envelope()).status_code == 401
        assert "wiped" in cli(url, "list-devices").stdout
    finally:
        server.stop()
    output = server.log.read_text()
    # Logs carry no tokens or personal data.
    assert login["device_token"] not in output and "sam" not in output


def test_migrations_run_on_a_fresh_database_and_are_repeatable(tmp_path: Path) -> None:
    engine = db.make_engine(cheap_settings(f"sqlite:///{tmp_path / 'm.sqlite3'}"))
    assert db.needs_migration(engine)
    db.migrate(engine)
    db.migrate(engine)
    assert not db.needs_migration(engine)
    with engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
        # The migrations build exactly what schema.py describes: a new column needs a new migration.
        drift = compare_metadata(MigrationContext.configure(conn), t.metadata)
    assert {tbl.name for tbl in t.metadata.sorted_tables} <= names
    assert drift == []
    engine.dispose()
