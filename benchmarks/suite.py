"""The benchmark suite: every measurement the issue asks for, at each dataset size, beside its aim and its physical
anchor, with how each cost grows with the data. Run as `python -m benchmarks` (see __main__.py).

The measurements reuse the area benchmarks (store_bench's queries, report_bench's dataset, sync_bench's and
server_bench's runs); this module only times them the same way and collects one table.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import common
from benchmarks.common import Stats, measure

log = logging.getLogger(__name__)


@dataclass
class Row:
    """One line of the table."""

    name: str
    size: int | None  # young people in the dataset, or None where the size does not apply
    stats: Stats
    aim: float | None = None
    aim_on: str = "median"  # "median", "p95", "p99" or "min" (a rate: the median must reach the aim)
    anchor: float | None = None  # the anchor's median, in the same unit
    anchor_label: str = ""
    note: str = ""

    @property
    def value(self) -> float:
        if self.aim_on in ("p95", "p99"):
            return getattr(self.stats, self.aim_on)
        return self.stats.median

    @property
    def ratio(self) -> float | None:
        if self.anchor is None or self.anchor == 0:
            return None
        if self.aim_on == "min":  # a rate: how much slower than the anchor's rate
            return self.anchor / self.value if self.value else None
        return self.stats.median / self.anchor

    @property
    def passed(self) -> bool | None:
        if self.aim is None:
            return None
        return self.value >= self.aim if self.aim_on == "min" else self.value < self.aim

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "size": self.size,
            **self.stats.as_json(),
            "aim": self.aim,
            "aim_on": self.aim_on,
            "anchor": None if self.anchor is None else round(self.anchor, 3),
            "anchor_label": self.anchor_label,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "passed": self.passed,
            "note": self.note,
        }


@dataclass
class Plan:
    sizes: list[int]
    runs: int
    queries: int
    ui_runs: int
    sync_runs: int
    server: dict[str, int]
    report: tuple[int, int]  # workers, years
    quick: bool
    save_runs: int = 300  # a slow save one time in ten needs hundreds of samples to show in a p99


def plan_for(sizes: list[int], quick: bool) -> Plan:
    if quick:
        return Plan(sizes, 3, 30, 1, 2, dict(changes=500, devices=20, teams=4, rounds=1), (3, 1), True, 30)
    return Plan(sizes, 9, 200, 3, 5, dict(changes=5000, devices=200, teams=10, rounds=3), (50, 5), False)


# ---- local store measurements ---------------------------------------------------------------------------------------


def most_history(profile: Any) -> str:
    sql = "SELECT person_id FROM attendance GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT 1"
    return str(profile.db.scalar(sql))


def profile_loader(profile: Any, person_id: str, *, audit: bool) -> Callable[[], object]:
    """Everything the profile view loads for one young person (ui/people/profile_page.py show_person), minus Qt."""
    from youthwork.privacy.erasure import ErasureService
    from youthwork.privacy.need_to_know import NeedToKnow
    from youthwork.services.nfa import NfaService
    from youthwork.services.notes import NoteService
    from youthwork.services.people import PeopleService
    from youthwork.services.plans import PlanService
    from youthwork.services.referrals import ReferralService
    from youthwork.services.sessions import SessionService

    people, sessions, notes = PeopleService(profile), SessionService(profile), NoteService(profile)
    plans, referrals, nfa = PlanService(profile), ReferralService(profile), NfaService(profile)
    erasure = ErasureService(profile)
    ntk = NeedToKnow(profile) if audit else None

    def load() -> object:
        person = people.get(person_id)
        assert person is not None
        profile.get_setting("worker_names", {})
        out = [sessions.for_person(person_id), notes.for_person(person_id), people.rag_history(person_id)]
        if ntk is not None:
            ntk.viewed(person)
            erasure.active_holds(person_id)
        out.append([plans.versions(p.id) for p in plans.for_person(person_id)])
        out += [referrals.for_person(person_id), referrals.shares(person_id), nfa.for_person(person_id)]
        return out

    return load


def search_rows(size: int, enc: Any, plain: Any, n_queries: int) -> list[Row]:
    from benchmarks.store_bench import queries
    from youthwork.services.people import PeopleService

    services = [PeopleService(enc), PeopleService(plain)]
    qs = queries(n_queries)
    for q in qs[:20]:  # warm the page cache, as in a session in use
        for svc in services:
            svc.search(q)
    wall: list[list[float]] = [[], []]
    cpu: list[list[float]] = [[], []]
    for q in qs:  # the two stores turn about, query by query, so load on the machine hits both alike
        for i, svc in enumerate(services):
            t, c = time.perf_counter(), time.process_time()
            svc.search(q, limit=50)
            wall[i].append((time.perf_counter() - t) * 1000)
            cpu[i].append((time.process_time() - c) * 1000)
    enc_s, plain_s = Stats(wall[0], cpu[0]), Stats(wall[1], cpu[1])
    ratio_cpu = Stats([enc_s.cpu_median / plain_s.cpu_median], unit="x") if plain_s.cpu_median else Stats([0.0])
    return [
        Row("search as you type", size, enc_s, 30, "p95", plain_s.median, "same query, plain SQLite"),
        Row(
            "search SQLCipher/plain (p95)",
            size,
            Stats([enc_s.p95 / plain_s.p95], unit="x"),
            1.3,
            note=f"median {enc_s.median / plain_s.median:.2f}x, CPU median {ratio_cpu.median:.2f}x",
        ),
    ]


def session_save_row(size: int, profile: Any, runs: int) -> Row:
    """A session with 20 on the register saved and submitted, as the app does it: with the WAL checkpointer the app
    runs beside the UI thread (without it, one save in about twelve also copied the log into the file: ~200 ms)."""
    from youthwork.domain.records import Attendance, Session
    from youthwork.services.sessions import SessionService
    from youthwork.store.checkpoint import WalCheckpointer

    rng = random.Random(size)
    ids = [r[0] for r in profile.db.query("SELECT id FROM people ORDER BY id LIMIT 5000")]
    service = SessionService(profile)
    day = datetime.combine(date.today() - timedelta(days=3), datetime.min.time(), UTC)

    def session() -> Session:
        start = day + timedelta(hours=18, minutes=rng.randint(0, 59))
        return Session(
            session_type="detached",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            area="Benchmark Estate",
            workers=["w-01", "w-02"],
            narrative="Benchmark session.",
        )

    def save() -> None:
        s = service.save_draft(session(), rng.sample(ids, 20))
        service.submit(s.id)

    checkpointer = WalCheckpointer(profile).start()
    try:
        stats = measure(save, runs)
    finally:
        checkpointer.stop()

    def raw() -> None:  # the same rows, one transaction, no checks
        s = session()
        rows = [s] + [Attendance(session_id=s.id, person_id=pid) for pid in rng.sample(ids, 20)]
        with profile.transaction():
            profile.records.bulk_insert(rows)

    anchor = measure(raw, runs)
    return Row(
        "session save (20 on register)",
        size,
        stats,
        50,
        "p99",
        anchor=anchor.median,
        anchor_label="raw insert",
        note=f"p99 {stats.p99:.1f} ms, max {max(stats.samples):.1f} ms over {len(stats.samples)} saves",
    )


def weekly_rows(size: int, enc: Any, plain: Any, runs: int) -> Row:
    from youthwork.domain.weeks import IsoWeek
    from youthwork.reports.weekly import weekly_report

    week = IsoWeek.containing(date.today()).shifted(-1)
    stats = measure(lambda: weekly_report(enc.db, week), runs)
    anchor = measure(lambda: weekly_report(plain.db, week), runs)
    report = weekly_report(enc.db, week).values()
    return Row(
        "weekly report (demo data)",
        size,
        stats,
        250,
        anchor=anchor.median,
        anchor_label="plain SQLite",
        note=f"{report['sessions']} sessions, {report['reached']} reached that week (demo sessions grow with people)",
    )


def store_rows(size: int, plan: Plan, scratch: Path, report: Callable[[Row], None]) -> None:
    from youthwork.privacy.subject_access import SubjectAccess
    from youthwork.store.profile import Profile

    directory = common.build_dataset(size)
    plain_path = common.plain_copy(directory)
    work = common.copy_profile(directory, scratch / f"p{size}")
    enc = Profile.open(work, common.PASSPHRASE)
    plain = common.open_plain(plain_path)
    try:
        for row in search_rows(size, enc, plain, plan.queries):
            report(row)
        pid = most_history(enc)
        visits = enc.db.scalar("SELECT count(*) FROM attendance WHERE person_id = ?", (pid,))
        stats = measure(profile_loader(enc, pid, audit=True), plan.runs)
        anchor = measure(profile_loader(plain, pid, audit=False), plan.runs)
        report(
            Row(
                "profile open (most history)",
                size,
                stats,
                100,
                anchor=anchor.median,
                anchor_label="plain SQLite, no audit",
                note=f"{visits} sessions attended",
            )
        )
        report(weekly_rows(size, enc, plain, plan.runs))
        sar = SubjectAccess(enc)
        out = scratch / "sar.json"
        report(Row("subject access export (JSON)", size, measure(lambda: sar.export(pid, out, fmt="json"), plan.runs)))
        report(session_save_row(size, enc, plan.save_runs))
    finally:
        enc.close()
        plain.close()


# ---- the app in its own process -------------------------------------------------------------------------------------


def app_run(directory: Path, scroll: bool) -> dict[str, float]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        YOUTHWORK_PASSPHRASE=common.PASSPHRASE,
        PYTHONPATH=str(common.ROOT),
    )
    args = [sys.executable, "-m", "ui.app", "--profile", str(directory), "--bench-unlock"]
    started = time.perf_counter()
    proc = subprocess.Popen(
        args + (["--bench-scroll"] if scroll else []),
        cwd=common.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    first = json.loads(proc.stdout.readline() or "{}")
    first["launch_to_list_ms"] = (time.perf_counter() - started) * 1000
    last = first
    for line in proc.stdout:
        last = {**first, **json.loads(line)}
    proc.wait(timeout=600)
    if "unlock_to_list_ms" not in first:
        raise RuntimeError(f"the app did not show the list ({first})")
    return last


def app_rows(size: int, plan: Plan, scratch: Path, report: Callable[[Row], None]) -> None:
    work = scratch / f"p{size}"
    if not work.exists():
        common.copy_profile(common.build_dataset(size), work)
    runs = [app_run(work, scroll=False) for _ in range(plan.ui_runs)]
    report(
        Row(
            "unlock → list on screen",
            size,
            Stats([r["unlock_to_list_ms"] for r in runs]),
            1000,
            note="includes Argon2id key derivation",
        )
    )
    report(Row("cold start: launch → list", size, Stats([r["launch_to_list_ms"] for r in runs])))
    scrolled = app_run(work, scroll=True)
    report(
        Row(
            "app peak memory, list scrolled to end",
            size,
            Stats([scrolled["maxrss_mb"]], unit="MB"),
            400,
            note=f"{int(scrolled['rows']):,} rows loaded",
        )
    )


# ---- sync and the central service ----------------------------------------------------------------------------------


def sync_rows(size: int, plan: Plan, report: Callable[[Row], None]) -> None:
    from benchmarks import sync_bench

    f = sync_bench.run(scale=size / 100_000, runs=plan.sync_runs, out=log.info)
    rows = f["rows"]
    rate = f["initial_sync_rows"] / f["initial_sync_s"]
    report(
        Row(
            "initial sync",
            size,
            Stats([rate], unit="rows/s"),
            20_000,
            "min",
            anchor=rows / f["bulk_insert_s"],
            anchor_label="raw bulk insert",
            note=(
                f"{rows:,} rows in {f['initial_sync_s']:.1f} s (client CPU {f['initial_sync_cpu_s']:.1f} s);"
                f" JSON decode alone {rows / f['json_decode_s']:,.0f} rows/s"
            ),
        )
    )
    report(Row("incremental sync, 100 changes: push", size, Stats(f["push_ms"]), 300))
    report(Row("incremental sync, 100 changes: pull", size, Stats(f["pull_ms"]), 300))


def server_rows(plan: Plan, report: Callable[[Row], None]) -> None:
    from benchmarks import server_bench

    f = server_bench.run(**plan.server, out=log.info)
    lat = [x * 1000 for x in f["push_pull_s"]]
    devices = plan.server["devices"]
    stats = Stats(lat)
    p99 = common.percentile(lat, 99)
    report(
        Row(
            "server: devices syncing at once, p99",
            None,
            Stats([p99]),
            1000,
            note=f"{devices} devices, each pushes 5 and pulls; bulk push {f['push_rate']:,.0f} changes/s",
        )
    )
    report(Row("server: devices syncing at once, p50", None, stats, note=f"{devices} devices"))


def report_rows(plan: Plan, report: Callable[[Row], None]) -> None:
    from benchmarks import report_bench
    from youthwork.domain.weeks import IsoWeek
    from youthwork.reports.weekly import weekly_report
    from youthwork.store.profile import Profile

    workers, years = plan.report
    directory = common.report_dataset(workers, years)
    with Profile.open(directory, report_bench.PASSPHRASE) as profile:
        week = IsoWeek.containing(report_bench.TODAY).shifted(-1)
        stats = measure(lambda: weekly_report(profile.db, week), plan.runs)
        rows = profile.db.scalar("SELECT count(*) FROM attendance")
    report(
        Row(
            "weekly report (report_bench team)",
            None,
            stats,
            250,
            note=f"{workers} workers, {years} years, {rows:,} register rows",
        )
    )


# The rows every full or quick run produces (per size where a size applies): the smoke test checks them all.
MEASUREMENTS = (
    "search as you type",
    "search SQLCipher/plain (p95)",
    "profile open (most history)",
    "weekly report (demo data)",
    "subject access export (JSON)",
    "session save (20 on register)",
    "unlock → list on screen",
    "cold start: launch → list",
    "app peak memory, list scrolled to end",
    "weekly report (report_bench team)",
    "initial sync",
    "incremental sync, 100 changes: push",
    "incremental sync, 100 changes: pull",
    "server: devices syncing at once, p99",
    "server: devices syncing at once, p50",
)


# ---- the run --------------------------------------------------------------------------------------------------------


def growth(rows: list[Row], sizes: list[int]) -> list[dict[str, Any]]:
    """For each measurement taken at the smallest and largest size: how much it grew against the data."""
    if len(sizes) < 2:
        return []
    lo, hi = min(sizes), max(sizes)
    data = hi / lo
    bound = data * math.log(hi) / math.log(lo)  # n log n
    by = {(r.name, r.size): r for r in rows}
    out = []
    for r in rows:
        if r.size != hi or (r.name, lo) not in by or r.stats.unit == "x":
            continue
        small = by[(r.name, lo)]
        factor = r.stats.median / small.stats.median if small.stats.median else math.inf
        if r.aim_on == "min":  # a rate: the cost per run grows as data / rate
            factor = data * small.stats.median / r.stats.median if r.stats.median else math.inf
        out.append(
            {"name": r.name, "data_growth": data, "cost_growth": round(factor, 2), "finding": bool(factor > bound)}
        )
    return out


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if unit == "rows/s":
        return f"{value:,.0f}/s"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def table(rows: list[Row]) -> str:
    head = ["measurement", "size", "median", "p95", "p99", "CPU median", "aim", "anchor", "ratio", "result"]
    lines = []
    for r in rows:
        u = r.stats.unit
        aim = "–" if r.aim is None else ("≥ " if r.aim_on == "min" else "< ") + fmt(r.aim, u)
        if r.aim is not None and r.aim_on in ("p95", "p99"):
            aim += f" {r.aim_on}"
        result = {True: "pass", False: "MISS", None: ""}[r.passed]
        lines.append(
            [
                r.name,
                f"{r.size:,}" if r.size else "–",
                fmt(r.stats.median, u),
                fmt(r.stats.p95, u) if len(r.stats.samples) > 1 else "–",
                fmt(r.stats.p99, u) if len(r.stats.samples) > 1 else "–",
                fmt(r.stats.cpu_median, u),
                aim,
                fmt(r.anchor, u) + (f" ({r.anchor_label})" if r.anchor_label else ""),
                "–" if r.ratio is None else f"{r.ratio:.2f}x",
                result,
            ]
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(head)]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |"]
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    out += ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |" for line in lines]
    return "\n".join(out)


def run(plan: Plan, out_path: Path, only: set[str] | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    cpu_started = time.process_time()
    rows: list[Row] = []
    loads: list[float] = []

    def report(row: Row) -> None:
        rows.append(row)
        loads.append(os.getloadavg()[0])
        result = {True: "pass", False: "MISS", None: ""}[row.passed]
        print(
            f"  {row.name} [{row.size or '-'}]: median {fmt(row.stats.median, row.stats.unit)}"
            f" p95 {fmt(row.stats.p95, row.stats.unit)} p99 {fmt(row.stats.p99, row.stats.unit)} {result}",
            flush=True,
        )

    def want(part: str) -> bool:
        return only is None or part in only

    scratch = common.RESULTS / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    errors: list[str] = []

    def part(name: str, fn: Callable[[], None]) -> None:
        if not want(name):
            return
        t = time.perf_counter()
        print(f"{name} …", flush=True)
        try:
            fn()
        except Exception as exc:  # one broken part must not lose the others' figures
            log.exception("benchmark part %s failed", name)
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
        print(f"  ({name}: {time.perf_counter() - t:.0f} s)", flush=True)

    try:
        for size in plan.sizes:
            part("store", lambda size=size: store_rows(size, plan, scratch, report))
            part("app", lambda size=size: app_rows(size, plan, scratch, report))
            shutil.rmtree(scratch / f"p{size}", ignore_errors=True)
        part("report", lambda: report_rows(plan, report))
        for size in plan.sizes:
            part("sync", lambda size=size: sync_rows(size, plan, report))
        part("server", lambda: server_rows(plan, report))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    grown = growth(rows, plan.sizes)
    payload = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": common.machine(),
        "load_average_during": {"min": min(loads, default=0), "max": max(loads, default=0)},
        "quick": plan.quick,
        "sizes": plan.sizes,
        "seconds": round(time.perf_counter() - started, 1),
        "suite_cpu_seconds": round(time.process_time() - cpu_started, 1),
        "measurements": [r.as_json() for r in rows],
        "growth": grown,
        "errors": errors,
    }
    common.write_json(out_path, payload)
    print()
    print(table(rows))
    if grown:
        print("\nGrowth from the smallest to the largest size (data grew {:.0f}x):".format(grown[0]["data_growth"]))
        for g in grown:
            flag = "FINDING: worse than n log n" if g["finding"] else "ok"
            print(f"  {g['name']}: {g['cost_growth']}x  {flag}")
    m = payload["machine"]
    print(
        f"\n{m['cpus']} cores, {m['memory_gb']} GB, Python {m['python']}; load average during the run "
        f"{payload['load_average_during']['min']:.1f}–{payload['load_average_during']['max']:.1f}; "
        f"{payload['seconds']:.0f} s in all. JSON: {out_path}"
    )
    for e in errors:
        print(f"ERROR {e}")
    return payload
