"""Data quality and the merge view in a real window, by keyboard: the counts, Enter on a duplicate pair opens the
side-by-side, a choice per differing field, the merge; the profile opens from a record missing its date of birth."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import focused, press, unlock
from ui.backend import Backend
from ui.quality.merge_dialog import MergeDialog
from youthwork.domain.records import Attendance, Session, YoungPerson
from youthwork.services.data_quality import Issue
from youthwork.store.settings import ROLE


def two_jays(backend: Backend) -> None:
    backend.profile.set_setting(ROLE, "supervisor")
    repo = backend.profile.records
    repo.save(YoungPerson(first_name="Amira", area="Peckham", date_of_birth=date(2010, 1, 2), ethnicity="mixed_other"))
    keep = repo.save(
        YoungPerson(
            first_name="Jason",
            known_as="Jay",
            area="Peckham",
            estimated_age=15,
            phone="07700900123",
            created_at=datetime(2026, 9, 1, tzinfo=UTC),
        )
    )
    dup = repo.save(YoungPerson(first_name="Jay", area="Peckham", estimated_age=14, school="Harris", incomplete=True))
    session = repo.save(Session(area="Peckham", starts_at=datetime(2026, 11, 24, 18, tzinfo=UTC)))
    repo.save(Attendance(session_id=session.id, person_id=dup.id))
    backend.profile.set_setting("test.ids", [keep.id, dup.id])


def test_merge_two_records_from_data_quality_by_keyboard(qtbot, make_window, seed) -> None:
    seed(two_jays)
    window = make_window()
    unlock(qtbot, window)
    keep_id, dup_id = window.backend.profile.get_setting("test.ids")
    window.workspace.go("review")
    area = window.workspace.review
    press(qtbot, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    tab = area.quality
    qtbot.waitUntil(lambda: tab.isVisible() and tab.issues.count() == 5)
    texts = [tab.issues.item(i).text() for i in range(tab.issues.count())]
    assert texts[0] == "No date of birth: 2 of 3 (67%)"
    assert texts[3] == "Possible duplicates: 1 pair"
    tab.select_issue(Issue.DUPLICATES)
    tab.table.setFocus()
    assert tab.rows[0].person_id == keep_id and tab.rows[0].other_id == dup_id
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), MergeDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert {"first_name", "known_as", "estimated_age", "phone", "school"} <= {c.name for c in dialog.side.fields}
    # The school: the record that stays has none, so the duplicate's is chosen for it already.
    assert dialog.groups["school"].checkedButton().property("which") == "from"
    # The age: keep the duplicate's (14), by keyboard: the row's first choice, Space.
    age_from = dialog.groups["estimated_age"].buttons()[0]
    age_from.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    dialog.reason.setFocus()
    qtbot.keyClicks(dialog.reason, "Same lad")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.merged
    repo = window.backend.profile.records
    assert repo.get(YoungPerson, dup_id) is None
    jay = repo.get(YoungPerson, keep_id)
    assert (jay.first_name, jay.estimated_age, jay.school) == ("Jason", 14, "Harris")
    assert repo.count(Attendance, "person_id = ?", (keep_id,)) == 1
    qtbot.waitUntil(lambda: tab.issues.item(3).text().startswith("Possible duplicates: 0"))
    assert tab.issues.item(4).text() == "Recent merges: 1"

    # A record with no date of birth: Enter opens the profile.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    tab.select_issue(Issue.NO_DATE_OF_BIRTH)
    tab.table.setFocus()
    assert focused() is tab.table
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace.current_area == "people")
