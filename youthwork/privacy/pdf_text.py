"""A small PDF writer for plain text documents (subject access exports), so the CLI needs no Qt and no extra library.

Text is set in the standard Helvetica font (WinAnsi encoding: English text, £, accents and curly quotes), wrapped to
the page width, on as many A4 pages as it takes. Headings are bold.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

PAGE_W, PAGE_H = 595, 842  # A4 in points
MARGIN = 50
SIZE = 9
LEADING = 12
WRAP = 105  # characters per line at 9pt Helvetica within the margins (average glyph width)
LINES_PER_PAGE = (PAGE_H - 2 * MARGIN) // LEADING


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def layout(blocks: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """(style, text) blocks -> pages of (style, line). Style is "h" (heading) or "p"."""
    lines: list[tuple[str, str]] = []
    for style, text in blocks:
        if style == "h" and lines:
            lines.append(("p", ""))
        for para in text.split("\n") or [""]:
            wrapped = textwrap.wrap(para, WRAP, break_long_words=True, replace_whitespace=False) or [""]
            lines.extend((style, w) for w in wrapped)
    return [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]


def write_pdf(path: Path, title: str, blocks: list[tuple[str, str]]) -> None:
    pages = layout(blocks)
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the pages object number is known
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    info = add(b"<< /Title (" + _escape(title) + b") /Producer (youthwork) >>")
    kids = []
    for number, page in enumerate(pages, start=1):
        ops = [b"BT", f"{LEADING} TL".encode(), f"{MARGIN} {PAGE_H - MARGIN} Td".encode()]
        current = ""
        for style, line in page:
            if style != current:
                ops.append(f"/F{2 if style == 'h' else 1} {SIZE + (1 if style == 'h' else 0)} Tf".encode())
                current = style
            ops.append(b"(" + _escape(line) + b") Tj T*")
        ops.append(b"ET")
        footer = f"{title}: page {number} of {len(pages)}"
        ops += [b"BT", b"/F1 7 Tf", f"{MARGIN} {MARGIN / 2:.0f} Td".encode(), b"(" + _escape(footer) + b") Tj", b"ET"]
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
                f"/Resources << /Font << /F1 {font} 0 R /F2 {bold} 0 R >> >> /Contents {content} 0 R >>".encode()
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode()
    objects[pages_obj - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    Path(path).write_bytes(bytes(out))
