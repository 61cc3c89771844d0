"""A safeguarding concern is about someone: the worker ticks who on the register it is about; it then shows on their
profile and in the supervisor's sign-off list."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import focused, press, unlock
from tests.ui.test_sessions import ALT, CTRL, FIRST_NAMES, seed_kicks


def test_concern_about_two_on_the_register(qtbot, make_window, seed):
    ids = seed(seed_kicks)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("sessions")
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = window.workspace.sessions.form
    press(qtbot, Qt.Key.Key_A, ALT)
    qtbot.keyClicks(form.area, "Su")
    press(qtbot, Qt.Key.Key_G, ALT)  # 20 regulars
    assert form.concern_about.count() == 20 and not form.concern_about.isEnabled()

    form.concern.setFocus()
    press(qtbot, Qt.Key.Key_Space)  # concern on: details take the focus
    qtbot.keyClicks(form.concern_details, "Older boys asking them to hold packages.")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.concern_about
    press(qtbot, Qt.Key.Key_Space)  # Aaron (first on the register)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)  # Bilal
    press(qtbot, Qt.Key.Key_Return, CTRL)
    sessions = window.workspace.sessions
    assert sessions.list.isVisible(), form.errors.form_error.text()
    saved = window.backend.sessions.recent(0, 1)[0]
    assert saved.concern and set(window.backend.sessions.concern_about(saved.id)) == {ids[0], ids[1]}

    # On Aaron's profile, not on Callum's.
    window.workspace.open_person(ids[0])
    profile = window.workspace.people.profile
    assert profile.concern_line.isVisible() and "Safeguarding concern about them" in profile.concern_line.text()
    assert profile.sessions.item(0, 5).text() == "Safeguarding concern about them"
    window.workspace.open_person(ids[2])
    assert not profile.concern_line.isVisible()

    # In the supervisor's sign-off list.
    window.workspace.go("review")
    area = window.workspace.review
    area.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: area.selected_session() is not None, timeout=10_000)
    row = next(r for r, s in enumerate(area.signoff.sessions) if s.id == saved.id)
    cell = area.waiting.item(row, 4).text()
    assert cell.startswith("Concern about") and FIRST_NAMES[0] in cell and FIRST_NAMES[1] in cell
    area.waiting.selectRow(row)
    assert "Safeguarding concern</b> about Aaron" in area.signoff.detail.text()
