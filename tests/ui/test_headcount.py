"""The headcount grid is typed as a spreadsheet: a digit replaces the cell, the arrow keys, Tab and Enter move on."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import focused, press, unlock

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def open_grid(qtbot, make_window, seed):
    seed(lambda backend: None)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("sessions")
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = window.workspace.sessions.form
    press(qtbot, Qt.Key.Key_H, ALT)
    grid = form.register.grid
    assert focused() is grid and (grid.currentRow(), grid.currentColumn()) == (0, 0)
    return form, grid


def cells(grid) -> list[list[str]]:
    return [[grid.item(r, c).text() for c in range(grid.columnCount())] for r in range(grid.rowCount())]


def test_four_right_two_gives_two_cells(qtbot, make_window, seed):
    form, grid = open_grid(qtbot, make_window, seed)
    qtbot.keyClicks(grid, "4")
    press(qtbot, Qt.Key.Key_Right)
    qtbot.keyClicks(grid, "2")
    assert cells(grid)[0][:2] == ["4", "2"]
    assert form.register.headcounts() == {"male/under_10": 4, "female/under_10": 2}
    assert "Headcount (6)" in form.register.tabs.tabText(1)


def test_digits_replace_enter_moves_down_tab_moves_right_and_on(qtbot, make_window, seed):
    form, grid = open_grid(qtbot, make_window, seed)
    qtbot.keyClicks(grid, "12")  # two digits in one cell
    press(qtbot, Qt.Key.Key_Return)  # down a row, as in a spreadsheet
    assert (grid.currentRow(), grid.currentColumn()) == (1, 0)
    qtbot.keyClicks(grid, "3")
    press(qtbot, Qt.Key.Key_Up)
    qtbot.keyClicks(grid, "7")  # a digit typed into a filled cell replaces it
    assert cells(grid)[0][0] == "7" and cells(grid)[1][0] == "3"
    press(qtbot, Qt.Key.Key_Tab)  # Tab moves right
    assert (grid.currentRow(), grid.currentColumn()) == (0, 1) and focused() is grid
    qtbot.keyClicks(grid, "5")
    press(qtbot, Qt.Key.Key_Backspace)  # takes the digit off again
    assert cells(grid)[0][1] == ""
    press(qtbot, Qt.Key.Key_Left)
    press(qtbot, Qt.Key.Key_Delete)  # empties the cell
    assert cells(grid)[0][0] == ""
    for _ in range(grid.columnCount() - 1):
        press(qtbot, Qt.Key.Key_Tab)
    assert grid.currentColumn() == grid.columnCount() - 1
    press(qtbot, Qt.Key.Key_Tab)  # from the last column Tab goes on: the grid does not trap the keyboard
    assert focused() is not grid
    assert form.register.headcounts() == {"male/10_13": 3}
