"""Drafts are not delivered work: a draft is not counted in the week's figures, is shown apart, and can be discarded
(with an audit line); a new form's times are marked as a suggestion until the worker changes them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import focused, press, unlock
from tests.ui.test_sessions import ALT, CTRL, seed_kicks
from youthwork.domain.records import Attendance, Session
from youthwork.domain.weeks import IsoWeek

SHIFT = Qt.KeyboardModifier.ShiftModifier


def log_kicks(qtbot, window, submit: bool) -> Session:
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = window.workspace.sessions.form
    assert "suggested" in form.overnight.text()  # the two-hour slot is a guess, and says so
    qtbot.keyClicks(form.session_type, "k")
    press(qtbot, Qt.Key.Key_A, ALT)
    qtbot.keyClicks(form.area, "Su")
    press(qtbot, Qt.Key.Key_G, ALT)
    assert len(form.register.person_ids()) == 20
    press(qtbot, Qt.Key.Key_Return if submit else Qt.Key.Key_S, CTRL)
    return window.backend.sessions.get(form.session.id)


def test_a_draft_is_not_counted_and_is_gone_after_discard(qtbot, make_window, seed):
    seed(seed_kicks)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("sessions")
    submitted = log_kicks(qtbot, window, submit=True)
    assert submitted.status == "submitted"
    draft = log_kicks(qtbot, window, submit=False)
    assert draft.status == "draft"
    form = window.workspace.sessions.form
    assert form.discard_button.isVisible()

    # The Review page for that week: one session delivered, the draft shown apart.
    press(qtbot, Qt.Key.Key_Escape)
    window.workspace.go("review")
    area = window.workspace.review
    week = IsoWeek.containing(submitted.starts_at.date())
    area.week_edit.setFocus()
    area.week_edit.selectAll()
    qtbot.keyClicks(area.week_edit, str(week))
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.report is not None and area.report.week == week, timeout=10_000)
    tiles = {b.figure.key: b.figure for b in area.figure_buttons}
    assert tiles["sessions"].value == 1 and tiles["sessions"].ids == (submitted.id,)
    assert tiles["hours"].value == round(submitted.hours, 2)
    assert tiles["sessions_not_submitted"].ids == (draft.id,)
    assert tiles["sessions_not_submitted"].label == "Not yet submitted"
    assert tiles["reached"].value == 20  # the same 20 were on the draft's register: counted once, from the submitted

    # Open the draft and discard it: asked first; Esc keeps it; Ctrl+Shift+D then Enter on "Discard it".
    window.workspace.go("sessions")
    window.workspace.sessions.open_session(draft.id)
    assert form.isVisible() and form.discard_button.isVisible()
    press(qtbot, Qt.Key.Key_D, CTRL | SHIFT)
    assert form.discard_confirm.isVisible() and focused() is form.discard_no
    press(qtbot, Qt.Key.Key_Escape)
    assert not form.discard_confirm.isVisible() and form.isVisible()
    assert window.backend.sessions.get(draft.id) is not None
    press(qtbot, Qt.Key.Key_D, CTRL | SHIFT)
    press(qtbot, Qt.Key.Key_Tab, SHIFT)
    assert focused() is form.discard_yes
    press(qtbot, Qt.Key.Key_Return)
    sessions = window.workspace.sessions
    assert sessions.list.isVisible() and "discarded" in sessions.list.message.text()
    assert window.backend.sessions.get(draft.id) is None
    records = window.backend.profile.records
    assert records.count(Attendance, "session_id = ?", (draft.id,)) == 0
    assert records.count(Attendance, "session_id = ?", (submitted.id,)) == 20
    audit = window.backend.profile.db.query(
        "SELECT action, reason FROM audit_log WHERE record_id = ? ORDER BY seq", (draft.id,)
    )
    assert [tuple(r) for r in audit][-1] == ("changed", "session_draft_discarded")

    # A submitted session offers no discard, and the service refuses one.
    sessions.open_session(submitted.id)
    assert not form.discard_button.isVisible()
    press(qtbot, Qt.Key.Key_D, CTRL | SHIFT)
    assert not form.discard_confirm.isVisible()
    assert window.backend.sessions.get(submitted.id) is not None
