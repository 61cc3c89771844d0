"""The board summary tab in a real window, on the hand-counted quarter of tests/board_fixture.py: the unseen-girls
prompt, the fair figures with their rates, Enter lists the young people behind a group, and the board pack exported
from the app as a PDF (its first page rendered to an image) and a spreadsheet, small numbers suppressed."""

from __future__ import annotations

import subprocess
from pathlib import Path

from board_fixture import BASELINE_CSV, board_records
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from tests.ui.conftest import press, unlock
from ui.backend import Backend
from youthwork.domain.figures.board import FEWER_THAN_5
from youthwork.domain.weeks import IsoWeek
from youthwork.services.outcomes import load_baseline


def quarter(backend: Backend) -> dict[str, str]:
    ids, recs, _ = board_records("team-1", "worker-1")
    backend.profile.records.bulk_insert(recs)
    load_baseline(backend.profile, BASELINE_CSV, name="Borough 10-24")
    return ids


def test_board_tab_fair_figures_prompt_and_exports(qtbot, make_window, seed, tmp_path: Path) -> None:
    ids = seed(quarter)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("review")
    area = window.workspace.review
    area.set_week(IsoWeek.parse("2026-W33"))  # mid-August 2026: the quarter is 2026-Q3
    press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: area.board is not None, timeout=20_000)
    page = area.board_page
    banner = page.findChild(type(page.message), "banner")
    assert banner is not None and banner.text().startswith("1 girl seen this quarter")
    fair = page.fair_table
    cells: dict[tuple[str, str], list[str]] = {}
    point = ""
    for r in range(fair.rowCount()):
        point = fair.item(r, 0).text() or point  # the decision point is written on its first row
        cells[(point, fair.item(r, 1).text())] = [fair.item(r, c).text() for c in (2, 3, 4)]
    assert cells[("Reached", "All")] == ["6", "1.50", ""]
    assert cells[("Reached", "Black – Caribbean, male")] == ["2", "2.50", "1.67"]
    assert cells[("Reached", "14–15")] == ["4", "2.50", "1.67"]
    assert cells[("Third-NFA joint home visit", "All")][0] == "1"
    # Enter on a group lists the young people behind it.
    row = next(r for r in range(fair.rowCount()) if fair.item(r, 1).text() == "Black – Caribbean, male")
    page.parts.setCurrentIndex(1)
    fair.setFocus()
    fair.setCurrentCell(row, 0)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.dialog is not None)
    assert {line.id for line in area.dialog.lines} == {ids["B"], ids["C"]}
    area.dialog.reject()

    with qtbot.waitSignal(page.exported, timeout=20_000) as saved:
        page.export("pdf", tmp_path / "board.pdf")
        assert not page.export_buttons[0].isEnabled()  # written in the background: no second export meanwhile
    pdf = saved.args[0]
    assert page.message.text() == "Saved board.pdf." and page.export_buttons[0].isEnabled()
    with qtbot.waitSignal(page.exported, timeout=20_000) as saved:
        page.export("xlsx", tmp_path / "board.xlsx")
    xlsx = saved.args[0]
    assert page.message.text() == "Saved board.xlsx."
    page.export("xlsx", tmp_path / "no-such-folder" / "board.xlsx")  # refused in words, and the buttons come back
    qtbot.waitUntil(lambda: "does not exist" in page.message.text())
    assert page.export_buttons[1].isEnabled()
    values = [c.value for row in load_workbook(xlsx[0])["Fair figures"].iter_rows() for c in row]
    assert FEWER_THAN_5 in values
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf[0]), str(tmp_path / "p")],
        check=True,
    )
    assert (tmp_path / "p.png").stat().st_size > 5000
