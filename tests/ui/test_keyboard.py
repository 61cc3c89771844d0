"""Keys behave the same on every form: Esc goes back and keeps what was typed as a draft, put back on return
(a new young person, a safety plan, a referral, as a session already did); a kept draft can be discarded."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import focused, press, unlock
from ui.backend import Backend
from ui.people.area import PERSON_DRAFT
from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import ReferralStatus

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _kai(backend: Backend) -> None:
    backend.people.add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))


def test_esc_on_a_new_young_person_keeps_a_draft_until_discarded(qtbot, make_window, seed):
    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    press(qtbot, Qt.Key.Key_2, CTRL)
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = ws.people.form
    assert focused() is form.first_name
    qtbot.keyClicks(form.first_name, "Tia")
    qtbot.keyClicks(form.area, "Ledbury Court")
    press(qtbot, Qt.Key.Key_Escape)
    assert ws.people.list.isVisible()
    assert ws.people.kept_note.isVisible() and "Ctrl+N puts it back" in ws.people.kept_note.text()
    assert ws.backend.drafts.load(PERSON_DRAFT)["values"]["first_name"] == "Tia"

    press(qtbot, Qt.Key.Key_N, CTRL)
    assert form.isVisible() and form.first_name.text() == "Tia" and form.area.text() == "Ledbury Court"
    assert form.discard_button.isVisible()
    press(qtbot, Qt.Key.Key_D, CTRL_SHIFT)  # Discard draft
    assert ws.people.list.isVisible() and not ws.people.kept_note.isVisible()
    assert ws.backend.drafts.load(PERSON_DRAFT) is None
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert form.first_name.text() == "" and not form.discard_button.isVisible()
    press(qtbot, Qt.Key.Key_Escape)  # nothing typed: nothing kept
    assert ws.people.list.isVisible() and not ws.people.kept_note.isVisible()


def test_esc_on_a_safety_plan_and_a_referral_keeps_them_as_drafts(qtbot, make_window, seed):
    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    kai = ws.backend.people.search("Kai")[0]

    ws.new_plan(kai.id)
    editor = ws.plans.editor
    qtbot.waitUntil(editor.isVisible)
    qtbot.keyClicks(editor.risks, "Older boys asking him to carry packages")
    press(qtbot, Qt.Key.Key_Escape)
    assert ws.plans.list.isVisible()
    (plan,) = ws.backend.plans.for_person(kai.id)
    assert plan.status == "draft" and plan.risks_triggers == "Older boys asking him to carry packages"
    ws.plans.open_plan(plan.id)
    assert editor.risks.toPlainText() == "Older boys asking him to carry packages"
    press(qtbot, Qt.Key.Key_Escape)  # nothing changed since: nothing more is written
    assert len(ws.backend.plans.for_person(kai.id)) == 1

    ws.new_referral(kai.id)
    form = ws.referrals.form
    qtbot.waitUntil(form.isVisible)
    form.reason.setFocus()
    qtbot.keyClicks(form.reason, "Seen with older boys")
    press(qtbot, Qt.Key.Key_Escape)
    assert ws.referrals.list.isVisible()
    (view,) = ws.backend.referrals.for_person(kai.id)
    assert view.referral.status == ReferralStatus.DRAFT and view.referral.reason == "Seen with older boys"
