"""Central service benchmark on PostgreSQL: push and pull throughput for batches of 500, and the latency of an
incremental sync (push a few changes, pull what is new) with many simulated devices at once.

    python -m benchmarks.server_bench [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                      [--changes 20000] [--devices 200] [--rounds 3] [--workers 1]

A fresh database is made on the cluster and dropped afterwards. The server is a real `youthwork-server serve`
process on a loopback port; clients are httpx async clients. Prints figures; asserts nothing. About a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from benchmarks.common import cpu_seconds, parent_pid
from youthwork.domain.ids import new_id
from youthwork.domain.protocol import MAX_PAGE
from youthwork.server import admin, db
from youthwork.server import schema as t
from youthwork.server.security import digest, new_device_token
from youthwork.server.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
BATCH = 500


def envelope(**kw: Any) -> dict[str, Any]:
    return {"protocol_version": 1, "schema_version": 1, "device_time": datetime.now(UTC).isoformat(), **kw}


def person(i: int) -> dict[str, Any]:
    return {
        "first_name": f"Young{i}",
        "known_as": f"Y{i}",
        "area": "Peckham",
        "gender": "male" if i % 2 else "female",
        "risk_indicators": ["missing"] if i % 7 == 0 else [],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(url: str, teams: int, devices: int) -> tuple[list[str], list[list[str]]]:
    """Teams with one worker each; `devices` device tokens spread over the teams (made directly, no Argon2)."""
    engine = db.make_engine(Settings(database_url=url))
    db.migrate(engine)
    tokens_by_team: list[list[str]] = [[] for _ in range(teams)]
    team_ids = []
    with engine.connect() as conn, conn.begin():
        for i in range(teams):
            team_id = admin.add_team(conn, f"Bench team {i}", "detached")
            team_ids.append(team_id)
            user_id = admin.add_user(conn, None, f"bench{i}", f"Bench {i}", "", "worker", team_id, password_hash="x")  # type: ignore[arg-type]
            for _ in range(devices // teams + 1):
                token = new_device_token()
                now = datetime.now(UTC)
                conn.execute(
                    t.devices.insert().values(
                        id=new_id(),
                        user_id=user_id,
                        name="bench",
                        token_hash=digest(token),
                        created_at=now,
                        last_seen_at=now,
                    )
                )
                tokens_by_team[i].append(token)
    engine.dispose()
    return team_ids, tokens_by_team


def start_server(url: str, port: int, workers: int, pool: int = 10, overflow: int = 10) -> subprocess.Popen:
    """`youthwork-server serve` on loopback; each worker has two pools of `pool` (+ `overflow`) connections."""
    env = {
        **os.environ,
        "YOUTHWORK_DATABASE_URL": url,
        "YOUTHWORK_POOL_SIZE": str(pool),
        "YOUTHWORK_MAX_OVERFLOW": str(overflow),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "youthwork.server.cli", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start")


async def bulk(base: str, token: str, total: int, after_push: Any = None) -> tuple[float, float]:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:
        start = time.perf_counter()
        for b in range(total // BATCH):
            changes = [
                {
                    "change_id": uuid.uuid4().hex,
                    "table": "people",
                    "record_id": new_id(),
                    "fields": person(b * BATCH + i),
                }
                for i in range(BATCH)
            ]
            r = await client.post("/sync/push", json=envelope(changes=changes))
            r.raise_for_status()
        pushed = time.perf_counter() - start
        if after_push is not None:
            after_push()

        rates = []
        for page in (BATCH, MAX_PAGE):
            start = time.perf_counter()
            cursor, got = None, 0
            while True:
                r = await client.post("/sync/pull", json=envelope(cursor=cursor, limit=page))
                r.raise_for_status()
                body = r.json()
                got += len(body["changes"])
                cursor = body["cursor"]
                if not body["has_more"]:
                    break
            rates.append(got / (time.perf_counter() - start))
            print(f"  pulled {got} changes in pages of {page}: {rates[-1]:,.0f} changes/s")
    return total / pushed, rates[0]


async def post(client: httpx.AsyncClient, url: str, **kw: Any) -> httpx.Response:
    """One retry on a dropped connection (a kept-alive socket the server closed): push and pull are idempotent."""
    try:
        r = await client.post(url, **kw)
    except httpx.TransportError:
        r = await client.post(url, **kw)
    r.raise_for_status()
    return r


async def head_cursor(client: httpx.AsyncClient, token: str) -> str:
    cursor = None
    while True:
        r = await client.post(
            "/sync/pull", headers={"Authorization": f"Bearer {token}"}, json=envelope(cursor=cursor, limit=5000)
        )
        body = r.json()
        cursor = body["cursor"]
        if not body["has_more"]:
            return cursor


async def incremental(
    base: str, tokens_by_team: list[list[str]], devices: int, rounds: int, per_device: int
) -> list[float]:
    """Every device at once: push `per_device` changes (if any), then pull everything new for its team from its own
    cursor."""
    limits = httpx.Limits(max_connections=devices + 10, max_keepalive_connections=devices + 10)
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        pairs = [(tok, team) for team, toks in enumerate(tokens_by_team) for tok in toks][:devices]
        heads = {team: await head_cursor(client, toks[0]) for team, toks in enumerate(tokens_by_team)}
        cursors = {tok: heads[team] for tok, team in pairs}

        async def sync(token: str) -> float:
            headers = {"Authorization": f"Bearer {token}"}
            changes = [
                {"change_id": uuid.uuid4().hex, "table": "people", "record_id": new_id(), "fields": person(i)}
                for i in range(per_device)
            ]
            start = time.perf_counter()
            if changes:
                await post(client, "/sync/push", headers=headers, json=envelope(changes=changes))
            while True:
                r = await post(client, "/sync/pull", headers=headers, json=envelope(cursor=cursors[token]))
                body = r.json()
                cursors[token] = body["cursor"]
                if not body["has_more"]:
                    break
            return time.perf_counter() - start

        for _ in range(rounds):
            latencies += await asyncio.gather(*(sync(tok) for tok, _team in pairs))
    return latencies


def run(
    pg: str = "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    changes: int = 20000,
    devices: int = 200,
    teams: int = 10,
    rounds: int = 3,
    workers: int = 1,
    out: Any = print,
) -> dict[str, Any]:
    """The whole benchmark in a fresh database; returns push/pull rates and each device's sync latencies (s)."""
    admin_engine = sa.create_engine(pg, isolation_level="AUTOCOMMIT")
    name = f"yw_bench_{uuid.uuid4().hex[:10]}"
    with admin_engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(pg).set(database=name).render_as_string(hide_password=False)
    proc = None
    figures: dict[str, Any] = {}
    try:
        _team_ids, tokens_by_team = setup(url, teams, devices)
        port = free_port()
        proc = start_server(url, port, workers)
        base = f"http://127.0.0.1:{port}/api/v1"
        out(f"youthwork-server on PostgreSQL, {workers} uvicorn worker(s), loopback")
        server_pid = proc.pid

        def service(_cmd: str, pid: int) -> bool:
            return pid == server_pid or parent_pid(pid) == server_pid

        def postgres(cmd: str, _pid: int) -> bool:
            return cmd.startswith("postgres") and f" {name} " in cmd

        before = (cpu_seconds(service), cpu_seconds(postgres), time.process_time())
        cpu: list[float] = []
        batches = changes / BATCH

        def pushed() -> None:
            cpu.extend(
                [
                    (cpu_seconds(service) - before[0]) / batches,
                    (cpu_seconds(postgres) - before[1]) / batches,
                    (time.process_time() - before[2]) / batches,
                ]
            )

        # CPU per batch, which other work on the box doesn't inflate: the pushes are sequential, so the sum of the
        # three bounds the rate on an idle machine.
        push_rate, pull_rate = asyncio.run(bulk(base, tokens_by_team[0][-1], changes, pushed))
        figures.update(push_rate=push_rate, pull_rate=pull_rate, push_cpu_s=cpu)
        out(f"push: {push_rate:,.0f} changes/s  ({changes} changes in batches of {BATCH})")
        out(
            f"  CPU per batch of {BATCH}: service {cpu[0] * 1000:.0f} ms, PostgreSQL {cpu[1] * 1000:.0f} ms, client "
            f"{cpu[2] * 1000:.0f} ms: at most {BATCH / sum(cpu):,.0f} changes/s one batch after another on idle cores"
        )
        out(f"pull: {pull_rate:,.0f} changes/s  (pages of {BATCH})")
        for per_device in (5, 0):
            cpu, wall = time.process_time(), time.perf_counter()
            lat = sorted(asyncio.run(incremental(base, tokens_by_team, devices, rounds, per_device)))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            figures["push_pull_s" if per_device else "pull_only_s"] = lat
            p50 = statistics.median(lat)
            p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
            what = f"push {per_device} + pull new" if per_device else "pull new only"
            out(
                f"incremental sync, {devices} devices at once ({rounds} rounds, {what}): "
                f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms "
                f"(the simulated devices themselves used {cpu:.1f} s of CPU in {wall:.1f} s)"
            )
        out(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
        with admin_engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--changes", type=int, default=20000)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    run(args.pg, args.changes, args.devices, args.teams, args.rounds, args.workers)


if __name__ == "__main__":
    main()
