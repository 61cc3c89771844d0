"""Referrals in a real window: refer from the profile, refused without a lawful basis (said at the field), sent and
waiting to sync with the share recorded; the receiving team's inbox: acknowledge, accept, decline needs a reason."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from tests.ui.conftest import press, unlock
from ui.backend import Backend
from ui.people.profile_page import TAB_REFERRALS
from ui.referrals.form import set_ticked
from youthwork.domain.codec import to_dict
from youthwork.domain.protocol import ServerChange
from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral, ReferralStatus
from youthwork.sync.apply import apply_page


def _seed(backend: Backend) -> None:
    backend.profile.set_setting("user_id", "worker-1")
    backend.profile.set_setting("team_id", "team-detached")
    backend.referrals.set_agency_team("igt", "team-igt")
    backend.people.add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))


def test_refer_from_profile_refusal_then_send(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    person = ws.backend.people.search("Kai")[0]
    ws.open_person(person.id)
    profile = ws.people.profile
    profile.tabs.setCurrentIndex(TAB_REFERRALS)
    qtbot.mouseClick(profile.referrals.new_button, Qt.MouseButton.LeftButton)
    assert ws.current_area == "referrals"
    form = ws.referrals.form
    qtbot.waitUntil(form.isVisible)  # an area is built, and shown, the first time it is opened
    assert [form.agency.itemData(i) for i in range(2)] == ["tys", "igt"]
    form.agency.setCurrentIndex(form.agency.findData("igt"))
    form.reason.setPlainText("Older boys asking him to carry packages out of London")
    set_ticked(form.risks, ["cce"])
    set_ticked(form.shared, ["date_of_birth"])
    assert not form.send()
    label = form.errors._labels["lawful_basis"]
    assert label.isVisible() and "can't be sent without consent or another lawful basis" in label.text()
    assert ws.backend.referrals.for_person(person.id) == []

    form.basis.setCurrentIndex(form.basis.findData("consent"))
    assert not form.send()
    assert form.errors._labels["consent_given_by"].text() == "Record who gave consent to the referral."
    form.consent_by.setCurrentIndex(form.consent_by.findData("young_person"))
    assert form.send()
    detail = ws.referrals.detail
    qtbot.waitUntil(detail.isVisible)
    assert detail.status.text() == "Sent (waiting to sync)"
    assert not detail.answer.isVisibleTo(detail)  # the referrer doesn't answer their own referral

    ws.open_person(person.id)
    assert profile.tabs.tabText(TAB_REFERRALS) == "&Referrals (1)"
    assert profile.referrals.shares.rowCount() == 1
    assert "date of birth" in profile.referrals.shares.item(0, 3).text()
    assert profile.referrals.shares.item(0, 2).text() == "Consent"

    press(qtbot, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    ws.referrals.show_list()
    assert ws.referrals.list.sent.item(0, 4).text() == "Sent (waiting to sync)"


def _seed_inbox(backend: Backend) -> None:
    """An IGT laptop that has synced two referrals from a detached team."""
    backend.profile.set_setting("user_id", "igt-1")
    backend.profile.set_setting("team_id", "team-igt")
    for first, reason in (("Kai", "Carrying packages for older boys"), ("Jade", "Seen with older men at the station")):
        person = YoungPerson(first_name=first, area="Peckham", team_id="team-detached")
        pulled = [ServerChange(table="people", record_id=person.id, op="upsert", fields=to_dict(person), version=1)]
        r = Referral(
            person_id=person.id,
            to_agency="igt",
            to_team_id="team-igt",
            team_id="team-detached",
            reason=reason,
            urgency="urgent",
            lawful_basis="public_task",
            status="sent",
            sent_at=date(2026, 11, 20).isoformat() + "T10:00:00+00:00",  # type: ignore[arg-type]
        )
        pulled.append(ServerChange(table="referrals", record_id=r.id, op="upsert", fields=to_dict(r), version=1))
        with backend.profile.transaction():
            apply_page(backend.profile.db, pulled)


def test_receiving_team_inbox(qtbot, make_window, seed):
    seed(_seed_inbox)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    area = window.workspace.referrals
    page = area.list
    assert page.tabs.currentIndex() == 1 and page.inbox.rowCount() == 2
    assert page.tabs.tabText(1) == "&Inbox: sent to our team (2 new)"
    kai_row = next(r for r in range(2) if page.inbox.item(r, 0).text() == "Kai")
    area.open_referral(page.inbox.item(kai_row, 0).data(Qt.ItemDataRole.UserRole))
    detail = area.detail
    assert detail.answer.isVisibleTo(detail)
    assert detail.step_buttons["acknowledge"].isEnabled() and not detail.step_buttons["close"].isEnabled()
    qtbot.mouseClick(detail.step_buttons["acknowledge"], Qt.MouseButton.LeftButton)
    assert detail.status.text() == "Acknowledged"
    qtbot.mouseClick(detail.step_buttons["accept"], Qt.MouseButton.LeftButton)
    assert detail.status.text() == "Accepted" and detail.events.rowCount() == 2
    detail.allocated.setText("Priya")
    qtbot.mouseClick(detail.step_buttons["allocate"], Qt.MouseButton.LeftButton)
    assert detail.status.text() == "Allocated to a worker"

    area.show_list()
    jade_row = next(r for r in range(2) if page.inbox.item(r, 0).text() == "Jade")
    area.open_referral(page.inbox.item(jade_row, 0).data(Qt.ItemDataRole.UserRole))
    qtbot.mouseClick(detail.step_buttons["decline"], Qt.MouseButton.LeftButton)
    assert detail.errors._labels["reason"].text() == "Give a reason for declining the referral."
    assert detail.status.text().startswith("Sent")
    detail.reason.setText("Not group offending: passed to Early Help")
    qtbot.mouseClick(detail.step_buttons["decline"], Qt.MouseButton.LeftButton)
    assert detail.status.text() == "Declined"
    assert detail.events.item(0, 3).text() == "Not group offending: passed to Early Help"
    area.show_list()
    statuses = {page.inbox.item(r, 0).text(): page.inbox.item(r, 3).text() for r in range(2)}
    assert statuses == {"Kai": "Allocated to a worker", "Jade": "Declined"}
    assert page.tabs.tabText(1) == "&Inbox: sent to our team"
    assert window.workspace.backend.referrals.get(page.inbox.item(0, 0).data(Qt.ItemDataRole.UserRole)).status in (
        ReferralStatus.ALLOCATED,
        ReferralStatus.DECLINED,
    )


def _seed_camhs(backend: Backend) -> None:
    """A detached laptop that referred Mia to CAMHS (no team on the service) twelve days ago."""
    backend.profile.set_setting("user_id", "worker-1")
    backend.profile.set_setting("team_id", "team-detached")
    person = backend.people.add(YoungPerson(first_name="Mia", last_name="Osei", area="Acorn Estate"))
    r = backend.referrals.send(
        Referral(
            person_id=person.id,
            to_agency="camhs",
            reason="Low mood, not sleeping",
            lawful_basis="consent",
            consent_given_by="young_person",
        )
    )
    r.sent_at = r.sent_at - timedelta(days=12)  # type: ignore[operator]
    backend.profile.records.save(r)


def test_referrer_records_an_outside_agencys_answers_by_keyboard(qtbot, make_window, seed):
    seed(_seed_camhs)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    area = window.workspace.referrals
    area.show_list()
    (view,) = area.backend.referrals.sent_by_team()
    assert view.overdue
    area.open_referral(view.referral.id)
    detail = area.detail
    qtbot.waitUntil(detail.isVisible)
    assert detail.answer.isVisibleTo(detail) and detail.answer_title.text() == "Record what CAMHS told you"
    assert "overdue" in detail.status.text()
    # Without saying who told them: refused at the field. (A mnemonic clicks after a short flash.)
    label = detail.errors._labels["told_by"]
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "who at the agency" in label.text())
    assert label.isVisible() and detail.told_by.hasFocus()
    qtbot.keyClicks(detail.told_by, "Duty clinician, by phone")
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: detail.status.text().startswith("Acknowledged"))
    press(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: detail.status.text().startswith("Accepted"))
    detail.appointment.setDate(date.today() + timedelta(days=9))
    press(qtbot, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "First appointment" in detail.body.text())
    qtbot.keyClicks(detail.outcome, "Six sessions of CBT")
    press(qtbot, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: detail.status.text().startswith("Closed"))
    assert detail.events.rowCount() == 4
    assert "heard from Duty clinician, by phone" in detail.events.item(0, 3).text()
    assert area.backend.referrals.overdue() == []


def _seed_tys(backend: Backend) -> None:
    """A TYS laptop (a receiving team) with a young person of its own."""
    backend.profile.set_setting("user_id", "tys-1")
    backend.profile.set_setting("team_id", "team-tys")
    backend.referrals.set_agency_team("tys", "team-tys")
    backend.people.add(YoungPerson(first_name="Leon", area="Highbury"))


def test_a_receiving_team_records_a_referral_from_a_school(qtbot, make_window, seed):
    seed(_seed_tys)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    person = ws.backend.people.search("Leon")[0]
    ws.open_person(person.id)
    profile = ws.people.profile
    profile.tabs.setCurrentIndex(TAB_REFERRALS)
    tab = profile.referrals
    assert tab.incoming_button.isVisible()
    qtbot.mouseClick(tab.incoming_button, Qt.MouseButton.LeftButton)
    form = ws.referrals.form
    qtbot.waitUntil(form.isVisible)
    assert form.source.hasFocus() and not form.agency.isVisibleTo(form) and not form.save_button.isVisibleTo(form)
    form.reason.setPlainText("Excluded twice this term; seen with older boys after school")
    form.basis.setCurrentIndex(form.basis.findData("public_task"))
    assert not form.send()
    assert form.errors._labels["from_source"].text() == "Say who the referral came from."
    form.source.setCurrentIndex(form.source.findData("school"))
    qtbot.keyClicks(form.from_name, "Highbury Grove, head of year 9")
    form.received_on.setDate(date.today() - timedelta(days=3))
    assert form.send()
    detail = ws.referrals.detail
    qtbot.waitUntil(detail.isVisible)
    assert "A school or college (Highbury Grove, head of year 9)" in detail.body.text()
    assert detail.answer.isVisibleTo(detail) and detail.answer_title.text() == "Answer this referral"
    (view,) = ws.backend.referrals.inbox()
    assert view.referral.from_source == "school" and view.referral.to_team_id == "team-tys"


def test_a_disclosure_with_a_new_agency_is_recorded_and_listed(qtbot, make_window, seed):
    from ui.referrals.disclosure_dialog import DisclosureDialog

    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    person = ws.backend.people.search("Kai")[0]
    dialog = DisclosureDialog(ws.backend, person.id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.agency.findData("police") > 0 and dialog.agency.findData("victim_support") > 0
    # Nothing chosen: each problem at its field, nothing saved.
    assert not dialog.save()
    assert dialog.errors._labels["approved_by"].text() == "Say who approved the disclosure."
    assert ws.backend.disclosures.for_person(person.id) == []
    qtbot.keyClicks(dialog.new_agency, "Islington Law Centre")
    dialog.new_kind.setCurrentIndex(dialog.new_kind.findData("voluntary"))
    assert dialog.add_agency() and dialog.agency.currentData() == "islington_law_centre"
    dialog.kind.setCurrentIndex(dialog.kind.findData("safeguarding"))
    dialog.what.setPlainText("That he is open to the detached team")
    dialog.basis.setCurrentIndex(dialog.basis.findData("consent"))
    qtbot.keyClicks(dialog.approved_by, "Dana Reid, team manager")
    assert dialog.save()
    (saved,) = ws.backend.disclosures.for_person(person.id)
    assert saved.to_agency_name == "Islington Law Centre"
    ws.open_person(person.id)
    profile = ws.people.profile
    profile.tabs.setCurrentIndex(TAB_REFERRALS)
    shares = profile.referrals.shares
    assert shares.rowCount() == 1 and shares.item(0, 1).text() == "Islington Law Centre"
    assert "A safeguarding share: That he is open" in shares.item(0, 3).text()
    assert profile.referrals.disclose_button.isVisible()
