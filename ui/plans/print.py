"""The printable safety plan for the young person: a PDF through Qt's own writer (QPdfWriter + QTextDocument).

Written for the young person, not for the file: plain headings in their words, big enough to read on a phone photo,
and nothing internal. No RAG rating, risk-indicator codes, NFAs, NRM decision or worker notes ever reach this page.
"""

from __future__ import annotations

import html
import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from youthwork.domain.safety_plans import SafetyPlan, SafetyPlanVersion
from youthwork.platform.files import private_files, restrict

log = logging.getLogger(__name__)

# The only plan fields that are printed, with the heading the young person reads.
PRINTED_SECTIONS: tuple[tuple[str, str], ...] = (
    ("risks_triggers", "Things that can put me at risk"),
    ("warning_signs", "Signs that things are getting risky"),
    ("safe_places", "Safe places, and safe ways to get there"),
    ("trusted_adults", "Adults I trust"),
    ("contacts", "Who I can call"),
    ("actions", "What we agreed to do"),
    ("own_words", "In my own words"),
)

_STYLE = """
body { font-family: 'DejaVu Sans', 'Noto Sans', sans-serif; font-size: 12pt; color: #1d2428; }
h1 { font-size: 22pt; color: #1f4e79; margin-bottom: 2pt; }
h2 { font-size: 14pt; color: #1f4e79; margin-top: 14pt; margin-bottom: 4pt; }
p.lead { font-size: 12pt; color: #4a5560; }
td { padding: 4pt 8pt 4pt 0; vertical-align: top; }
td.num { font-size: 14pt; font-weight: bold; white-space: nowrap; }
p.review { font-size: 13pt; margin-top: 16pt; padding: 6pt; background: #eef4fa; }
p.foot { font-size: 9pt; color: #6b747c; margin-top: 18pt; }
"""


def _para(text: str) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())


def _long_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def plan_html(plan: SafetyPlan | SafetyPlanVersion, name: str, worker: str = "", today: date | None = None) -> str:
    """The printed plan as HTML (kept separate from the PDF so its content can be checked on its own)."""
    agreed = plan.agreed_at.astimezone().date() if plan.agreed_at else None
    today = today or agreed or date.today()
    parts = [f"<html><head><style>{_STYLE}</style></head><body>"]
    parts.append(f"<h1>{html.escape(name)}'s safety plan</h1>")
    made = f"Made together on {_long_date(today)}" + (f" with {html.escape(worker)}" if worker else "")
    parts.append(f"<p class='lead'>{made}. This plan is yours: keep it somewhere safe.</p>")
    for field, heading in PRINTED_SECTIONS:
        value = getattr(plan, field)
        if not value:
            continue
        parts.append(f"<h2>{heading}</h2>")
        if field == "trusted_adults":
            rows = "".join(
                f"<tr><td width='34%'>{html.escape(a.get('name', ''))}</td>"
                f"<td width='30%'>{html.escape(a.get('relationship', ''))}</td>"
                f"<td width='36%' class='num'>{html.escape(a.get('phone', ''))}</td></tr>"
                for a in value
            )
            parts.append(f"<table width='100%' cellspacing='0' cellpadding='0'>{rows}</table>")
        elif field == "contacts":
            rows = "".join(
                f"<tr><td width='26%' class='num'>{html.escape(c.get('number', ''))}</td>"
                f"<td width='74%'><b>{html.escape(c.get('name', ''))}</b><br/>"
                f"{html.escape(c.get('when', ''))}</td></tr>"
                for c in value
            )
            parts.append(f"<table width='100%' cellspacing='0' cellpadding='0'>{rows}</table>")
        elif field == "actions":
            items = []
            for a in value:
                bits = [html.escape(a.get("action", ""))]
                if a.get("who"):
                    bits.append(f"<i>Who:</i> {html.escape(a['who'])}")
                if a.get("by_when"):
                    try:
                        bits.append(f"<i>By:</i> {_long_date(date.fromisoformat(a['by_when']))}")
                    except ValueError:
                        bits.append(f"<i>By:</i> {html.escape(a['by_when'])}")
                items.append("<li>" + " — ".join(bits) + "</li>")
            parts.append("<ul>" + "".join(items) + "</ul>")
        elif field == "own_words":
            parts.append(f"<blockquote>{_para(value)}</blockquote>")
        else:
            parts.append(_para(value))
    if plan.review_date:
        parts.append(f"<p class='review'>We will look at this plan again on <b>{_long_date(plan.review_date)}</b>.</p>")
    parts.append("<p class='foot'>If you are in danger right now, call 999.</p>")
    parts.append("</body></html>")
    return "".join(parts)


def write_plan_pdf(
    plan: SafetyPlan | SafetyPlanVersion, name: str, path: Path, worker: str = "", today: date | None = None
) -> Path:
    """Write the young person's copy of the plan as an A4 PDF at `path`."""
    path = Path(path)
    with private_files():  # this user's only (0600), like the weekly exports: it names a child and their risks
        writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(18, 18, 18, 18))
    )
    writer.setResolution(300)
    writer.setTitle(f"{name}'s safety plan")
    writer.setCreator("youthwork")
    doc = QTextDocument()
    doc.setHtml(plan_html(plan, name, worker, today))
    # Lay the text out on the printable area, in points (the writer scales to its resolution).
    rect = writer.pageLayout().paintRectPoints()
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    with private_files():
        doc.print_(writer)
    del writer  # closes the file
    restrict(path)  # a file that already existed keeps its old mode otherwise
    log.info("safety plan printed to PDF")
    return path
