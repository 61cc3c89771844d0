"""The entry points: ui.app.main and `youthwork` with no subcommand open the window and return when it closes."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ui.app import parse_args
from ui.app_window import AppWindow


def _close_soon(seen: list[AppWindow]) -> None:
    def close() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, AppWindow) and w.isVisible():
                seen.append(w)
                w.close()
        QApplication.quit()

    QTimer.singleShot(300, close)


def test_cli_without_subcommand_starts_the_app_on_the_given_profile(qapp, profile_dir):
    from youthwork.cli import main as cli_main

    seen: list[AppWindow] = []
    _close_soon(seen)
    assert cli_main(["--profile", str(profile_dir)]) == 0
    assert len(seen) == 1
    assert seen[0].directory == profile_dir
    assert seen[0].stack.currentWidget() is seen[0].first_run  # no profile there yet
    seen[0].deleteLater()


def test_arguments():
    args = parse_args(["--profile", "/tmp/x", "--idle-minutes", "2", "-v"])
    assert str(args.profile) == "/tmp/x" and args.idle_minutes == 2 and args.verbose and not args.demo
