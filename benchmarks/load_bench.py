"""Load: many simulated devices syncing against one `youthwork-server` process on PostgreSQL, then a check that every
pushed change is in the server's change log exactly once.

    python -m benchmarks.load_bench [--devices 200] [--seconds 60] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

Each device loops: push 1-5 new records (one in twenty cycles also resends its previous batch, as a laptop does when
an answer is lost), pull everything new for its team from its own cursor, then wait 0.5-1.5 s. A fresh database is
made on the cluster and dropped afterwards; the server is a real process on a loopback port; all traffic stays on
127.0.0.1 and stops after `--seconds`. Prints requests/s, changes/s, p50/p99 latency, errors, lost and doubled changes.
`run_load()` returns the same figures for tests/e2e/test_load.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa

from benchmarks.server_bench import envelope, free_port, person, setup, start_server
from youthwork.domain.ids import new_id

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass
class LoadResult:
    devices: int
    seconds: float
    requests: int = 0
    errors: int = 0
    error_kinds: Counter[str] = field(default_factory=Counter)
    retried: int = 0  # requests repeated after a dropped connection (then answered)
    retry_kinds: Counter[str] = field(default_factory=Counter)
    pushed: int = 0  # distinct changes pushed and answered "applied"
    resent: int = 0  # changes sent a second time
    pulled: int = 0
    push_latency: list[float] = field(default_factory=list)
    pull_latency: list[float] = field(default_factory=list)
    lost: int = 0  # pushed changes missing from the change log
    doubled: int = 0  # records logged more than once
    extra: int = 0  # records in the change log nobody pushed

    def lines(self) -> list[str]:
        def pct(values: list[float], q: float) -> float:
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000 if ordered else 0.0

        both = self.push_latency + self.pull_latency
        return [
            f"{self.devices} devices for {self.seconds:.0f} s against one youthwork-server on PostgreSQL (loopback)",
            f"requests: {self.requests} ({self.requests / self.seconds:,.0f}/s), errors: {self.errors} "
            + (f"{dict(self.error_kinds)}" if self.errors else "")
            + f", retried after a dropped connection: {self.retried} "
            + (f"{dict(self.retry_kinds)}" if self.retried else ""),
            f"changes pushed: {self.pushed} ({self.pushed / self.seconds:,.0f}/s), resent: {self.resent}, "
            f"pulled by devices: {self.pulled} ({self.pulled / self.seconds:,.0f}/s)",
            f"latency p50/p99: push {statistics.median(self.push_latency) * 1000 if self.push_latency else 0:.0f}/"
            f"{pct(self.push_latency, 0.99):.0f} ms, pull {pct(self.pull_latency, 0.5):.0f}/"
            f"{pct(self.pull_latency, 0.99):.0f} ms, all {pct(both, 0.5):.0f}/{pct(both, 0.99):.0f} ms",
            f"change log check: lost {self.lost}, doubled {self.doubled}, unexpected {self.extra}",
        ]


async def _device(
    client: httpx.AsyncClient, token: str, cursor: str | None, until: float, rng: random.Random, result: LoadResult
) -> list[str]:
    headers = {"Authorization": f"Bearer {token}"}
    mine: list[str] = []
    previous: list[dict[str, Any]] = []

    async def call(path: str, body: dict[str, Any], latencies: list[float]) -> dict[str, Any] | None:
        # As the app's sync does: a dropped connection (e.g. a keep-alive connection the server closed as it was
        # reused) is retried; both requests are safe to repeat (a push is idempotent by change id). Counted apart.
        for attempt in range(3):
            start = time.perf_counter()
            try:
                r = await client.post(path, headers=headers, json=body)
                break
            except httpx.TransportError as e:
                result.requests += 1
                if attempt == 2:
                    result.errors += 1
                    result.error_kinds[type(e).__name__] += 1
                    return None
                result.retried += 1
                result.retry_kinds[type(e).__name__] += 1
                await asyncio.sleep(0.2)
        latencies.append(time.perf_counter() - start)
        result.requests += 1
        if r.status_code != 200:
            result.errors += 1
            result.error_kinds[f"HTTP {r.status_code}"] += 1
            return None
        return r.json()

    while time.monotonic() < until:
        changes = [
            {
                "change_id": uuid.uuid4().hex,
                "table": "people",
                "record_id": new_id(),
                "fields": person(rng.randrange(10**6)),
            }
            for _ in range(rng.randint(1, 5))
        ]
        batch = changes + (previous if previous and rng.random() < 0.05 else [])
        body = await call("/sync/push", envelope(changes=batch), result.push_latency)
        if body is not None:
            statuses = {r["change_id"]: r["status"] for r in body["results"]}
            for c in batch:
                if statuses.get(c["change_id"]) != "applied":
                    result.errors += 1
                    result.error_kinds[f"change {statuses.get(c['change_id'])}"] += 1
            result.resent += len(batch) - len(changes)
            result.pushed += len(changes)
            mine += [c["record_id"] for c in changes]
            previous = changes
        while True:
            page = await call("/sync/pull", envelope(cursor=cursor, limit=500), result.pull_latency)
            if page is None:
                break
            result.pulled += len(page["changes"])
            cursor = page["cursor"]
            if not page["has_more"]:
                break
        await asyncio.sleep(rng.uniform(0.5, 1.5))
    return mine


async def _head(client: httpx.AsyncClient, token: str) -> str | None:
    cursor = None
    while True:
        r = await client.post(
            "/sync/pull", headers={"Authorization": f"Bearer {token}"}, json=envelope(cursor=cursor, limit=5000)
        )
        r.raise_for_status()
        body = r.json()
        cursor = body["cursor"]
        if not body["has_more"]:
            return cursor


async def _run_devices(
    base: str, tokens_by_team: list[list[str]], devices: int, seconds: float
) -> tuple[LoadResult, list[str]]:
    limits = httpx.Limits(max_connections=devices + 10, max_keepalive_connections=devices + 10)
    result = LoadResult(devices, seconds)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        pairs = [(tok, team) for team, toks in enumerate(tokens_by_team) for tok in toks][:devices]
        heads = {team: await _head(client, toks[0]) for team, toks in enumerate(tokens_by_team)}
        start = time.monotonic()
        until = start + seconds
        mine = await asyncio.gather(
            *(_device(client, tok, heads[team], until, random.Random(i), result) for i, (tok, team) in enumerate(pairs))
        )
        result.seconds = time.monotonic() - start
    return result, [rid for ids in mine for rid in ids]


def run_load(devices: int = 200, seconds: float = 60.0, pg: str = DEFAULT_PG, workers: int = 1) -> LoadResult:
    """Make a fresh database, start the server, run the devices, check the change log, drop the database."""
    admin_engine = sa.create_engine(pg, isolation_level="AUTOCOMMIT")
    name = f"yw_load_{uuid.uuid4().hex[:10]}"
    with admin_engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(pg).set(database=name).render_as_string(hide_password=False)
    proc = None
    try:
        _teams, tokens_by_team = setup(url, teams=10, devices=devices)
        port = free_port()
        proc = start_server(url, port, workers)
        result, pushed_ids = asyncio.run(
            _run_devices(f"http://127.0.0.1:{port}/api/v1", tokens_by_team, devices, seconds)
        )
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                logged = Counter(
                    r[0] for r in conn.execute(sa.text("SELECT record_id FROM change_log WHERE table_name = 'people'"))
                )
        finally:
            engine.dispose()
        pushed = Counter(pushed_ids)
        result.lost = sum(1 for rid in pushed if rid not in logged)
        result.doubled = sum(1 for n in logged.values() if n > 1) + sum(1 for n in pushed.values() if n > 1)
        result.extra = sum(1 for rid in logged if rid not in pushed)
        return result
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
        with admin_engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    result = run_load(args.devices, args.seconds, args.pg, args.workers)
    for line in result.lines():
        print(line)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
