"""The `youthwork` program: the desktop app and the core's commands in one.

The core (youthwork/) never imports Qt or ui, so the program that has both starts here. It hands the core's command
line the two things only the desktop side can do, opening the window and drawing the weekly report's PDF with its
charts, and both load Qt only when used, so `youthwork find ...` stays quick.
"""

from __future__ import annotations

import os
from typing import Any

from youthwork import cli
from youthwork.reports import board_export, export


def _open_window(argv: list[str]) -> int:
    from ui.app import main as app_main

    return app_main(argv)


def _draw_report_pdf(*args: Any, **kwargs: Any) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # headless: no window is shown
    from ui.review.pdf import write_report_pdf

    write_report_pdf(*args, **kwargs)


def _draw_board_pdf(*args: Any, **kwargs: Any) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.review.board_pdf import write_board_pdf

    write_board_pdf(*args, **kwargs)


def main(argv: list[str] | None = None) -> int:
    export.register_pdf_writer(_draw_report_pdf)
    board_export.register_board_pdf_writer(_draw_board_pdf)
    return cli.main(argv, app=_open_window)


if __name__ == "__main__":
    raise SystemExit(main())
