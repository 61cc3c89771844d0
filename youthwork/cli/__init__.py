"""`youthwork`: the desktop app (no subcommand) and commands for operators and support staff.

One module per group of commands, each with `add_parsers(sub)` and its `HANDLERS`: profile (init, change-passphrase,
demo-data, find, stats), sync (enrol, sync), report (report weekly), backups (backup, restore), privacy (export),
imports (import).
A new command goes in the module of its group, or a new module listed in COMMAND_MODULES. They are imported when a
command runs, not when the app opens (the sync commands bring in the HTTP client).

Every command that opens a profile takes the passphrase from YOUTHWORK_PASSPHRASE or asks for it. Every failure is
one plain line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable
from typing import Any

from youthwork.cli.common import CliError, profile_arg
from youthwork.domain.validation import ValidationError
from youthwork.store.database import DatabaseError
from youthwork.store.errors import StoreError
from youthwork.sync.errors import SyncError

log = logging.getLogger(__name__)

# In the order `youthwork --help` lists their commands.
COMMAND_MODULES = ("profile", "sync", "report", "backups", "privacy", "imports")


def _modules() -> list[Any]:  # each has add_parsers(sub) and HANDLERS
    return [importlib.import_module(f"youthwork.cli.{name}") for name in COMMAND_MODULES]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="youthwork",
        description="Case recording for detached and outreach youth workers. "
        "With no command, starts the desktop app (options: --profile DIR, --demo).",
    )
    profile_arg(parser, top=True)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is happening (no personal data)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _modules():
        module.add_parsers(sub)
    return parser


def handlers() -> dict[str, Callable[[argparse.Namespace], int]]:
    """Each command's function, by its name on the command line."""
    out: dict[str, Callable[[argparse.Namespace], int]] = {}
    for module in _modules():
        out.update(module.HANDLERS)
    return out


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
        return handlers()[args.command](args)
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


__all__ = ["CliError", "build_parser", "main"]
