"""Sessions: a Kicks register of 20 known young people, 3 new faces and a headcount; validation; case notes."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import press, unlock
from ui.backend import Backend
from youthwork.domain.records import Attendance, Session, YoungPerson

ESTATE = "Sumner Estate"
FIRST_NAMES = [
    "Aaron", "Bilal", "Callum", "Dami", "Elijah", "Femi", "Gabriel", "Hassan", "Isaac", "Jamal",
    "Kai", "Leon", "Malik", "Nathan", "Omar", "Praise", "Quincy", "Rico", "Samir", "Tobi",
    "Uche", "Victor", "Wes", "Xavier", "Yusuf",
]  # fmt: skip


def seed_kicks(backend: Backend) -> list[str]:
    """25 young people on the estate; 20 of them came to last week's Kicks session in the cage."""
    ids = []
    for i, name in enumerate(FIRST_NAMES):
        p = backend.people.add(YoungPerson(first_name=name, last_name=f"Test{i}", area=ESTATE, estimated_age=14))
        ids.append(p.id)
    start = datetime.now().astimezone().replace(hour=17, minute=0, second=0, microsecond=0) - timedelta(days=7)
    last_week = Session(
        session_type="kicks", starts_at=start, ends_at=start + timedelta(hours=2), area=ESTATE, place="The cage"
    )
    backend.sessions.save_draft(last_week, ids[:20])
    backend.sessions.submit(last_week.id)
    return ids


