"""What every screenshot script shares: a real app window at 1366x768 device pixels (a typical 13-inch council laptop
at 125% scaling), shown, settled and unlocked, and a way to save what the screen shows. Development tools only: they
are not part of the shipped app."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from ui.app_window import AppWindow

log = logging.getLogger(__name__)

PASSPHRASE = "screenshots invented people only"
SIZE = (1366, 768)  # device pixels


def settle(ms: int = 150) -> None:
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.005)


def wait_for(condition: Callable[[], bool], timeout: float = 10) -> None:
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError("the window did not get there")
        QApplication.processEvents()
        time.sleep(0.005)


def window_size(app: QApplication) -> tuple[int, int]:
    """SIZE in this screen's logical pixels, so the saved image is SIZE device pixels whatever the scaling."""
    ratio = app.primaryScreen().devicePixelRatio()
    return round(SIZE[0] / ratio), round(SIZE[1] / ratio)


def save_shot(widget: QWidget, path: Path, wait_ms: int = 150) -> None:
    """Let the widget settle and repaint, then save its window as the screen shows it (or its own rendering when the
    platform cannot grab the screen)."""
    settle(wait_ms)
    widget.repaint()
    settle(50)
    pixmap = widget.screen().grabWindow(widget.winId())
    if pixmap.isNull() or pixmap.width() < 10:
        pixmap = widget.grab()
    pixmap.save(str(path))
    print(f"saved {path} ({pixmap.width()}x{pixmap.height()})", flush=True)


def open_window(directory: Path) -> AppWindow:
    """The app's window on the profile in `directory`, SIZE device pixels, shown and settled."""
    from ui.app_window import AppWindow

    window = AppWindow(directory)
    window.resize(*window_size(QApplication.instance()))
    window.move(20, 20)
    window.show()
    window.activateWindow()
    wait_for(lambda: window.isVisible())
    settle(300)
    return window


def open_unlocked(directory: Path) -> AppWindow:
    """As open_window, then unlocked with PASSPHRASE and the workspace showing."""
    window = open_window(directory)
    window.unlock.passphrase.setText(PASSPHRASE)
    window.unlock.submit()
    wait_for(lambda: window.workspace is not None)
    return window
