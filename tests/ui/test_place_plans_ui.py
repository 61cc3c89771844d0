"""A place's context safety plan in a real window, by keyboard: Alt+P on the place's page writes it (refused without a
review date, said at the field), agrees it, revises it (a second kept version, with what changed), the versions
listed; Ctrl+P prints the conference pack through the real save dialog and its PDF text (pdftotext) names no child.
Partner staff get none of it: the declared policy keeps context plans for staff."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.ui.conftest import focused, press, unlock
from tests.ui.test_accessibility import unnamed
from ui.backend import Backend
from ui.context_plans.dialog import TAB_VERSIONS, ContextPlanDialog
from ui.theme import em
from youthwork.domain.places import Place, PlaceKind
from youthwork.domain.records import Attendance, Session, YoungPerson
from youthwork.store.settings import ROLE

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
CHILDREN = ("Kai", "Mensah", "Dre", "Lawson")
REVIEW = date.today() + timedelta(days=28)


def _seed(backend: Backend) -> None:
    stop = backend.places.save(Place(name="Commercial Way bus stop", kind=PlaceKind.TRANSPORT, ward="Peckham"))
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    session = backend.profile.records.save(
        Session(place_id=stop.id, area="Peckham", starts_at=start, ends_at=start + timedelta(hours=2), concern=True)
    )
    for first, last in (("Kai", "Mensah"), ("Dre", "Lawson")):
        person = backend.people.add(YoungPerson(first_name=first, last_name=last, area="Brandon Estate"))
        backend.profile.records.save(Attendance(session_id=session.id, person_id=person.id))


def _dialog(qtbot) -> ContextPlanDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ContextPlanDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _in_view(dialog: ContextPlanDialog, field) -> bool:
    viewport = dialog._scroll.viewport()
    top_left = field.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, field.size()))


def _type_row(qtbot, editor, cells: list[str]) -> None:
    """Tab from the table to its Add button, Space adds a row and opens its first cell; Tab moves cell to cell."""
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor.add_button
    press(qtbot, Qt.Key.Key_Space)
    for text in cells:
        qtbot.keyClicks(focused(), text)
        press(qtbot, Qt.Key.Key_Tab)


def _place_page(qtbot, window):
    ws = window.workspace
    press(qtbot, Qt.Key.Key_0, CTRL)
    page = ws.areas["places"].area().places
    qtbot.waitUntil(page.find_box.hasFocus)
    assert page.view.heading.text() == "Commercial Way bus stop"
    return page.view


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_a_place_plan_written_revised_and_printed_by_keyboard(qtbot, make_window, seed, tmp_path):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    view = _place_page(qtbot, window)
    panel = view.context_plan
    assert panel.isVisible() and panel.state.text() == "No context plan yet: Alt+P starts one."
    assert unnamed(panel) == []

    # Write it: Alt+P, the concern, a partner; agreeing without a review date is refused at the field.
    press(qtbot, Qt.Key.Key_P, ALT)
    dialog = _dialog(qtbot)
    assert dialog.windowTitle() == "Context safety plan: Commercial Way bus stop"
    assert unnamed(dialog) == []
    press(qtbot, Qt.Key.Key_C, ALT)
    assert focused() is dialog.concern
    qtbot.keyClicks(focused(), "Older men offer Kai lifts from the stop after school")
    press(qtbot, Qt.Key.Key_P, ALT)
    assert focused() is dialog.partners.table
    _type_row(qtbot, dialog.partners, ["Transport for London", "transport", "the stop and its CCTV"])
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible() and "review date" in dialog.errors._labels["review_date"].text()
    dialog.resize(dialog.width(), em(dialog, 22))  # a small screen: the plan scrolls inside its tab
    press(qtbot, Qt.Key.Key_C, ALT)  # back up to the concern
    qtbot.waitUntil(lambda: not _in_view(dialog, dialog.review))
    press(qtbot, Qt.Key.Key_V, ALT)
    assert focused() is dialog.review
    qtbot.waitUntil(lambda: _in_view(dialog, dialog.review))  # scrolled to, as Tab would
    qtbot.keyClicks(focused(), REVIEW.strftime("%d/%m/%Y"))
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert panel.state.text().startswith("Agreed (version 1). 1 partner(s), 0 action(s)")
    assert panel.message.text() == "Context plan saved."

    # Revise it: an action with who and by when, and what changed; agreeing keeps version 2.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    panel.state.setFocus()
    press(qtbot, Qt.Key.Key_P, ALT)
    dialog = _dialog(qtbot)
    assert "Version 1 was agreed" in dialog.state.text() and "keeps them as version 2" in dialog.state.text()
    assert dialog.partners.rows() == [
        {"name": "Transport for London", "kind": "Transport", "responsible_for": "the stop and its CCTV"}
    ]
    press(qtbot, Qt.Key.Key_A, ALT)
    assert focused() is dialog.action_rows.table
    by = (date.today() + timedelta(days=14)).strftime("%d/%m/%Y")
    _type_row(qtbot, dialog.action_rows, ["Check the CCTV works", "Transport for London", by])
    press(qtbot, Qt.Key.Key_W, ALT)
    qtbot.keyClicks(focused(), "After the context conference")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert panel.state.text().startswith("Reviewed (version 2). 1 partner(s), 1 action(s)")

    # The kept versions, listed, and what changed between them.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    panel.state.setFocus()
    press(qtbot, Qt.Key.Key_P, ALT)
    dialog = _dialog(qtbot)
    assert dialog.tabs.tabText(TAB_VERSIONS) == "Kep&t versions (2)"
    press(qtbot, Qt.Key.Key_T, ALT)
    assert dialog.tabs.currentIndex() == TAB_VERSIONS
    table = dialog.versions.table
    rows = [[table.item(r, c).text() for c in (0, 1, 4)] for r in range(table.rowCount())]
    assert rows == [["1", "Agreed", ""], ["2", "Reviewed", "After the context conference"]]
    diff = dialog.versions.diff
    assert [diff.item(r, 0).text() for r in range(diff.rowCount())] == ["Actions"]
    assert "Check the CCTV works" in diff.item(0, 2).text() and diff.item(0, 1).text() == "—"
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    # Ctrl+P: the real save dialog, then the PDF's text names no child.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    panel.state.setFocus()
    target = tmp_path / "pack.pdf"

    def save_as() -> None:
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QFileDialog))
        chooser = QApplication.activeModalWidget()
        chooser.selectFile(str(target))
        chooser.accept()

    QTimer.singleShot(0, save_as)
    press(qtbot, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(target.exists)
    assert panel.message.text() == "Saved pack.pdf. It names no child. The print is in the audit trail."
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True)
    flat = unicodedata.normalize("NFKC", " ".join(text.stdout.split()))  # the PDF keeps the font's ligatures (ﬀ)
    for wanted in (
        "Commercial Way bus stop",
        "no child is named",
        "Sessions here: 1 (2 hours)",
        "Safeguarding concerns: 1",
        "Brandon Estate: 2",
        "Older men offer [a young person] lifts from the stop",
        "Transport for London — Transport — the stop and its CCTV",
        "Check the CCTV works — who: Transport for London",
    ):
        assert wanted in flat, wanted
    for name in CHILDREN:
        assert name not in flat, name
    backend = window.workspace.backend
    printed = [e for e in backend.audit.search() if e.action == "printed"]
    assert [(e.table_name, e.reason) for e in printed] == [("places", "context_pack_printed")]


def test_partner_staff_cannot_open_a_places_context_plan(qtbot, make_window, seed, tmp_path):
    def partner(backend: Backend) -> None:
        _seed(backend)
        stop = backend.places.all()[0]
        plan = backend.context_plans.new_for_place(stop.id)  # written while the laptop was a worker's
        plan.concern = "Older men offer Kai lifts"
        backend.context_plans.save(plan)
        backend.profile.set_setting(ROLE, "partner")

    seed(partner)
    window = make_window()
    unlock(qtbot, window)
    view = _place_page(qtbot, window)
    panel = view.context_plan
    assert "young people counted without names" in view.summary.text()  # places and headcounts: theirs
    assert not panel.isVisible() and not panel.plan_button.isVisible()
    press(qtbot, Qt.Key.Key_P, ALT)
    press(qtbot, Qt.Key.Key_P, CTRL)
    qtbot.wait(50)
    assert QApplication.activeModalWidget() is None and panel.dialog is None
    assert panel.open_plan() is None and "partner staff see places and headcounts only" in panel.message.text()
    assert panel.print_to(tmp_path / "pack.pdf") is None and not Path(tmp_path / "pack.pdf").exists()
    assert "Older men" not in panel.state.text()
