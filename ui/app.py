"""Start the desktop app: `youthwork` with no subcommand, or `python -m ui.app [--profile DIR] [--demo]`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

# The demo profile holds invented records only; its passphrase is shown on its unlock screen.
DEMO_PASSPHRASE = "demo profile invented people"  # the same as youthwork.demo.DEMO_PASSPHRASE
DEMO_SYNC_SECONDS = 15.0
DEMO_NOTE = "Demo: invented people. It starts afresh each time you open it, so nothing recorded here is kept."


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="youthwork", description="Case recording for detached youth workers.")
    parser.add_argument(
        "--profile", type=Path, default=None, help="the profile folder (default: your user data folder)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="try it: a fresh demo profile of invented young people, a demo central service and a second device",
    )
    parser.add_argument("--idle-minutes", type=float, default=None, help="lock after this many idle minutes")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is happening (no personal data)")
    parser.add_argument(
        "--self-test", action="store_true", help="open the window, check it shows, close it and exit (for installers)"
    )
    # For benchmarks/: unlock with $YOUTHWORK_PASSPHRASE, print when the young people list has rows, exit.
    parser.add_argument("--bench-unlock", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bench-scroll", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(level=logging.INFO if args.verbose else os.environ.get("YOUTHWORK_LOG", "WARNING"))

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from ui.app_window import AppWindow
    from ui.theme import RESOURCES, apply_theme
    from youthwork.config import profile_dir
    from youthwork.store.errors import StoreError

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "youthwork"])
    assert isinstance(app, QApplication)  # instance() is typed as the QCoreApplication it may be; here it is not
    app.setApplicationName("youthwork")
    app.setApplicationDisplayName("youthwork")
    app.setDesktopFileName("uk.org.youthwork.Youthwork")
    icon = RESOURCES / "icons" / "app" / "youthwork-256.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    apply_theme(app)
    quit_on_signals(app)
    from youthwork.demo import DemoError, DemoWorld

    demo: DemoWorld | None = None
    try:
        if args.demo:
            # A fresh demo profile, an embedded central service and a second device (youthwork/demo.py).
            demo = DemoWorld.start(args.profile)
            directory = demo.profile_dir
        else:
            directory = profile_dir(args.profile)
    except (StoreError, DemoError) as exc:
        print(f"youthwork: {exc}", file=sys.stderr)
        return 1
    try:
        window = AppWindow(
            directory, idle_minutes=args.idle_minutes, demo_passphrase=DEMO_PASSPHRASE if args.demo else ""
        )
        window.show()
        if args.self_test:
            return self_test(app, window)
        if args.bench_unlock:
            return bench_unlock(app, window, scroll=args.bench_scroll)
        if demo is not None:
            run_demo(window)
        app.setProperty("youthwork_running", True)
        code = app.exec()
        window.shutdown()
        return int(code)
    finally:
        if demo is not None:
            demo.stop()  # the server child and the second device stop with the app


def quit_on_signals(app) -> None:
    """SIGTERM (a logout, `kill`, a service manager), SIGINT and SIGHUP end the app as closing it does: drafts kept,
    the demo's service and second device stopped. Without this Python dies at once and the demo service is orphaned.
    Before the window's loop runs (the demo still starting) the signal ends the start-up the same way, by SystemExit,
    which stops whatever the demo had started."""
    import signal

    from PySide6.QtCore import QTimer

    def stop(signum: int, _frame: object) -> None:
        if app.property("youthwork_running"):
            app.quit()
        else:
            raise SystemExit(128 + signum)

    # SIGHUP is POSIX only; SIGBREAK is Windows' Ctrl+Break and console close. Each is set where the system has it.
    for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGBREAK"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    # Python runs a signal handler only between bytecodes: a short timer gives it that chance while Qt's loop runs.
    tick = QTimer(app)
    tick.setInterval(200)
    tick.timeout.connect(lambda: None)
    tick.start()
    app._signal_tick = tick  # kept alive with the app


def run_demo(window, sync_seconds: float = DEMO_SYNC_SECONDS) -> None:
    """Unlock the demo profile at once and sync often, so records from the second device keep arriving."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLabel

    note = QLabel(DEMO_NOTE)
    note.setObjectName("demoNote")
    note.setAccessibleName(DEMO_NOTE)
    window.statusBar().insertPermanentWidget(0, note)
    window.demo_note = note
    window.setWindowTitle(f"{window.windowTitle()} (demo: starts afresh each time)")
    window.unlock.passphrase.setText(DEMO_PASSPHRASE)
    window.unlock.submit()

    def sync() -> None:
        if window.workspace is not None:
            window.workspace.sync.controller.sync_now()

    timer = QTimer(window)
    timer.setInterval(int(sync_seconds * 1000))
    timer.timeout.connect(sync)
    timer.start()
    window.demo_sync_timer = timer


def self_test(app, window) -> int:
    """Let the window settle, check it is on screen showing the first-run or unlock page, then close."""
    from PySide6.QtCore import QTimer

    outcome: list[int] = []

    def check() -> None:
        shown = window.isVisible() and window.stack.currentWidget() in (window.first_run, window.unlock)
        outcome.append(0 if shown else 1)
        print("youthwork self-test: " + ("the window opened" if shown else "the window did not open"))
        window.close()
        app.quit()

    QTimer.singleShot(1000, check)
    app.exec()
    window.shutdown()
    return outcome[0] if outcome else 1


def bench_unlock(app, window, *, scroll: bool) -> int:
    """Unlock, wait for the list to show rows, print a JSON line; with `scroll`, load every row then print the peak
    memory. Used by the benchmark suite to time a cold start in a real process."""
    import json
    import resource
    import time

    from PySide6.QtCore import QTimer

    from youthwork.config import PASSPHRASE_ENV

    started = time.perf_counter()
    window.unlock.passphrase.setText(os.environ.get(PASSPHRASE_ENV, ""))
    window.unlock.submit()  # the passphrase is checked off the UI thread
    while window.workspace is None and (window.unlock.busy or window.stack.currentWidget() is not window.unlock):
        app.processEvents()
        time.sleep(0.001)
    if window.workspace is None:
        print(json.dumps({"error": "the profile did not unlock"}))
        return 1
    window.workspace.go("people")
    people = window.workspace.people.list
    outcome: list[int] = []

    def poll() -> None:
        if people.model.rowCount() == 0:
            QTimer.singleShot(1, poll)
            return
        people.table.viewport().repaint()
        line: dict[str, float] = {"unlock_to_list_ms": (time.perf_counter() - started) * 1000}
        print(json.dumps(line), flush=True)
        if scroll:
            while people.model.canFetchMore():
                people.model.fetchMore()
            people.table.scrollToBottom()
            people.table.viewport().repaint()
            line["rows"] = people.model.rowCount()
            line["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(json.dumps(line), flush=True)
        outcome.append(0)
        app.quit()

    QTimer.singleShot(0, poll)
    app.exec()
    window.shutdown()
    return outcome[0] if outcome else 1


if __name__ == "__main__":
    raise SystemExit(main())
