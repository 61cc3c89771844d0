"""The young people list loads a page at a time as it scrolls; a crash after an autosave loses nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import unlock
from ui.backend import Backend
from ui.people.list_page import PAGE_SIZE
from youthwork.domain.records import YoungPerson

COUNT = PAGE_SIZE * 2 + 50


def _many(backend: Backend) -> None:
    people = [YoungPerson(first_name=f"Person{i:04d}", area="Brandon Estate") for i in range(COUNT)]
    backend.profile.records.bulk_insert(people)


def test_list_fetches_more_rows_as_it_scrolls(qtbot, make_window, seed):
    seed(_many)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("people")
    page = window.workspace.people.list
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.searcher.waiting)
    assert page.model.rowCount() == PAGE_SIZE  # only the first page is loaded
    qtbot.waitUntil(lambda: page.count_label.text() == f"{COUNT:,} young people", timeout=5000)

    page.table.setFocus()
    for _ in range(3):  # Ctrl+End asks the view for the last row, which fetches the next page
        before = page.model.rowCount()
        qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda n=before: page.model.rowCount() > n or not page.model.canFetchMore(), timeout=5000)
    assert page.model.rowCount() == COUNT
    assert not page.model.canFetchMore()
    assert page.model.row_at(COUNT - 1).first_name == f"Person{COUNT - 1:04d}"


def test_a_crash_after_autosave_loses_nothing(qtbot, make_window, seed, profile_dir):
    seed(lambda b: None)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("people")
    window.workspace.people.new_person()
    form = window.workspace.people.form
    qtbot.keyClicks(form.first_name, "Precious")
    qtbot.keyClicks(form.area, "Aylesbury Estate")
    window.workspace.save_drafts()  # what the 15-second autosave does

    # The laptop dies: no lock, no shutdown, the store simply stops being used.
    crashed_workspace, crashed_backend = window.workspace, window.backend
    window.workspace = window.backend = None
    crashed_workspace.autosave.stop()
    crashed_workspace.workers.join()
    crashed_workspace.people.shutdown()
    crashed_backend.close()
    window.stack.removeWidget(crashed_workspace)
    crashed_workspace.deleteLater()
    window.show_unlock()

    unlock(qtbot, window)
    form = window.workspace.people.form
    assert form.isVisible()
    assert form.first_name.text() == "Precious"
    assert form.area.text() == "Aylesbury Estate"
