"""Privacy benchmark on a realistic store: audit append rate, audit chain verification, subject access export (JSON
and PDF), erasure of one young person (with the secure wipe: FTS rebuild, checkpoint, VACUUM) and the retention review.

    python -m benchmarks.privacy_bench [--people 10000] [--weeks 26] [--rounds 5]

Prints medians; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from youthwork.demo_data import generate
from youthwork.domain.privacy import AuditAction
from youthwork.keys.slots import Argon2Params
from youthwork.privacy.erasure import ErasureService
from youthwork.privacy.retention import RetentionService
from youthwork.privacy.subject_access import SubjectAccess
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile


def median_ms(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        profile, _ = Profile.create(
            Path(tmp) / "p", "benchmark passphrase", argon2=Argon2Params(time_cost=1, memory_cost=8192, parallelism=1)
        )
        counts = generate(profile, people=args.people, weeks=args.weeks)
        print(f"store: {counts}")
        audit = AuditTrail(profile)
        ids = [r[0] for r in profile.db.query("SELECT person_id FROM attendance GROUP BY person_id LIMIT 200")]
        n = 2000
        start = time.perf_counter()
        for i in range(n):
            audit.record(AuditAction.VIEWED, "people", ids[i % len(ids)], person_id=ids[i % len(ids)])
        print(f"audit append: {n / (time.perf_counter() - start):.0f} entries/s (each with its outbox row)")
        print(f"audit verify ({audit.count()} entries): {median_ms(audit.verify, args.rounds):.1f} ms")
        sar = SubjectAccess(profile)
        out = Path(tmp)
        for fmt in ("json", "pdf"):
            ms = median_ms(
                lambda fmt=fmt: sar.export(ids[0], out / f"s.{fmt}", fmt=fmt, redact_third_parties=True), args.rounds
            )
            print(f"subject access {fmt.upper()} (redacted): {ms:.1f} ms")
        retention = RetentionService(profile)
        print(f"retention review ({args.people} people): {median_ms(retention.review_list, args.rounds):.1f} ms")
        erasure = ErasureService(profile)
        victims = iter(ids[1:])
        print(
            "erase one person, no wipe: "
            f"{median_ms(lambda: erasure.erase(next(victims), confirm=True, wipe=False), args.rounds):.1f} ms"
        )
        print(
            "erase one person with secure wipe (FTS rebuild, checkpoint, VACUUM): "
            f"{median_ms(lambda: erasure.erase(next(victims), confirm=True), args.rounds):.1f} ms"
        )
        profile.close()


if __name__ == "__main__":
    main()
