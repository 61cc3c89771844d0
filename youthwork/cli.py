"""`youthwork`: the desktop app (no subcommand) and commands for operators and support staff.

Every command that opens a profile takes the passphrase from YOUTHWORK_PASSPHRASE or asks for it. Every failure is
one plain line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from youthwork import config
from youthwork.domain.records import RECORD_TYPES
from youthwork.domain.validation import ValidationError
from youthwork.store.database import DatabaseError
from youthwork.store.errors import ProfileMissing, StoreError
from youthwork.store.profile import Profile
from youthwork.sync.errors import SyncError

log = logging.getLogger(__name__)

RECOVERY_KEY_ENV = "YOUTHWORK_RECOVERY_KEY"


class CliError(Exception):
    """A problem to report as one line and exit 1."""


def _profile_arg(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    parser.add_argument(
        "--profile",
        metavar="DIR",
        default=None if top else argparse.SUPPRESS,
        help="the profile folder (default: $YOUTHWORK_HOME/profile or your user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="youthwork",
        description="Case recording for detached and outreach youth workers. "
        "With no command, starts the desktop app (options: --profile DIR, --demo).",
    )
    _profile_arg(parser, top=True)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is happening (no personal data)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="make a new encrypted profile and print its recovery key once")
    _profile_arg(p)
    p.add_argument("--name", default="", help="the worker's name")

    p = sub.add_parser("change-passphrase", help="change the profile's passphrase (the data is not re-encrypted)")
    _profile_arg(p)
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
    _profile_arg(p)
    p.add_argument("--people", type=int, default=500, help="how many young people (default 500)")
    p.add_argument("--weeks", type=int, default=8, help="weeks of sessions (default 8)")
    p.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same records")
    p.add_argument(
        "--register-per-person", type=float, default=None, help="about this many register rows per young person"
    )
    p.add_argument("--outbox", action="store_true", help="also queue the records for sync (never on a live server)")

    p = sub.add_parser("find", help="find young people: one JSON object per line")
    _profile_arg(p)
    p.add_argument("text", help="part of a name, known-as, area or postcode")
    p.add_argument("--limit", type=int, default=50)

    p = sub.add_parser("stats", help="how many records of each type, as JSON")
    _profile_arg(p)

    from youthwork.sync.commands import add_parsers as add_sync_parsers

    add_sync_parsers(sub, _profile_arg)

    from youthwork.reports.command import add_parser as add_report_parser

    add_report_parser(sub, _profile_arg)

    p = sub.add_parser("backup", help="make an encrypted backup of the profile now (or --list the backups)")
    _profile_arg(p)
    p.add_argument("--list", action="store_true", help="list the backups, newest first, instead of making one")

    p = sub.add_parser("restore", help="put a backup in place of the profile's data (the current file is kept)")
    _profile_arg(p)
    p.add_argument("--from", dest="source", required=True, metavar="FILE", help="the backup file (see backup --list)")
    p.add_argument("--yes", action="store_true", help="don't ask for confirmation")
    p.add_argument(
        "--recovery-key",
        action="store_true",
        help="confirm with the recovery key instead of the passphrase (asked for, or YOUTHWORK_RECOVERY_KEY)",
    )

    from youthwork.privacy.commands import add_parsers as add_privacy_parsers

    add_privacy_parsers(sub, _profile_arg)
    return parser


def _command_in(argv: list[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--profile":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _passphrase(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise CliError(f"No passphrase given: set {env} or run this in a terminal.") from None


def _new_passphrase(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    first = _passphrase(env, prompt)
    if getpass.getpass("Type it again: ") != first:
        raise CliError("The two passphrases don't match. Nothing has been changed.")
    return first


def _directory(args: argparse.Namespace) -> Path:
    return config.profile_dir(getattr(args, "profile", None))


def _open(args: argparse.Namespace) -> Profile:
    """Open the profile for a command that does not read case records (sync, enrol, backup): the lease allows it."""
    directory = _directory(args)
    if not Profile.exists(directory):
        raise ProfileMissing(f"There is no youthwork profile in {directory}. Make one with: youthwork init")
    return Profile.open(directory, _passphrase(config.PASSPHRASE_ENV, "Passphrase: "))


def _open_records(args: argparse.Namespace) -> Profile:
    """Open the profile for a command that reads case records: refused, as the window is, once the lease has run out.

    A laptop that has not reached its server for `sync.lease_days` must sync before its records are shown again
    (the lost-laptop promise holds on the command line too); `youthwork sync` and `backup` stay open so it can.
    """
    from youthwork.sync import device

    profile = _open(args)
    if device.lease_expired(profile):
        message = device.lease_message(profile) + " Run: youthwork sync"
        profile.close()
        raise CliError(message)
    return profile


def _print_recovery_key(key: str) -> None:
    print(f"Recovery key: {key}")
    print(
        "Write this recovery key down and keep it somewhere safe, away from this laptop (your organisation may hold "
        "it). It opens the profile if the passphrase is forgotten, and it will not be shown again."
    )


def cmd_init(args: argparse.Namespace) -> int:
    directory = _directory(args)
    if Profile.exists(directory):
        raise CliError(f"There is already a youthwork profile in {directory}. Nothing has been changed.")
    passphrase = _new_passphrase(config.PASSPHRASE_ENV, "Choose a passphrase: ")
    profile, recovery = Profile.create(directory, passphrase, worker_name=args.name)
    profile.close()
    print(f"Made a new encrypted profile in {directory}")
    _print_recovery_key(recovery)
    return 0


def cmd_change_passphrase(args: argparse.Namespace) -> int:
    directory = _directory(args)
    if not Profile.exists(directory):
        raise ProfileMissing(f"There is no youthwork profile in {directory}.")
    if args.recovery_key:
        recovery = _passphrase(RECOVERY_KEY_ENV, "Recovery key: ")
        with Profile.open_with_recovery_key(directory, recovery) as profile:
            profile.reset_passphrase(_new_passphrase(config.NEW_PASSPHRASE_ENV, "New passphrase: "))
        print("Passphrase changed. Use the new one from now on; the recovery key still works too.")
        return 0
    old = _passphrase(config.PASSPHRASE_ENV, "Current passphrase: ")
    if args.rotate_key:
        return _rotate_key(directory, old)
    with Profile.open(directory, old) as profile:
        new = _new_passphrase(config.NEW_PASSPHRASE_ENV, "New passphrase: ")
        profile.change_passphrase(old, new)
    print("Passphrase changed. Use the new one from now on.")
    return 0


def _rotate_key(directory: Path, old: str) -> int:
    from youthwork.security import passphrase as policy
    from youthwork.store.rekey import rotate_key

    Profile.open(directory, old).close()  # the passphrase is right, and any unfinished change is finished
    new = _new_passphrase(config.NEW_PASSPHRASE_ENV, "New passphrase: ")
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

    rotate_key(directory, old, new, progress=progress, show_recovery_key=show)
    print("Done: the data and every backup have a new key. Use the new passphrase from now on.")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from youthwork.demo_data import generate

    if args.people < 0 or args.weeks < 0:
        raise CliError("--people and --weeks can't be negative.")
    directory = _directory(args)
    if Profile.exists(directory):
        profile = _open(args)
    else:
        profile, recovery = Profile.create(
            directory, _new_passphrase(config.PASSPHRASE_ENV, "Choose a passphrase: "), worker_name="Demo Worker"
        )
        print(f"Made a new encrypted profile in {directory}")
        _print_recovery_key(recovery)
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

    with _open_records(args) as profile:
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
    with _open_records(args) as profile:
        tables = {r[0] for r in profile.db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {t: profile.records.count(cls) for t, cls in sorted(RECORD_TYPES.items()) if t in tables}
        counts["outbox"] = profile.outbox.count()
        counts["schema_version"] = profile.db.schema_version
    print(json.dumps(counts))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from youthwork import backup

    if args.list:
        directory = _directory(args)
        if not Profile.exists(directory):
            raise ProfileMissing(f"There is no youthwork profile in {directory}.")
        found = backup.list_backups(directory)
        if not found:
            print("There are no backups yet. Make one with: youthwork backup")
        for b in found:
            print(f"{b.taken_at:%Y-%m-%d %H:%M} UTC  {b.kind:<17}  {b.size // 1024:>8} KiB  {b.path}")
        return 0
    with _open(args) as profile:
        made = backup.take_backup(profile, "manual")
    print(f"Backed up to {made.path}")
    print("It is encrypted with the same key: the profile's passphrase and recovery key open it.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from youthwork import backup

    directory = _directory(args)
    source = Path(args.source).expanduser()
    if not source.exists():
        raise CliError(f"There is no backup at {source}. See: youthwork backup --list")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("Restoring replaces the profile's data: add --yes to confirm. Nothing has been changed.")
        print(f"This puts the backup {source.name} in place of the data in {directory}.")
        print("Anything recorded since that backup and not yet synced will only be in the safety copy.")
        if input("Type yes to restore: ").strip().lower() != "yes":
            raise CliError("Not restored. Nothing has been changed.")
    if args.recovery_key:
        done = backup.restore(directory, source, recovery_key=_passphrase(RECOVERY_KEY_ENV, "Recovery key: "))
    else:
        done = backup.restore(directory, source, _passphrase(config.PASSPHRASE_ENV, "Passphrase: "))
    print(f"Restored from {done.source} ({done.people} young people).")
    if done.safety_copy:
        print(f"The data as it was before is kept at {done.safety_copy}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from youthwork.reports.command import ReportError, run

    try:
        return run(args, _open_records)
    except ReportError as e:
        raise CliError(str(e)) from None


HANDLERS = {
    "export": lambda args: _privacy_commands().cmd_export(args, _open_records),
    "report": cmd_report,
    "init": cmd_init,
    "change-passphrase": cmd_change_passphrase,
    "demo-data": cmd_demo_data,
    "find": cmd_find,
    "stats": cmd_stats,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "enrol": lambda args: _sync_commands().cmd_enrol(args, _open),
    "sync": lambda args: _sync_commands().cmd_sync(args, _open),
}


def _sync_commands():  # imported on use: httpx is not needed to open the app
    from youthwork.sync import commands

    return commands


def _privacy_commands():  # subject access export
    from youthwork.privacy import commands

    return commands


def start_app(argv: list[str], app: Callable[[list[str]], int] | None) -> int:
    if app is None:
        raise CliError("This is youthwork's command line on its own; open the app with `youthwork` (youthwork --help).")
    try:
        return app(argv)
    except ImportError as e:
        raise CliError(f"The desktop app can't start here: {e}. The commands still work (youthwork --help).") from None


def main(argv: list[str] | None = None, *, app: Callable[[list[str]], int] | None = None) -> int:
    """Run a subcommand; with none, open the desktop app through `app` (ui.launcher passes it: the core has no Qt)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO if "-v" in argv or "--verbose" in argv else logging.ERROR)
    try:
        if _command_in(argv) is None and not {"-h", "--help"} & set(argv):
            return start_app(argv, app)
        args = build_parser().parse_args(argv)
        if args.command is None:
            return start_app(argv, app)
        return HANDLERS[args.command](args)
    except (StoreError, ValidationError, CliError, SyncError) as e:
        print(f"youthwork: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("youthwork: cancelled.", file=sys.stderr)
        return 130
    except OSError as e:
        print(f"youthwork: {e.strerror or e} ({e.filename or 'file'})", file=sys.stderr)
        return 1
    except DatabaseError as e:  # SQLite trouble not already put into words, e.g. the file is busy
        log.info("database error", exc_info=True)
        print(f"youthwork: the youthwork data file could not be used just now ({e}). Try again.", file=sys.stderr)
        return 1
    except Exception as e:  # the promise is one line, never a traceback; -v shows the detail
        log.info("unexpected error", exc_info=True)
        print(
            f"youthwork: something went wrong ({type(e).__name__}). Run again with -v for details and tell support.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
