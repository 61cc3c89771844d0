"""Chart labels a worker can read: text on a pie slice contrasts at least 4.5:1 (WCAG 2.2 AA) with every slice
colour, and the category axis shows the groups' names, not "…"."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtGui import QColor

from ui.review.charts import PALETTE, _text_on, bar_chart
from youthwork.domain.figures import Figure


def _luminance(c: QColor) -> float:
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF())


def test_text_on_each_slice_colour_has_aa_contrast() -> None:
    for hex_colour in PALETTE:
        a, b = sorted((_luminance(QColor(hex_colour)), _luminance(_text_on(QColor(hex_colour)))))
        assert (b + 0.05) / (a + 0.05) >= 4.5, hex_colour


def test_category_labels_are_not_cut_short(qapp: object) -> None:
    parts = [Figure("g", "White – Gypsy or Irish Traveller", 3, ()), Figure("b", "Black – African", 5, ())]
    chart = bar_chart("Reached", parts, horizontal=True)
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    assert not axis.truncateLabels()
    assert list(axis.categories()) == ["Black African", "Gypsy/Traveller"]  # drawn bottom-up
