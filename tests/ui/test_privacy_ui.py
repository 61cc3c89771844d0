"""Data protection in the app: restricted details behind a recorded reason, consent and withdrawal reaching the
supervisor, subject access export, erasure with typed confirmation, retention review, the audit view."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import unlock
from ui.backend import Backend
from youthwork.domain.records import YoungPerson
from youthwork.security.audit import AuditFilter, AuditTrail


def _seed(backend: Backend) -> None:
    backend.people.add(
        YoungPerson(
            first_name="Amara",
            last_name="Jones",
            area="Brandon Estate",
            risk_indicators=["cse"],
            ethnicity="black_african",
        )
    )
    backend.people.add(YoungPerson(first_name="Kyle", last_name="Brown", area="Brandon Estate"))
    old = datetime(2015, 1, 5, 12, tzinfo=UTC)
    backend.people.add(
        YoungPerson(first_name="Olden", last_name="Days", area="Elthorne", created_at=old, updated_at=old)
    )


def _person(window, first: str) -> YoungPerson:
    return next(p for p in window.workspace.backend.people.search(first) if p.first_name == first)


def _open_profile(qtbot, window, first: str):
    person = _person(window, first)
    window.workspace.open_person(person.id)
    profile = window.workspace.people.profile
    qtbot.waitUntil(profile.isVisible)
    return person, profile


def test_restricted_details_need_a_recorded_reason(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    person, profile = _open_profile(qtbot, window, "Amara")
    assert "Sexual exploitation" not in profile.details.text()
    tab = profile.privacy
    profile.tabs.setCurrentWidget(tab)
    assert not tab.restricted.values.isVisible()
    qtbot.mouseClick(tab.restricted.show_button, Qt.MouseButton.LeftButton)
    dialog = tab.restricted.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog._ok.isEnabled()  # no reason, no details
    dialog.reason.setCurrentIndex(dialog.reason.findData("safeguarding"))
    qtbot.mouseClick(dialog._ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tab.restricted.values.isVisible)
    assert "Sexual exploitation" in tab.restricted.values.text()
    assert "Black – African" in tab.restricted.values.text()
    audit = AuditTrail(window.workspace.backend.profile)
    (glass,) = audit.search(AuditFilter(action="break_glass"))
    assert (glass.record_id, glass.reason) == (person.id, "safeguarding")
    assert audit.count(AuditFilter(action="viewed", record_id=person.id)) >= 1
    # Another young person: hidden again.
    _open_profile(qtbot, window, "Kyle")
    assert not tab.restricted.values.isVisible()


def test_consent_withdrawal_tells_the_supervisor(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    _person_shown, profile = _open_profile(qtbot, window, "Amara")
    profile.tabs.setCurrentWidget(profile.privacy)
    panel = profile.privacy.consent
    # The words to tell them before they agree: what is kept, who sees it, when it is shared, and how to withdraw.
    assert panel.explanation.isVisible() and "change your mind at any time" in panel.explanation.text()
    panel.basis.setCurrentIndex(panel.basis.findData("consent"))
    panel.competence.setText("Understands what is shared")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert "Held on: Consent" in panel.current.text()
    assert panel.history.rowCount() == 1
    qtbot.mouseClick(panel.withdraw_button, Qt.MouseButton.LeftButton)
    assert panel.withdrawn_banner.isVisible() and "Consent withdrawn" in panel.withdrawn_banner.text()
    assert panel.history.rowCount() == 2

    with qtbot.waitSignal(window.workspace.today.shown):  # worked out off the UI thread
        window.workspace.go("today")
    assert "1 consent withdrawal to review" in window.workspace.today.week.text()
    window.workspace.go("privacy")
    area = window.workspace.privacy
    assert area.withdrawals.table.rowCount() == 1
    assert area.withdrawals.table.item(0, 0).text() == "Amara Jones"
    qtbot.mouseClick(area.withdrawals.seen_button, Qt.MouseButton.LeftButton)
    assert area.withdrawals.table.rowCount() == 0


def test_partner_staff_are_told_they_do_not_see_restricted_details(qtbot, make_window, seed):
    def fill(backend: Backend) -> None:
        _seed(backend)
        backend.set_setting("sync.role", "partner")

    seed(fill)
    window = make_window()
    unlock(qtbot, window)
    _person_shown, profile = _open_profile(qtbot, window, "Kyle")
    tab = profile.privacy
    assert not tab.restricted.show_button.isEnabled()
    assert "doesn't see" in tab.restricted.status.text()
    assert not tab.erase_button.isEnabled()  # only a supervisor erases


def test_export_and_erase_from_the_profile(qtbot, make_window, seed, tmp_path: Path):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    person, profile = _open_profile(qtbot, window, "Amara")
    tab = profile.privacy
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    dialog.format.setCurrentIndex(dialog.format.findData("json"))
    out = tmp_path / "amara.json"
    dialog.path.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    data = json.loads(out.read_text())["subject_access_export"]
    assert data["sections"]["people"][0]["first_name"] == "Amara"
    dialog.path.setText(str(tmp_path / "no-such-folder" / "x.json"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "folder that exists" in dialog.errors._labels["path"].text()

    qtbot.mouseClick(tab.erase_button, Qt.MouseButton.LeftButton)
    erase = tab.dialog
    qtbot.waitUntil(erase.isVisible)
    assert not erase.erase_button.isEnabled()
    erase.reason.setCurrentIndex(erase.reason.findData("request"))
    qtbot.keyClicks(erase.confirm, "Amar")
    assert not erase.erase_button.isEnabled()  # the name must be typed in full
    qtbot.keyClicks(erase.confirm, "a")
    qtbot.mouseClick(erase.erase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not profile.isVisible())
    assert window.workspace.backend.people.get(person.id) is None


def test_retention_review_and_audit_view(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    _open_profile(qtbot, window, "Kyle")
    window.workspace.go("privacy")
    area = window.workspace.privacy
    review = area.retention
    qtbot.waitUntil(lambda: not review.busy and review.table.rowCount() == 1)
    assert review.table.item(0, 0).text() == "Olden Days"
    assert not review.erase_button.isEnabled()
    review.checked.setChecked(True)
    qtbot.mouseClick(review.erase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not review.busy and "Erased 1 record" in review.status.text())
    assert review.table.rowCount() == 0
    assert not window.workspace.backend.people.search("Olden")

    audit = area.audit
    audit.refresh()
    audit.action.setCurrentIndex(audit.action.findData("erased"))
    qtbot.mouseClick(audit.apply_button, Qt.MouseButton.LeftButton)
    assert audit.model.rowCount() == 1 and audit.count_label.text() == "1 entry"
    qtbot.mouseClick(audit.verify_button, Qt.MouseButton.LeftButton)
    assert "whole" in audit.verify_label.text()
    window.workspace.backend.profile.db.execute("UPDATE audit_log SET user_id = 'someone' WHERE seq = 1")
    qtbot.mouseClick(audit.verify_button, Qt.MouseButton.LeftButton)
    assert "tampered" in audit.verify_label.text()
