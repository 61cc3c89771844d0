"""A small drawing of where a peer group sits: the group in the middle, the groups it shares young people with and
the places it is seen at around it. Not a ranking: nobody is placed above anyone, and no child is named."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

GROUP = QColor("#1f4e79")
OTHER = QColor("#5b7f95")
PLACE = QColor("#2e7d32")
LINE = QColor("#9aa5ad")


class RelationshipDrawing(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(360, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._centre = ""
        self._others: list[tuple[str, int]] = []
        self._places: list[str] = []
        self.setAccessibleName("Drawing of the group, the groups it shares young people with, and its places")

    def show_group(self, label: str, others: list[tuple[str, int]], places: list[str]) -> None:
        self._centre, self._others, self._places = label, others, places
        bits = [f"{name}: {n} young {'person' if n == 1 else 'people'} in both" for name, n in others]
        bits += [f"seen at {p}" for p in places]
        self.setAccessibleDescription(f"{label}. " + ("; ".join(bits) if bits else "No overlaps or places yet."))
        self.update()

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        centre = QPointF(w / 2, h / 2)
        radius = min(w, h) / 2 - 42
        nodes = [(name, f"{n} in both", OTHER, True) for name, n in self._others]
        nodes += [(name, "", PLACE, False) for name in self._places]
        font = QFont(self.font())
        for i, (name, caption, colour, round_) in enumerate(nodes):
            angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(nodes))
            at = QPointF(centre.x() + radius * 1.35 * math.cos(angle), centre.y() + radius * math.sin(angle))
            p.setPen(QPen(LINE, 2))
            p.drawLine(centre, at)
            if caption:
                mid = (centre + at) / 2
                p.setPen(QColor("#37424a"))
                p.drawText(QRectF(mid.x() - 40, mid.y() - 10, 80, 20), Qt.AlignmentFlag.AlignCenter, caption)
            self._node(p, at, name, colour, round_, font)
        self._node(p, centre, self._centre, GROUP, True, font, big=True)
        p.end()

    def _node(
        self, p: QPainter, at: QPointF, text: str, colour: QColor, round_: bool, font: QFont, big: bool = False
    ) -> None:
        metrics = self.fontMetrics()
        width = min(metrics.horizontalAdvance(text) + 20, 190 if big else 150)
        height = metrics.height() + (14 if big else 8)
        rect = QRectF(at.x() - width / 2, at.y() - height / 2, width, height)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        if round_:
            p.drawRoundedRect(rect, height / 2, height / 2)
        else:
            p.drawRect(rect)
        p.setPen(QColor("white"))
        f = QFont(font)
        f.setBold(big)
        p.setFont(f)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width - 12))
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, shown)
