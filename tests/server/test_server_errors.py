"""Out-of-range values are refused with a 4xx on both databases, and no log line carries exception text or a
traceback (the service's handlers, and uvicorn's own loggers as `youthwork-server serve` configures them)."""

from __future__ import annotations

import io
import logging
import logging.config
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from server_helpers import TestClient, World, change, envelope, push

from youthwork.domain.ids import new_id
from youthwork.domain.protocol import MAX_ID
from youthwork.server import schema as t
from youthwork.server.logs import LOG_CONFIG

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from server_process import ServerProcess

API = "/api/v1"
HUGE = [MAX_ID + 1, 2**63 - 1, 2**63, 2**64 - 1, 2**64, 10**30, -(2**63) - 1]
SECRET = "Jay Okafor 943 476 5919"  # what a traceback could have carried


def counts(world: World) -> dict[str, int]:
    with world.engine.connect() as conn:
        return {
            tbl.name: conn.execute(sa.select(sa.func.count()).select_from(tbl)).scalar_one()
            for tbl in t.metadata.sorted_tables
        }


def test_cursors_beyond_64_bits_are_a_bad_cursor(world: World) -> None:
    h = world["worker"].headers
    for cursor in (
        f"c1.{MAX_ID + 1:x}",
        "c1.8000000000000000",
        "c1.ffffffffffffffff",
        "c1.7fffffffffffffff0",
        "c1.-8000000000000001",
    ):
        r = world.client.post(f"{API}/sync/pull", headers=h, json=envelope(cursor=cursor))
        assert r.status_code == 400 and r.json()["code"] == "bad_cursor", (cursor, r.text)
    r = world.client.post(f"{API}/sync/pull", headers=h, json=envelope(cursor=f"c1.{MAX_ID:x}"))
    assert r.status_code == 200 and r.json()["changes"] == []  # the largest real one: simply nothing after it


def test_conflict_ids_beyond_64_bits_are_refused_without_a_5xx(world: World) -> None:
    h, before = world["supervisor"].headers, counts(world)
    for value in [*HUGE, 0, -1]:
        r = world.client.post(f"{API}/sync/conflicts/{value}/resolve", headers=h, json={"chosen": "server"})
        assert r.status_code == 422 and r.json()["code"] == "invalid_request", (value, r.text)
    r = world.client.post(f"{API}/sync/conflicts/{MAX_ID}/resolve", headers=h, json={"chosen": "server"})
    assert r.status_code == 404
    assert counts(world) == before


def test_versions_and_values_beyond_64_bits_never_give_a_5xx(world: World) -> None:
    c, worker = world.client, world["worker"]
    pid = new_id()
    push(c, worker, [change("people", pid, {"first_name": "Jay"})])
    before = counts(world)
    for value in HUGE:
        r = c.post(
            f"{API}/sync/push",
            headers=worker.headers,
            json=envelope(changes=[change("people", pid, {"area": "Peckham"}, base_version=value)]),
        )
        assert r.status_code == 422, (value, r.text)
        for key in ("protocol_version", "schema_version"):
            r = c.post(f"{API}/sync/pull", headers=worker.headers, json=envelope(**{key: value}))
            assert r.status_code in (400, 426), (key, value, r.text)
        r = c.post(f"{API}/sync/pull", headers=worker.headers, json=envelope(limit=value))
        assert r.status_code == 422
    assert counts(world) == before
    # Inside a record's fields a big number is a value like any other: stored as given, or refused per change.
    results = push(c, worker, [change("people", pid, {"estimated_age": value}, base_version=1) for value in HUGE])
    assert all(res["status"] in ("applied", "rejected", "conflict") for res in results)


def test_an_unexpected_error_is_answered_and_logged_as_one_plain_line(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A real route of the real app that fails: the client gets a 500 with a reference, the log the type and that
    reference, and the error goes no further (no traceback for the server to print)."""

    @app.get("/boom-for-test")
    def boom() -> None:
        raise ValueError(f"could not save {SECRET}")

    app.middleware_stack = None  # rebuilt with the new route on the next request
    caplog.set_level(logging.DEBUG)
    with TestClient(app, raise_server_exceptions=True) as client:  # raises if the error escaped the app
        r = client.get("/boom-for-test")
    assert r.status_code == 500 and r.json()["code"] == "server_error"
    ref = r.json()["message"].split("reference ")[1].split(")")[0]
    assert any(ref in rec.getMessage() and "ValueError" in rec.getMessage() for rec in caplog.records)
    assert SECRET not in caplog.text and "Traceback" not in caplog.text
    assert SECRET not in r.text


def test_uvicorn_loggers_as_configured_never_print_exception_text() -> None:
    stream = io.StringIO()
    config = {**LOG_CONFIG, "handlers": {**LOG_CONFIG["handlers"]}}
    config["handlers"]["stderr"] = {**config["handlers"]["stderr"], "stream": stream}
    logging.config.dictConfig(config)
    try:
        try:
            raise KeyError(SECRET)
        except KeyError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
            logging.getLogger("youthwork.server.push").exception("push failed", stack_info=True)
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            logging.getLogger(name).handlers.clear()
            logging.getLogger(name).propagate = True
        logging.getLogger().handlers.clear()
    out = stream.getvalue()
    assert "Exception in ASGI application [KeyError]" in out and "push failed [KeyError]" in out
    assert SECRET not in out and "Traceback" not in out and "Stack" not in out
    assert out.count("\n") == 2


def test_a_real_server_process_logs_no_exception_text(tmp_path: Path) -> None:
    """The out-of-range requests of finding 11 against a real `youthwork-server serve`: 4xx, and a clean log."""
    server = ServerProcess(tmp_path)
    server.add_team("Errors team", "detached")
    server.add_user("erin", "Errors team")
    server.start()
    base = f"{server.url}{API}"
    try:
        r = httpx.post(
            f"{base}/auth/login",
            json={"username": "erin", "password": server.env["YOUTHWORK_PASSWORD"], "device_name": "lap"},
        )
        h = {"Authorization": f"Bearer {r.json()['device_token']}"}
        r = httpx.post(f"{base}/sync/pull", headers=h, json=envelope(cursor="c1.ffffffffffffffff"))
        assert r.status_code == 400
        r = httpx.post(f"{base}/sync/conflicts/{2**64}/resolve", headers=h, json={"chosen": "server"})
        assert r.status_code == 422
        r = httpx.post(f"{base}/sync/push", headers=h, content=b'{"changes": [' + SECRET.encode() + b"]}")
        assert r.status_code == 422 and SECRET not in r.text
    finally:
        server.stop()
    log = server.log.read_text()
    assert "Traceback" not in log and SECRET not in log and "erin" not in log
    # uvicorn logs through the service's plain format (LOG_CONFIG), not its own (which prints tracebacks).
    assert " INFO uvicorn.error: Uvicorn running on" in log, log[-2000:]
