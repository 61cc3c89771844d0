"""`youthwork report weekly`: the weekly report, headless, as PDF, CSV, XLSX or JSON."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from youthwork.cli.common import CliError, Subparsers, open_records, profile_arg
from youthwork.domain.privacy import AuditAction
from youthwork.domain.weeks import BadWeek, IsoWeek
from youthwork.reports.export import FORMATS, ExportError, write_report
from youthwork.reports.weekly import weekly_report
from youthwork.security.audit import AuditTrail
from youthwork.store.settings import WORKER_NAMES

log = logging.getLogger(__name__)


def add_parsers(sub: Subparsers[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="reports: the week at a glance (PDF, CSV, XLSX or JSON)")
    rs = p.add_subparsers(dest="report", metavar="REPORT", required=True)
    w = rs.add_parser("weekly", help="one ISO week (Monday to Sunday, UK time) for the team or one worker")
    profile_arg(w)
    w.add_argument("--week", default=None, help="e.g. 2026-W47 (default: last week)")
    w.add_argument("--format", choices=FORMATS, default="json", help="pdf, csv, xlsx or json (default json)")
    w.add_argument("--out", metavar="FILE", default=None, help="where to write (json: default is the screen)")
    w.add_argument("--worker", default=None, help="one worker's id instead of the whole team")
    w.add_argument("--team", default=None, help="only this team's records (default: everything on this laptop)")


def cmd_report(args: argparse.Namespace) -> int:
    try:
        week = IsoWeek.parse(args.week) if args.week else IsoWeek.current().shifted(-1)
    except BadWeek as e:
        raise CliError(str(e)) from None
    if args.format != "json" and not args.out:
        raise CliError(f"Say where to write the {args.format.upper()} file with --out FILE.")
    with open_records(args) as profile:
        names = dict(profile.get_setting(WORKER_NAMES) or {})
        report = weekly_report(profile.db, week, team_id=args.team, worker_id=args.worker, names=names)
        if args.out is None:
            json.dump(report.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
            print()
            AuditTrail(profile).record(AuditAction.EXPORTED, "reports", f"weekly:{week}", reason="format:json-stdout")
            return 0
        try:
            written = write_report(profile, report, args.format, Path(args.out))
        except ExportError as e:
            raise CliError(str(e)) from None
    for path in written:
        print(f"Wrote {path}")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"report": cmd_report}
