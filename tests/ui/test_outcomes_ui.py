"""The Outcomes tab on a profile: rate the capabilities with a young person by keyboard, at the start and at a review,
and see the distance travelled; the ratings are erased with them and are in their subject access export."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from tests.ui.conftest import press, unlock
from ui.backend import Backend
from ui.people.profile_page import TAB_OUTCOMES
from youthwork.domain.outcomes import OutcomeRating
from youthwork.domain.records import YoungPerson


def _type_scores(qtbot, tab, scores: dict[str, int]) -> None:
    for code, value in scores.items():
        spin = tab.spins[code]
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, str(value))


def test_rate_at_the_start_and_a_review_and_see_the_change(qtbot, make_window, seed):
    def fill(backend: Backend) -> str:
        return backend.people.add(YoungPerson(first_name="Amara", date_of_birth=date(2010, 5, 1))).id

    person_id = seed(fill)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.open_person(person_id)
    profile = window.workspace.people.profile
    profile.tabs.setCurrentIndex(TAB_OUTCOMES)
    tab = profile.outcomes
    assert len(tab.spins) == 7 and profile.tabs.tabText(TAB_OUTCOMES) == "Outcomes (0)"
    assert "Not rated yet" in tab.history.text()

    _type_scores(qtbot, tab, {"communication": 2, "managing_feelings": 3})
    press(qtbot, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert tab.message.text() == "Rating saved." and profile.tabs.tabText(TAB_OUTCOMES) == "Outcomes (1)"
    assert tab.stage.currentData() == "review"  # the next one is a review

    _type_scores(qtbot, tab, {"communication": 4, "managing_feelings": 3})
    press(qtbot, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    rows = {
        tab.table.item(r, 0).text(): [tab.table.item(r, c).text() for c in (1, 2, 3)]
        for r in range(tab.table.rowCount())
    }
    assert rows["Communication"] == ["2", "4", "+2"]
    assert rows["Managing feelings"] == ["3", "3", "no change"]
    assert rows["Creativity"] == ["", "", ""]
    saved = window.backend.profile.records.select(OutcomeRating, "person_id = ?", (person_id,), order="created_at")
    assert [r.stage for r in saved] == ["start", "review"] and saved[1].scores == {
        "communication": 4,
        "managing_feelings": 3,
    }

    # Nothing rated: said in words, nothing saved.
    press(qtbot, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "at least one" in tab.message.text()
    assert profile.tabs.tabText(TAB_OUTCOMES) == "Outcomes (2)"
