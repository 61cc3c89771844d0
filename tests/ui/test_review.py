"""The Review area in a real window: tiles equal the report, Enter on a figure lists its records, week by keyboard,
sign-off and return, exports audited."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import press, unlock
from ui.backend import Backend
from ui.review.area import DrilldownDialog, FigureButton, ReviewArea
from youthwork.demo_data import generate
from youthwork.domain.records import Session
from youthwork.domain.weeks import IsoWeek
from youthwork.reports.weekly import weekly_report
from youthwork.security.audit import AuditTrail


def demo(backend: Backend) -> None:
    generate(backend.profile, people=120, weeks=3, seed=7)
    backend.set_setting("user_id", "sup-1")  # the supervisor, who worked none of these sessions


def open_review(qtbot, make_window, seed) -> tuple[object, ReviewArea]:
    seed(demo)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("review")
    area = window.workspace.review
    qtbot.waitUntil(lambda: area.report is not None and area.report.week == area.week, timeout=10_000)
    return window, area


def test_tiles_show_the_report_and_enter_lists_the_records(qtbot, make_window, seed) -> None:
    window, area = open_review(qtbot, make_window, seed)
    expected = weekly_report(window.backend.profile.db, IsoWeek.current().shifted(-1))
    assert area.report.values() == expected.values()
    tiles = {b.figure.key: b for b in area.figure_buttons}
    assert tiles["sessions"].figure.value == expected.figure("sessions").value > 0
    assert tiles["referrals"].figure.ids == expected.figure("referrals").ids
    # Keyboard: focus the "young people reached" tile and press Enter.
    tile: FigureButton = tiles["reached"]
    tile.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget() or area.dialog, DrilldownDialog))
    dialog = area.dialog
    assert dialog is not None and dialog.table.rowCount() == expected.figure("reached").value
    assert {line.id for line in dialog.lines} == set(expected.figure("reached").ids)
    assert all(line.title != "(not on this laptop)" for line in dialog.lines)
    dialog.reject()


def test_week_by_keyboard_and_typing(qtbot, make_window, seed) -> None:
    _window, area = open_review(qtbot, make_window, seed)
    start = area.week
    area.week_edit.setFocus()
    press(qtbot, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: area.report is not None and area.report.week == start.shifted(-1))
    assert area.week_edit.text() == str(start.shifted(-1))
    area.week_edit.selectAll()
    qtbot.keyClicks(area.week_edit, "2026-W13")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.report is not None and str(area.report.week) == "2026-W13")
    assert "167 hours" in area.week_label.text()
    area.week_edit.selectAll()
    qtbot.keyClicks(area.week_edit, "week 13")
    press(qtbot, Qt.Key.Key_Return)
    assert "Write it like 2026-W47" in area.message.text()


def test_sign_off_and_return_from_the_review_screen(qtbot, make_window, seed) -> None:
    window, area = open_review(qtbot, make_window, seed)
    area.tabs.setCurrentIndex(1)
    waiting = list(area._waiting)
    assert waiting and area.tabs.tabText(1).replace("&", "") == f"Sign-off ({len(waiting)} waiting now)"
    first = area.selected_session()
    area.waiting.setFocus()
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = window.backend.profile.records.get(Session, first.id)
    assert stored.status == "approved" and stored.reviewed_by == "sup-1"
    # Returning needs a comment.
    area.waiting.selectRow(0)
    target = area.selected_session()
    area.return_selected()
    assert "Say what the worker needs" in area.signoff_message.text()
    qtbot.keyClicks(area.comment, "Add who was on the register, please.")
    area.return_selected()
    assert window.backend.profile.records.get(Session, target.id).status == "returned"
    assert len(area._waiting) == len(waiting) - 2


def test_exports_are_written_and_audited(qtbot, make_window, seed, tmp_path: Path) -> None:
    window, area = open_review(qtbot, make_window, seed)
    written = area.export("xlsx", tmp_path / "week.xlsx") + area.export("csv", tmp_path / "week.csv")
    assert [p.name for p in written] == ["week.xlsx", "week.csv", "week-records.csv"]
    assert (tmp_path / "week.csv").stat().st_mode & 0o077 == 0  # readable by this user only
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "week.xlsx")
    assert book.sheetnames == ["Figures", "Records"]
    sessions_row = next(r for r in book["Figures"].iter_rows(values_only=True) if r[1] == "sessions")
    assert sessions_row[3] == area.report.figure("sessions").value
    reasons = [e.reason for e in AuditTrail(window.backend.profile).search(None) if e.action == "exported"]
    assert sorted(reasons) == ["format:csv", "format:xlsx"]
    area.export("pdf", tmp_path / "missing-folder" / "week.pdf")
    assert "does not exist" in area.message.text()
    (pdf,) = area.export("pdf", tmp_path / "week.pdf")  # drawn by the app's own Qt writer
    assert pdf.read_bytes().startswith(b"%PDF")


def test_enter_on_a_record_opens_it_in_its_area(qtbot, make_window, seed) -> None:
    window, area = open_review(qtbot, make_window, seed)
    dialog = area.drill(area.report.figure("sessions"))
    qtbot.waitExposed(dialog)
    dialog.table.selectRow(0)
    wanted = dialog.lines[0].id
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace.current_area == "sessions")
    assert not dialog.isVisible()
    assert window.workspace.sessions.form.session.id == wanted
