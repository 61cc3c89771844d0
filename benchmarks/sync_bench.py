"""Sync benchmark: initial sync of a team's dataset from a real server process on loopback, as rows/s and as a ratio
to a plain bulk insert of the same rows into the store; and incremental syncs of 100 changes (median ms).

    python -m benchmarks.sync_bench [--scale 1.0] [--runs 7] [--repeats 3] [--sqlite]

At scale 1.0 the team holds 100,000 young people, 20,000 sessions and 1,000,000 register rows. The server database
(PostgreSQL at 127.0.0.1:5432 in a fresh database when reachable, else SQLite) is seeded directly in bulk, then
`youthwork-server serve` runs as its own process. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from benchmarks.common import cpu_seconds, parent_pid
from youthwork.domain.codec import to_dict
from youthwork.domain.records import Attendance, Record, Session, YoungPerson
from youthwork.domain.vocab import Role, TeamKind
from youthwork.keys.slots import Argon2Params
from youthwork.server import admin, db
from youthwork.server import schema as t
from youthwork.server.security import password_hasher
from youthwork.server.settings import Settings
from youthwork.store.profile import Profile
from youthwork.sync import device
from youthwork.sync.engine import SyncEngine, SyncReport

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "benchmark password"
PASSPHRASE = "benchmark passphrase"
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_database(use_sqlite: bool, tmp: Path) -> tuple[str, Any]:
    if not use_sqlite:
        admin_engine = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        try:
            name = f"yw_sync_bench_{uuid.uuid4().hex[:8]}"
            with admin_engine.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

            def drop() -> None:
                with admin_engine.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin_engine.dispose()

            return sa.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False), drop
        except sa.exc.OperationalError:
            print("PostgreSQL not reachable: using SQLite")
    return f"sqlite:///{tmp / 'server.sqlite3'}", lambda: None


def dataset(team_id: str, user_id: str, scale: float) -> list[Record]:
    rng = random.Random(7)
    people_n, sessions_n, register_n = int(100_000 * scale), int(20_000 * scale), int(1_000_000 * scale)
    start = datetime(2026, 1, 5, 18, tzinfo=UTC)
    base = dict(team_id=team_id, created_by=user_id)
    people = [
        YoungPerson(
            first_name=f"Young{i}",
            last_name=f"Person{i % 997}",
            known_as=f"YP{i}",
            area=f"Estate {i % 40}",
            gender=rng.choice(["male", "female"]),
            **base,
        )
        for i in range(people_n)
    ]
    sessions = [
        Session(
            session_type="detached",
            status="submitted",
            starts_at=start + timedelta(days=i % 300),
            ends_at=start + timedelta(days=i % 300, hours=2),
            area=f"Estate {i % 40}",
            workers=[user_id],
            **base,
        )
        for i in range(sessions_n)
    ]
    register = [
        Attendance(session_id=sessions[i % sessions_n].id, person_id=people[rng.randrange(people_n)].id, **base)
        for i in range(register_n)
    ]
    return [*people, *sessions, *register]


def seed_server(url: str, records: list[Record], team_id: str) -> None:
    """Bulk rows straight into records and change_log, as a server that had received them would hold them.

    PostgreSQL gets COPY (seconds for a million rows); SQLite gets executemany in one transaction.
    """
    engine = db.make_engine(Settings(database_url=url))
    now = datetime.now(UTC)

    def rows() -> Any:
        for r in records:
            data = to_dict(r)
            yield r, data, dict.fromkeys(data, 1)

    try:
        if engine.dialect.name == "postgresql":
            raw = engine.raw_connection()
            try:
                cur = raw.cursor()
                with cur.copy(
                    "COPY records (table_name, record_id, team_id, version, deleted, data, field_versions,"
                    " field_devices, updated_at) FROM STDIN"
                ) as copy:
                    for r, data, fv in rows():
                        copy.write_row((r.TABLE, r.id, team_id, 1, False, json.dumps(data), json.dumps(fv), "{}", now))
                with cur.copy(
                    "COPY change_log (team_id, table_name, record_id, op, version, fields, created_at) FROM STDIN"
                ) as copy:
                    for r in records:
                        copy.write_row((team_id, r.TABLE, r.id, "upsert", 1, "[]", now))
                raw.commit()
                # What autovacuum does to a live server's tables soon after writes: without it the first reader of
                # freshly COPYed rows pays for setting their visibility hints (measured: the first pull of 112,000
                # rows took 4.4 s of PostgreSQL CPU, the second 0.4 s), which a server whose records arrived by
                # push over months never shows a laptop.
                driver = raw.driver_connection
                driver.set_autocommit(True)  # type: ignore[union-attr]
                driver.execute("VACUUM (ANALYZE) records")  # type: ignore[union-attr]
                driver.execute("VACUUM (ANALYZE) change_log")  # type: ignore[union-attr]
                driver.set_autocommit(False)  # type: ignore[union-attr]
            finally:
                raw.close()
            return
        with engine.begin() as conn:
            batch: list[dict[str, Any]] = []
            log: list[dict[str, Any]] = []
            for r, data, fv in rows():
                batch.append(
                    {
                        "table_name": r.TABLE,
                        "record_id": r.id,
                        "team_id": team_id,
                        "version": 1,
                        "deleted": False,
                        "data": data,
                        "field_versions": fv,
                        "field_devices": {},
                        "updated_at": now,
                    }
                )
                log.append(
                    {
                        "team_id": team_id,
                        "table_name": r.TABLE,
                        "record_id": r.id,
                        "op": "upsert",
                        "version": 1,
                        "fields": [],
                        "device_id": None,
                        "created_at": now,
                    }
                )
                if len(batch) == 20_000:
                    conn.execute(t.records.insert(), batch)
                    conn.execute(t.change_log.insert(), log)
                    batch, log = [], []
            if batch:
                conn.execute(t.records.insert(), batch)
                conn.execute(t.change_log.insert(), log)
    finally:
        engine.dispose()


def start_server(url: str, tmp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, YOUTHWORK_DATABASE_URL=url, PYTHONPATH=str(ROOT))
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 (kept open for the process's life)
    proc = subprocess.Popen(
        [sys.executable, "-m", "youthwork.server.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def new_laptop(tmp: Path, name: str, base: str, username: str) -> Profile:
    profile, _ = Profile.create(tmp / name, PASSPHRASE, worker_name=name, argon2=FAST_KDF)
    device.enrol(profile, base, username, PASSWORD)
    return profile


def cycle(profile: Profile) -> SyncReport:
    client = device.client_for(profile)
    try:
        return SyncEngine(profile, client).run()
    finally:
        client.transport.close()  # type: ignore[attr-defined]


def run(
    scale: float = 1.0, runs: int = 7, use_sqlite: bool = False, out: Any = print, repeats: int = 3
) -> dict[str, Any]:
    """Seed a server, time the plain bulk insert, the initial sync and `runs` incremental syncs of 100 changes.

    Returns the figures (seconds, rows, per-run milliseconds, and a sample pull payload's JSON decode time) and
    prints the same lines as the script through `out`.
    """
    tmp = Path(tempfile.mkdtemp(prefix="yw-sync-bench-"))
    url, drop = server_database(use_sqlite, tmp)
    figures: dict[str, Any] = {"backend": sa.make_url(url).get_backend_name()}
    engine = db.make_engine(Settings(database_url=url, argon2_time_cost=1, argon2_memory_kib=1024))
    db.migrate(engine)
    with engine.begin() as conn:
        team_id = admin.add_team(conn, "Bench team", TeamKind.DETACHED)
        hasher = password_hasher(Settings(database_url=url))
        user_ids = [admin.add_user(conn, hasher, u, u, PASSWORD, Role.WORKER, team_id) for u in ("ana", "ben")]
    engine.dispose()

    t0 = time.perf_counter()
    records = dataset(team_id, user_ids[0], scale)
    out(f"dataset: {len(records):,} rows (scale {scale}) built in {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    seed_server(url, records, team_id)
    out(f"server ({figures['backend']}) seeded in {time.perf_counter() - t0:.1f}s")

    # Anchor: decoding the same rows as JSON, in the shape a pull page carries them.
    payload = json.dumps(
        {"changes": [{"table": r.TABLE, "record_id": r.id, "fields": to_dict(r)} for r in records]}, default=str
    )
    t0 = time.perf_counter()
    json.loads(payload)
    figures["json_decode_s"] = time.perf_counter() - t0
    del payload

    proc, base = start_server(url, tmp)
    try:
        database = sa.make_url(url).database or ""

        def service(_cmd: str, pid: int) -> bool:
            return pid == proc.pid or parent_pid(pid) == proc.pid

        def postgres(cmd: str, _pid: int) -> bool:
            return cmd.startswith("postgres") and f" {database} " in cmd

        # Each repeat: the same rows bulk-inserted into a fresh encrypted store in one transaction (the baseline),
        # then a fresh laptop's initial sync of them; the ratio of the medians is the figure (the machine is shared,
        # so one pair alone scatters widely).
        bulk: list[tuple[float, float]] = []
        syncs: list[tuple[float, float, float, float]] = []
        for i in range(repeats):
            plain, _ = Profile.create(tmp / f"plain{i}", PASSPHRASE, worker_name="plain", argon2=FAST_KDF)
            t0, c0 = time.perf_counter(), time.process_time()
            plain.records.bulk_insert(records)
            bulk.append((time.perf_counter() - t0, time.process_time() - c0))
            plain.close()
            laptop = new_laptop(tmp, f"laptop{i}", base, "ana")
            before = (cpu_seconds(service), cpu_seconds(postgres))
            t0, c0 = time.perf_counter(), time.process_time()
            report = cycle(laptop)
            syncs.append(
                (
                    time.perf_counter() - t0,
                    time.process_time() - c0,
                    cpu_seconds(service) - before[0],
                    cpu_seconds(postgres) - before[1],
                )
            )
            out(
                f"  repeat {i + 1}: bulk insert {bulk[-1][0]:.2f}s (CPU {bulk[-1][1]:.2f}s), initial sync "
                f"{syncs[-1][0]:.2f}s (CPU: laptop {syncs[-1][1]:.2f}s, service {syncs[-1][2]:.2f}s, PostgreSQL "
                f"{syncs[-1][3]:.2f}s), {report.pages} pages"
            )
            if i < repeats - 1:
                laptop.close()
            else:
                ana = laptop
        bulk_s, bulk_cpu = (statistics.median(x[k] for x in bulk) for k in range(2))
        sync_s, *cpu = (statistics.median(x[k] for x in syncs) for k in range(4))
        figures.update(rows=len(records), bulk_insert_s=bulk_s, bulk_insert_cpu_s=bulk_cpu)
        out(
            f"plain bulk insert into the store: {len(records):,} rows in {bulk_s:.1f}s = {len(records) / bulk_s:,.0f}"
            f" rows/s (median of {repeats})"
        )
        figures["initial_sync_cpu_s"] = cpu[0]
        figures.update(initial_sync_service_cpu_s=cpu[1], initial_sync_postgres_cpu_s=cpu[2])
        rows = report.pulled + report.deleted
        figures.update(initial_sync_s=sync_s, initial_sync_rows=rows)
        out(
            f"initial sync: {rows:,} rows in {report.pages} pages, {sync_s:.1f}s = {rows / sync_s:,.0f} rows/s: "
            f"{bulk_s / sync_s:.2f} of the plain bulk insert's rate (aim 0.75; medians of {repeats})"
        )
        out(
            f"  CPU (medians): the laptop {cpu[0]:.2f}s (bulk insert {bulk_cpu:.2f}s), the service {cpu[1]:.2f}s, "
            f"PostgreSQL {cpu[2]:.2f}s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        assert ana.records.count(Attendance) == sum(isinstance(r, Attendance) for r in records)
        del records

        ben = new_laptop(tmp, "ben", base, "ben")
        ben.outbox.set_cursor(ana.outbox.get_cursor())  # ben starts up to date (skip a second initial sync)
        people = ana.records.select(YoungPerson, limit=100)
        pull_ms, push_ms = [], []
        for run in range(runs):
            for p in people:  # 100 edits on ben's side, pushed by ben, then pulled by ana
                ben.records.save(p)  # ben did not have them: the first save inserts; later ones are edits
                p.known_as = f"run{run}-{p.id[-4:]}"
                ben.records.save(p)
            t0 = time.perf_counter()
            pushed = cycle(ben)
            push_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            pulled = cycle(ana)
            pull_ms.append((time.perf_counter() - t0) * 1000)
            assert pulled.pulled == 100 and pushed.pushed >= 100, (pushed.summary(), pulled.summary())
        figures.update(push_ms=push_ms, pull_ms=pull_ms)
        out(
            f"incremental, 100 changes over {runs} runs: push cycle median {statistics.median(push_ms):.0f} ms, "
            f"pull cycle median {statistics.median(pull_ms):.0f} ms"
        )
        ana.close()
        ben.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        drop()
        shutil.rmtree(tmp, ignore_errors=True)
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the full team dataset (default 1.0)")
    ap.add_argument("--runs", type=int, default=7, help="incremental syncs to take the median of")
    ap.add_argument("--sqlite", action="store_true", help="use SQLite for the server even if PostgreSQL is there")
    ap.add_argument("--repeats", type=int, default=3, help="bulk insert and initial sync pairs to take medians of")
    args = ap.parse_args()
    run(args.scale, args.runs, args.sqlite, repeats=args.repeats)


if __name__ == "__main__":
    main()
