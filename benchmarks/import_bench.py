"""Import speed: a 20,000-row register sheet (CSV, then Excel) with its deliberate errors, read, planned and written
into a fresh encrypted profile with every record's outbox entry, as `youthwork import` does.

    python -m benchmarks.import_bench [--rows 20000] [--repeat 3]

Prints rows/s per run and the median, by the wall clock and by this process's CPU time (on a shared, loaded machine
the CPU figure is the one that says what the code costs: the work is all in this process, SQLCipher included), and
each run's CPU seconds for reading the file, planning the rows and writing them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.import_sheet import write_csv, write_xlsx
from youthwork.keys.slots import Argon2Params
from youthwork.services.importing import ImportService, mapping_named
from youthwork.store.profile import Profile

PASSPHRASE = "import benchmark passphrase"
CHEAP_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)  # unlocking is not what is measured


def one_run(sheet: Path, work: Path) -> tuple[float, float, int, tuple[float, float, float]]:
    """Wall and CPU seconds for the whole import, its rows, and the CPU seconds of reading, planning and writing."""
    profile, _ = Profile.create(work, PASSPHRASE, worker_name="Bench", argon2=CHEAP_KDF)
    profile.set_setting("user_id", "worker-1")
    profile.set_setting("team_id", "team-1")
    try:
        service = ImportService(profile)
        wall, cpu = time.perf_counter(), time.process_time()
        read = service.read(sheet)
        read_cpu = time.process_time()
        plan = service.plan(read, mapping_named(profile, "register"))
        plan_cpu = time.process_time()
        service.run(plan)
        end_cpu = time.process_time()
        wall, phases = time.perf_counter() - wall, (read_cpu - cpu, plan_cpu - read_cpu, end_cpu - plan_cpu)
        return wall, end_cpu - cpu, len(plan.sheet.rows), phases
    finally:
        profile.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for kind, write in (("csv", write_csv), ("xlsx", write_xlsx)):
            sheet = root / f"register.{kind}"
            write(sheet, args.rows)
            walls, cpus = [], []
            for i in range(args.repeat):
                wall, cpu, rows, (reading, planning, writing) = one_run(sheet, root / f"{kind}-{i}")
                walls.append(rows / wall)
                cpus.append(rows / cpu)
                print(
                    f"{kind} run {i + 1}: {rows} rows, {wall:.2f} s wall ({rows / wall:,.0f} rows/s), "
                    f"{cpu:.2f} s CPU ({rows / cpu:,.0f} rows/s): reading {reading:.2f} s, planning {planning:.2f} s, "
                    f"writing {writing:.2f} s"
                )
            print(
                f"{kind}: median {statistics.median(walls):,.0f} rows/s by the wall clock, "
                f"{statistics.median(cpus):,.0f} rows/s by CPU time"
            )


if __name__ == "__main__":
    main()
