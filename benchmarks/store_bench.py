"""Local store benchmark: open time, demo-data insert rate and full-text search latency on 100,000 young people,
on the encrypted store and on the same schema in an unencrypted SQLite file, with the ratio.

    python -m benchmarks.store_bench [--people 100000] [--weeks 26] [--queries 400]

Prints figures; asserts nothing. Runs in about a minute on a laptop.
"""

from __future__ import annotations

import argparse
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


def run(label: str, directory: Path, encrypted: bool, people: int, weeks: int, qs: list[str]) -> dict[str, float]:
    t = time.perf_counter()
    if encrypted:
        profile, _ = Profile.create(directory, PASSPHRASE)
    else:
        directory.mkdir(parents=True)
        profile = Profile(directory, Database.open(directory / "plain.db", None, create=True), None, b"")  # type: ignore[arg-type]
    create_s = time.perf_counter() - t

    t = time.perf_counter()
    counts = generate(profile, people=people, weeks=weeks, seed=1)
    insert_s = time.perf_counter() - t
    rows = sum(counts.values())
    profile.close()

    t = time.perf_counter()
    if encrypted:
        profile = Profile.open(directory, PASSPHRASE)
    else:
        profile = Profile(directory, Database.open(directory / "plain.db", None), None, b"")  # type: ignore[arg-type]
    open_s = time.perf_counter() - t
    t = time.perf_counter()
    db = Database.open(profile.db.path, profile._key or None)  # the database part alone, key already unwrapped
    db_open_s = time.perf_counter() - t
    db.close()

    service = PeopleService(profile)
    for q in qs[:20]:  # warm the page cache as a session in use would be
        service.search(q)
    latencies, hits = [], 0
    for q in qs:
        t = time.perf_counter()
        found = service.search(q, limit=50)
        latencies.append((time.perf_counter() - t) * 1000)
        hits += len(found)
    t = time.perf_counter()
    total = service.count(PeopleFilter())
    page = service.page(PeopleFilter(), total // 2, 100)
    page_ms = (time.perf_counter() - t) * 1000
    assert len(page) == 100
    profile.close()
    size_mb = sum(p.stat().st_size for p in directory.iterdir()) / 1e6

    print(f"\n== {label} ==")
    print(f"  create profile           {create_s * 1000:8.1f} ms")
    print(f"  demo-data insert         {rows:8d} rows in {insert_s:.2f} s = {rows / insert_s:,.0f} rows/s  {counts}")
    print(f"  open profile             {open_s * 1000:8.1f} ms  (database alone {db_open_s * 1000:.1f} ms)")
    print(
        f"  search ({len(qs)} queries)     median {statistics.median(latencies):6.2f} ms   "
        f"p95 {percentile(latencies, 95):6.2f} ms   max {max(latencies):6.2f} ms   avg hits {hits / len(qs):.1f}"
    )
    print(f"  count + page of 100 at the middle of {total}: {page_ms:.1f} ms")
    print(f"  files on disk            {size_mb:8.1f} MB")
    return {
        "insert_rate": rows / insert_s,
        "open_ms": db_open_s * 1000,
        "median": statistics.median(latencies),
        "p95": percentile(latencies, 95),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()
    qs = queries(args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        enc = run("SQLCipher (encrypted)", Path(tmp) / "enc", True, args.people, args.weeks, qs)
        plain = run("SQLite (unencrypted, same schema)", Path(tmp) / "plain", False, args.people, args.weeks, qs)
    print("\n== SQLCipher / plain SQLite ==")
    print(f"  insert time ratio        {plain['insert_rate'] / enc['insert_rate']:.2f}x")
    print(f"  search median ratio      {enc['median'] / plain['median']:.2f}x")
    print(f"  search p95 ratio         {enc['p95'] / plain['p95']:.2f}x")
    print(f"  search p95 target        {'met' if enc['p95'] < 20 else 'MISSED'} (< 20 ms): {enc['p95']:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
