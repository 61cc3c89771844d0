"""The keystroke benchmark: key presses to log two sessions from the session list, as a worker would.

- A Kicks register of 20 where last time's regulars give only 11 of them: tick the regulars (16 came last week),
  take off the 5 not here, type 7 more known names, add 2 new faces, and a headcount.
- A street session with 3 named and a safeguarding concern about one of them.

A chord counts as one press; typed words count their letters (the concern's own words are counted apart).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from tests.ui.conftest import unlock
from tests.ui.test_sessions import ALT, CTRL, ESTATE, FIRST_NAMES, Keyboard
from ui.backend import Backend
from youthwork.domain.records import Session, YoungPerson

ABSENT = (3, 6, 9, 12, 15)  # of last week's 16 (register order), not here this week


def seed_estate(backend: Backend) -> list[str]:
    ids = [
        backend.people.add(YoungPerson(first_name=n, last_name=f"Test{i}", area=ESTATE, estimated_age=14)).id
        for i, n in enumerate(FIRST_NAMES)
    ]
    start = datetime.now().astimezone().replace(hour=17, minute=0, second=0, microsecond=0) - timedelta(days=7)
    last_week = Session(
        session_type="kicks", starts_at=start, ends_at=start + timedelta(hours=2), area=ESTATE, place="The cage"
    )
    backend.sessions.save_draft(last_week, ids[:16])
    backend.sessions.submit(last_week.id)
    return ids


def test_keystrokes_kicks_register_and_street_session(qtbot, make_window, seed):
    ids = seed(seed_estate)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("sessions")
    sessions = window.workspace.sessions

    # -- Kicks: 11 of last week's 16, 7 more typed, 2 new faces, a headcount
    kb = Keyboard(qtbot)
    kb.key(Qt.Key.Key_N, CTRL)
    form = sessions.form
    register = form.register
    kb.type("k")
    kb.key(Qt.Key.Key_A, ALT)
    kb.type("Su")
    assert form.area.text() == ESTATE
    kb.key(Qt.Key.Key_G, ALT)
    assert len(register.person_ids()) == 16
    kb.key(Qt.Key.Key_R, ALT)  # to the register list, its first name highlighted
    row = 0
    for position in ABSENT:
        for _ in range(position - len([p for p in ABSENT if p < position]) - row):
            kb.key(Qt.Key.Key_Down)
        row = register.ticked.currentRow()
        kb.key(Qt.Key.Key_Delete)
    assert sorted(register.person_ids()) == sorted(ids[i] for i in range(16) if i not in ABSENT)
    kb.key(Qt.Key.Key_F, ALT)
    for name in FIRST_NAMES[16:23]:
        kb.type(name[:3].lower())
        kb.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not register.find_box.text(), timeout=3000)
    assert len(register.person_ids()) == 18
    kb.key(Qt.Key.Key_W, ALT)
    for name, age in (("Mo", "13"), ("Zak", "15")):
        kb.type(name)
        kb.key(Qt.Key.Key_Tab)
        kb.type(age)
        kb.key(Qt.Key.Key_Return)
    assert len(register.person_ids()) == 20
    kb.key(Qt.Key.Key_H, ALT)
    kb.key(Qt.Key.Key_Down)
    kb.key(Qt.Key.Key_Down)
    kb.type("4")
    kb.key(Qt.Key.Key_Right)
    kb.type("2")
    kb.key(Qt.Key.Key_Return, CTRL)
    assert sessions.list.isVisible(), form.errors.form_error.text()
    kicks = window.backend.sessions.recent(0, 1)[0]
    assert kicks.status == "submitted" and kicks.headcounts == {"male/14_15": 4, "female/14_15": 2}
    assert len(window.backend.sessions.register(kicks.id)) == 20
    kicks_keys = kb.presses

    # -- Street session: 3 named and a concern about one of them
    kb = Keyboard(qtbot)
    kb.key(Qt.Key.Key_N, CTRL)  # detached, the first type
    kb.key(Qt.Key.Key_A, ALT)
    kb.type("Su")
    kb.key(Qt.Key.Key_F, ALT)
    for text in ("aar", "bil", "cal"):
        kb.type(text)
        kb.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not register.find_box.text(), timeout=3000)
    assert len(register.person_ids()) == 3
    kb.key(Qt.Key.Key_U, ALT)  # safeguarding concern: the details take the focus
    qtbot.waitUntil(lambda: form.concern.isChecked() and form.concern_details.hasFocus(), timeout=2000)
    words = "Bilal said older boys want him to hold a package."
    before = kb.presses
    kb.type(words)
    typed_words = kb.presses - before
    kb.key(Qt.Key.Key_Y, ALT)  # who it is about
    kb.key(Qt.Key.Key_Down)
    kb.key(Qt.Key.Key_Space)  # Bilal, the second on the register
    kb.key(Qt.Key.Key_Return, CTRL)
    assert sessions.list.isVisible(), form.errors.form_error.text()
    street = window.backend.sessions.recent(0, 1)[0]
    assert street.concern and window.backend.sessions.concern_about(street.id) == [ids[1]]
    street_keys = kb.presses - typed_words

    print(
        f"\nKeystrokes from the session list: Kicks register of 20 (11 regulars of 16, 7 typed, 2 new faces, a"
        f" headcount): {kicks_keys}; street session with 3 named and a concern: {street_keys}"
        f" (plus {typed_words} letters of the concern's own words)"
    )
    assert kicks_keys < 90 and street_keys < 30
