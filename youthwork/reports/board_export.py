"""Writing the quarter's board pack to files: JSON, CSV (the figures, and the records behind them beside it), XLSX
(a sheet per part) and PDF (drawn by Qt in ui/review/board_pdf.py, which the desktop program registers here).

A board pack leaves the service's care, so small numbers are suppressed: a count of 1 to 4 is written as "fewer than
5", its rate and its records with it. Records are named by id only (names stay inside the encrypted store), so every
other figure can be traced back in the app. Each export is recorded in the audit trail.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from youthwork.domain.figures import Figure
from youthwork.domain.figures.board import SUPPRESS_BELOW, BoardPack, shown
from youthwork.domain.privacy import AuditAction
from youthwork.reports.export import ExportError, atomic_write, write_rows_csv
from youthwork.security.audit import AuditTrail
from youthwork.security.exports import record_export
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

BOARD_FORMATS = ("pdf", "xlsx", "csv", "json")
COLUMNS = ("part", "measure", "group", "count", "residents", "rate_per_1000", "ratio_to_borough", "records", "note")
RECORD_COLUMNS = ("figure", "table", "id")


def _small(n: int) -> bool:
    return 0 < n < SUPPRESS_BELOW


def _value(f: Figure) -> Any:
    if f.value is None:
        return "not recorded"
    if f.unit != "hours" and f.table and isinstance(f.value, int):
        return shown(f.value, suppress=True)
    return f.value


def _fig_records(f: Figure) -> tuple[str, ...]:
    return () if isinstance(f.value, int) and f.table and _small(f.value) else f.ids


def board_rows(pack: BoardPack) -> list[dict[str, Any]]:
    """Every figure of the pack as one flat table, small numbers suppressed."""
    rows: list[dict[str, Any]] = []

    def add(part: str, measure: str, group: str, count: Any, records: int, note: str = "", **kw: Any) -> None:
        rows.append(
            {
                "part": part,
                "measure": measure,
                "group": group,
                "count": count,
                "records": records,
                "note": note,
                "residents": "",
                "rate_per_1000": "",
                "ratio_to_borough": "",
                **kw,
            }
        )

    for f in pack.headline():
        add("Measures", f.label, "", _value(f), len(_fig_records(f)), f.note)
    for p in pack.fair:
        if not p.recorded:
            add("Fair figures", p.label, "All", "not recorded", 0, p.figure.note)
            continue
        n = len(p.figure.ids)
        add(
            "Fair figures",
            p.label,
            "All",
            shown(n, suppress=True),
            0 if _small(n) else n,
            rate_per_1000="" if p.rate is None or _small(n) else round(p.rate, 2),
        )
        for title, cells in (("Ethnicity and gender", p.by_group), ("Age band", p.by_age)):
            for c in cells:
                small = _small(c.count)
                add(
                    "Fair figures",
                    p.label,
                    f"{title}: {c.label}",
                    shown(c.count, suppress=True),
                    0 if small else c.count,
                    "" if c.population is not None else "no baseline for this group",
                    residents="" if c.population is None else c.population,
                    rate_per_1000="" if small or c.rate is None else round(c.rate, 2),
                    ratio_to_borough="" if small or c.ratio is None else round(c.ratio, 2),
                )
        for f in p.by_agency:
            add("Fair figures", p.label, f"Agency: {f.label}", _value(f), len(_fig_records(f)))
    if pack.outcomes is None:
        add("Distance travelled", "Change in average rating", "", "not recorded", 0, "no outcome ratings")
    for o in pack.outcomes or ():
        small = _small(len(o.people))
        note = "" if o.average_change is None or small else f"average change {o.average_change:+.2f} (scale 1 to 5)"
        add(
            "Distance travelled",
            "Young people rated at the start and since",
            o.label,
            shown(len(o.people), suppress=True),
            0 if small else len(o.rating_ids),
            note,
        )
        add("Distance travelled", "… whose average rose", o.label, shown(len(o.improved), suppress=True), 0)
    if pack.voice is None:
        add("Young people's voice", "Check-ins", "", "not recorded", 0, "no check-ins")
    for v in pack.voice or ():
        small = _small(len(v.ids))
        top = ", ".join(f"{k} ({n})" for k, n in v.would_help[:3])
        add(
            "Young people's voice",
            f"Check-ins by {v.kind}" if v.kind != "all" else "Check-ins",
            v.label,
            shown(len(v.ids), suppress=True),
            0 if small else len(v.ids),
            "" if small else f"felt safe: {v.felt_safe}; someone to talk to: {v.someone_to_talk}; would help: {top}",
        )
    return rows


def record_rows(pack: BoardPack) -> Iterator[dict[str, str]]:
    """The records behind every figure that is shown (not those behind a suppressed one)."""
    for f in pack.headline():
        for i in _fig_records(f):
            yield {"figure": f.key, "table": f.table, "id": i}
    for p in pack.fair:
        if p.recorded and not _small(len(p.figure.ids)):
            for c in (*p.by_group, *p.by_age):
                if not _small(c.count):
                    for i in c.ids:
                        yield {"figure": f"{p.figure.key}.{c.key}", "table": "people", "id": i}
        for f in p.by_agency:
            for i in _fig_records(f):
                yield {"figure": f.key, "table": f.table, "id": i}
    for o in pack.outcomes or ():
        if not _small(len(o.people)):
            for i in o.rating_ids:
                yield {"figure": f"distance.{o.programme}", "table": "outcome_ratings", "id": i}
    for v in pack.voice or ():
        if not _small(len(v.ids)):
            for i in v.ids:
                yield {"figure": f"voice.{v.kind}.{v.key}", "table": "session_checkins", "id": i}


def write_json(pack: BoardPack, path: Path) -> list[Path]:
    data = pack.to_dict(suppress=True)
    atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8"))
    return [path]


def write_csv(pack: BoardPack, path: Path) -> list[Path]:
    records = path.with_name(f"{path.stem}-records{path.suffix or '.csv'}")
    atomic_write(path, lambda p: write_rows_csv(p, COLUMNS, board_rows(pack)))
    atomic_write(records, lambda p: write_rows_csv(p, RECORD_COLUMNS, record_rows(pack)))
    return [path, records]


def write_xlsx(pack: BoardPack, path: Path) -> list[Path]:
    """A sheet per part of the pack and the Records sheet, streamed row by row (openpyxl's write-only mode): a large
    organisation's quarter lists ~80,000 records, a quarter of a million cells not held in memory at once."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    rows = board_rows(pack)
    cols = [c for c in COLUMNS if c != "part"]

    def styled(ws: Any, values: Iterable[Any], font: Font) -> list[Any]:
        cells = [WriteOnlyCell(ws, value=v) for v in values]
        for c in cells:
            c.font = font
        return cells

    for part in dict.fromkeys(r["part"] for r in rows):
        ws = wb.create_sheet(part[:31])
        for col, width in zip("ABCDEFGH", (44, 52, 14, 11, 14, 16, 9, 60), strict=True):
            ws.column_dimensions[col].width = width
        ws.append(styled(ws, [f"Board pack {pack.period.quarter_code()}: {part}"], Font(bold=True, size=14)))
        ws.append([f"{pack.period.label()}. Counts of 1 to 4 are shown as “fewer than 5”."])
        ws.append([])
        ws.append(styled(ws, cols, Font(bold=True)))
        for r in rows:
            if r["part"] == part:
                ws.append([r[c] for c in cols])
    rs = wb.create_sheet("Records")
    rs.append(styled(rs, RECORD_COLUMNS, Font(bold=True)))
    for r in record_rows(pack):
        rs.append([r[c] for c in RECORD_COLUMNS])
    atomic_write(path, lambda p: wb.save(p))
    return [path]


_pdf_writer: Callable[[BoardPack, Path], None] | None = None


def register_board_pdf_writer(writer: Callable[[BoardPack, Path], None]) -> None:
    """The desktop program (ui.launcher) hands in Qt's drawing of the pack; the core never imports Qt."""
    global _pdf_writer
    _pdf_writer = writer


def write_pdf(pack: BoardPack, path: Path) -> list[Path]:
    draw = _pdf_writer
    if draw is None:
        raise ExportError(
            "The board pack's PDF is drawn by the desktop app: run `youthwork report board ...` from the installed app,"
            " or choose xlsx, csv or json."
        )
    atomic_write(path, lambda p: draw(pack, p))
    return [path]


WRITERS: dict[str, Callable[[BoardPack, Path], list[Path]]] = {
    "json": write_json,
    "csv": write_csv,
    "xlsx": write_xlsx,
    "pdf": write_pdf,
}


def write_board_pack(profile: Profile, pack: BoardPack, fmt: str, path: Path) -> list[Path]:
    """Write the pack in `fmt` (small numbers suppressed) and record the export in the audit trail."""
    if fmt not in WRITERS:
        raise ExportError(f"“{fmt}” is not a board pack format: use one of {', '.join(BOARD_FORMATS)}.")
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError(f"The folder {path.parent} does not exist.")
    written = WRITERS[fmt](pack, path)
    record_export(profile, *written)
    code = pack.period.quarter_code()
    AuditTrail(profile).record(
        AuditAction.EXPORTED, "reports", f"board:{code}:{pack.team_id or 'all'}", reason=f"format:{fmt}"
    )
    log.info("board pack exported as %s", fmt)
    return written
