"""Small leaks and words: the locked status bar names no folder; the name shown is the account's once enrolled;
"1 minute"; no "review by ." when there is no review date."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import WORKER, press, unlock
from ui.backend import Backend
from youthwork.domain.records import YoungPerson


def test_locked_bar_names_no_folder_and_the_name_is_the_accounts(qtbot, make_window, seed, profile_dir):
    seed(lambda backend: None)
    window = make_window()
    assert profile_dir.name not in window.profile_label.text() and not window.profile_label.text()
    unlock(qtbot, window)
    assert window.profile_label.text() == f"Profile: {WORKER}"
    window.backend.set_setting("sync.display_name", "Samuel Okafor")  # as enrolment stores the account's name
    press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # lock
    qtbot.waitUntil(lambda: window.workspace is None)
    assert not window.profile_label.text() and not window.profile_label.toolTip()
    unlock(qtbot, window)
    assert window.profile_label.text() == "Profile: Samuel Okafor"


def test_one_minute_and_no_empty_review_date(qtbot, make_window, seed):
    def fill(backend: Backend) -> str:
        person = YoungPerson(first_name="Jade", lawful_basis="consent", consent_given_by="young_person")
        return backend.people.add(person).id

    person_id = seed(fill)
    window = make_window()
    unlock(qtbot, window)
    today = window.workspace.today
    window.workspace.go("today")
    spin = today.idle_minutes
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "1")
    assert spin.text() == "1 minute"
    qtbot.keyClicks(spin, "0")
    assert spin.text() == "10 minutes"
    assert "1 minutes" not in window.lock_label.text()

    window.workspace.open_person(person_id)
    consent = window.workspace.people.profile.privacy.consent
    assert "review by ." not in consent.current.text()
    assert "no review date recorded" in consent.current.text()
