"""`youthwork --demo` in a real Qt window: it opens unlocked on the demo data and the second device's records arrive."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.app import DEMO_PASSPHRASE as APP_DEMO_PASSPHRASE
from ui.app import run_demo
from ui.app_window import AppWindow
from youthwork.demo import DEMO_PASSPHRASE, DemoError, DemoWorld


def test_demo_window_opens_unlocked_with_data_and_syncs(qtbot, tmp_path: Path) -> None:
    world = DemoWorld.start(tmp_path / "demo", people=30, weeks=1, interval=0.3)
    window = AppWindow(world.profile_dir, demo_passphrase=DEMO_PASSPHRASE)
    qtbot.addWidget(window)
    try:
        window.show()
        run_demo(window, sync_seconds=0.5)
        qtbot.waitUntil(lambda: window.workspace is not None, timeout=20_000)
        assert not window.locked and window.stack.currentWidget() is window.workspace
        assert "starts afresh each time" in window.demo_note.text() and window.demo_note.isVisible()
        assert "starts afresh" in window.windowTitle()
        profile = window.backend.profile
        assert profile.db.scalar("SELECT count(*) FROM people") >= 30
        second = world.second
        assert second is not None
        qtbot.waitUntil(lambda: second.cycles >= 1, timeout=20_000)
        made = second.made[0]

        def arrived() -> bool:
            return any(
                profile.db.scalar(f"SELECT count(*) FROM {t} WHERE id = ?", (made,)) for t in ("people", "case_notes")
            )

        qtbot.waitUntil(arrived, timeout=30_000)
        # Let the last background sync finish before closing the store under it.
        window.demo_sync_timer.stop()
        controller = window.workspace.sync.controller
        qtbot.waitUntil(lambda: not controller.status.running and not controller.busy, timeout=30_000)
    finally:
        window.shutdown()
        world.stop()
    assert world.server.poll() is not None


def test_demo_refuses_a_folder_that_is_not_its_own(tmp_path: Path) -> None:
    (tmp_path / "youthwork.db").write_bytes(b"a real profile")
    with pytest.raises(DemoError, match="not a demo folder"):
        DemoWorld.start(tmp_path)
    assert (tmp_path / "youthwork.db").read_bytes() == b"a real profile"


def test_the_app_shows_the_demo_passphrase_the_demo_uses() -> None:
    assert APP_DEMO_PASSPHRASE == DEMO_PASSPHRASE


def test_youthwork_demo_from_the_command_line_starts_and_stops_its_server(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    folder = tmp_path / "demo"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--demo", "--profile", str(folder), "--self-test"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "the window opened" in done.stdout and "Traceback" not in done.stderr
    assert (folder / "server.log").exists()  # it did start one
    assert demo_servers(folder) == []


def test_sigterm_ends_the_app_and_its_demo_service(tmp_path: Path) -> None:
    """A real `youthwork --demo` process ended by SIGTERM (a logout, a service manager) stops its demo service."""
    import signal
    import time

    root = Path(__file__).resolve().parents[2]
    folder = tmp_path / "demo"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    app = subprocess.Popen(
        [sys.executable, "-m", "ui.launcher", "--demo", "--profile", str(folder)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not (folder / "device-igt" / "youthwork.db").exists() or not demo_servers(folder):
            assert app.poll() is None and time.monotonic() < deadline, "the demo did not start"
            time.sleep(0.2)
        (pid,) = demo_servers(folder)
        time.sleep(8)  # the window is up and syncing
        app.send_signal(signal.SIGTERM)
        _out, err = app.communicate(timeout=60)
        assert "Traceback" not in err
        assert app.returncode == 0  # it quit as a close does (drafts kept, demo stopped), not killed by the signal
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    deadline = time.monotonic() + 15
    while pid in demo_servers(folder) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pid not in demo_servers(folder)


def demo_servers(folder: Path) -> list[int]:
    """Live `youthwork-server` processes serving this demo folder (Linux /proc), zombies not counted."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if b"youthwork.server.cli" not in (proc / "cmdline").read_bytes():
                continue
            if str(folder).encode() not in (proc / "environ").read_bytes():
                continue
            if (proc / "stat").read_text().split(") ", 1)[1].startswith("Z"):
                continue
        except OSError:
            continue
        found.append(int(proc.name))
    return found
