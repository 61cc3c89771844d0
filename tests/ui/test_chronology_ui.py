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


def test_family_tab_by_keyboard(qtbot, make_window, seed):
    def fill(backend: Backend) -> tuple[str, str]:
        jay = backend.people.add(YoungPerson(first_name="Jay", last_name="Okafor", area="Peckham"))
        mia = backend.people.add(YoungPerson(first_name="Mia", last_name="Okafor", area="Peckham"))
        return jay.id, mia.id

    jay_id, mia_id = seed(fill)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    ws.open_person(jay_id)
    profile = ws.people.profile
    press(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    tab = profile.family
    assert profile.tabs.currentWidget() is tab

    # His mum: relationship, name, phone, parental responsibility, what she may be told.
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is tab.relation
    tab.relation.setCurrentIndex(tab.relation.findData("mother"))
    press(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(tab.name, "Grace Okafor")
    press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(tab.phone, "07700900321")
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # ticks "Holds parental responsibility"
    qtbot.waitUntil(tab.parental.isChecked)
    press(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    assert [tab.table.item(0, c).text() for c in range(5)] == [
        "Mother",
        "Grace Okafor",
        "Yes",
        "Only about their safety",
        "07700900321",
    ]

    # His sister, found on our records by typing her name.
    tab.relation.setCurrentIndex(tab.relation.findData("sibling"))
    tab.name.setFocus()
    qtbot.keyClicks(tab.name, "Mia")
    assert tab.on_records.count() == 2
    tab.on_records.setCurrentIndex(1)
    press(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 2)
    assert tab.table.item(1, 1).text() == "Mia Okafor (on our records)"
    assert "Famil" in profile.tabs.tabText(profile.tabs.currentIndex()) and "(2)" in profile.tabs.tabText(
        profile.tabs.currentIndex()
    )
    # On Mia's profile he shows as her brother.
    ws.open_person(mia_id)
    assert [m.name for m in profile.family.members] == ["Jay Okafor"]

    # Delete takes the highlighted link off.
    ws.open_person(jay_id)
    profile.tabs.setCurrentWidget(tab)
    tab.table.setFocus()
    tab.table.selectRow(0)
    press(qtbot, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)


def test_the_board_tab_shows_the_rag_spread_and_change_over_the_quarter(qtbot, seed, profile_dir):
    from dataclasses import replace as with_
    from datetime import UTC, datetime

    from ui.review.board_tab import BoardTab
    from youthwork.domain.weeks import Period
    from youthwork.reports.board import board_summary

    def fill(backend: Backend) -> object:
        people = backend.people
        jay = people.add(YoungPerson(first_name="Jay", education_status="in_school"), date(2026, 1, 5))
        people.update(with_(jay, education_status="neet"), date(2026, 2, 20))
        people.set_rag(jay.id, "amber", "Coming to Kicks")
        return board_summary(backend.profile.db, Period(date(2026, 1, 1), date(2026, 3, 31)), now=datetime.now(UTC))

    board = seed(fill)
    tab = BoardTab()
    qtbot.addWidget(tab)
    tab.show_board(board)
    table = tab.measures_table  # the board pack's other parts have tables of their own
    rows = {
        table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())
    }
    assert rows["Young people NEET on 01/01/2026"][0] == "0"
    assert rows["Young people NEET on 31/03/2026"][0] == "1"
    assert rows["… became NEET in the period"][0] == "1"
    # Rated amber today, after the quarter: not in its spread.
    assert rows["Rated amber"] == ("0", "0% of the 0 rated")
