"""Start the desktop app: `youthwork` with no subcommand, or `python -m ui.app [--profile DIR]`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="youthwork", description="Case recording for detached youth workers.")
    parser.add_argument(
        "--profile", type=Path, default=None, help="the profile folder (default: your user data folder)"
    )
    parser.add_argument(
        "--idle-minutes",
        type=float,
        default=None,
        help="lock after this many idle minutes (default: the profile's setting, 5)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.app_window import AppWindow
    from ui.theme import apply_theme

    logging.basicConfig(level=os.environ.get("YOUTHWORK_LOG", "WARNING"))
    from youthwork.config import profile_dir

    directory = profile_dir(args.profile)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "youthwork"])
    app.setApplicationName("youthwork")
    app.setApplicationDisplayName("youthwork")
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowShortcutsInContextMenus, False)
    apply_theme(app)
    window = AppWindow(directory, idle_minutes=args.idle_minutes)
    window.show()
    code = app.exec()
    window.shutdown()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
