"""The UI operations layer in a real window: a write made in one area shows at once in every other open area.

Agreeing a safety plan from a young person's profile changes the profile's Plans tab count without reopening it; a
write made around `Backend.write` is still seen; what the backend hands on names the record types and ids.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QRect, Qt

from tests.ui.conftest import focused, press, unlock
from ui.backend import Backend
from ui.people.profile_page import TAB_PLANS, TAB_SESSIONS
from youthwork.domain.records import Session, YoungPerson
from youthwork.services.changes import Changes


def _kai(backend: Backend) -> None:
    backend.people.add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))


def _open_kai(qtbot, window):
    ws = window.workspace
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    people = ws.people.list
    qtbot.waitUntil(lambda: people.model.rowCount() == 1)
    qtbot.keyClick(people.table, Qt.Key.Key_Return)
    profile = ws.people.profile
    qtbot.waitUntil(lambda: profile.isVisible() and profile.person is not None)
    return profile


def test_agreeing_a_plan_updates_the_open_profile_without_a_reopen(qtbot, make_window, seed):
    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    heard: list[Changes] = []
    ws.backend.subscribe(heard.append)
    profile = _open_kai(qtbot, window)
    assert profile.tabs.tabText(TAB_PLANS) == "&Plans (0)"

    profile.tabs.setCurrentIndex(TAB_PLANS)
    profile.plans.new_button.click()
    editor = ws.plans.editor
    qtbot.waitUntil(editor.isVisible)
    qtbot.keyClicks(editor.risks, "Older boys asking him to carry packages")
    editor.review.setText((date.today() + timedelta(days=28)).strftime("%d/%m/%Y"))
    editor.review.setFocus()
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Agree with them
    qtbot.waitUntil(lambda: editor.status_badge.text().startswith("Agreed"))

    # The profile was left open behind the plans area: it already says so, before anything reloads it by hand.
    assert profile.tabs.tabText(TAB_PLANS) == "&Plans (1)"
    assert profile.plans.table.rowCount() == 1
    plan_id = editor.plan.id
    assert any(plan_id in c.ids("safety_plans") and c.ids("safety_plan_versions") for c in heard)
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert ws.people.stack.currentWidget() is profile and profile.tabs.tabText(TAB_PLANS) == "&Plans (1)"


def test_a_write_around_the_door_still_reaches_the_open_screens(qtbot, make_window, seed):
    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    profile = _open_kai(qtbot, window)
    assert profile.tabs.tabText(TAB_SESSIONS) == "&Sessions attended (0)"
    kai = profile.person
    # A service called directly, not through Backend.write: the backend saw it queued and hands it on.
    ws.backend.sessions.save_draft(Session(area="Brenchley Gardens", created_by=ws.backend.profile.user_id), [kai.id])
    qtbot.waitUntil(lambda: profile.tabs.tabText(TAB_SESSIONS) == "&Sessions attended (1)")


def test_what_a_write_returns_names_what_changed(qtbot, make_window, seed):
    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    backend = window.workspace.backend
    written = backend.write(lambda: backend.people.add(YoungPerson(first_name="Ana", area="Peckham")))
    assert written.changes == Changes.of("people", written.value.id)
    assert written.changes.touches("people") and not written.changes.touches("sessions")
    nothing = backend.write(lambda: backend.people.get(written.value.id))
    assert not nothing.changes


def _on_screen(widget, scroll) -> bool:
    """The whole of `widget` lies inside the scroll area's visible part."""
    top_left = widget.mapTo(scroll.viewport(), widget.rect().topLeft())
    return scroll.viewport().rect().contains(QRect(top_left, widget.size()))


def test_a_failed_agree_brings_the_field_that_needs_attention_into_view(qtbot, make_window, seed):
    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    profile = _open_kai(qtbot, window)
    profile.tabs.setCurrentIndex(TAB_PLANS)
    profile.plans.new_button.click()
    editor = ws.plans.editor
    qtbot.waitUntil(editor.isVisible)
    scroll = editor.tabs.widget(0)
    qtbot.keyClicks(editor.risks, "Older boys asking him to carry packages")
    assert not _on_screen(editor.review, scroll)  # the review date is further down the form
    # From the other tab, too: the versions are on show when Ctrl+Enter tries to agree.
    editor.tabs.tabBar().setFocus()
    press(qtbot, Qt.Key.Key_Right)
    assert editor.tabs.currentIndex() == 1
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    error = editor.errors._labels["review_date"]
    assert error.text() == "Set a review date before the plan is agreed."
    assert editor.tabs.currentIndex() == 0
    assert focused() is editor.review
    assert _on_screen(editor.review, scroll) and _on_screen(error, scroll)


def test_the_open_review_counts_again_when_a_session_arrives(qtbot, make_window, seed):
    from youthwork.domain.weeks import IsoWeek

    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    review = ws.review
    qtbot.waitUntil(lambda: review.report is not None)
    review.tabs.setCurrentIndex(1)
    assert review.waiting.rowCount() == 0
    # A submitted session of the week on show arrives (as by sync, here written around the door).
    monday = IsoWeek.parse(review.week_edit.text()).monday
    starts = datetime.combine(monday, time(18), tzinfo=UTC)
    kai = ws.backend.people.search("Kai")[0]
    session = Session(area="Brenchley Gardens", starts_at=starts, ends_at=starts + timedelta(hours=2))
    session.workers = ["worker-2"]
    saved = ws.backend.sessions.save_draft(session, [kai.id])
    ws.backend.sessions.submit(saved.id)
    qtbot.waitUntil(lambda: review.waiting.rowCount() == 1)
    qtbot.waitUntil(lambda: review.report is not None and review.report.figure("sessions").value == 1)


def test_the_open_data_protection_list_shows_a_withdrawal_as_it_is_recorded(qtbot, make_window, seed):
    def kai_on_consent(backend: Backend) -> None:
        kai = backend.people.add(YoungPerson(first_name="Kai", area="Brenchley Gardens"))
        backend.consent.record(kai.id, "consent", given_by="young_person", consent_date=date.today())

    seed(kai_on_consent)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    press(qtbot, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    privacy = ws.privacy
    qtbot.waitUntil(privacy.isVisible)
    assert privacy.withdrawals.table.rowCount() == 0
    kai = ws.backend.people.search("Kai")[0]
    ws.backend.consent.withdraw(kai.id)  # as from the profile's Privacy tab, or a sync
    qtbot.waitUntil(lambda: privacy.withdrawals.table.rowCount() == 1)
    assert privacy.tabs.tabText(0) == "Consent &withdrawn (1)"


def test_the_list_keeps_the_highlighted_young_person_when_it_reloads(qtbot, make_window, seed):
    def three(backend: Backend) -> None:
        for first in ("Amara", "Kai", "Tia"):
            backend.people.add(YoungPerson(first_name=first, area="Peckham"))

    seed(three)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    people = ws.people.list
    qtbot.waitUntil(lambda: people.model.rowCount() == 3)
    people.table.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    chosen = people.model.row_at(people.table.currentIndex().row()).id
    ws.backend.write(lambda: ws.backend.people.add(YoungPerson(first_name="Jay", area="Peckham")))  # as by sync
    qtbot.waitUntil(lambda: people.model.rowCount() == 4)
    assert people.model.row_at(people.table.currentIndex().row()).id == chosen
