"""Who worked a session is recorded as user ids picked from the team, so a supervisor's own session cannot be signed
off by them: the laptop refuses it, and the service refuses it too when the laptop is bypassed. A real window, keys,
and a real server process on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from server_process import PASSWORD, ServerProcess

from ui.app_window import AppWindow
from youthwork.keys.slots import Argon2Params
from youthwork.services.sync import sync_engine
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "brisk otter lantern harbour"
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    s = ServerProcess(tmp_path)
    s.add_team("Peckham detached", "detached")
    s.add_user("sue", "Peckham detached", role="supervisor", name="Sue Supervisor")
    s.add_user("ana", "Peckham detached", name="Ana Worker")
    s.start()
    yield s
    s.stop()


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, modifier)


def sync(profile: Profile):
    client = device.client_for(profile)
    try:
        return sync_engine(profile, client).run()
    finally:
        client.transport.close()  # type: ignore[attr-defined]


def test_a_supervisor_cannot_sign_off_their_own_session(qtbot, server: ServerProcess, tmp_path: Path) -> None:
    directory = tmp_path / "sue"
    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Sue", argon2=FAST_KDF)
    device.enrol(profile, server.url, "sue", PASSWORD)
    me = profile.user_id
    assert me
    profile.close()

    window = AppWindow(directory)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClicks(window.unlock.passphrase, PASSPHRASE)
    qtbot.keyClick(window.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None)
    try:
        # Sue logs a street session she worked: she is ticked as its worker (by id), and the list shows her name.
        window.workspace.go("sessions")
        press(qtbot, Qt.Key.Key_N, CTRL)
        form = window.workspace.sessions.form
        assert form.workers.ids() == [me]
        assert "(you)" in form.workers.item(0).text()
        press(qtbot, Qt.Key.Key_A, ALT)
        qtbot.keyClicks(form.area, "Peckham")
        press(qtbot, Qt.Key.Key_H, ALT)
        qtbot.keyClicks(form.register.grid, "3")
        press(qtbot, Qt.Key.Key_Return, CTRL)
        backend = window.backend
        saved = backend.sessions.recent(0, 1)[0]
        assert saved.status == "submitted" and saved.workers == [me]

        # The laptop refuses her sign-off, and says why; the sign-off panel shows who worked it.
        window.workspace.go("review")
        area = window.workspace.review
        area.tabs.setCurrentIndex(1)
        qtbot.waitUntil(lambda: area.selected_session() is not None, timeout=10_000)
        assert "Worked by:" in area.signoff.detail.text() and "Sue" in area.signoff.detail.text()
        area.waiting.setFocus()
        press(qtbot, Qt.Key.Key_Return, CTRL)
        assert "You worked this session" in area.signoff_message.text()
        assert backend.sessions.get(saved.id).status == "submitted"

        # The service holds the rule too: a sign-off written past the laptop's check is rejected.
        assert sync(backend.profile).rejected == 0
        forced = replace(
            backend.sessions.get(saved.id), status="approved", reviewed_by=me, reviewed_at=datetime.now(UTC)
        )
        backend.profile.records.save(forced)
        assert sync(backend.profile).rejected == 1

        # After a sync the team's other workers can be ticked too (their ids, their names).
        window.workspace.go("sessions")
        press(qtbot, Qt.Key.Key_N, CTRL)
        shown = [form.workers.item(i).text() for i in range(form.workers.count())]
        assert shown == ["Sue Supervisor (you)", "Ana Worker"]
        press(qtbot, Qt.Key.Key_K, ALT)  # Workers
        press(qtbot, Qt.Key.Key_Down)
        press(qtbot, Qt.Key.Key_Space)
        assert len(form.workers.ids()) == 2 and me in form.workers.ids()
    finally:
        window.shutdown()
