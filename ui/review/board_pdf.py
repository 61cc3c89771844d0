"""The quarter's board pack as a PDF, drawn by Qt (QPdfWriter + QTextDocument), from the same rows as the spreadsheet
(youthwork.reports.board_export.board_rows): small numbers suppressed, "not recorded" said so."""

from __future__ import annotations

import html
import logging
from itertools import groupby
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from youthwork.domain.figures.board import BoardPack
from youthwork.reports.board_export import board_rows

log = logging.getLogger(__name__)

NOTES = (
    "Counts of 1 to 4 are shown as “fewer than 5”, and their rates with them, so no young person can be picked out.",
    "Rates are per 1,000 of the borough's residents in the same group (the loaded census baseline); the ratio compares"
    " that rate with the rate for all residents (1.0 is in proportion, 2.0 twice as likely).",
    "“Not recorded” means youthwork holds no records of that kind, not that the number is zero.",
    "A young person counts once at each decision point in the quarter. Every figure lists its records in the"
    " spreadsheet's Records sheet and in the app.",
)
STYLE = """
body { font-family: sans-serif; font-size: 9pt; color: #111; }
h1 { font-size: 17pt; margin-bottom: 2pt; } h2 { font-size: 12pt; margin-top: 12pt; color: #1f4e79; }
h3 { font-size: 10pt; margin-top: 8pt; margin-bottom: 2pt; }
table { border-collapse: collapse; } th { background: #dde7f0; text-align: left; } td, th { padding: 2pt 5pt; }
td.n { text-align: right; white-space: nowrap; padding-right: 6pt; } .muted { color: #555; }
"""


def _e(value: object) -> str:
    if isinstance(value, float):
        value = f"{value:.2f}"
    return html.escape("" if value is None else str(value))


def board_html(pack: BoardPack) -> str:
    rows = board_rows(pack)
    out = [
        f"<html><head><style>{STYLE}</style></head><body>",
        f"<h1>Board pack {pack.period.quarter_code()}</h1>",
        f"<p class='muted'>{_e(pack.period.label())}. "
        + (
            f"Rates against: {_e(pack.baseline.name)} ({pack.baseline.total:,} residents)."
            if pack.baseline
            else "No population baseline loaded: no rates."
        )
        + "</p>",
    ]
    for part, items in groupby(rows, key=lambda r: r["part"]):
        out.append(f"<h2>{_e(part)}</h2>")
        if part == "Fair figures":
            for measure, group in groupby(items, key=lambda r: r["measure"]):
                out.append(f"<h3>{_e(measure)}</h3><table border='0' cellspacing='0' cellpadding='2' width='100%'>")
                out.append(
                    "<tr><th width='48%'>Group</th><th width='16%'>Count</th><th width='13%'>Residents</th>"
                    "<th width='13%'>Per 1,000</th><th width='10%'>Ratio</th></tr>"
                )
                heading = ""
                for r in group:
                    kind, _, label = str(r["group"]).rpartition(": ")
                    if kind and kind != heading:
                        heading = kind
                        out.append(f"<tr><td colspan='5' class='muted'><i>{_e(kind)}</i></td></tr>")
                    note = f" <span class='muted'>({_e(r['note'])})</span>" if r["note"] else ""
                    out.append(
                        f"<tr><td>{_e(label)}{note}</td><td class='n' nowrap>{_e(r['count'])}</td>"
                        f"<td class='n'>{_e(r['residents'])}</td><td class='n'>{_e(r['rate_per_1000'])}</td>"
                        f"<td class='n'>{_e(r['ratio_to_borough'])}</td></tr>"
                    )
                out.append("</table>")
            continue
        part_rows = list(items)
        grouped = any(r["group"] for r in part_rows)
        out.append("<table border='0' cellspacing='0' cellpadding='2' width='100%'><tr>")
        out.append("<th width='32%'>Measure</th><th width='18%'></th>" if grouped else "<th width='46%'>Measure</th>")
        out.append("<th width='17%'>Count</th><th>Note</th></tr>")
        for r in part_rows:
            group_cell = f"<td>{_e(r['group'])}</td>" if grouped else ""
            out.append(
                f"<tr><td>{_e(r['measure'])}</td>{group_cell}<td class='n' nowrap><b>{_e(r['count'])}</b></td>"
                # QTextDocument ignores a cell's CSS padding: a gap keeps a right-aligned count off the note.
                f"<td class='muted'>&nbsp;&nbsp;{_e(r['note'])}</td></tr>"
            )
        out.append("</table>")
    out.append("<h2>How we count</h2><ul>" + "".join(f"<li>{_e(n)}</li>" for n in NOTES) + "</ul></body></html>")
    return "".join(out)


def write_board_pdf(pack: BoardPack, path: Path) -> None:
    """Write the pack as an A4 PDF at `path` (the caller writes it to a temporary file and moves it into place)."""
    if QApplication.instance() is None:
        QApplication([])
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(15, 15, 15, 15))
    )
    writer.setResolution(300)
    writer.setTitle(f"Board pack {pack.period.quarter_code()}")
    writer.setCreator("youthwork")
    doc = QTextDocument()
    doc.setHtml(board_html(pack))
    rect = writer.pageLayout().paintRectPoints()
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)
    del writer
    log.info("board pack drawn as PDF")
