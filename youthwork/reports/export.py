"""Writing a weekly report to files: JSON, CSV (figures, and the records behind them beside it), XLSX (two sheets).

The PDF (with charts) is drawn by Qt in ui/review/pdf.py, which the desktop program (ui.launcher) registers here.
Every export is recorded in the audit trail (action "exported", the format and week as a code, no personal data).
Exported record lists name young people by record id, gender, age band and area only: names stay inside the
encrypted store.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from youthwork.domain.errors import ShownError
from youthwork.domain.figures import WeeklyReport
from youthwork.domain.privacy import AuditAction
from youthwork.platform import files
from youthwork.reports.drilldown import RecordLine, records_behind
from youthwork.security.audit import AuditTrail
from youthwork.security.exports import record_export
from youthwork.store.profile import Profile
from youthwork.store.settings import WORKER_NAMES

log = logging.getLogger(__name__)

FORMATS = ("pdf", "csv", "xlsx", "json")
FIGURE_COLUMNS = ("section", "key", "label", "value", "unit", "records", "note")
RECORD_COLUMNS = ("figure", "figure_label", "table", "id", "when", "title", "detail")


class ExportError(ShownError):
    """An export that could not be written; the message is for the user."""


def figure_rows(report: WeeklyReport) -> list[dict[str, Any]]:
    rows = []
    for s in report.sections:
        for f in (*s.figures, *(p for _, parts in s.breakdowns for p in parts)):
            rows.append(
                {
                    "section": s.title,
                    "key": f.key,
                    "label": f.label,
                    "value": "" if f.value is None else f.value,
                    "unit": f.unit,
                    "records": len(f.ids),
                    "note": f.note,
                }
            )
    return rows


def record_rows(profile: Profile, report: WeeklyReport) -> Iterator[dict[str, Any]]:
    lines: dict[tuple[str, str], RecordLine] = {}
    for f in report.figures():
        if not f.ids:
            continue
        for line in records_behind(profile.db, f, names=False, on=report.week.monday):
            lines[(f.table, line.id)] = line
            yield {"figure": f.key, "figure_label": f.label, **line.as_row()}


def atomic_write(path: Path, write: Callable[[Path], Any]) -> None:
    """Write to a temporary file beside `path`, then replace it: a failed export never leaves half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with files.private_files():  # readable by this user only: exports hold data about children
            write(tmp)
        files.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"Could not write {path} ({e.strerror or e}).") from None


def write_json(profile: Profile, report: WeeklyReport, path: Path) -> list[Path]:
    data = report.to_dict()
    atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8"))
    return [path]


def write_rows_csv(path: Path, columns: tuple[str, ...], rows: Any) -> None:
    """A CSV that Excel opens as UTF-8 (names with accents intact): a byte-order mark first, Windows line ends."""
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)


def write_csv(profile: Profile, report: WeeklyReport, path: Path) -> list[Path]:
    """Figures to `path`, the records behind them to `<stem>-records.csv` beside it."""
    records = path.with_name(f"{path.stem}-records{path.suffix or '.csv'}")
    atomic_write(path, lambda p: write_rows_csv(p, FIGURE_COLUMNS, figure_rows(report)))
    atomic_write(records, lambda p: write_rows_csv(p, RECORD_COLUMNS, record_rows(profile, report)))
    return [path, records]


def write_xlsx(profile: Profile, report: WeeklyReport, path: Path) -> list[Path]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Figures"
    ws.append([f"Weekly report {report.week.label()}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(list(FIGURE_COLUMNS))
    for row in figure_rows(report):
        ws.append([row[c] for c in FIGURE_COLUMNS])
    rs = wb.create_sheet("Records")
    rs.append(list(RECORD_COLUMNS))
    for row in record_rows(profile, report):
        rs.append([row[c] for c in RECORD_COLUMNS])
    for sheet, header_row in ((ws, 3), (rs, 1)):
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        for col, width in zip("ABCDEFG", (26, 34, 40, 12, 8, 10, 50), strict=True):
            sheet.column_dimensions[col].width = width
    atomic_write(path, lambda p: wb.save(p))
    return [path]


# The PDF's charts are drawn by Qt, which the core never imports: the desktop program (ui.launcher) registers
# its writer here, with the signature of ui.review.pdf.write_report_pdf.
_pdf_writer: Callable[..., None] | None = None


def register_pdf_writer(writer: Callable[..., None]) -> None:
    global _pdf_writer
    _pdf_writer = writer


def write_pdf(profile: Profile, report: WeeklyReport, path: Path) -> list[Path]:
    """Drawn by the registered Qt writer (the same charts as on screen)."""
    draw = _pdf_writer
    if draw is None:
        raise ExportError(
            "The PDF of the weekly report is drawn by the desktop app: run `youthwork report ...` from the installed "
            "app, or choose csv, xlsx or json."
        )
    trend_reports = None
    try:
        from youthwork.reports.weekly import trend

        trend_reports = trend(profile.db, report.week, team_id=report.team_id, worker_id=report.worker_id)
    except Exception:  # a trend is a nice-to-have on the PDF; the week's figures are the report
        log.exception("trend for the PDF failed")
    atomic_write(path, lambda p: draw(report, p, trend=trend_reports, names=profile.get_setting(WORKER_NAMES)))
    return [path]


WRITERS = {"json": write_json, "csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}


def write_report(profile: Profile, report: WeeklyReport, fmt: str, path: Path) -> list[Path]:
    """Write the report in `fmt` to `path` (plus any companion file) and record the export in the audit trail."""
    if fmt not in WRITERS:
        raise ExportError(f"“{fmt}” is not a report format: use one of {', '.join(FORMATS)}.")
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError(f"The folder {path.parent} does not exist.")
    written = WRITERS[fmt](profile, report, path)
    record_export(profile, *written)  # removed by a remote wipe
    who = report.worker_id or report.team_id or "all"
    AuditTrail(profile).record(AuditAction.EXPORTED, "reports", f"weekly:{report.week}:{who}", reason=f"format:{fmt}")
    log.info("weekly report exported as %s", fmt)
    return written
