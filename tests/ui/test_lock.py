"""Locking: idle lock keeps what was being typed, Ctrl+L locks, the quick-hide key blanks the window at once."""

from __future__ import annotations

import time

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


def test_typing_past_the_idle_timeout_keeps_it_unlocked(qtbot, make_window, seed):
    seed(lambda b: None)
    window = make_window(idle_minutes=0.02)  # 1.2 seconds
    unlock(qtbot, window)
    _start_typing_a_session(qtbot, window)
    form = window.workspace.sessions.form
    text = " Then we walked them to the bus stop."
    started = time.monotonic()
    for key in text:  # a key every tenth of a second (a worker's pace, not a wait for anything): 3.7 s in all
        assert not window.locked, f"locked while typing, {time.monotonic() - started:.1f} s in"
        qtbot.keyClicks(form.narrative, key)
        qtbot.wait(100)
    assert time.monotonic() - started > 3 * 1.2  # three timeouts' worth
    assert not window.locked  # each key press restarted the countdown
    assert form.narrative.toPlainText().endswith(text)
    qtbot.waitUntil(lambda: window.locked, timeout=5000)  # and once the typing stops, it does lock


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


def test_idle_lock_takes_dialogs_and_message_boxes_off_the_screen(qtbot, make_window, seed):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QVBoxLayout

    seed(lambda b: None)
    window = make_window(idle_minutes=0.02)  # 1.2 seconds
    unlock(qtbot, window)
    # A window-modal dialog, as the areas open them (open()), showing a young person's details...
    dialog = QDialog(window.workspace)
    QVBoxLayout(dialog).addWidget(QLabel("Jayden Clarke, 14: disclosed exploitation"))
    dialog.open()
    qtbot.waitExposed(dialog)
    # ...and a blocking message box on top (exec() runs its own event loop; the idle timer fires inside it).
    answers: list[int] = []
    seen: list[bool] = []

    def ask() -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Remove?", "Remove Jayden from the session?", parent=window)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        # Timers owned by the box, so none fires after it is gone (into a later test).
        look, guard = QTimer(box), QTimer(box)
        for timer in (look, guard):
            timer.setSingleShot(True)
        look.timeout.connect(lambda: seen.append(box.isVisible() and not window.locked))
        guard.timeout.connect(lambda: box.isVisible() and (seen.append(False), box.done(-1)))  # never hang
        look.start(200)
        guard.start(4000)
        answers.append(box.exec())
        box.deleteLater()

    QTimer.singleShot(0, ask)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)  # the message box's exec() came back...
    assert seen == [True]  # it was up before the lock, and the lock (not the test's safety net) took it down
    assert window.locked
    assert answers[0] not in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Yes.value)  # ...not "yes"
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
    assert visible == []
    assert window.stack.currentWidget() is window.unlock
    unlock(qtbot, window)  # and the app carries on
    assert window.workspace is not None


def test_quick_hide_takes_a_dialog_off_the_screen_too(qtbot, make_window, seed):
    from PySide6.QtWidgets import QApplication, QDialog

    seed(lambda b: None)
    window = make_window()
    unlock(qtbot, window)
    dialog = QDialog(window)
    dialog.open()
    qtbot.waitExposed(dialog)
    window.quick_hide()
    assert not dialog.isVisible()
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [window]
    assert window.stack.currentWidget() is window.blank
