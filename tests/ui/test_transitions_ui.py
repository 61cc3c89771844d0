"""Transitions at 18 on the Today page in a real window: the young person turning 18 is listed, the handover is
planned from the keyboard (a bad date is shown at its field), and the row then shows it planned."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from tests.ui.conftest import focused, press, unlock
from youthwork.domain.records import YoungPerson

ALT = Qt.KeyboardModifier.AltModifier


def _seed(backend) -> None:
    backend.referrals.set_agency_team("igt", "team-igt")
    soon = date.today() - timedelta(days=18 * 365 + 4) + timedelta(days=60)  # turns 18 in about two months
    backend.people.add(YoungPerson(first_name="Tyrese", last_name="Cole", date_of_birth=soon, rag="red"))
    backend.people.add(YoungPerson(first_name="Mo", date_of_birth=soon, rag="green"))  # green, not open: not listed


def test_plan_a_handover_from_today(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    today = window.workspace.today
    section = today.transitions
    qtbot.waitUntil(lambda: section.table.rowCount() == 1)
    assert section.table.item(0, 0).text() == "Tyrese Cole" and section.table.item(0, 2).text() == "Red"
    assert section.table.item(0, 3).text() == "Not planned yet"
    section.table.setFocus()
    press(qtbot, Qt.Key.Key_V, ALT)
    assert focused() is section.handover_on
    qtbot.keyClicks(section.handover_on, "32/13/2026")
    press(qtbot, Qt.Key.Key_N, ALT)
    qtbot.waitUntil(lambda: section.errors._labels["handover_on"].isVisible())
    section.handover_on.clear()
    qtbot.keyClicks(section.handover_on, (date.today() + timedelta(days=30)).strftime("%d/%m/%Y"))
    qtbot.keyClicks(section.reason, "Turning 18 and still being drawn into county lines")
    press(qtbot, Qt.Key.Key_B, ALT)
    assert focused() is section.basis
    section.basis.setCurrentIndex(section.basis.findData("public_task"))
    press(qtbot, Qt.Key.Key_N, ALT)
    qtbot.waitUntil(lambda: section.table.item(0, 3).text().startswith("Handover planned and sent"))
    (view,) = window.workspace.backend.referrals.for_person(section.rows[0].person.id)
    assert (view.referral.kind, view.referral.to_agency, view.referral.to_team_id) == ("transition", "igt", "team-igt")
    # Enter on the row opens the young person.
    section.table.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace.current_area == "people")
