"""Find and tick on a register: two young people called Skinny at different estates. The one from this session's
estate (or from earlier registers here) comes first; when they match equally the worker must choose; the estate
and age band show in the matches and on the register; Ctrl+Z takes a tick back."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt

from tests.ui.conftest import press, unlock
from tests.ui.test_sessions import ALT, CTRL
from ui.backend import Backend
from youthwork.domain.records import Session, YoungPerson


def seed_skinnys(backend: Backend) -> dict[str, str]:
    today = date.today()
    samuel = backend.people.add(
        YoungPerson(first_name="Samuel", last_name="Osei", known_as="Skinny", area="Northfield Estate",
                    date_of_birth=today.replace(year=today.year - 17) - timedelta(days=30))
    )  # fmt: skip
    aaron = backend.people.add(
        YoungPerson(first_name="Aaron", last_name="Bell", known_as="Skinny", area="Ledbury Court",
                    date_of_birth=today.replace(year=today.year - 14) - timedelta(days=30))
    )  # fmt: skip
    # Samuel came to a Kicks session at the Sumner cage last week, though he lives at Northfield.
    start = datetime.now().astimezone().replace(hour=17, minute=0, second=0, microsecond=0) - timedelta(days=7)
    kicks = Session(session_type="kicks", starts_at=start, ends_at=start + timedelta(hours=2), area="Sumner Estate")
    backend.sessions.save_draft(kicks, [samuel.id])
    backend.sessions.submit(kicks.id)
    return {"samuel": samuel.id, "aaron": aaron.id}


def new_session_at(qtbot, window, area: str):
    window.workspace.go("sessions")
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = window.workspace.sessions.form
    press(qtbot, Qt.Key.Key_A, ALT)
    qtbot.keyClicks(form.area, area)
    assert form.area.text() == area
    press(qtbot, Qt.Key.Key_F, ALT)
    return form, form.register


def find(qtbot, register, text: str) -> None:
    qtbot.keyClicks(register.find_box, text)
    qtbot.waitUntil(lambda: not register.searcher.waiting and register.results.count() > 0, timeout=5000)


def shown(register) -> list[str]:
    return [register.results.item(i).text() for i in range(register.results.count())]


def test_the_skinny_from_this_estate_is_ticked_and_shown_with_estate_and_age(qtbot, make_window, seed):
    ids = seed(seed_skinnys)
    window = make_window()
    unlock(qtbot, window)
    _form, register = new_session_at(qtbot, window, "Ledbury Court")
    find(qtbot, register, "skinny")
    assert shown(register)[0].startswith("Aaron Bell (Skinny) · Ledbury Court · 14–15")
    assert any("Northfield Estate · 16–17" in line for line in shown(register))
    press(qtbot, Qt.Key.Key_Return)
    assert register.person_ids() == [ids["aaron"]]
    assert register.ticked.item(0).text() == "Aaron Bell (Skinny) · Ledbury Court · 14–15"

    # One key takes the tick back.
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert register.person_ids() == []
    assert "Took Aaron Bell (Skinny) off" in register.find_hint.text()


def test_equal_matches_make_the_worker_choose(qtbot, make_window, seed):
    ids = seed(seed_skinnys)
    window = make_window()
    unlock(qtbot, window)
    _form, register = new_session_at(qtbot, window, "Brandon Estate")  # neither lives or came here
    find(qtbot, register, "skinny")
    press(qtbot, Qt.Key.Key_Return)
    assert register.person_ids() == []  # nobody ticked on a guess
    assert "2 match equally" in register.find_hint.text()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    chosen = register.results.currentItem().text()
    press(qtbot, Qt.Key.Key_Return)
    expected = ids["aaron"] if chosen.startswith("Aaron") else ids["samuel"]
    assert register.person_ids() == [expected]


def test_an_earlier_register_here_ranks_first(qtbot, make_window, seed):
    ids = seed(seed_skinnys)
    window = make_window()
    unlock(qtbot, window)
    _form, register = new_session_at(qtbot, window, "Sumner Estate")
    find(qtbot, register, "skinny")
    assert "came here before" in shown(register)[0]
    press(qtbot, Qt.Key.Key_Return)
    assert register.person_ids() == [ids["samuel"]]
