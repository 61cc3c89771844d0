"""Moving a young person to another team, in a real window by keys: a supervisor proposes it from the profile
(Ctrl+Shift+M), and a supervisor of the receiving team accepts or declines it from Review → Moves in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import focused, press, unlock
from ui.backend import Backend
from ui.people.move_dialog import MoveDialog
from youthwork.domain.records import YoungPerson
from youthwork.domain.transfers import GOES_BY_DEFAULT, PersonTransfer, TransferStatus
from youthwork.domain.vocab import Role
from youthwork.store.settings import OTHER_TEAMS, ROLE, TEAM_ID, USER_ID

CTRL, ALT, SHIFT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ShiftModifier,
)
NORTH, EAST = "01a00000-0000-7000-8000-00000000000a", "01a00000-0000-7000-8000-00000000000b"


def _supervisor(backend: Backend) -> None:
    backend.profile.set_setting(ROLE, Role.SUPERVISOR)
    backend.profile.set_setting(TEAM_ID, NORTH)
    backend.profile.set_setting(USER_ID, "u-sue")
    backend.profile.set_setting(OTHER_TEAMS, {EAST: "Detached East"})


def _seed_person(backend: Backend) -> None:
    _supervisor(backend)
    backend.people.add(YoungPerson(first_name="Jay", last_name="Okafor", area="Peckham"))


def _seed_incoming(backend: Backend) -> None:
    _supervisor(backend)
    for first in ("Kai", "Ruby"):
        # What the receiving team holds while a move waits: the minimum of someone else's young person, and the move.
        person = backend.profile.records.save(YoungPerson(first_name=first, area="Bow", team_id=EAST))
        backend.profile.records.save(
            PersonTransfer(
                team_id=EAST,
                person_id=person.id,
                to_team_id=NORTH,
                note=f"{first} is moving to Peckham with their aunt.",
                goes=list(GOES_BY_DEFAULT),
                proposed_by="u-tom",
            )
        )


def _dialog(qtbot) -> MoveDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), MoveDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, MoveDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_a_supervisor_proposes_a_move_from_the_profile_by_keys(qtbot, make_window, seed):
    seed(_seed_person)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_2, CTRL)
    people = window.workspace.people
    jay = people.backend.people.search("Jay")[0]
    people.open_profile(jay.id)
    profile = people.profile
    assert profile.move_button.isVisibleTo(profile)
    press(qtbot, Qt.Key.Key_M, CTRL | SHIFT)
    dialog = _dialog(qtbot)
    assert focused() is dialog.team and dialog.team.accessibleName() == "Team they are moving to"
    press(qtbot, Qt.Key.Key_Return, CTRL)  # nothing chosen: refused, said at the fields
    assert dialog.isVisible()
    assert dialog.errors._labels["to_team_id"].text() == "Choose the team they are moving to."
    assert dialog.errors._labels["note"].text() == "Write a handover note for the receiving team."
    dialog.team.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    assert dialog.team.currentText() == "Detached East"
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.note and dialog.note.accessibleName() == "Handover note"
    qtbot.keyClicks(dialog.note, "Moving north with mum in January. Amy sees him on Tuesdays.")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.goes["safety_plans"] and dialog.goes["safety_plans"].isChecked()
    press(qtbot, Qt.Key.Key_Space)  # the safety plan stays with us (unticked)
    assert not dialog.goes["case_notes"].isChecked()  # case notes stay unless chosen
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    move = people.backend.transfers.waiting(jay.id)
    assert move is not None and move.to_team_id == EAST and move.proposed_by == "u-sue"
    assert "safety_plans" not in move.goes and "rag_ratings" in move.goes and "case_notes" not in move.goes
    assert move.note.startswith("Moving north")
    assert profile.move_line.isVisibleTo(profile)
    assert profile.move_line.text().startswith("Waiting for Detached East to accept")

    # Opening it again offers to withdraw the move waiting.
    window.activateWindow()  # the offscreen platform leaves no window active after a modal dialog (as test_merge_ui)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and focused() is profile.move_button)
    press(qtbot, Qt.Key.Key_M, CTRL | SHIFT)
    dialog = _dialog(qtbot)
    assert focused() is dialog.withdraw_button
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert people.backend.transfers.waiting(jay.id) is None
    assert people.backend.transfers.for_person(jay.id)[0].status == TransferStatus.WITHDRAWN


def test_a_worker_has_no_move_button(qtbot, make_window, seed):
    def worker(backend: Backend) -> None:
        _seed_person(backend)
        backend.profile.set_setting(ROLE, Role.WORKER)

    seed(worker)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_2, CTRL)
    people = window.workspace.people
    people.open_profile(people.backend.people.search("Jay")[0].id)
    assert not people.profile.move_button.isVisibleTo(people.profile)


def test_the_receiving_supervisor_accepts_and_declines_in_review(qtbot, make_window, seed):
    seed(_seed_incoming)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_6, CTRL)
    review = window.workspace.review
    qtbot.waitUntil(lambda: review.isVisible())
    review.tabs.setFocus()
    press(qtbot, Qt.Key.Key_M, ALT)
    tab = review.moves
    qtbot.waitUntil(lambda: tab.isVisible() and tab.table.rowCount() == 2)
    assert review.tabs.tabText(review.tabs.indexOf(tab)) == "&Moves in (2)"
    assert tab.table.accessibleName() == "Moves waiting for your answer"
    assert tab.table.item(0, 0).text() == "Kai" and tab.table.item(0, 1).text() == "Detached East"
    assert tab.note.toPlainText().startswith("Kai is moving to Peckham")
    press(qtbot, Qt.Key.Key_Return, CTRL)  # accept Kai's move
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    moves = window.workspace.backend.transfers
    kai = [m for m in moves.for_person(tab.moves[0].person_id)]  # Ruby's, still waiting
    assert kai and kai[0].status == TransferStatus.PROPOSED
    accepted = window.workspace.backend.profile.records.select(PersonTransfer, "status = ?", ("accepted",))
    assert len(accepted) == 1 and accepted[0].answered_by == "u-sue"
    # Declining needs a reason: the focus goes to its field.
    press(qtbot, Qt.Key.Key_D, CTRL | SHIFT)
    assert tab.message.text().startswith("Say why you decline")
    assert focused() is tab.reason and tab.reason.accessibleName() == "Reason for declining"
    qtbot.keyClicks(tab.reason, "Not our area: ask the Camberwell team.")
    press(qtbot, Qt.Key.Key_D, CTRL | SHIFT)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 0)
    declined = window.workspace.backend.profile.records.select(PersonTransfer, "status = ?", ("declined",))
    assert len(declined) == 1 and declined[0].decline_reason == "Not our area: ask the Camberwell team."
    assert review.tabs.tabText(review.tabs.indexOf(tab)) == "&Moves in"