class Keyboard:
    """Presses keys on whatever has the focus, and counts them: a chord is one press, a typed word its letters."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.presses = 0
        self.modifier_presses = 0

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        target = QApplication.focusWidget()
        assert target is not None, "nothing has the keyboard focus"
        self.qtbot.keyClick(target, key, modifier)
        QApplication.processEvents()  # some widgets act on a key through a queued call, as in the running app
        self.presses += 1
        self.modifier_presses += bin(modifier.value).count("1")

    def type(self, text: str) -> None:
        target = QApplication.focusWidget()
        assert target is not None, "nothing has the keyboard focus"
        self.qtbot.keyClicks(target, text)
        QApplication.processEvents()
        self.presses += len(text)


CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def test_log_kicks_register_by_keyboard_alone_and_count_the_keys(qtbot, make_window, seed):
    ids = seed(seed_kicks)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("sessions")  # start from the session list
    sessions = window.workspace.sessions
    assert sessions.list.isVisible()

    kb = Keyboard(qtbot)
    kb.key(Qt.Key.Key_N, CTRL)  # Log a session
    form = sessions.form
    assert form.session_type.hasFocus()
    kb.type("k")  # Kicks football
    assert form.session_type.currentData() == "kicks"
    kb.key(Qt.Key.Key_A, ALT)  # Area or estate
    assert form.area.hasFocus()
    kb.type("Su")  # completes to "Sumner Estate" as you type
    assert form.area.text() == ESTATE
    kb.key(Qt.Key.Key_G, ALT)  # tick last time's regulars
    assert len(form.register.person_ids()) == 20

    kb.key(Qt.Key.Key_W, ALT)  # add a new face
    assert form.register.quick_name.hasFocus()
    for name, age in (("Mo", "13"), ("Zak", "15"), ("Precious", "14")):
        kb.type(name)
        kb.key(Qt.Key.Key_Tab)
        kb.type(age)
        kb.key(Qt.Key.Key_Return)
    assert len(form.register.person_ids()) == 23

    kb.key(Qt.Key.Key_H, ALT)  # headcount: boys 14–15: 4, girls 14–15: 2
    grid = form.register.grid
    assert grid.hasFocus()
    kb.key(Qt.Key.Key_Down)
    kb.key(Qt.Key.Key_Down)
    kb.type("4")
    kb.key(Qt.Key.Key_Right)  # keeps the 4 and moves, as in a spreadsheet
    kb.type("2")
    assert form.register.headcounts() == {"male/14_15": 4, "female/14_15": 2}

    kb.key(Qt.Key.Key_Return, CTRL)  # submit for sign-off
    assert sessions.list.isVisible(), form.errors.form_error.text()
    # The list says who was there: named on the register and counted without a name.
    table = sessions.list.table
    qtbot.waitUntil(lambda: table.model().rowCount() >= 2)
    heading = table.model().headerData(4, Qt.Orientation.Horizontal)
    assert heading == "Young people"
    assert table.model().index(0, 4).data() == "23 named, 6 counted"
    assert table.model().index(1, 4).data() == "20 named"  # last week's

    print(f"\nKeystrokes to log the Kicks register from the session list: {kb.presses} "
          f"(chords counted once; {kb.presses + kb.modifier_presses} counting each modifier key too)")  # fmt: skip
    assert kb.presses < 60

    backend = window.backend
    latest = backend.sessions.recent(0, 1)[0]
    assert latest.session_type == "kicks" and latest.status == "submitted"
    assert latest.area == ESTATE
    assert latest.headcounts == {"male/14_15": 4, "female/14_15": 2}
    register = backend.sessions.register(latest.id)
    assert len(register) == 23
    assert {p.id for p in register} >= set(ids[:20])
    new_faces = [p for p in register if p.incomplete]
    assert sorted(p.first_name for p in new_faces) == ["Mo", "Precious", "Zak"]
    assert all(p.area == ESTATE and p.estimated_age in (13, 14, 15) for p in new_faces)
    attendance = backend.profile.records.select(Attendance, "session_id = ?", (latest.id,))
    assert sum(a.new_face for a in attendance) == 3


def test_register_by_typing_names_validation_and_a_concern(qtbot, make_window, seed):
    ids = seed(seed_kicks)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("sessions")
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = window.workspace.sessions.form

    # An empty register with no headcount, and an end before the start: refused, each at its place.
    qtbot.keyClicks(form.area, "Brandon")
    form.start.setTime(form.end.time().addSecs(3600) if form.end.time().hour() < 15 else form.end.time())
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert form.isVisible()
    assert form.errors.form_error.isVisible()
    assert "ends before it starts" in form.errors._labels["times"].text()
    assert form.area.text().startswith("Brandon")  # what was typed stays
    form.start.setTime(form.end.time().addSecs(-7200))
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert "register is empty" in form.register.error.text()

    # Type to find and tick: a few letters, Enter.
    qtbot.keyClick(form.register.find_box, Qt.Key.Key_F, ALT)
    for text in ("aar", "bil", "cal"):
        qtbot.keyClicks(form.register.find_box, text)
        qtbot.keyClick(form.register.find_box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not form.register.find_box.text(), timeout=3000)
    assert len(form.register.person_ids()) == 3
    assert set(form.register.person_ids()) == set(ids[:3])
    # Delete takes someone off again.
    form.register.ticked.setFocus()
    form.register.ticked.setCurrentRow(0)
    qtbot.keyClick(form.register.ticked, Qt.Key.Key_Delete)
    assert len(form.register.person_ids()) == 2

    # A safeguarding concern needs details, and is flagged for the supervisor.
    qtbot.keyClick(form.concern, Qt.Key.Key_Space)
    assert form.concern_banner.isVisible()
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert "supervisor" in form.errors._labels["concern_details"].text()
    qtbot.keyClicks(form.concern_details, "Bilal said older boys are asking him to hold a package.")
    qtbot.keyClicks(form.narrative, "Quiet session; talked about county lines.")
    press(qtbot, Qt.Key.Key_S, CTRL)  # save draft first
    assert form.isVisible() and "Draft saved" in form.status.text()
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert window.workspace.sessions.list.isVisible()
    assert "supervisor" in window.workspace.sessions.list.message.text()
    saved = window.backend.sessions.recent(0, 1)[0]
    assert saved.concern and saved.status == "submitted"


def test_case_note_and_amendment_from_a_profile_and_from_a_session(qtbot, make_window, seed):
    ids = seed(seed_kicks)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.open_person(ids[0])
    profile = window.workspace.people.profile
    assert profile.isVisible()
    assert "1)" in profile.tabs.tabText(1)  # sessions attended: last week's Kicks

    press(qtbot, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    notes = profile.notes
    assert notes.editor.hasFocus()
    press(qtbot, Qt.Key.Key_Return, CTRL)  # an empty note is refused
    assert "empty" in notes.errors._labels["text"].text()
    qtbot.keyClicks(notes.editor, "Aaron said he was excluded from school on Monday.")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert notes.tree.topLevelItemCount() == 1

    # Amend: the original stays, the amendment sits under it.
    notes.tree.setFocus()
    notes.tree.setCurrentItem(notes.tree.topLevelItem(0))
    qtbot.keyClick(notes.tree, Qt.Key.Key_Return)
    assert notes.amending is not None and notes.editor.hasFocus()
    qtbot.keyClicks(notes.editor, "Correction: it was a fixed-term exclusion, five days, not permanent.")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    top = notes.tree.topLevelItem(0)
    assert notes.tree.topLevelItemCount() == 1
    assert top.text(2) == "Aaron said he was excluded from school on Monday."
    assert top.childCount() == 1 and top.child(0).text(2).startswith("Amendment: Correction")
    stored = window.backend.notes.for_person(ids[0])
    assert len(stored) == 2 and stored[1].corrects_id == stored[0].id

    # From a session: pick someone on the register and write about them.
    session_row = profile.sessions.item(0, 0)
    profile.tabs.setCurrentIndex(1)
    profile.sessions.setFocus()
    profile.sessions.setCurrentItem(session_row)
    qtbot.keyClick(profile.sessions, Qt.Key.Key_Return)
    form = window.workspace.sessions.form
    assert form.isVisible() and form.read_only
    assert form.notes_box.isVisible()
    form.note_person.setCurrentIndex(form.note_person.findData(ids[1]))
    qtbot.keyClicks(form.notes.editor, "Bilal asked about the boxing club.")
    qtbot.keyClick(form.notes.editor, Qt.Key.Key_Return, CTRL)
    notes_b = window.backend.notes.for_person(ids[1])
    assert [n.text for n in notes_b] == ["Bilal asked about the boxing club."]
    assert notes_b[0].session_id == form.session.id
