"""Role-appropriate areas: Review and Data protection are a supervisor's; a worker's laptop says so in a sentence."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import press, unlock
from ui.placeholder import SupervisorsOnlyPage
from ui.privacy.area import PrivacyArea
from ui.review.area import ReviewArea
from youthwork.sync.device import ROLE


def _role(role: str | None):
    def fill(backend) -> None:
        if role is not None:
            backend.profile.set_setting(ROLE, role)

    return fill


def test_a_worker_sees_a_sentence_not_the_supervisor_areas(qtbot, make_window, seed):
    seed(_role("worker"))
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    labels = [ws.nav.item(i).text() for i in range(ws.nav.count())]
    assert "Review" in labels and "Data protection" in labels  # the shortcuts keep their numbers

    press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # Review
    assert ws.current_area == "review"
    page = ws.review
    assert isinstance(page, SupervisorsOnlyPage)
    qtbot.waitUntil(page.sentence.isVisible)
    assert "for supervisors" in page.sentence.text()

    press(qtbot, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)  # Data protection
    page = ws.privacy
    assert isinstance(page, SupervisorsOnlyPage)
    assert "for supervisors" in page.sentence.text() and "Privacy tab" in page.sentence.text()
    # Nothing of the supervisor's areas was built: no sign-off queue, no audit trail, no retention list.
    assert not ws.findChildren(ReviewArea) and not ws.findChildren(PrivacyArea)
    assert "for supervisors" in ws.nav.item(5).toolTip()


@pytest.mark.parametrize("role", ["supervisor", None], ids=["supervisor", "never-enrolled"])
def test_a_supervisor_and_a_laptop_never_enrolled_keep_everything(qtbot, make_window, seed, role):
    seed(_role(role))
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(ws.review, ReviewArea)
    press(qtbot, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(ws.privacy, PrivacyArea)
    assert "for supervisors" not in ws.nav.item(5).toolTip()


def test_enrolling_as_a_worker_before_opening_review_is_respected(qtbot, make_window, seed):
    seed(_role(None))
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    ws.backend.profile.set_setting(ROLE, "worker")  # as enrolment does, from the Sync area
    press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(ws.review, SupervisorsOnlyPage)
