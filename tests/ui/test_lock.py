"""Locking: idle lock keeps what was being typed, Ctrl+L locks, the quick-hide key blanks the window at once."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import PASSPHRASE, press, unlock


def _start_typing_a_session(qtbot, window) -> None:
    press(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # Sessions
    assert window.workspace.current_area == "sessions"
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Log a session
    form = window.workspace.sessions.form
    assert form.isVisible()
    qtbot.keyClicks(form.area, "Brandon Estate")
    qtbot.keyClicks(form.narrative, "Spoke to four lads by the shops about the stabbing last week.")


def test_idle_lock_keeps_the_draft_and_puts_it_back(qtbot, make_window, seed):
    seed(lambda b: None)
    window = make_window(idle_minutes=0.02)  # 1.2 seconds
    unlock(qtbot, window)
    _start_typing_a_session(qtbot, window)

    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert window.stack.currentWidget() is window.unlock
    assert "Locked" in window.lock_label.text()

    # A wrong passphrase says so and keeps the window locked.
    qtbot.keyClicks(window.unlock.passphrase, "not my passphrase")
    qtbot.keyClick(window.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not right" in window.unlock.errors._labels["passphrase"].text())
    assert window.locked
    window.unlock._countdown.stop()
    window.unlock._wait = 0
    window.unlock.unlock_button.setEnabled(True)
    window.unlock.passphrase.clear()

    unlock(qtbot, window)
    form = window.workspace.sessions.form
    assert window.workspace.current_area == "sessions"
    assert form.isVisible()
    assert form.area.text() == "Brandon Estate"
    assert form.narrative.toPlainText().startswith("Spoke to four lads")


def test_ctrl_l_locks_and_draft_survives(qtbot, make_window, seed):
    seed(lambda b: None)
    window = make_window()
    unlock(qtbot, window)
    _start_typing_a_session(qtbot, window)
    press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert window.stack.currentWidget() is window.unlock
    unlock(qtbot, window)
    assert window.workspace.sessions.form.narrative.toPlainText().startswith("Spoke to four lads")


def test_quick_hide_blanks_at_once_then_asks_for_the_passphrase(qtbot, make_window, seed):
    seed(lambda b: None)
    window = make_window()
    unlock(qtbot, window)
    _start_typing_a_session(qtbot, window)

    press(qtbot, Qt.Key.Key_F12)
    assert window.stack.currentWidget() is window.blank
    assert window.locked  # the store is closed behind the blank
    assert not window.statusBar().isVisible()
    assert window.windowTitle().strip() == ""

    # Any key leaves the blank for the unlock screen, never straight back into the records.
    press(qtbot, Qt.Key.Key_Space)
    assert window.stack.currentWidget() is window.unlock
    unlock(qtbot, window, PASSPHRASE)
    assert window.workspace.sessions.form.area.text() == "Brandon Estate"

    # The other quick-hide key works too.
    press(qtbot, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.stack.currentWidget() is window.blank


def test_unlock_keeps_the_window_alive_and_quick_hide_wins(qtbot, make_window, seed):
    seed(lambda b: None)
    window = make_window()
    qtbot.keyClicks(window.unlock.passphrase, PASSPHRASE)
    qtbot.keyClick(window.unlock.passphrase, Qt.Key.Key_Return)
    assert window.unlock.busy  # the passphrase is being checked off the UI thread
    assert "Unlocking" in window.unlock.errors.form_error.text()
    press(qtbot, Qt.Key.Key_F12)  # someone walks up while it unlocks
    qtbot.waitUntil(lambda: not window.unlock.busy)
    assert window.stack.currentWidget() is window.blank
    assert window.locked and window.workspace is None
