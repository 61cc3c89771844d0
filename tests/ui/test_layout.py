"""The window fits the laptop it runs on: it opens maximised on a 1366×768 screen, and at 1280×720 no control of
any area or form extends past the window or hides behind a sideways scroll bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from tests.ui.conftest import unlock
from ui.app_window import AppWindow
from ui.backend import Backend
from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral


def test_the_window_opens_maximised_on_a_laptop_and_comfortable_on_a_big_screen(qtbot, profile_dir) -> None:
    window = AppWindow(profile_dir)
    qtbot.addWidget(window)
    # As it opens, on the screen these tests run on: maximised, or three quarters of a big screen.
    available = window.screen().availableGeometry()
    maximised = bool(window.windowState() & Qt.WindowState.WindowMaximized)
    if available.width() < 1600 or available.height() < 900:
        assert maximised
    else:
        assert maximised or window.width() >= available.width() * 0.75
    window.fit_to_screen(QRect(0, 0, 1366, 728))  # 1366×768 less a task bar
    assert window.windowState() & Qt.WindowState.WindowMaximized
    assert window.size().width() == 1366
    window.fit_to_screen(QRect(0, 0, 2560, 1400))
    assert not window.windowState() & Qt.WindowState.WindowMaximized
    size = window.size()
    assert 1280 <= size.width() < 2560 and 720 <= size.height() < 1400
    assert window.geometry().center().x() in range(1270, 1290)


def _kai_referred(backend: Backend) -> None:
    kai = backend.people.add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))
    backend.referrals.send(
        Referral(person_id=kai.id, to_agency="igt", reason="Carrying packages", lawful_basis="vital_interests")
    )


def _overhanging(window: AppWindow) -> list[str]:
    """Controls whose right edge is past the window's, and scroll areas that scroll sideways."""
    QApplication.processEvents()
    found = []
    for widget in window.findChildren(QWidget):
        if widget.isWindow() or not widget.isVisibleTo(window):
            continue
        right = widget.mapTo(window, QPoint(0, 0)).x() + widget.width()
        if right > window.width():
            found.append(f"{type(widget).__name__} {widget.objectName() or widget.accessibleName()!r} to x={right}")
        if isinstance(widget, QScrollArea) and widget.horizontalScrollBar().isVisible():
            found.append(f"{type(widget).__name__} {widget.objectName()!r} scrolls sideways")
        inner = widget.widget() if isinstance(widget, QScrollArea) else None
        if inner is not None and inner.width() > widget.viewport().width():
            # With the sideways bar off, content wider than its viewport is cut off at the right (a hint, a box).
            view = widget.viewport().width()
            found.append(f"{widget.accessibleName()!r}: content {inner.width()} wide in a {view} view")
    return found


@pytest.mark.parametrize(
    ("width", "height"),
    [(1280, 720), (1093, 614)],  # 1280×720; and 1366×768 at 125% scaling, a common council laptop, in Qt's pixels
)
def test_every_area_and_form_fits_1280_by_720(qtbot, make_window, seed, themed, width: int, height: int) -> None:
    seed(_kai_referred)
    window = make_window()
    unlock(qtbot, window)
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.size().width() == width)
    ws = window.workspace
    kai = ws.backend.people.search("Kai")[0]
    referral = ws.backend.referrals.for_person(kai.id)[0]
    screens = {
        **{f"the {key} area": (lambda k=key: ws.go(k)) for key, _label in __import__("ui.workspace").workspace.AREAS},
        "the new young person form": lambda: (ws.go("people"), ws.people.new_person()),
        "a young person's profile": lambda: ws.open_person(kai.id),
        "the session form": lambda: (ws.go("sessions"), ws.sessions.new_session()),
        "the safety plan editor": lambda: ws.new_plan(kai.id),
        "the referral form": lambda: ws.new_referral(kai.id),
        "a referral": lambda: ws.open_referral(referral.referral.id),
    }
    problems = {}
    for name, show in screens.items():
        show()
        if found := _overhanging(window):
            problems[name] = found
    assert window.width() == width
    assert problems == {}
