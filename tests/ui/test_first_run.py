"""First run: make a profile with a strong passphrase, see the recovery key once, tick, arrive at Today."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import PASSPHRASE, WORKER, unlock
from youthwork.store.errors import WrongPassphrase
from youthwork.store.profile import Profile

NEW = "quiet maple ferry orbit"


def test_first_run_creates_profile_and_shows_recovery_key_once(qtbot, make_window, profile_dir):
    window = make_window()
    page = window.first_run
    assert window.stack.currentWidget() is page

    qtbot.keyClicks(page.name, WORKER)
    # A weak passphrase is refused at its field, and what was typed stays.
    qtbot.keyClicks(page.passphrase, "password1")
    qtbot.keyClicks(page.repeat, "password1")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is page
    assert "Too weak" in page.strength.text()
    assert not Profile.exists(profile_dir)
    assert page.name.text() == WORKER

    # Two different passphrases are refused too.
    page.passphrase.clear()
    page.repeat.clear()
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClicks(page.repeat, PASSPHRASE + "x")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    assert "not the same" in page.errors._labels["repeat"].text()
    assert not Profile.exists(profile_dir)

    page.repeat.clear()
    qtbot.keyClicks(page.repeat, PASSPHRASE)
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    # The key is made off the UI thread: the window keeps painting, and a second Enter does not make two.
    assert page.busy and not page.create_button.isEnabled()
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)

    # The recovery key, once, with a tick before going on.
    shown = window.recovery_key
    qtbot.waitUntil(lambda: window.stack.currentWidget() is shown, timeout=10_000)
    assert Profile.exists(profile_dir)
    assert not page.busy
    key = shown.key.text()
    assert len(key) >= 20
    assert not shown.continue_button.isEnabled()
    qtbot.keyClick(shown.tick, Qt.Key.Key_Space)
    assert shown.continue_button.isEnabled()
    qtbot.mouseClick(shown.continue_button, Qt.MouseButton.LeftButton)
    assert window.workspace is not None
    assert shown.key.text() == ""  # not kept on screen
    assert window.workspace.current_area == "today"
    assert WORKER in window.profile_label.text()
    assert "Not set up to sync" in window.sync_label.text()

    # The key really opens the profile.
    window.lock()
    Profile.open_with_recovery_key(profile_dir, key).close()


def test_unlock_with_the_recovery_key(qtbot, make_window, profile_dir):
    from tests.ui.conftest import FAST_KDF

    profile, key = Profile.create(profile_dir, PASSPHRASE, worker_name=WORKER, argon2=FAST_KDF)
    profile.close()
    window = make_window()
    page = window.unlock
    assert window.stack.currentWidget() is page
    qtbot.keyClick(page.passphrase, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # "Use the recovery key"
    qtbot.waitUntil(lambda: page.key.isVisible())
    qtbot.keyClicks(page.key, "AAAA-BBBB-CCCC")
    qtbot.keyClick(page.key, Qt.Key.Key_Return)
    assert window.locked
    assert page.key_errors._labels["key"].text()  # said why, in words
    page.key.clear()
    qtbot.keyClicks(page.key, key.lower())  # case does not matter to a worker copying it from paper
    qtbot.keyClick(page.key, Qt.Key.Key_Return)

    # The passphrase was forgotten: a new one is chosen before the workspace opens, with the same strength check.
    reset = window.new_passphrase
    assert window.stack.currentWidget() is reset
    assert window.workspace is None
    assert reset.passphrase.hasFocus()
    qtbot.keyClicks(reset.passphrase, "password1")
    qtbot.keyClicks(reset.repeat, "password1")
    qtbot.keyClick(reset.repeat, Qt.Key.Key_Return)
    assert "Too weak" in reset.strength.text()
    assert window.stack.currentWidget() is reset and not reset.busy
    reset.passphrase.clear()
    reset.repeat.clear()
    qtbot.keyClicks(reset.passphrase, NEW)
    qtbot.keyClicks(reset.repeat, NEW + "x")
    qtbot.keyClick(reset.repeat, Qt.Key.Key_Return)
    assert "not the same" in reset.errors._labels["repeat"].text()
    reset.repeat.clear()
    qtbot.keyClicks(reset.repeat, NEW)
    qtbot.keyClick(reset.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
    assert reset.passphrase.text() == "" and reset.repeat.text() == ""

    # From now on the new passphrase opens it; the old does not; the recovery key still does.
    window.lock()
    assert window.stack.currentWidget() is window.unlock
    with pytest.raises(WrongPassphrase):
        Profile.open(profile_dir, PASSPHRASE)
    Profile.open_with_recovery_key(profile_dir, key).close()
    unlock(qtbot, window, NEW)
    assert window.workspace is not None


def test_quick_hide_on_the_new_passphrase_screen_comes_back_to_it(qtbot, make_window, profile_dir):
    from tests.ui.conftest import FAST_KDF

    profile, key = Profile.create(profile_dir, PASSPHRASE, worker_name=WORKER, argon2=FAST_KDF)
    profile.close()
    window = make_window()
    window.unlock.show_recovery()
    qtbot.keyClicks(window.unlock.key, key)
    qtbot.keyClick(window.unlock.key, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.new_passphrase
    qtbot.keyClick(window.new_passphrase.passphrase, Qt.Key.Key_F12)
    assert window.stack.currentWidget() is window.blank
    qtbot.keyClick(window.blank, Qt.Key.Key_Space)
    assert window.stack.currentWidget() is window.new_passphrase  # not the workspace, not skipped
    assert window.workspace is None


def test_quick_hide_while_the_profile_is_being_made_keeps_the_key_hidden(qtbot, make_window, profile_dir):
    window = make_window()
    page = window.first_run
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClicks(page.repeat, PASSPHRASE)
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    assert page.busy
    qtbot.keyClick(page.repeat, Qt.Key.Key_F12)  # hide the screen before the key derivation finishes
    assert window.stack.currentWidget() is window.blank
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert window.stack.currentWidget() is window.blank  # the recovery key did not appear behind the worker's back
    qtbot.keyClick(window.blank, Qt.Key.Key_Space)
    assert window.stack.currentWidget() is window.recovery_key
    assert window.recovery_key.key.text()
    assert Profile.exists(profile_dir)


def test_a_weak_passphrase_is_refused_in_the_same_words_as_on_the_command_line(
    qtbot, make_window, profile_dir, tmp_path
):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOUTHWORK_")} | {
        "YOUTHWORK_PASSPHRASE": "password1234"
    }
    cli = subprocess.run(
        [sys.executable, "-m", "youthwork.cli", "init", "--profile", str(tmp_path / "cli")],
        cwd=root, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert cli.returncode == 1 and not (tmp_path / "cli").exists()
    said_there = cli.stderr.strip().removeprefix("youthwork: ")

    window = make_window()
    page = window.first_run
    qtbot.keyClicks(page.name, WORKER)
    qtbot.keyClicks(page.passphrase, "password1234")
    qtbot.keyClicks(page.repeat, "password1234")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    said_here = page.errors._labels["passphrase"].text()
    assert not Profile.exists(profile_dir)
    # The same rule and words (the suggestion is four random words, so it differs each time).
    before, _, suggestion = said_here.partition("for example: ")
    assert before == said_there.partition("for example: ")[0]
    assert "too easy to guess" in before and "12 characters" in before
    assert len(suggestion.split()) == 4 and len(said_there.partition("for example: ")[2].split()) == 4
