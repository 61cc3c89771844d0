"""UI test fixtures: a fresh encrypted profile per test, a real AppWindow, background workers joined in teardown."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from ui.app_window import AppWindow
from ui.backend import Backend
from ui.theme import apply_theme
from youthwork.keys.slots import Argon2Params
from youthwork.store.profile import Profile

PASSPHRASE = "brisk otter lantern harbour"
WORKER = "Sam Okafor"
# Cheap key derivation for profiles made by fixtures (the app itself uses the real settings).
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def seed(profile_dir: Path) -> Iterator[Callable[[Callable[[Backend], object]], object]]:
    """Make the profile (if needed) and run `fill(backend)` on it, then close it: the state before the app opens."""

    def run(fill: Callable[[Backend], object]) -> object:
        if Profile.exists(profile_dir):
            profile = Profile.open(profile_dir, PASSPHRASE)
        else:
            profile, _key = Profile.create(profile_dir, PASSPHRASE, worker_name=WORKER, argon2=FAST_KDF)
        backend = Backend.for_profile(profile, profile_dir)
        try:
            return fill(backend)
        finally:
            backend.close()

    yield run


@pytest.fixture
def make_window(qtbot, profile_dir: Path) -> Iterator[Callable[..., AppWindow]]:
    windows: list[AppWindow] = []

    def make(**kwargs: object) -> AppWindow:
        window = AppWindow(profile_dir, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        # A 13-inch laptop at 125%, whatever screen the tests run on (the window opens maximised on a small one).
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(1366 * 4 // 5, 768 * 4 // 5)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()  # saves drafts, joins the background workers, closes the store
        assert not window.workspace


@pytest.fixture
def themed() -> Iterator[None]:
    """The app's own font and style sheet (their padding is what makes a form wide), put back afterwards."""
    app = QApplication.instance()
    font, sheet = QFont(app.font()), app.styleSheet()
    apply_theme(app)
    yield
    app.setStyleSheet(sheet)
    app.setFont(font)


def unlock(qtbot, window: AppWindow, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase and press Enter, as a worker would."""
    field = window.unlock.passphrase
    qtbot.keyClicks(field, passphrase)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press delivered to whatever has the focus (as the keyboard does)."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)
