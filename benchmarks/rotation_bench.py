"""Key rotation ("someone may have seen my passphrase") on a realistic store: the time to give the store and its
backups a new database key, as `youthwork change-passphrase --rotate-key` does.

    python -m benchmarks.rotation_bench [--people 100000] [--backups 1]

Uses the cached demo dataset (built once by `youthwork demo-data`, as the other benchmarks do) on a scratch copy,
takes `--backups` backups, then rotates; prints the store's size, the time and the progress steps. Asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks import common
from youthwork import backup
from youthwork.store.profile import Profile
from youthwork.store.rekey import encrypted_files, rotate_key

NEW_PASSPHRASE = "rotated benchmark passphrase here"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--backups", type=int, default=1)
    args = parser.parse_args()
    source = common.build_dataset(args.people)
    with tempfile.TemporaryDirectory(prefix="yw-rotate-", dir=common.RESULTS) as tmp:
        folder = common.copy_profile(source, Path(tmp) / "profile")
        (folder / "done").unlink(missing_ok=True)
        with Profile.open(folder, common.PASSPHRASE) as profile:
            people = profile.db.scalar("SELECT count(*) FROM people")
            for _ in range(args.backups):
                backup.take_backup(profile, "manual")
        sizes = sum(p.stat().st_size for p in encrypted_files(folder))
        steps: list[tuple[float, int, int]] = []
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            steps.append((time.perf_counter() - started, done, total))

        rotate_key(folder, common.PASSPHRASE, NEW_PASSPHRASE, progress=progress)
        seconds = time.perf_counter() - started
        # The real Argon2id cost is in there too (unlocking, and wrapping the new key): about a tenth of a second.
        with Profile.open(folder, NEW_PASSPHRASE) as again:
            assert again.db.scalar("SELECT count(*) FROM people") == people
    print(f"young people:       {people:,}")
    print(f"files re-encrypted: {1 + args.backups} (the store and {args.backups} backup(s)), {sizes / 2**20:,.0f} MiB")
    print(f"rotation:           {seconds:.1f} s ({sizes / 2**20 / seconds:,.0f} MiB/s)")
    print(f"progress reports:   {len(steps)} (first at {steps[0][0]:.2f} s)" if steps else "progress reports: none")


if __name__ == "__main__":
    main()
