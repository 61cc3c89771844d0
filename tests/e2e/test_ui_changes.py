"""Open screens show what is true now, with a real `youthwork-server` process on loopback and a real window.

A record another laptop added arrives by sync (Ctrl+Shift+S pressed in the Young people area) and the open list
shows it; a referral's open page stops saying "waiting to sync" once it is sent, and shows the IGT's acceptance
when that arrives, all without reopening anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from server_process import PASSWORD, ServerProcess, sync_once

from ui.app_window import AppWindow
from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral, ReferralAction
from youthwork.keys.slots import Argon2Params
from youthwork.services.people import PeopleService
from youthwork.services.referrals import ReferralService, fetch_receiving_teams
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "brisk otter lantern harbour"
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)
SYNC = (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    s = ServerProcess(tmp_path_factory.mktemp("ui-changes"))
    s.add_team("Detached North", "detached")
    s.add_team("Integrated Gangs Team", "igt")
    for username, team in (("sam", "Detached North"), ("alex", "Detached North"), ("priya", "Integrated Gangs Team")):
        s.add_user(username, team)
    s.start()
    yield s
    s.stop()


def _laptop(directory: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(directory, PASSPHRASE, worker_name=username.title(), argon2=FAST_KDF)
    device.enrol(profile, server.url, username, PASSWORD)
    return profile


def _open_window(qtbot, directory: Path) -> AppWindow:
    window = AppWindow(directory)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClicks(window.unlock.passphrase, PASSPHRASE)
    qtbot.keyClick(window.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None)
    # Unlocking syncs at once: wait for that first cycle, so what follows arrives by the key press.
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Synced"), timeout=20_000)
    return window


def _sync_from_here(qtbot, window: AppWindow) -> None:
    target = QApplication.focusWidget()
    assert target is not None and target.window() is window
    qtbot.keyClick(target, *SYNC)


def test_a_record_synced_in_shows_in_the_open_list(qtbot, server: ServerProcess, tmp_path: Path) -> None:
    _laptop(tmp_path / "sam", server, "sam").close()
    window = _open_window(qtbot, tmp_path / "sam")
    alex = _laptop(tmp_path / "alex", server, "alex")
    try:
        ws = window.workspace
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        people = ws.people.list
        assert ws.current_area == "people"
        qtbot.waitUntil(lambda: not people.searcher.waiting)
        assert people.model.rowCount() == 0

        jay = PeopleService(alex).add(YoungPerson(first_name="Jay", last_name="Obi", area="Peckham"))
        sync_once(alex)
        _sync_from_here(qtbot, window)  # Ctrl+Shift+S in the Young people area
        qtbot.waitUntil(lambda: people.model.rowCount() == 1, timeout=20_000)
        assert people.model.row_at(0).id == jay.id
        assert ws.current_area == "people"
    finally:
        alex.close()
        window.shutdown()


def test_an_open_referral_stops_waiting_and_shows_the_answer(qtbot, server: ServerProcess, tmp_path: Path) -> None:
    sam = _laptop(tmp_path / "sam", server, "sam")
    assert fetch_receiving_teams(sam) == {"igt": server.teams["igt"]}
    sam.close()
    priya = _laptop(tmp_path / "priya", server, "priya")
    window = _open_window(qtbot, tmp_path / "sam")
    try:
        ws = window.workspace
        backend = ws.backend
        kai = backend.write(lambda: backend.people.add(YoungPerson(first_name="Kai", area="Brenchley Gardens"))).value
        asked = Referral(person_id=kai.id, to_agency="igt", reason="Carrying packages", lawful_basis="vital_interests")
        referral = backend.write(lambda: backend.referrals.send(asked)).value
        ws.open_referral(referral.id)
        detail = ws.referrals.detail
        qtbot.waitUntil(detail.isVisible)
        assert "waiting to sync" in detail.status.text()

        _sync_from_here(qtbot, window)
        qtbot.waitUntil(lambda: "waiting to sync" not in detail.status.text(), timeout=20_000)
        assert detail.status.text().startswith("Sent")

        sync_once(priya)
        igt = ReferralService(priya)
        igt.step(referral.id, ReferralAction.ACKNOWLEDGE)
        igt.step(referral.id, ReferralAction.ACCEPT, note="Meets the IGT threshold")
        sync_once(priya)
        _sync_from_here(qtbot, window)
        qtbot.waitUntil(lambda: detail.status.text().startswith("Accepted"), timeout=20_000)
        assert "waiting to sync" not in detail.status.text()
        assert detail.events.rowCount() == 2
    finally:
        priya.close()
        window.shutdown()
