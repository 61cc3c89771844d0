"""`python -m benchmarks [--sizes 10000,100000] [--quick] [--out benchmarks/results/latest.json] [--only store,app]`

Builds (or reuses) the demo datasets, runs every measurement several times, prints the table and writes the JSON of
medians and p95s. Datasets are cached under benchmarks/results/datasets/ (gitignored), keyed by size, seed and store
schema version, so only the first run builds them (about five minutes for 100,000 young people).
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from benchmarks import common, suite

PARTS = ("store", "app", "report", "sync", "server")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=None, help="young people per dataset, comma separated (default 10000,100000)")
    ap.add_argument("--quick", action="store_true", help="a small smoke run (under a minute): sizes 500 and 1000")
    ap.add_argument("--out", type=Path, default=common.RESULTS / "latest.json")
    ap.add_argument("--only", default=None, help=f"some of {','.join(PARTS)}")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    default = "500,1000" if args.quick else "10000,100000"
    sizes = [int(s) for s in (args.sizes or default).split(",") if s.strip()]
    only = set(args.only.split(",")) if args.only else None
    if only and not only <= set(PARTS):
        ap.error(f"--only takes some of {','.join(PARTS)}")
    payload = suite.run(suite.plan_for(sizes, args.quick), args.out, only)
    return 1 if payload["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
