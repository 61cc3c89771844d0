"""The Chronology tab, by keyboard: a worker edits a profile (Jay becomes NEET since a date typed in "When it
changed"), the profile says "NEET, since ...", Alt+L opens the chronology, Space on a kind's box filters it, and
restricted details stay hidden until opened on the Privacy tab with a reason."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import press, unlock
from ui.backend import Backend
from ui.people.chronology_tab import HIDDEN
from youthwork.domain.records import YoungPerson


def _texts(tab) -> list[tuple[str, str]]:
    return [(tab.table.item(r, 1).text(), tab.table.item(r, 2).text()) for r in range(tab.table.rowCount())]


def test_chronology_by_keyboard(qtbot, make_window, seed):
    def fill(backend: Backend) -> str:
        jay = backend.people.add(YoungPerson(first_name="Jay", area="Peckham", education_status="in_school"))
        backend.notes.add(jay.id, "Met Jay and his mum at the youth club")
        return jay.id

    person_id = seed(fill)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    ws.open_person(person_id)
    profile = ws.people.profile
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    form = ws.people.form
    form.education_status.setFocus()
    form.education_status.setCurrentIndex(form.education_status.findData("neet"))
    form.social_care.setCurrentIndex(form.social_care.findData("child_in_need"))
    press(qtbot, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # "When it changed"
    assert QApplication.focusWidget() is form.changed_on
    qtbot.keyClicks(form.changed_on, "02/03/2026")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert profile.isVisible()
    assert "NEET, since 02/03/2026" in profile.details.text()

    press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    tab = profile.chronology
    assert profile.tabs.currentWidget() is tab
    rows = _texts(tab)
    assert ("Case note", "Met Jay and his mum at the youth club") in rows
    assert ("Education, employment or training changed", "NEET") in rows
    # A child in need plan is special category data: hidden here until opened with a reason.
    assert ("Child in need or protection plan changed", HIDDEN) in rows

    # Filter by kind with the keyboard: Tab to "Case notes", Space unticks it.
    box = tab.kind_boxes["notes"]
    box.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert not box.isChecked()
    assert all(title != "Case note" for title, _ in _texts(tab))
    assert "Showing" in tab.count.text()
    press(qtbot, Qt.Key.Key_Space)
    assert any(title == "Case note" for title, _ in _texts(tab))

    # Opened on the Privacy tab with a reason: the chronology shows it too.
    profile.privacy.restricted.reveal("safeguarding")
    assert ("Child in need or protection plan changed", "Child in need plan") in _texts(tab)
    changes = window.backend.people.circumstances(person_id)
    assert {(c.what, c.from_date) for c in changes} >= {("education", date(2026, 3, 2))}
