"""Local store benchmark: open time, demo-data insert rate and full-text search latency on 100,000 young people,
on the encrypted store and on the same schema in an unencrypted SQLite file, with the ratio.

    python -m benchmarks.store_bench [--people 100000] [--weeks 26] [--queries 400] [--rounds 3]

Prints figures; asserts nothing. Takes a minute or two. On a shared machine other work adds noise, so the two stores
are searched turn about (query by query) and each query's latency is the median of `--rounds` runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from youthwork.demo_data import BOYS, ESTATES, GIRLS, NICKNAMES, SURNAMES, generate
from youthwork.services.people import PeopleFilter, PeopleService
from youthwork.store.database import Database
from youthwork.store.profile import Profile

PASSPHRASE = "benchmark passphrase"


def queries(n: int, seed: int = 3) -> list[str]:
    """What workers type: the start of a name, a nickname, an estate, a postcode district, a full name."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.35:
            name = rng.choice(BOYS + GIRLS)
            out.append(name[: rng.randint(2, len(name))])
        elif kind < 0.55:
            name = rng.choice(SURNAMES)
            out.append(name[: rng.randint(3, len(name))])
        elif kind < 0.65:
            out.append(rng.choice(NICKNAMES))
        elif kind < 0.75:
            out.append(rng.choice(ESTATES).name.split()[0][:5])
        elif kind < 0.85:
            e = rng.choice(ESTATES)
            out.append(f"{e.district} {rng.randint(1, 9)}")
        else:
            out.append(f"{rng.choice(BOYS + GIRLS)} {rng.choice(SURNAMES)[:3]}")
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Store:
    def __init__(self, label: str, directory: Path, encrypted: bool) -> None:
        self.label, self.directory, self.encrypted = label, directory, encrypted
        self.figures: dict[str, float] = {}
        self.latencies: list[float] = []
        self.cpu: list[float] = []  # CPU time of the same searches: what they cost when the machine is shared

    def open(self) -> Profile:
        if self.encrypted:
            return Profile.open(self.directory, PASSPHRASE)
        return Profile(self.directory, Database.open(self.directory / "plain.db", None), None, b"")  # type: ignore[arg-type]

    def build(self, people: int, weeks: int) -> None:
        t = time.perf_counter()
        if self.encrypted:
            profile, _ = Profile.create(self.directory, PASSPHRASE)
        else:
            self.directory.mkdir(parents=True)
            db = Database.open(self.directory / "plain.db", None, create=True)
            profile = Profile(self.directory, db, None, b"")  # type: ignore[arg-type]
        self.figures["create_ms"] = (time.perf_counter() - t) * 1000
        t, c = time.perf_counter(), time.process_time()
        self.counts = generate(profile, people=people, weeks=weeks, seed=1)
        self.figures["insert_s"] = time.perf_counter() - t
        self.figures["insert_cpu_s"] = time.process_time() - c
        self.figures["rows"] = sum(self.counts.values())
        profile.close()

    def measure_open(self) -> Profile:
        t = time.perf_counter()
        profile = self.open()
        self.figures["open_ms"] = (time.perf_counter() - t) * 1000
        key = getattr(profile, "_key", b"") or None
        t = time.perf_counter()
        Database.open(profile.db.path, key).close()  # the database part alone (key already unwrapped)
        self.figures["db_open_ms"] = (time.perf_counter() - t) * 1000
        return profile

    def report(self, n_queries: int, page_ms: float) -> None:
        f = self.figures
        size_mb = sum(p.stat().st_size for p in self.directory.iterdir()) / 1e6
        lat = self.latencies
        print(f"\n== {self.label} ==")
        print(f"  create profile          {f['create_ms']:9.1f} ms")
        print(
            f"  demo-data insert        {int(f['rows']):9d} rows in {f['insert_s']:.1f} s = "
            f"{f['rows'] / f['insert_s']:,.0f} rows/s   (CPU time {f['insert_cpu_s']:.1f} s)"
        )
        print(f"  open profile            {f['open_ms']:9.1f} ms   (database alone {f['db_open_ms']:.1f} ms)")
        print(
            f"  search, {n_queries} queries     median {statistics.median(lat):6.2f} ms   "
            f"p95 {percentile(lat, 95):6.2f} ms   max {max(lat):6.2f} ms"
        )
        print(
            f"  search CPU time only     median {statistics.median(self.cpu):6.2f} ms   "
            f"p95 {percentile(self.cpu, 95):6.2f} ms   max {max(self.cpu):6.2f} ms"
        )
        print(f"  a page of 100 in the middle of the list: {page_ms:.1f} ms")
        print(f"  files on disk           {size_mb:9.1f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    qs = queries(args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        stores = [
            Store("SQLCipher (encrypted)", Path(tmp) / "enc", True),
            Store("SQLite (unencrypted, same schema)", Path(tmp) / "plain", False),
        ]
        for s in stores:
            s.build(args.people, args.weeks)
        print(f"records per store: {stores[0].counts}")
        profiles = [s.measure_open() for s in stores]
        services = [PeopleService(p) for p in profiles]
        for q in qs[:50]:  # warm the page cache, as in a session in use
            for svc in services:
                svc.search(q)
        for q in qs:
            for s, svc in zip(stores, services, strict=True):
                runs, cpu = [], []
                for _ in range(args.rounds):
                    t, c = time.perf_counter(), time.process_time()
                    svc.search(q, limit=50)
                    runs.append((time.perf_counter() - t) * 1000)
                    cpu.append((time.process_time() - c) * 1000)
                s.latencies.append(statistics.median(runs))
                s.cpu.append(statistics.median(cpu))
        pages = []
        for svc in services:
            total = svc.count(PeopleFilter())
            t = time.perf_counter()
            svc.page(PeopleFilter(), total // 2, 100)
            pages.append((time.perf_counter() - t) * 1000)
        for p in profiles:
            p.close()
        for s, page_ms in zip(stores, pages, strict=True):
            s.report(len(qs), page_ms)
    enc, plain = stores
    p95 = percentile(enc.latencies, 95)
    print("\n== SQLCipher compared with plain SQLite ==")
    print(f"  insert time             {enc.figures['insert_s'] / plain.figures['insert_s']:.2f}x")
    print(f"  insert CPU time         {enc.figures['insert_cpu_s'] / plain.figures['insert_cpu_s']:.2f}x")
    print(f"  search median           {statistics.median(enc.latencies) / statistics.median(plain.latencies):.2f}x")
    print(f"  search p95              {p95 / percentile(plain.latencies, 95):.2f}x")
    print(f"  search p95 under 20 ms: {'yes' if p95 < 20 else 'NO'} ({p95:.2f} ms wall clock)")
    print(f"  load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (on {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
