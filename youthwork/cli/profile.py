"""`youthwork init`, `change-passphrase`, `demo-data`, `find` and `stats`: making and looking into a profile."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from youthwork import config
from youthwork.cli.common import (
    RECOVERY_KEY_ENV,
    CliError,
    Subparsers,
    directory,
    new_passphrase,
    open_profile,
    open_records,
    passphrase,
    print_recovery_key,
    profile_arg,
)
from youthwork.domain.records import RECORD_TYPES
from youthwork.store.errors import ProfileMissing
from youthwork.store.profile import Profile


def add_parsers(sub: Subparsers[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="make a new encrypted profile and print its recovery key once")
    profile_arg(p)
    p.add_argument("--name", default="", help="the worker's name")

    p = sub.add_parser("change-passphrase", help="change the profile's passphrase (the data is not re-encrypted)")
    profile_arg(p)
    p.add_argument(
        "--recovery-key",
        action="store_true",
        help="the passphrase is forgotten: open with the recovery key instead (asked for, or YOUTHWORK_RECOVERY_KEY)",
    )
    p.add_argument(
        "--rotate-key",
        action="store_true",
        help="someone may have seen the passphrase: also give the data and every backup a new key, and print a new "
        "recovery key (the old passphrase and recovery key then open nothing)",
    )

    p = sub.add_parser("demo-data", help="fill a profile with realistic invented records (makes it if needed)")
    profile_arg(p)
    p.add_argument("--people", type=int, default=500, help="how many young people (default 500)")
    p.add_argument("--weeks", type=int, default=8, help="weeks of sessions (default 8)")
    p.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same records")
    p.add_argument(
        "--register-per-person", type=float, default=None, help="about this many register rows per young person"
    )
    p.add_argument("--outbox", action="store_true", help="also queue the records for sync (never on a live server)")

    p = sub.add_parser("find", help="find young people: one JSON object per line")
    profile_arg(p)
    p.add_argument("text", help="part of a name, known-as, area or postcode")
    p.add_argument("--limit", type=int, default=50)

    p = sub.add_parser("stats", help="how many records of each type, as JSON")
    profile_arg(p)


def cmd_init(args: argparse.Namespace) -> int:
    where = directory(args)
    if Profile.exists(where):
        raise CliError(f"There is already a youthwork profile in {where}. Nothing has been changed.")
    chosen = new_passphrase(config.PASSPHRASE_ENV, "Choose a passphrase: ")
    profile, recovery = Profile.create(where, chosen, worker_name=args.name)
    profile.close()
    print(f"Made a new encrypted profile in {where}")
    print_recovery_key(recovery)
    return 0


def cmd_change_passphrase(args: argparse.Namespace) -> int:
    where = directory(args)
    if not Profile.exists(where):
        raise ProfileMissing(f"There is no youthwork profile in {where}.")
    if args.recovery_key:
        recovery = passphrase(RECOVERY_KEY_ENV, "Recovery key: ")
        with Profile.open_with_recovery_key(where, recovery) as profile:
            profile.reset_passphrase(new_passphrase(config.NEW_PASSPHRASE_ENV, "New passphrase: "))
        print("Passphrase changed. Use the new one from now on; the recovery key still works too.")
        return 0
    old = passphrase(config.PASSPHRASE_ENV, "Current passphrase: ")
    if args.rotate_key:
        return _rotate_key(where, old)
    with Profile.open(where, old) as profile:
        new = new_passphrase(config.NEW_PASSPHRASE_ENV, "New passphrase: ")
        profile.change_passphrase(old, new)
    print("Passphrase changed. Use the new one from now on.")
    return 0


def _rotate_key(where: Path, old: str) -> int:
    from youthwork.keys import passphrase as policy
    from youthwork.store.rekey import rotate_key

    Profile.open(where, old).close()  # the passphrase is right, and any unfinished change is finished
    new = new_passphrase(config.NEW_PASSPHRASE_ENV, "New passphrase: ")
    policy.check(new)
    shown = -1

    def progress(done: int, total: int) -> None:
        nonlocal shown
        percent = 100 * done // max(total, 1)
        if percent >= shown + 10 or (percent == 100 and shown != 100):
            shown = percent
            print(f"Re-encrypting the data and backups: {percent}%", file=sys.stderr, flush=True)

    def show(recovery: str) -> None:
        print("Changing the key of the data and every backup. If this is interrupted, unlock again to finish it.")
        print(f"New recovery key: {recovery}")
        print(
            "Write it down now and keep it away from this laptop: it replaces the old recovery key, which will "
            "open nothing once this is done. It will not be shown again.",
            flush=True,
        )

    rotate_key(where, old, new, progress=progress, show_recovery_key=show)
    print("Done: the data and every backup have a new key. Use the new passphrase from now on.")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from youthwork.demo_data import generate

    if args.people < 0 or args.weeks < 0:
        raise CliError("--people and --weeks can't be negative.")
    where = directory(args)
    if Profile.exists(where):
        profile = open_profile(args)
    else:
        profile, recovery = Profile.create(
            where, new_passphrase(config.PASSPHRASE_ENV, "Choose a passphrase: "), worker_name="Demo Worker"
        )
        print(f"Made a new encrypted profile in {where}")
        print_recovery_key(recovery)
    with profile:
        started = time.perf_counter()
        counts = generate(
            profile,
            people=args.people,
            weeks=args.weeks,
            seed=args.seed,
            outbox=args.outbox,
            register_per_person=args.register_per_person,
        )
        seconds = time.perf_counter() - started
    total = sum(counts.values())
    rate = total / seconds if seconds > 0 else 0.0
    print(json.dumps({"added": counts, "rows": total, "seconds": round(seconds, 2), "rows_per_second": round(rate)}))
    return 0


def cmd_find(args: argparse.Namespace) -> int:
    from youthwork.services.people import PeopleService

    with open_records(args) as profile:
        for p in PeopleService(profile).search(args.text, limit=args.limit):
            row = {
                "id": p.id,
                "first_name": p.first_name,
                "last_name": p.last_name,
                "known_as": p.known_as,
                "area": p.area,
            }
            print(json.dumps(row, ensure_ascii=False))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with open_records(args) as profile:
        tables = {r[0] for r in profile.db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {t: profile.records.count(cls) for t, cls in sorted(RECORD_TYPES.items()) if t in tables}
        counts["outbox"] = profile.outbox.count()
        counts["schema_version"] = profile.db.schema_version
    print(json.dumps(counts))
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "change-passphrase": cmd_change_passphrase,
    "demo-data": cmd_demo_data,
    "find": cmd_find,
    "stats": cmd_stats,
}
