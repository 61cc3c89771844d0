"""Render the application icon's PNGs from its SVG, at the sizes desktops and installers ask for.

Usage: python packaging/render_icons.py [--check]

With --check nothing is written; the exit status says whether every PNG exists at the right size and matches a
fresh render, within a small tolerance (so a changed SVG without re-rendered PNGs is caught).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons" / "app"
SVG = ICON_DIR / "youthwork.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICON_DIR / f"youthwork-{size}.png"


def render(size: int):  # -> QImage; PySide6 is imported lazily so importing this module stays cheap
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"Could not read the icon SVG at {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def mean_difference(a, b) -> float:  # QImage, QImage -> mean absolute difference per channel, 0..255
    from PySide6.QtGui import QImage

    first = a.convertToFormat(QImage.Format.Format_RGBA8888)
    second = b.convertToFormat(QImage.Format.Format_RGBA8888)
    if first.size() != second.size():
        return 255.0
    x, y = bytes(first.constBits()), bytes(second.constBits())
    return sum(abs(p - q) for p, q in zip(x, y, strict=True)) / len(x)


# Other Qt versions anti-alias edges slightly differently; a changed colour or shape is far above this.
TOLERANCE = 2.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the PNGs instead of writing them")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImage

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    stale: list[str] = []
    for size in SIZES:
        fresh = render(size)
        path = png_path(size)
        if args.check:
            existing = QImage(str(path))
            if existing.isNull() or existing.size() != fresh.size():
                stale.append(f"{path.name}: missing or wrong size")
            elif mean_difference(existing, fresh) >= TOLERANCE:
                stale.append(f"{path.name}: differs from the SVG")
        else:
            if not fresh.save(str(path), "PNG"):
                raise SystemExit(f"Could not write {path}")
            log.info("wrote %s", path.relative_to(ROOT))
    if stale:
        log.error("Icons out of date (run python packaging/render_icons.py):\n  %s", "\n  ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
