"""The look: one style sheet from resources/, and sizes taken from font metrics so the app scales on HiDPI screens."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
STYLE_SHEET = RESOURCES / "style.qss"

RAG_COLOURS = {"red": "#b3261e", "amber": "#a15c00", "green": "#2e7d32"}


def apply_theme(app: QApplication) -> None:
    """Use a plain readable sans font and our style sheet (all lengths in em/pt, never pixels)."""
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    try:
        app.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))
    except OSError:
        log.warning("style sheet missing; using the platform look")
    if not app.property("follows_focus"):
        app.setProperty("follows_focus", True)
        app.focusChanged.connect(_focus_moved)


def _focus_moved(old: QWidget | None, new: QWidget | None) -> None:
    """Mark the list or table that has the keyboard focus, so the style sheet shows its highlighted row strongly."""
    for widget, has_focus in ((old, False), (new, True)):
        if isinstance(widget, QAbstractItemView) and widget.property("has_focus") != has_focus:
            widget.setProperty("has_focus", has_focus)
            widget.style().unpolish(widget)
            widget.style().polish(widget)


def em(widget: QWidget | None = None, n: float = 1.0) -> int:
    """n times the height of a line of text, in device-independent pixels."""
    fm = widget.fontMetrics() if widget is not None else QFontMetrics(QApplication.font())
    return round(fm.height() * n)


def chars(widget: QWidget | None, n: float) -> int:
    """The width of n average characters."""
    fm = widget.fontMetrics() if widget is not None else QFontMetrics(QApplication.font())
    return round(fm.averageCharWidth() * n)
