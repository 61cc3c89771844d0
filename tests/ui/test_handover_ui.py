"""A supervisor hands a leaver's caseload to a colleague from the people list, by keys only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import focused, press, unlock
from ui.backend import Backend
from ui.people.handover_dialog import HandoverDialog
from youthwork.domain.records import YoungPerson
from youthwork.domain.vocab import Role
from youthwork.services.allocation import AllocationService
from youthwork.store.settings import ROLE, WORKER_NAMES

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def _seed(backend: Backend) -> None:
    backend.profile.set_setting(WORKER_NAMES, {"w-leah": "Leah Leaver", "w-dean": "Dean Mitchell"})
    backend.profile.set_setting(ROLE, Role.SUPERVISOR)
    for name in ("Jay", "Ruby", "Kofi"):
        backend.people.add(YoungPerson(first_name=name, area="Peckham", lead_worker_id="w-leah"))
    backend.people.add(YoungPerson(first_name="Amir", area="Peckham", lead_worker_id="w-dean"))


def test_hand_over_a_leavers_caseload_by_keys(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_2, CTRL)
    page = window.workspace.people.list
    assert page.handover_button.isVisibleTo(page)
    press(qtbot, Qt.Key.Key_H, ALT)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), HandoverDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert focused() is dialog.leaver and dialog.leaver.accessibleName() == "Worker leaving"
    press(qtbot, Qt.Key.Key_Return, CTRL)  # nothing chosen: refused, said at the fields
    assert dialog.isVisible() and dialog.errors._labels["leaver"].text() == "Choose the worker who is leaving."
    dialog.leaver.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)  # Choose a worker, Dean Mitchell, Leah Leaver
    assert dialog.leaver.currentText() == "Leah Leaver"
    assert dialog.count.text() == "3 young people will move to the new lead worker."
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.receiver
    press(qtbot, Qt.Key.Key_Down)
    assert dialog.receiver.currentText() == "Dean Mitchell"
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    service = AllocationService(window.workspace.backend.profile)
    assert service.caseload("w-leah") == []
    assert sorted(p.first_name for p in service.caseload("w-dean")) == ["Amir", "Jay", "Kofi", "Ruby"]


def test_a_worker_has_no_handover(qtbot, make_window, seed):
    seed(lambda b: b.profile.set_setting(ROLE, Role.WORKER))
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_2, CTRL)
    assert not window.workspace.people.list.handover_button.isVisibleTo(window.workspace.people.list)


def test_a_supervisor_names_the_lead_worker_on_the_form(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_2, CTRL)
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = window.workspace.people.form
    assert form.isVisible() and form.lead_choice.accessibleName() == "Lead worker"
    assert not form.lead_me.isVisibleTo(form)  # the supervisor chooses anyone rather than ticking themself
    qtbot.keyClicks(form.first_name, "Zara")
    qtbot.keyClicks(form.area, "Peckham")
    form.lead_choice.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    assert form.lead_choice.currentText() == "Leah Leaver"
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.workspace.people.profile.isVisible())
    saved = AllocationService(window.workspace.backend.profile).caseload("w-leah")
    assert "Zara" in {p.first_name for p in saved}
