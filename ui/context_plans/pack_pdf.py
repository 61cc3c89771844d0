"""The context conference pack as a PDF (QPdfWriter + QTextDocument, like the safety plan's print): about a context,
never about a named child; its text comes from youthwork.services.context_plans.Pack, names already taken out."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from youthwork.platform.files import private_files, restrict
from youthwork.services.context_plans import Pack

log = logging.getLogger(__name__)

_STYLE = """
body { font-family: 'DejaVu Sans', 'Noto Sans', sans-serif; font-size: 11pt; color: #1d2428; }
h1 { font-size: 20pt; color: #1f4e79; margin-bottom: 2pt; }
h2 { font-size: 13pt; color: #1f4e79; margin-top: 12pt; margin-bottom: 3pt; }
p.lead { color: #4a5560; }
"""


def pack_html(pack: Pack) -> str:
    parts = [f"<html><head><style>{_STYLE}</style></head><body>"]
    parts.append(f"<h1>{html.escape(pack.title)}</h1><p class='lead'>{html.escape(pack.subtitle)}</p>")
    for heading, lines in pack.sections:
        parts.append(f"<h2>{html.escape(heading)}</h2><ul>")
        parts += [f"<li>{html.escape(line)}</li>" for line in lines]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "".join(parts)


def write_pack_pdf(pack: Pack, path: Path) -> Path:
    path = Path(path)
    with private_files():
        writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(18, 18, 18, 18))
    )
    writer.setResolution(300)
    writer.setTitle(pack.title)
    writer.setCreator("youthwork")
    doc = QTextDocument()
    doc.setHtml(pack_html(pack))
    rect = writer.pageLayout().paintRectPoints()
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    with private_files():
        doc.print_(writer)
    del writer
    restrict(path)
    log.info("context conference pack printed to PDF")
    return path
