"""`youthwork report weekly`: the weekly report, headless, as PDF, CSV, XLSX or JSON."""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from youthwork.cli.common import CliError, Subparsers, open_records, profile_arg
from youthwork.domain.errors import ShownError
from youthwork.domain.outcomes import FOYP, Framework
from youthwork.domain.privacy import AuditAction
from youthwork.domain.weeks import BadWeek, IsoWeek, Period
from youthwork.reports.board import board_summary
from youthwork.reports.board_export import BOARD_FORMATS, write_board_pack
from youthwork.reports.export import FORMATS, ExportError, write_report
from youthwork.reports.weekly import weekly_report
from youthwork.security.audit import AuditTrail
from youthwork.services.outcomes import OutcomesService, load_baseline
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
    b = rs.add_parser("board", help="the quarter's board pack (fair figures, outcomes, young people's voice)")
    profile_arg(b)
    b.add_argument("--quarter", default=None, help="e.g. 2026-Q3 (default: last quarter)")
    b.add_argument("--format", choices=BOARD_FORMATS, default="json", help="pdf, xlsx, csv or json (default json)")
    b.add_argument("--out", metavar="FILE", default=None, help="where to write (json: default is the screen)")
    b.add_argument("--team", default=None, help="only this team's records (default: everything on this laptop)")
    bl = rs.add_parser("baseline", help="load the borough's population (ONS CSV) the fair figures' rates use")
    profile_arg(bl)
    bl.add_argument("csv", metavar="FILE", help="CSV with ethnicity, sex, age_band and population columns")
    bl.add_argument("--name", default="", help="what it is, e.g. 'Residents aged 10-24, Census 2021'")
    fw = rs.add_parser("framework", help="the outcome framework young people are rated on (show it, or load your own)")
    profile_arg(fw)
    fw.add_argument("--load", metavar="FILE", default=None, help="CSV of code,label: one capability a line")
    fw.add_argument("--name", default="Our outcomes", help="the framework's name (with --load)")
    fw.add_argument("--default", action="store_true", help="go back to the seven FOYP capabilities")


def cmd_report(args: argparse.Namespace) -> int:
    if args.report == "board":
        return _board(args)
    if args.report == "baseline":
        return _baseline(args)
    if args.report == "framework":
        return _framework(args)
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


def _board(args: argparse.Namespace) -> int:
    try:
        period = Period.parse_quarter(args.quarter) if args.quarter else Period.quarter_of(date.today()).previous()
    except BadWeek as e:
        raise CliError(str(e)) from None
    if args.format != "json" and not args.out:
        raise CliError(f"Say where to write the {args.format.upper()} file with --out FILE.")
    with open_records(args) as profile:
        pack = board_summary(profile.db, period, team_id=args.team)
        if args.out is None:
            json.dump(pack.to_dict(suppress=True), sys.stdout, indent=2, ensure_ascii=False)
            print()
            AuditTrail(profile).record(
                AuditAction.EXPORTED, "reports", f"board:{period.quarter_code()}", reason="format:json-stdout"
            )
            return 0
        try:
            written = write_board_pack(profile, pack, args.format, Path(args.out))
        except ExportError as e:
            raise CliError(str(e)) from None
    for path in written:
        print(f"Wrote {path}")
    return 0


def _baseline(args: argparse.Namespace) -> int:
    try:
        text = Path(args.csv).read_text(encoding="utf-8-sig")
    except OSError as e:
        raise CliError(f"Could not read {args.csv} ({e.strerror or e}).") from None
    with open_records(args) as profile:
        try:
            saved = load_baseline(profile, text, name=args.name or Path(args.csv).stem)
        except ShownError as e:
            raise CliError(str(e)) from None
    print(f"Loaded {saved.name}: {sum(r[3] for r in saved.rows):,} residents in {len(saved.rows)} groups")
    return 0


def _framework(args: argparse.Namespace) -> int:
    caps: list[tuple[str, str]] = []
    if args.load:
        try:
            with open(args.load, encoding="utf-8-sig", newline="") as f:
                caps = [(r[0].strip(), r[1].strip()) for r in csv.reader(f) if len(r) >= 2 and r[0].strip()]
        except OSError as e:
            raise CliError(f"Could not read {args.load} ({e.strerror or e}).") from None
        caps = [c for c in caps if c[0].lower() != "code"]  # a header row
        if not caps:
            raise CliError(f"{args.load} has no capabilities: one `code,label` a line.")
    with open_records(args) as profile:
        service = OutcomesService(profile)
        if args.default:
            service.set_framework(FOYP)
        elif caps:
            service.set_framework(Framework("custom", args.name, tuple(caps)))
        fw = service.framework()
    print(fw.name)
    for code, label in fw.capabilities:
        print(f"  {code}: {label}")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"report": cmd_report}
