"""The demo's central service ends with the app that started it, however the app ends: killed outright (SIGKILL, a
crash, Task Manager's End task) included, where no handler of the app's runs. It watches the app through its stdin,
which the system closes when the app goes, on Windows as here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

STARTER = """
import sys, time
from pathlib import Path
from youthwork import demo
url, proc, _log = demo._start_server(Path(sys.argv[1]))
print(proc.pid, url, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its dead parent's reaper) counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z"))


def test_the_demo_service_stops_when_the_app_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    app = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        pid_text, url = app.stdout.readline().split()
        server_pid = int(pid_text)
        assert httpx.get(f"{url}/api/v1/health", timeout=5).status_code == 200
        app.send_signal(signal.SIGKILL)  # nothing of the app's runs: no handler, no finally
        app.wait(timeout=10)
        deadline = time.monotonic() + 15
        while _alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(server_pid), "the demo service outlived the app that started it"
    finally:
        if app.poll() is None:
            app.kill()
        app.communicate()
