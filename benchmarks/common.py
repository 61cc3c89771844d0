"""Shared helpers for the benchmark suite: timing (median, p95, CPU time), demo datasets built once with
`youthwork demo-data` and cached, an unencrypted copy of a store for the anchors, a fresh PostgreSQL database, and the
JSON results file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CACHE = RESULTS / "datasets"  # under results/, so gitignored with it
PASSPHRASE = "benchmark suite passphrase"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WEEKS = 260  # five years of sessions
REGISTER_PER_PERSON = 10


def cpu_seconds(match: Callable[[str, int], bool]) -> float:
    """CPU seconds used so far by the processes whose (command line, pid) `match` accepts (Linux /proc; 0 elsewhere).
    For the server benchmarks: the service's processes and the database's backends, apart from this one."""
    total = 0.0
    if not os.path.isdir("/proc"):
        return total
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
            if not match(cmdline, int(entry)):
                continue
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            continue
    return total


def parent_pid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (the same rule as the area benchmarks)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Stats:
    """Samples of one measurement in milliseconds (or the unit given), wall clock and this process's CPU time."""

    samples: list[float]
    cpu: list[float] = field(default_factory=list)
    unit: str = "ms"

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def p99(self) -> float:
        return percentile(self.samples, 99)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    def as_json(self) -> dict[str, Any]:
        return {
            "median": round(self.median, 3),
            "p95": round(self.p95, 3),
            "p99": round(self.p99, 3),
            "cpu_median": None if self.cpu_median is None else round(self.cpu_median, 3),
            "n": len(self.samples),
            "unit": self.unit,
        }


def measure(fn: Callable[[], object], runs: int, warmup: int = 1) -> Stats:
    """Run `fn` `warmup` times untimed, then `runs` times; milliseconds of wall clock and of CPU time."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return Stats(wall, cpu)


def schema_version() -> int:
    from youthwork.store.migrations import LATEST_VERSION

    return LATEST_VERSION


def dataset_dir(people: int, seed: int = 1) -> Path:
    return CACHE / f"demo-p{people}-r{REGISTER_PER_PERSON}-w{WEEKS}-s{seed}-v{schema_version()}"


def build_dataset(people: int, seed: int = 1) -> Path:
    """An encrypted profile of `people` invented young people, about 10 register rows each over five years, made by
    `youthwork demo-data` once and kept (keyed by size, seed and store schema version) for the next run."""
    final = dataset_dir(people, seed)
    if (final / "done").exists():
        return final
    building = final.with_name(final.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"building dataset: {people:,} young people with youthwork demo-data …", flush=True)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "youthwork.cli",
            "demo-data",
            "--profile",
            str(building),
            "--people",
            str(people),
            "--weeks",
            str(WEEKS),
            "--register-per-person",
            str(REGISTER_PER_PERSON),
            "--seed",
            str(seed),
        ],
        cwd=ROOT,
        env=dict(os.environ, YOUTHWORK_PASSPHRASE=PASSPHRASE, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        check=True,
    )
    counts = json.loads(out.stdout.strip().splitlines()[-1])
    (building / "done").write_text(json.dumps(counts))
    shutil.rmtree(final, ignore_errors=True)
    building.rename(final)
    print(f"  built in {time.perf_counter() - started:.0f} s: {counts['added']}", flush=True)
    return final


def plain_copy(directory: Path) -> Path:
    """The same store decrypted into an unencrypted SQLite file beside it (made once): the anchor for queries."""
    from youthwork.store.profile import Profile

    plain = directory / "plain-anchor" / "plain.db"
    if plain.exists():
        return plain
    plain.parent.mkdir(exist_ok=True)
    tmp = plain.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    with Profile.open(directory, PASSPHRASE) as profile:
        version = profile.db.schema_version
        conn = profile.db._conn  # sqlcipher_export needs the raw connection
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(tmp),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute(f"PRAGMA plain.user_version = {int(version)}")
        conn.execute(f"PRAGMA plain.application_id = {int(conn.execute('PRAGMA application_id').fetchone()[0])}")
        conn.execute("DETACH DATABASE plain")
    tmp.rename(plain)
    return plain


def open_plain(path: Path) -> Any:
    """A Profile-shaped object over the unencrypted copy, enough for the services (as store_bench does)."""
    from youthwork.store.database import Database
    from youthwork.store.profile import Profile

    return Profile(path.parent, Database.open(path, None), None, b"")  # type: ignore[arg-type]


def copy_profile(directory: Path, to: Path) -> Path:
    """A scratch copy of a cached profile, for measurements that write."""
    shutil.rmtree(to, ignore_errors=True)
    shutil.copytree(directory, to, ignore=shutil.ignore_patterns("plain-anchor", "backups", "*.bak"))
    return to


@contextlib.contextmanager
def fresh_pg_database(prefix: str = "yw_suite") -> Iterator[str]:
    """A new database on the local PostgreSQL cluster, dropped afterwards; yields its SQLAlchemy URL."""
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def machine() -> dict[str, Any]:
    mem_gb = None
    with contextlib.suppress(OSError, ValueError):
        mem_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    return {
        "cpus": os.cpu_count(),
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=lambda o: asdict(o)))


def report_dataset(workers: int = 50, years: int = 5) -> Path:
    """report_bench's team of `workers` over `years` (about a million register rows), built once and kept."""
    from benchmarks import report_bench

    final = CACHE / f"report-w{workers}-y{years}-v{schema_version()}"
    if (final / "done").exists():
        return final
    building = final.with_name(final.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"building the report dataset: {workers} workers, {years} years …", flush=True)
    report_bench.build(building, workers, years).close()
    (building / "done").write_text("{}")
    shutil.rmtree(final, ignore_errors=True)
    building.rename(final)
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return final
