"""The Sync page and the status-bar indicator in a real window, against a real server process on loopback:
connect the laptop, background sync on Ctrl+Shift+S, a conflict chosen in the conflicts view and synced, offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from server_process import PASSWORD, ServerProcess, sync_once

from ui.app_window import AppWindow
from youthwork.domain.records import YoungPerson
from youthwork.keys.slots import Argon2Params
from youthwork.security.secrets import secrets_for
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "brisk otter lantern harbour"
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    s = ServerProcess(tmp_path)
    s.add_team("Peckham detached", "detached")
    s.add_user("ana", "Peckham detached", name="Ana Worker")
    s.add_user("ben", "Peckham detached", name="Ben Worker")
    s.start()
    yield s
    s.stop()


def other_laptop(server: ServerProcess, directory: Path) -> Profile:
    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Ben", argon2=FAST_KDF)
    device.enrol(profile, server.url, "ben", PASSWORD)
    return profile


def test_sync_page_connects_syncs_and_settles_a_conflict(qtbot, server: ServerProcess, tmp_path: Path) -> None:
    directory = tmp_path / "ana"
    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Ana", argon2=FAST_KDF)
    jay = profile.records.save(YoungPerson(first_name="Jay", rag="amber", area="Peckham"))  # made before connecting
    profile.close()

    window = AppWindow(directory)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClicks(window.unlock.passphrase, PASSPHRASE)
    qtbot.keyClick(window.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None)
    try:
        workspace = window.workspace
        page = workspace.sync
        assert "Not set up to sync" in window.sync_label.text()
        workspace.go("sync")
        assert page.enrol_box.isVisible() and not page.state_box.isVisible()

        # Connect: wrong password first, then the right one.
        qtbot.keyClicks(page.server, server.url)
        qtbot.keyClicks(page.username, "ana")
        qtbot.keyClicks(page.password, "not the password")
        qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "not right" in page.enrol_message.text(), timeout=15_000)
        page.password.clear()
        qtbot.keyClicks(page.password, PASSWORD)
        qtbot.keyClick(page.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.state_box.isVisible(), timeout=15_000)
        assert "inside the encrypted youthwork file" in page.credential.text()  # no keyring here: it says so
        assert "full-disk encryption" in page.credential.text()
        qtbot.waitUntil(lambda: "Synced" in window.sync_label.text(), timeout=15_000)
        assert "waiting" not in window.sync_label.text()
        assert window.backend.profile.outbox.count() == 0

        # Another laptop and this one both change the RAG rating offline; the other one syncs second.
        ben = other_laptop(server, tmp_path / "ben")
        sync_once(ben)
        mine = window.backend.profile.records.get(YoungPerson, jay.id)
        mine.rag = "red"
        window.backend.profile.records.save(mine)
        theirs = ben.records.get(YoungPerson, jay.id)
        theirs.rag = "green"
        ben.records.save(theirs)
        page.controller.refresh_status()
        assert "1 change waiting" in window.sync_label.text()
        qtbot.keyClick(
            QApplication.focusWidget() or page,
            Qt.Key.Key_S,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        qtbot.waitUntil(
            lambda: "Synced" in window.sync_label.text() and page.controller.status.waiting == 0, timeout=15_000
        )
        sync_once(ben)  # the server keeps red; green waits for review
        page.controller.sync_now()
        qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=15_000)
        assert "1 conflict to review" in window.sync_label.text()
        cells = [page.table.item(0, c).text() for c in range(5)]
        assert cells[:4] == ["Jay", "RAG rating", "red", "green"] and "waiting" in cells[4]

        # The supervisor's choice here: the other value. It is synced to everyone.
        qtbot.mouseClick(page.keep_other, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=15_000)
        assert window.backend.profile.records.get(YoungPerson, jay.id).rag == "green"
        sync_once(ben)
        assert ben.records.get(YoungPerson, jay.id).rag == "green"
        ben.close()

        # The server goes away: the indicator says offline and nothing is lost.
        server.stop()
        mine = window.backend.profile.records.get(YoungPerson, jay.id)
        mine.area = "Nunhead"
        window.backend.profile.records.save(mine)
        page.controller.sync_now()
        qtbot.waitUntil(lambda: "Offline" in window.sync_label.text(), timeout=15_000)
        assert "1 change waiting" in window.sync_label.text()
        assert page.controller.timer.isActive()  # it tries again later, by itself

        # The laptop is reported lost: at its next contact it wipes itself and the window shows the first-run page.
        server.admin("wipe-device", window.backend.profile.get_setting(device.DEVICE_ID))
        server.start()
        page.controller.sync_now()
        qtbot.waitUntil(lambda: window.workspace is None, timeout=15_000)
        assert window.stack.currentWidget() is window.first_run
        assert not Profile.exists(directory)
        assert server.count("SELECT count(*) FROM devices WHERE wiped_at IS NOT NULL") == 1
    finally:
        window.shutdown()  # joins the sync thread (the wipe already locked the window and deleted the workspace)


def test_lease_run_out_locks_every_area_but_sync(qtbot, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    directory = tmp_path / "ana"
    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Ana", argon2=FAST_KDF)
    for key, value in (
        (device.SERVER_URL, "http://127.0.0.1:9"),  # nothing listens there: still offline
        (device.DEVICE_ID, "device-1"),
        (device.LAST_CONTACT, (datetime.now(UTC) - timedelta(days=15)).isoformat()),
    ):
        profile.set_setting(key, value)
    secrets_for(profile).set(device.TOKEN_SECRET, "token")
    profile.close()

    window = AppWindow(directory)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClicks(window.unlock.passphrase, PASSPHRASE)
    qtbot.keyClick(window.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None)
    try:
        ws = window.workspace
        assert ws.current_area == "sync"
        page = ws.sync
        assert page.lease_banner.isVisible() and "14 days" in page.lease_banner.text()
        enabled = {
            ws.nav.item(i).data(Qt.ItemDataRole.UserRole): bool(ws.nav.item(i).flags() & Qt.ItemFlag.ItemIsEnabled)
            for i in range(ws.nav.count())
        }
        assert enabled.pop("sync") and not any(enabled.values())
        assert "Locked until it syncs" in window.sync_label.text()
        qtbot.waitUntil(lambda: not page.controller.status.running, timeout=15_000)
        assert page.lease_banner.isVisible()  # the failed (offline) sync does not lift it
    finally:
        window.shutdown()
