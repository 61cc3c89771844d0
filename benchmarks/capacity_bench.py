"""Capacity, open loop: sync cycles arrive at a fixed rate whatever the answers, and the highest rate at which p99 stays
under a second is the service's capacity, for 1 and 2 service processes.

    python -m benchmarks.capacity_bench [--workers 1,2] [--rates 10,20,30,...,100] [--resolution 5]
                                        [--seconds 20] [--repeats 1] [--devices 400] [--teams 40]

A closed-loop test (each device syncs, waits, syncs again) measures how long a queue is once the service is
saturated: a slow answer delays the next request, so the load eases exactly when the service is struggling. Here a
separate load-generator process starts a sync cycle every 1/rate seconds on a schedule fixed in advance, answered or
not, and a cycle's latency runs from its scheduled start (so a late start in the generator counts against the service,
not for it). A cycle is what a laptop does every five minutes: push what it recorded since (0-5 changes: new young
people, now and then an edit of one of its own, one cycle in twenty also resending its previous batch as after a lost
answer), then pull its team's changes since its cursor. Devices take turns, so each pulls what its teammates pushed
since its last turn.

Each worker count gets a fresh PostgreSQL database and a real `youthwork-server serve --workers N` on loopback; the
rates are tried in turn for `--seconds` each until one fails (p99 >= 1 s, or more than 1% of cycles failing), then
the gap between the last pass and that failure is halved down to `--resolution`. Everything runs on this machine: the
service, PostgreSQL and the generator share the cores, and each step also reports the CPU each of them spent per
cycle (the figure other work on a shared machine doesn't inflate). After each ladder the change log is checked: every
pushed change once, none lost or doubled. Prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import json as json_module
import multiprocessing as mp
import os
import random
import signal
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa

from benchmarks.common import cpu_seconds, parent_pid
from benchmarks.server_bench import envelope, free_port, person, setup, start_server
from youthwork.domain.ids import new_id
from youthwork.domain.protocol import MAX_PAGE

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
P99_LIMIT_S = 1.0
MAX_FAILED = 0.01
RHYTHM_S = 300  # a laptop syncs every five minutes


@dataclass
class DeviceState:
    token: str
    cursor: str | None
    mine: dict[str, int] = field(default_factory=dict)  # my records and their newest version
    previous: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Step:
    """One rate held for a while: what the generator measured."""

    workers: int
    rate: float
    seconds: float
    latencies: list[float] = field(default_factory=list)  # of cycles that completed, scheduled start to end
    failed: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    late_start_ms: float = 0.0  # the generator's worst lag behind its schedule
    pushed: list[tuple[str, int]] = field(default_factory=list)  # (record id, version) of every applied change
    pulled: int = 0
    load: float = 0.0
    cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU per cycle: service, PostgreSQL, generator

    @property
    def cycles(self) -> int:
        return len(self.latencies) + self.failed

    def p(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("inf")

    @property
    def passed(self) -> bool:
        return self.cycles > 0 and self.p(0.99) < P99_LIMIT_S and self.failed <= MAX_FAILED * self.cycles


# -- a lean HTTP client for the generator ------------------------------------------------------------------------


class StatusError(ValueError):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass
class Answer:
    status_code: int
    body: bytes

    def json(self) -> Any:
        return _loads(self.body)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise StatusError(self.status_code)


class LeanClient:
    """Just enough HTTP/1.1 for the generator (POST with JSON, kept-alive connections, Content-Length answers): httpx
    spent 4-5 ms of CPU per cycle, as much as half of what the service spent answering it, on the same two cores."""

    def __init__(self, base: str, timeout: float = 30) -> None:
        url = httpx.URL(base)
        self.host, self.port, self.prefix = url.host, url.port or 80, url.path.rstrip("/")
        self.timeout = timeout
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def post(self, path: str, headers: dict[str, str], json: Any) -> Answer:
        body = _dumps(json)
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        request = (
            f"POST {self.prefix}{path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{head}\r\n"
        ).encode() + body
        for attempt in range(2):  # a kept-alive connection the server has closed: once more on a new one
            fresh = not self.idle
            reader, writer = self.idle.pop() if self.idle else await asyncio.open_connection(self.host, self.port)
            try:
                writer.write(request)
                answer = await asyncio.wait_for(self._answer(reader), self.timeout)
            except (OSError, asyncio.IncompleteReadError, TimeoutError):
                writer.close()
                if fresh or attempt:
                    raise
                continue
            self.idle.append((reader, writer))
            return answer
        raise AssertionError("unreachable")

    @staticmethod
    async def _answer(reader: asyncio.StreamReader) -> Answer:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = next(
            int(v) for k, _, v in (line.partition(":") for line in lines[1:]) if k.lower() == "content-length"
        )
        return Answer(status, await reader.readexactly(length))

    async def close(self) -> None:
        for _reader, writer in self.idle:
            writer.close()
        self.idle.clear()


try:
    import orjson

    def _dumps(value: Any) -> bytes:
        return orjson.dumps(value)

    _loads = orjson.loads
except ImportError:  # pragma: no cover

    def _dumps(value: Any) -> bytes:
        return json_module.dumps(value).encode()

    _loads = json_module.loads


# -- the load generator (its own process) ----------------------------------------------------------------------------


def _generate(base: str, devices: list[DeviceState], rate: float, seconds: float, seed: int, conn: Any) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover
        pass
    step = Step(0, rate, seconds)
    cpu = time.process_time()
    asyncio.run(_open_loop(base, devices, rate, seconds, random.Random(seed), step))
    step.cpu_ms["generator"] = (time.process_time() - cpu) * 1000 / max(1, step.cycles)
    conn.send((step, devices))
    conn.close()


async def _open_loop(
    base: str, devices: list[DeviceState], rate: float, seconds: float, rng: random.Random, step: Step
) -> None:
    client = LeanClient(base)
    try:
        start = time.perf_counter() + 0.2
        count = int(rate * seconds)
        tasks = []
        for i in range(count):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            step.late_start_ms = max(step.late_start_ms, (time.perf_counter() - due) * 1000)
            device = devices[i % len(devices)]
            tasks.append(asyncio.create_task(_cycle(client, device, due, rng.random(), rng.randint(0, 5), step)))
        await asyncio.gather(*tasks)
    finally:
        await client.close()
    step.load = os.getloadavg()[0]


async def _cycle(client: LeanClient, device: DeviceState, due: float, roll: float, new: int, step: Step) -> None:
    headers = {"Authorization": f"Bearer {device.token}"}
    changes = [
        {"change_id": uuid.uuid4().hex, "table": "people", "record_id": new_id(), "fields": person(new * 7 + i)}
        for i in range(new)
    ]
    if device.mine and roll < 0.3:  # an edit of one of my own records, from the version I last heard of
        rid = next(iter(device.mine))
        changes.append(
            {
                "change_id": uuid.uuid4().hex,
                "table": "people",
                "record_id": rid,
                "fields": {"known_as": f"edit {roll:.6f}"},
                "base_version": device.mine[rid],
            }
        )
    resend = device.previous if roll > 0.95 else []
    try:
        if changes or resend:
            r = await client.post("/sync/push", headers=headers, json=envelope(changes=changes + resend))
            r.raise_for_status()
            results = {x["change_id"]: x for x in r.json()["results"]}
            for c in changes:
                res = results[c["change_id"]]
                if res["status"] == "rejected":
                    raise ValueError(f"rejected: {res['reason']}")
                device.mine.pop(c["record_id"], None)
                device.mine[c["record_id"]] = res["version"]  # newest last: the next edit takes the oldest
                step.pushed.append((c["record_id"], res["version"]))
            if changes:
                device.previous = changes
        while True:
            r = await client.post("/sync/pull", headers=headers, json=envelope(cursor=device.cursor, limit=MAX_PAGE))
            r.raise_for_status()
            body = r.json()
            step.pulled += len(body["changes"])
            device.cursor = body["cursor"]
            if not body["has_more"]:
                break
    except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError, KeyError) as exc:
        step.failed += 1
        step.failures[str(exc) if isinstance(exc, StatusError) else type(exc).__name__] += 1
        return
    step.latencies.append(time.perf_counter() - due)


def run_step(
    base: str, devices: list[DeviceState], rate: float, seconds: float, seed: int, server: int = 0, db: str = ""
) -> tuple[Step, list]:
    """One rate, generated from a fresh process; the devices' cursors and records come back for the next step.
    With the server's pid and the database's name, the step also gets their CPU per cycle."""

    def service(_cmd: str, pid: int) -> bool:
        return pid == server or parent_pid(pid) == server

    def postgres(cmd: str, _pid: int) -> bool:
        return bool(db) and cmd.startswith("postgres") and f" {db} " in cmd

    before = (cpu_seconds(service), cpu_seconds(postgres))
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_generate, args=(base, devices, rate, seconds, seed, child))
    proc.start()
    child.close()
    step, devices = parent.recv()
    proc.join(60)
    cycles = max(1, step.cycles)
    step.cpu_ms["service"] = (cpu_seconds(service) - before[0]) * 1000 / cycles
    # Approximate: a backend that ends during the step takes its CPU with it (never below 0).
    step.cpu_ms["postgres"] = max(0.0, cpu_seconds(postgres) - before[1]) * 1000 / cycles
    return step, devices


# -- the ladder ------------------------------------------------------------------------------------------------------


def _catch_up(base: str, devices: list[DeviceState]) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        for d in devices:
            while True:
                r = client.post(
                    "/sync/pull",
                    headers={"Authorization": f"Bearer {d.token}"},
                    json=envelope(cursor=d.cursor, limit=MAX_PAGE),
                )
                r.raise_for_status()
                body = r.json()
                d.cursor = body["cursor"]
                if not body["has_more"]:
                    break


def ladder(
    workers: int,
    rates: list[float],
    seconds: float,
    devices: int,
    teams: int,
    pg: str,
    resolution: float = 5.0,
    out: Any = print,
) -> tuple[list[Step], dict[str, int]]:
    """Rates in turn against a fresh database and `serve --workers N` until one fails; then the change-log check."""
    admin_engine = sa.create_engine(pg, isolation_level="AUTOCOMMIT")
    name = f"yw_capacity_{uuid.uuid4().hex[:10]}"
    with admin_engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(pg).set(database=name).render_as_string(hide_password=False)
    proc = None
    steps: list[Step] = []
    try:
        _team_ids, tokens_by_team = setup(url, teams=teams, devices=devices)
        # Interleave teams, so consecutive cycles come from different teams (as a borough's laptops would).
        tokens = [toks[i] for i in range(max(map(len, tokens_by_team))) for toks in tokens_by_team if i < len(toks)]
        state = [DeviceState(tok, None) for tok in tokens[:devices]]
        port = free_port()
        proc = start_server(url, port, workers, pool=5)  # the cluster's connections are shared
        base = f"http://127.0.0.1:{port}/api/v1"
        _catch_up(base, state)

        def measure(rate: float) -> bool:
            step, fresh = run_step(base, state, rate, seconds, workers * 1000 + len(steps), proc.pid, name)
            state[:] = fresh
            step.workers = workers
            steps.append(step)
            out(
                f"  {workers} process(es), {rate:g} cycles/s: p50 {step.p(0.5) * 1000:.0f} ms, "
                f"p99 {step.p(0.99) * 1000:.0f} ms, failed {step.failed}/{step.cycles}"
                + (f" {dict(step.failures)}" if step.failed else "")
                + f", generator late by up to {step.late_start_ms:.0f} ms, load average {step.load:.1f}; "
                + "CPU per cycle: "
                + ", ".join(f"{k} {v:.1f} ms" for k, v in step.cpu_ms.items())
                + ("" if step.passed else "  <- over the limit")
            )
            return step.passed

        passed, failed = 0.0, None
        for rate in rates:
            if not measure(rate):
                failed = rate
                break
            passed = rate
        # Then halve the gap between the last rate that passed and the first that failed, down to `resolution`.
        while failed is not None and failed - passed > resolution:
            mid = round((passed + failed) / 2 / resolution) * resolution
            if not passed < mid < failed:
                break
            if measure(mid):
                passed = mid
            else:
                failed = mid
        check = _check_log(url, steps)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(15)
        with admin_engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()
    return steps, check


def _check_log(url: str, steps: list[Step]) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            logged = Counter(
                (r.record_id, r.version)
                for r in conn.execute(sa.text("SELECT record_id, version FROM change_log WHERE table_name = 'people'"))
            )
    finally:
        engine.dispose()
    pushed = Counter(p for s in steps for p in s.pushed)
    return {
        "pushed": len(pushed),
        "lost": sum(1 for p in pushed if p not in logged),
        "doubled": sum(1 for n in logged.values() if n > 1) + sum(1 for n in pushed.values() if n > 1),
        "unexpected": sum(1 for p in logged if p not in pushed),
    }


def capacity(steps: list[Step]) -> float:
    """The highest rate that passed (0 if none did)."""
    return max((s.rate for s in steps if s.passed), default=0.0)


def table(runs: dict[int, list[list[Step]]], checks: list[dict[str, int]]) -> list[str]:
    lines = [
        "| service processes | capacity (cycles/s at p99 < 1 s, median) | laptops at a 5-minute rhythm | "
        "p50 / p99 at the best run's top rate | "
        "runs | load average |",
        "|---|---|---|---|---|---|",
    ]
    for workers, ladders in runs.items():
        caps = [capacity(steps) for steps in ladders]
        cap = statistics.median(caps)
        at = [s for steps in ladders for s in steps if s.passed and s.rate == max(caps)]
        best = at[0] if at else None
        loads = [s.load for steps in ladders for s in steps]
        there = f"{best.p(0.5) * 1000:.0f} / {best.p(0.99) * 1000:.0f} ms" if best else "–"
        lines.append(
            f"| {workers} | {cap:g} | {cap * RHYTHM_S:,.0f} | {there} | {', '.join(f'{c:g}' for c in caps)} | "
            f"{min(loads):.1f}–{max(loads):.1f} |"
        )
    lost = sum(c["lost"] for c in checks)
    doubled = sum(c["doubled"] + c["unexpected"] for c in checks)
    pushed = sum(c["pushed"] for c in checks)
    lines.append("")
    lines.append(f"change log check: {pushed:,} changes pushed, lost {lost}, doubled or unexpected {doubled}")
    return lines


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: still stop the server and drop the database
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--workers", default="1,2", help="service process counts to measure, comma separated")
    parser.add_argument("--rates", default="10,20,30,40,50,60,70,80,90,100", help="sync cycles per second, in turn")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each rate is held")
    parser.add_argument("--repeats", type=int, default=1, help="ladders per process count (the table gives medians)")
    parser.add_argument("--resolution", type=float, default=5.0, help="narrow the capacity down to this many cycles/s")
    parser.add_argument("--devices", type=int, default=400)
    parser.add_argument("--teams", type=int, default=40)
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    runs: dict[int, list[list[Step]]] = {}
    checks = []
    started = time.time()
    for _ in range(args.repeats):
        for workers in (int(w) for w in args.workers.split(",")):
            steps, check = ladder(workers, rates, args.seconds, args.devices, args.teams, args.pg, args.resolution)
            runs.setdefault(workers, []).append(steps)
            checks.append(check)
    print()
    print(
        f"open loop, {args.devices} devices in {args.teams} teams, each rate held {args.seconds:g} s, "
        f"{os.cpu_count()} cores shared by the service, PostgreSQL and the load generator; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}, {time.time() - started:.0f} s in all"
    )
    for line in table(runs, checks):
        print(line)


if __name__ == "__main__":
    main()
