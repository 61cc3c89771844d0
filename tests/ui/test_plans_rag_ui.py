"""A RAG rating change asks for the reason (at the field) and keeps its history on the profile's History tab."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import unlock
from ui.backend import Backend
from ui.people.profile_page import TAB_HISTORY
from youthwork.domain.records import YoungPerson


def test_rag_change_needs_a_reason_and_keeps_history(qtbot, make_window, seed):
    seed(lambda b: b.people.add(YoungPerson(first_name="Kai", area="Brenchley Gardens")))
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    backend: Backend = ws.backend
    person = backend.people.search("Kai")[0]
    ws.open_person(person.id)
    profile = ws.people.profile
    profile.tabs.setCurrentIndex(TAB_HISTORY)
    profile.rag_choice.setCurrentIndex(profile.rag_choice.findData("red"))
    qtbot.mouseClick(profile.rag_save, Qt.MouseButton.LeftButton)
    reason_error = profile.rag_errors._labels["reason"]
    assert reason_error.isVisible() and reason_error.text() == "Say why the RAG rating is changing."
    assert backend.people.get(person.id).rag is None and profile.history.rowCount() == 0

    qtbot.keyClicks(profile.rag_reason, "Arrested with older boys on Friday")
    qtbot.keyClick(profile.rag_reason, Qt.Key.Key_Return)
    assert backend.people.get(person.id).rag == "red"
    profile.rag_choice.setCurrentIndex(profile.rag_choice.findData("amber"))
    qtbot.keyClicks(profile.rag_reason, "Coming to the youth centre every week")
    qtbot.mouseClick(profile.rag_save, Qt.MouseButton.LeftButton)
    assert profile.tabs.currentIndex() == TAB_HISTORY
    rows = [(profile.history.item(r, 1).text(), profile.history.item(r, 2).text()) for r in range(2)]
    assert rows == [
        ("Amber – engaging to some extent", "Coming to the youth centre every week"),
        ("Red – still offending or at large", "Arrested with older boys on Friday"),
    ]
    assert len(backend.people.rag_history(person.id)) == 2
