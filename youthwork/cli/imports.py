"""`youthwork import FILE`: young people, and sessions with their registers, from a CSV or Excel file.

A dry run (`--dry-run`) says what would happen and writes nothing. Every row not imported is listed with its reason,
by the row number Excel shows. A run that stops part way is run again the same way: it imports the rest, once.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from youthwork.cli.common import CliError, Subparsers, open_records, profile_arg
from youthwork.domain.vocab import SessionType
from youthwork.services.importing import (
    TARGETS,
    ImportPlan,
    ImportService,
    Outcome,
    best_for,
    mapping_named,
    save_mapping,
)

log = logging.getLogger(__name__)


def add_parsers(sub: Subparsers[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import",
        help="import young people, or sessions and their registers, from a CSV or Excel (.xlsx) file",
        description="Import young people, or sessions with their registers, from a CSV or Excel file. Column "
        "mappings ready to use: upshot (an Upshot attendee export) and register (a simple register sheet: Date, "
        "Start, End, Place, Name, Age or Date of birth, Gender).",
    )
    profile_arg(p)
    p.add_argument("file", metavar="FILE", help="the .csv or .xlsx file")
    p.add_argument("--mapping", default=None, help="which column mapping to use (default: the one that fits best)")
    p.add_argument("--dry-run", action="store_true", help="say what would be imported, and write nothing")
    p.add_argument(
        "--add-duplicates",
        action="store_true",
        help="add rows that match someone already recorded as new young people (to merge later if they are the same)",
    )
    p.add_argument("--encoding", default=None, help="the CSV file's encoding if it is not UTF-8 (e.g. cp1252)")
    p.add_argument(
        "--session-type",
        default=SessionType.DETACHED.value,
        choices=[t.value for t in SessionType],
        help="the type of sessions with none given in the sheet (default: detached)",
    )
    p.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="HEADING=FIELD",
        help="save a mapping: one per column (needs --save-mapping); fields: " + ", ".join(TARGETS),
    )
    p.add_argument("--save-mapping", metavar="NAME", default=None, help="save --column lines as the mapping NAME")
    p.add_argument("--progress", action="store_true", help="print a line as each part is written")


def _columns(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        heading, sep, target = line.rpartition("=")
        if not sep or not heading.strip():
            raise CliError(f"“{line}” should be HEADING=FIELD, for example “Surname=last_name”.")
        out[heading.strip()] = target.strip()
    return out


def _print_plan(plan: ImportPlan, *, dry_run: bool) -> None:
    sheet = plan.sheet
    print(f"{sheet.name}: {len(sheet.rows)} rows, read with the mapping “{plan.mapping.label}”.")
    if plan.unknown_columns:
        names = ", ".join(f"“{c}”" for c in plan.unknown_columns)
        print(f"Columns not imported (not in the mapping): {names}.")
    verb = "Would add" if dry_run else "Added"
    if plan.has_sessions:
        print(
            f"{verb}: {plan.new_people} young people, {plan.new_sessions} sessions, "
            f"{plan.new_register_lines} lines on registers."
        )
    else:
        print(f"{verb}: {plan.new_people} young people.")
    for r in plan.rows:
        if r.outcome == Outcome.MATCHED:
            print(f"Row {r.row}: {r.reason}")
    done = plan.count(Outcome.DONE)
    if done:
        print(f"{done} rows were imported before (an earlier run, or the same rows in another file): left as they are.")
    refused = plan.refused()
    if refused:
        print(f"{len(refused)} rows not imported:")
        for r in refused:
            print(f"Row {r.row}: {r.reason}")


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with open_records(args) as profile:
        service = ImportService(profile)
        if args.save_mapping:
            mapping = save_mapping(profile, args.save_mapping, _columns(args.column))
            print(f"Saved the column mapping “{mapping.name}”.")
        elif args.column:
            raise CliError("Give the mapping a name with --save-mapping NAME.")
        sheet = service.read(path, args.encoding)
        mapping = mapping_named(profile, args.mapping) if args.mapping else best_for(profile, sheet.headings)
        plan = service.plan(sheet, mapping, add_duplicates=args.add_duplicates, session_type=args.session_type)
        if args.dry_run:
            _print_plan(plan, dry_run=True)
            print("Dry run: nothing was written.")
            return 0

        def progress(done: int, total: int) -> None:
            if args.progress:
                print(f"Written {done} of {total} rows.", flush=True)

        service.run(plan, progress)
        _print_plan(plan, dry_run=False)
        print("They go to the service at the next sync.")
    sys.stdout.flush()
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"import": cmd_import}
