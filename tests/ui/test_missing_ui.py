"""Missing episodes and joint home visits in a real window, by keyboard: Alt+M opens the Missing tab, an episode is
reported and the return recorded; the interview due shows on the profile and on Today, and saving the interview done
closes it. On the NFA tab, the third NFA's prompt closes when the joint visit is recorded."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt

from tests.ui.conftest import focused, press, unlock
from ui.people.profile_page import TAB_MISSING, TAB_NFA
from youthwork.domain.records import YoungPerson

ALT = Qt.KeyboardModifier.AltModifier


def _seed(backend) -> None:
    backend.people.add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))


def _open_profile(qtbot, window):
    person = window.workspace.backend.people.search("Kai")[0]
    window.workspace.open_person(person.id)
    profile = window.workspace.people.profile
    qtbot.waitUntil(lambda: profile.person is not None)
    return profile, person


def _when(hours_ago: int) -> str:
    return (datetime.now() - timedelta(hours=hours_ago)).strftime("%d/%m/%Y %H:%M")


def test_report_return_and_interview_by_keyboard(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    profile, person = _open_profile(qtbot, window)
    profile.tabs.tabBar().setFocus()
    press(qtbot, Qt.Key.Key_M, ALT)
    assert profile.tabs.currentIndex() == TAB_MISSING
    tab = profile.missing
    assert not tab.return_button.isEnabled()  # nothing chosen yet
    # A bad date is shown at its field; nothing is saved.
    press(qtbot, Qt.Key.Key_A, ALT)
    assert focused() is tab.reported_at
    qtbot.keyClicks(tab.reported_at, "31/02/2026")
    assert not tab.report()
    assert tab.report_errors._labels["reported_at"].text() == "That date does not exist: check the day and month."
    tab.reported_at.clear()
    qtbot.keyClicks(tab.reported_at, _when(30))
    press(qtbot, Qt.Key.Key_Y, ALT)
    assert focused() is tab.reported_by
    tab.reported_by.setCurrentIndex(tab.reported_by.findData("parent"))
    qtbot.keyClicks(tab.police_reference, "CAD 4411")
    tab.report_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    assert profile.tabs.tabText(TAB_MISSING) == "&Missing (1)"
    assert "1 missing episode" in profile.summary.text()
    assert tab.table.item(0, 2).text() == "Still missing" and not tab.prompt.isVisible()
    # They came back: the interview is due.
    press(qtbot, Qt.Key.Key_K, ALT)
    assert focused() is tab.returned_at
    qtbot.keyClicks(tab.returned_at, _when(20))
    press(qtbot, Qt.Key.Key_W, ALT)
    qtbot.keyClicks(tab.found_where, "A friend's flat in Peckham")
    tab.return_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(tab.prompt.isVisible)
    assert "return home interview is due" in tab.prompt.text()
    assert tab.table.item(0, 4).text() == "Due"
    window.workspace.go("today")
    today = window.workspace.today
    qtbot.waitUntil(lambda: "1 return home interview due: Kai Mensah" in today.week.text())
    # The interview, done.
    window.workspace.open_person(person.id)
    profile.tabs.setCurrentIndex(TAB_MISSING)
    tab.offered_at.setFocus()
    press(qtbot, Qt.Key.Key_I, ALT)
    assert focused() is tab.offered_at
    qtbot.keyClicks(tab.offered_at, _when(18))
    tab.status.setCurrentIndex(tab.status.findData("done"))
    tab.status.setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is tab.held_at
    qtbot.keyClicks(tab.held_at, _when(2))
    qtbot.keyClicks(tab.learned, "Stays away after rows at home")
    qtbot.keyClicks(tab.places, "Stairwell of Gloucester House")
    tab.interview_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not tab.prompt.isVisible())
    assert tab.table.item(0, 4).text().startswith("Done")
    assert window.workspace.backend.missing.interviews_due() == []
    window.workspace.go("today")
    qtbot.waitUntil(lambda: "return home interview" not in today.week.text())


def test_the_joint_visit_closes_the_third_nfa_prompt(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    profile, _person = _open_profile(qtbot, window)
    profile.tabs.setCurrentIndex(TAB_NFA)
    panel = profile.nfa
    for n in range(3):
        panel.when.setText((date.today() - timedelta(days=10 * (3 - n))).strftime("%d/%m/%Y"))
        panel.category.setCurrentIndex(panel.category.findData("robbery"))
        assert panel.record()
    assert panel.prompt.isVisible() and "3 NFAs: a joint home visit is due" in profile.summary.text()
    # Done, with no one named: shown at the fields.
    panel.visit_status.setCurrentIndex(panel.visit_status.findData("done"))
    panel.visit_when.setText(date.today().strftime("%d/%m/%Y"))
    assert not panel.record_visit()
    assert panel.visit_errors._labels["police_officer"].isVisible()
    qtbot.keyClicks(panel.tys_workers, "Sam, Alex")
    qtbot.keyClicks(panel.police_officer, "PC Adeyemi")
    panel.outcomes.setFocus()
    panel.outcomes.setCurrentRow(0)
    press(qtbot, Qt.Key.Key_Space)  # ticks "Family referred for a service"
    assert panel.record_visit()
    assert not panel.prompt.isVisible()
    assert "joint home visit is due" not in profile.summary.text()
    assert panel.visits.item(0, 1).text() == "Done" and "Family referred" in panel.visits.item(0, 3).text()
    assert window.workspace.backend.joint_visits.due() == []
