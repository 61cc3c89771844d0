"""`youthwork export`: a subject access export of one young person, from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from youthwork.cli.common import Subparsers, open_records, profile_arg
from youthwork.privacy.subject_access import FORMATS, SubjectAccess


def add_parsers(sub: Subparsers[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="subject access: everything held about one young person, as JSON or PDF")
    profile_arg(p)
    p.add_argument("--person", required=True, metavar="ID", help="the young person's record id")
    p.add_argument("--format", choices=FORMATS, default="json", help="json (default) or pdf")
    p.add_argument(
        "--redact-third-parties", action="store_true", help="replace the names of other young people in the export"
    )
    p.add_argument("--out", required=True, metavar="FILE", help="where to write the export")


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if not out.parent.is_dir():
        raise FileNotFoundError(2, "The folder for the export does not exist", str(out.parent))
    with open_records(args) as profile:
        SubjectAccess(profile).export(args.person, out, fmt=args.format, redact_third_parties=args.redact_third_parties)
    print(f"Subject access export written to {out}")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"export": cmd_export}
