"""The Backups area in a real window: a daily backup is taken on unlock, listed, and a restore from the window brings
the data back and leaves the window unlocked again."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import PASSPHRASE, unlock
from youthwork import backup
from youthwork.domain.records import YoungPerson


def people(window) -> set[str]:
    return {r[0] for r in window.backend.profile.db.query("SELECT first_name FROM people")}


def test_daily_backup_on_unlock_listed_and_restored_from_the_window(qtbot, seed, make_window, profile_dir: Path):
    seed(lambda b: b.profile.records.save(YoungPerson(first_name="Aisha", area="Peckham", team_id="t")))
    window = make_window()
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: len(backup.list_backups(profile_dir)) == 1, timeout=10_000)
    daily = backup.list_backups(profile_dir)[0]
    assert daily.label == "daily"

    window.workspace.go("backups")
    area = window.workspace.areas["backups"].area()
    assert area.list.count() == 1 and "daily" in area.list.item(0).text()

    window.backend.profile.records.save(YoungPerson(first_name="Ben", area="Peckham", team_id="t"))
    assert people(window) == {"Aisha", "Ben"}

    from ui.backup.area import restore_into_window

    message = restore_into_window(window, profile_dir, daily.path, PASSPHRASE)
    assert message.startswith("Restored")
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
    assert people(window) == {"Aisha"}
    kinds = [b.label for b in backup.list_backups(profile_dir)]
    assert "before-restore" in kinds  # Ben is in the safety copy


def test_a_wrong_passphrase_restores_nothing(qtbot, seed, make_window, profile_dir: Path):
    seed(lambda b: b.profile.records.save(YoungPerson(first_name="Aisha", area="Peckham", team_id="t")))
    window = make_window()
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: len(backup.list_backups(profile_dir)) == 1, timeout=10_000)
    daily = backup.list_backups(profile_dir)[0]
    from ui.backup.area import restore_into_window

    message = restore_into_window(window, profile_dir, daily.path, "not the passphrase at all")
    assert message.startswith("Not restored")
    assert window.workspace is None  # left on the unlock page, where the worker types the right one


def test_someone_may_have_seen_my_passphrase_re_keys_from_the_window(qtbot, seed, make_window, profile_dir: Path):
    """The choice in the window: progress shown, the new recovery key once, then the workspace on the new passphrase;
    afterwards the old passphrase opens nothing under the profile folder."""
    from PySide6.QtCore import Qt

    from tests.core.test_rotation import assert_opens_nothing
    from ui.backup.passphrase import ChangePassphraseDialog
    from youthwork.store.profile import Profile

    new = "quiet maple ferry orbit"
    seed(lambda b: b.profile.records.save(YoungPerson(first_name="Aisha", area="Peckham", team_id="t")))
    window = make_window()
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: len(backup.list_backups(profile_dir)) == 1, timeout=10_000)
    old_key = window.backend.profile.database_key()
    window.workspace.go("backups")
    area = window.workspace.areas["backups"].area()
    qtbot.mouseClick(area.passphrase_button, Qt.MouseButton.LeftButton)
    dialog = area.findChild(ChangePassphraseDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.current, PASSPHRASE)
    qtbot.keyClicks(dialog.passphrase, new)
    qtbot.keyClicks(dialog.repeat, new)
    qtbot.keyClick(dialog.rotate, Qt.Key.Key_Space)
    assert dialog.rotate.isChecked()
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)

    assert window.locked  # the store is closed while its key changes
    rotation = window.rotation
    shown = window.recovery_key
    qtbot.waitUntil(lambda: window.stack.currentWidget() is shown, timeout=30_000)
    assert rotation.dialog.value() == 100 or not rotation.dialog.isVisible()
    key = shown.key.text()
    assert key and key == rotation.recovery
    qtbot.keyClick(shown.tick, Qt.Key.Key_Space)
    qtbot.mouseClick(shown.continue_button, Qt.MouseButton.LeftButton)
    assert window.workspace is not None
    assert people(window) == {"Aisha"}
    window.lock()
    assert_opens_nothing(profile_dir, PASSPHRASE, old_key)
    Profile.open_with_recovery_key(profile_dir, key).close()
