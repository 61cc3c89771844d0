"""Schemathesis with every check (`--checks all`) against a real `youthwork-server serve` on loopback, over SQLite
and over PostgreSQL: no request it generates from the published OpenAPI schema gets a 5xx, and no response breaks the
schema (status codes, content types, headers and bodies, the 4xx ones included). The examples are bounded so each
run takes well under a minute; the seed is fresh each run and printed, so a failure can be replayed.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from server_helpers import envelope, fresh_pg_database

from youthwork.domain.ids import new_id

pytest.importorskip("schemathesis", reason="schemathesis is in the dev extra: pip install -e '.[dev,server]'")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from server_process import PASSWORD, ServerProcess

CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = 15
# Who runs it on each database: a supervisor reaches reports and conflicts, a receiving worker the referral inbox.
USER = {"sqlite": "schema-sup", "postgres": "schema-tys"}


def _login(server: ServerProcess, username: str) -> str:
    body = {"username": username, "password": PASSWORD, "device_name": "schemathesis"}
    r = httpx.post(f"{server.url}/api/v1/auth/login", json=body, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["device_token"]


def _referral_to(server: ServerProcess, team_id: str) -> None:
    headers = {"Authorization": f"Bearer {_login(server, 'schema-sup')}"}
    pid, rid = new_id(), new_id()
    referral = {"person_id": pid, "to_team_id": team_id, "reason": "Missing", "lawful_basis": "public_task"}
    changes = [
        {"change_id": new_id(), "table": "people", "record_id": pid, "fields": {"first_name": "Jay"}},
        {"change_id": new_id(), "table": "referrals", "record_id": rid, "fields": {**referral, "status": "sent"}},
    ]
    r = httpx.post(f"{server.url}/api/v1/sync/push", headers=headers, json=envelope(changes=changes), timeout=30)
    assert r.status_code == 200 and all(x["status"] == "applied" for x in r.json()["results"]), r.text


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_schemathesis_all_checks_against_a_live_server(backend: str, tmp_path: Path) -> None:
    server = ServerProcess(tmp_path)
    drop = None
    if backend == "postgres":
        server.database_url, drop = fresh_pg_database()
        server.env["YOUTHWORK_DATABASE_URL"] = server.database_url
    try:
        server.add_team("Schema detached", "detached")
        tys = server.add_team("Schema TYS", "tys")
        server.add_user("schema-sup", "Schema detached", role="supervisor")
        server.add_user("schema-tys", "Schema TYS", role="receiving")
        server.start()
        _referral_to(server, tys)  # so the inbox has a referral to act on
        seed = random.randrange(2**31)
        print(f"schemathesis seed {seed} ({backend})")
        token = _login(server, USER[backend])
        run = subprocess.run(
            [
                sys.executable,
                "-c",
                "from schemathesis.cli import schemathesis; schemathesis()",
                "--config-file",
                str(CONFIG),
                "run",
                f"{server.url}/api/v1/openapi.json",
                "--checks",
                "all",
                "--header",
                f"Authorization: Bearer {token}",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                str(seed),
                "--workers",
                "1",
                "--no-color",
                "--request-timeout",
                "30",
            ],
            cwd=tmp_path,  # its example database and reports stay out of the repository
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, f"{USER[backend]}, seed {seed}:\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}"
        # The summary's warnings may say "failed" (an operation this role may only be refused, such as a report
        # for a receiving worker, is "Authentication failed: returned only 401/403"): read the test-case count.
        summary = run.stdout.split("SUMMARY")[-1]
        counts = summary.split("Test cases:", 1)[-1].strip().splitlines()[0]
        assert "passed" in counts and "failed" not in counts and "error" not in counts, summary
    finally:
        server.stop()
        if drop:
            drop()
    log = server.log.read_text()
    assert "Traceback" not in log and "server_error" not in log and "unexpected error" not in log, log[-3000:]
