"""The app's own audit points: opening a young person's profile (once, not per tab) and printing their plan."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from tests.ui.conftest import press, unlock
from ui.backend import Backend
from youthwork.domain.records import YoungPerson
from youthwork.security.audit import AuditFilter, AuditTrail


def _seed(backend: Backend) -> None:
    person = backend.people.add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))
    plan = backend.plans.new_plan(person.id)
    plan.review_date = date.today() + timedelta(days=7)
    backend.plans.agree(plan)


def _entries(window, action: str):
    return AuditTrail(window.workspace.backend.profile).search(AuditFilter(action=action))


def test_opening_a_profile_is_audited_once_not_per_tab(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    person = ws.backend.people.search("Kai")[0]
    assert _entries(window, "viewed") == []
    ws.open_person(person.id)
    profile = ws.people.profile
    qtbot.waitUntil(lambda: profile.person is not None)
    for i in range(profile.tabs.count()):
        profile.tabs.setCurrentIndex(i)  # looking around the tabs is the same viewing
    (viewed,) = _entries(window, "viewed")
    assert (viewed.table_name, viewed.record_id, viewed.person_id) == ("people", person.id, person.id)
    ws.people.show_list()
    ws.open_person(person.id)  # opened again later: a second viewing
    assert len(_entries(window, "viewed")) == 2


def test_printing_the_plan_is_audited(qtbot, make_window, seed, tmp_path):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # Plans
    area = window.workspace.plans
    plan_id = area.list.due.item(0, 0).data(Qt.ItemDataRole.UserRole)
    area.open_plan(plan_id)
    assert _entries(window, "printed") == []
    pdf = area.editor.print_to(tmp_path / "kai.pdf")
    assert pdf.exists()
    (printed,) = _entries(window, "printed")
    assert (printed.table_name, printed.record_id, printed.reason) == ("safety_plans", plan_id, "plan_printed")
