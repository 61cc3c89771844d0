"""`youthwork backup` and `youthwork restore`: encrypted copies of the profile's store, and putting one back."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from youthwork import config
from youthwork.cli.common import (
    RECOVERY_KEY_ENV,
    CliError,
    Subparsers,
    directory,
    open_profile,
    passphrase,
    profile_arg,
)
from youthwork.store.errors import ProfileMissing
from youthwork.store.profile import Profile


def add_parsers(sub: Subparsers[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help="make an encrypted backup of the profile now (or --list the backups)")
    profile_arg(p)
    p.add_argument("--list", action="store_true", help="list the backups, newest first, instead of making one")

    p = sub.add_parser("restore", help="put a backup in place of the profile's data (the current file is kept)")
    profile_arg(p)
    p.add_argument("--from", dest="source", required=True, metavar="FILE", help="the backup file (see backup --list)")
    p.add_argument("--yes", action="store_true", help="don't ask for confirmation")
    p.add_argument(
        "--recovery-key",
        action="store_true",
        help="confirm with the recovery key instead of the passphrase (asked for, or YOUTHWORK_RECOVERY_KEY)",
    )


def cmd_backup(args: argparse.Namespace) -> int:
    from youthwork import backup

    if args.list:
        where = directory(args)
        if not Profile.exists(where):
            raise ProfileMissing(f"There is no youthwork profile in {where}.")
        found = backup.list_backups(where)
        if not found:
            print("There are no backups yet. Make one with: youthwork backup")
        for b in found:
            print(f"{b.taken_at:%Y-%m-%d %H:%M} UTC  {b.kind:<17}  {b.size // 1024:>8} KiB  {b.path}")
        return 0
    with open_profile(args) as profile:
        made = backup.take_backup(profile, "manual")
    print(f"Backed up to {made.path}")
    print("It is encrypted with the same key: the profile's passphrase and recovery key open it.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from youthwork import backup

    where = directory(args)
    source = Path(args.source).expanduser()
    if not source.exists():
        raise CliError(f"There is no backup at {source}. See: youthwork backup --list")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("Restoring replaces the profile's data: add --yes to confirm. Nothing has been changed.")
        print(f"This puts the backup {source.name} in place of the data in {where}.")
        print("Anything recorded since that backup and not yet synced will only be in the safety copy.")
        if input("Type yes to restore: ").strip().lower() != "yes":
            raise CliError("Not restored. Nothing has been changed.")
    if args.recovery_key:
        done = backup.restore(where, source, recovery_key=passphrase(RECOVERY_KEY_ENV, "Recovery key: "))
    else:
        done = backup.restore(where, source, passphrase(config.PASSPHRASE_ENV, "Passphrase: "))
    print(f"Restored from {done.source} ({done.people} young people).")
    if done.safety_copy:
        print(f"The data as it was before is kept at {done.safety_copy}")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"backup": cmd_backup, "restore": cmd_restore}
