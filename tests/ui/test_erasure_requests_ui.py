"""Erasure requests in the Review area, in a real window, by keyboard: another team erased two young people this team
holds notes about (as a sync would leave it: the requests and the team's own notes, no person records). Today says so;
the tab lists both without a name; the supervisor erases the team's notes about one and keeps the other's with a
reason. Both requests close, in the audit trail; only this team's records went."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from tests.ui.conftest import focused, press, unlock
from ui.backend import Backend
from youthwork.domain.ids import new_id
from youthwork.domain.privacy import AuditAction, Erasure, ErasureReview
from youthwork.domain.records import CaseNote
from youthwork.security.audit import AuditFilter, AuditTrail
from youthwork.store.settings import ROLE, TEAM_ID, USER_ID

TEAM, OTHER = "team-igt", "team-tys"
ERASED, KEPT = new_id(), new_id()
ON = datetime(2026, 12, 3, 10, tzinfo=UTC)


def _seed(backend: Backend) -> None:
    backend.set_setting(TEAM_ID.key, TEAM)
    backend.set_setting(ROLE.key, "supervisor")
    backend.set_setting(USER_ID.key, "ian")
    notes = [CaseNote(team_id=TEAM, person_id=ERASED, text=f"Seen at the station {i}") for i in range(4)]
    notes.append(CaseNote(team_id=TEAM, person_id=KEPT, text="Seen at the hub"))
    notes.append(CaseNote(team_id=OTHER, person_id=ERASED, text="Another team's note, shared with us"))
    reviews = [
        ErasureReview(team_id=TEAM, person_id=pid, erasure_id=new_id(), tables=["case_notes"], created_at=ON)
        for pid in (ERASED, KEPT)
    ]
    backend.profile.records.bulk_insert([*notes, *reviews])


def _notes(backend: Backend, person_id: str, team: str = TEAM) -> int:
    return backend.profile.records.count(CaseNote, "person_id = ? AND team_id = ?", (person_id, team))


def test_a_supervisor_decides_erasure_requests_by_keyboard(qtbot, make_window, seed) -> None:
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    backend = window.workspace.backend
    # Today is the page shown at unlock, so going to it asks nothing afresh: wait for the answer to the first ask
    # (worked out off the UI thread), which may already be in.
    window.workspace.go("today")
    today = window.workspace.today
    qtbot.waitUntil(lambda: "2 erasure requests to decide in Review (Ctrl+6)" in today.week.text())

    press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    area = window.workspace.review
    tab = area.erasures
    qtbot.waitUntil(lambda: len(tab.items) == 2)
    assert area.tabs.tabText(area.tabs.indexOf(tab)) == "&Erasure requests (2 to decide)"
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    assert area.tabs.currentWidget() is tab
    assert focused() is tab.requests
    first = tab.requests.item(0).text()
    assert first == (
        "A young person another team has erased (their records went on 3 Dec): your team holds 4 case notes about them."
    )
    assert tab.requests.accessibleName() == "Erasure requests waiting for a decision"
    assert tab.items[0].review.person_id == ERASED

    # Erasing needs the confirmation ticked: Ctrl+Shift+E alone does nothing.
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _notes(backend, ERASED) == 4 and not tab.erase_button.isEnabled()
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert focused() is tab.confirm
    press(qtbot, Qt.Key.Key_Space)
    assert tab.confirm.isChecked() and tab.erase_button.isEnabled()
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(tab.items) == 1)
    assert "erased" in tab.message.text()
    assert _notes(backend, ERASED) == 0
    assert _notes(backend, KEPT) == 1
    assert area.tabs.tabText(area.tabs.indexOf(tab)) == "&Erasure requests (1 to decide)"
    # This team's erasure goes to the service (which erases only this team's records there).
    erasure = backend.profile.records.select(Erasure, "person_id = ?", (ERASED,))
    assert [(e.team_id, e.reason) for e in erasure] == [(TEAM, "owner_erased")]

    # Keep the other: choose the reason by keyboard, then Ctrl+Shift+K.
    assert "1 case note about them" in tab.requests.item(0).text()
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert focused() is tab.reason
    press(qtbot, Qt.Key.Key_Down)
    assert tab.reason.currentData() == "safeguarding"
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not tab.items)
    assert "keeps its records" in tab.message.text()
    assert _notes(backend, KEPT) == 1
    assert area.tabs.tabText(area.tabs.indexOf(tab)) == "&Erasure requests"

    done = {r.person_id: r for r in backend.profile.records.select(ErasureReview)}
    assert (done[ERASED].status, done[ERASED].decision, done[ERASED].reviewed_by) == ("done", "erased", "ian")
    assert (done[KEPT].status, done[KEPT].decision, done[KEPT].keep_reason) == ("done", "kept", "safeguarding")
    audited = AuditTrail(backend.profile).search(AuditFilter(action=AuditAction.ERASURE_REVIEWED))
    assert sorted(e.reason for e in audited) == ["erased", "safeguarding"]
    with qtbot.waitSignal(window.workspace.today.shown):
        window.workspace.go("today")
    assert "erasure request" not in window.workspace.today.week.text()
