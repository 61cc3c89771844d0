"""The guided import in a real window, by keyboard: Young people → Alt+I, type the file, Alt+P previews (nothing
written), the refused rows listed with their reasons and a match with someone already recorded shown as such, then
Ctrl+Enter imports; a partner's account has no import."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import press, unlock
from ui.backend import Backend
from ui.importing.dialog import ImportDialog
from youthwork.domain.records import YoungPerson
from youthwork.store.settings import ROLE


def _sheet(path: Path) -> Path:
    rows = [
        ["Date", "Start", "End", "Place", "Name", "Date of birth", "Gender", "Shoe size"],
        ["03/11/2025", "18:00", "20:00", "Brayards Estate", "Kaya Mensah", "04/05/2010", "F", "5"],
        ["03/11/2025", "18:00", "20:00", "Brayards Estate", "Jay Okoro", "01/05/2010", "M", "9"],
        ["03/11/2025", "18:00", "20:00", "Brayards Estate", "Rio Lewis", "31/02/2010", "M", "8"],
    ]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def _jay(backend: Backend) -> None:
    backend.people.add(
        YoungPerson(first_name="Jay", last_name="Okoro", date_of_birth=date(2010, 5, 1), area="Brayards Estate")
    )


def _dialog() -> ImportDialog:
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImportDialog) and w.isVisible())
    return dialog


def test_guided_import_by_keyboard(qtbot, make_window, seed, tmp_path) -> None:
    seed(_jay)
    sheet = _sheet(tmp_path / "register.csv")
    window = make_window()
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, ImportDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    dialog = _dialog()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.path)
    # A file that isn't a workbook: its reason under the field, nothing planned.
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip")
    qtbot.keyClicks(dialog.path, str(tmp_path / "fake.xlsx"))
    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.preview_button.isEnabled() and dialog.errors._labels["path"].text() != "")
    assert dialog.plan is None and "can't be opened as an Excel workbook" in dialog.errors._labels["path"].text()
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(sheet))
    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.plan is not None)

    backend = window.workspace.backend
    assert backend.people.count() == 1  # the preview wrote nothing
    text = dialog.summary.text()
    assert "“Simple register sheet”" in text and "Will add 1 young people and 1 sessions" in text
    assert "1 rows match young people already recorded" in text and "“Shoe size”" in text
    shown = {dialog.table.item(r, 0).text(): dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())}
    assert set(shown) == {"3", "4"}  # by default: the match and the refused row
    assert "already recorded" in shown["3"]
    assert shown["4"] == "The date of birth “31/02/2010” isn't a real date (check the day and month)."
    for widget in (dialog.path, dialog.mapping, dialog.encoding, dialog.add_new, dialog.table, dialog.show_rows):
        assert widget.accessibleName(), widget

    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.imported_rows == 2)
    assert "Imported 2 rows" in dialog.done_label.text()
    assert backend.people.count() == 2  # Kaya added; Jay joined, not added again
    assert backend.profile.db.scalar("SELECT count(*) FROM attendance") == 2
    assert not dialog.import_button.isEnabled()  # importing again needs a new preview
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_partner_has_no_import(qtbot, make_window, seed) -> None:
    seed(lambda b: b.profile.set_setting(ROLE, "partner"))
    window = make_window()
    unlock(qtbot, window)
    page = window.workspace.people.list
    assert not page.import_button.isVisible() and not page.import_button.isVisibleTo(page)
