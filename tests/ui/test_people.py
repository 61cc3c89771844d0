"""Young people: search as you type, filters, the profile, adding someone with a duplicate warning."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from tests.ui.conftest import press, unlock
from ui.backend import Backend
from youthwork.domain.records import YoungPerson

PEOPLE = [
    ("Jayden", "Mensah", "JJ", "North Peckham Estate", "red", ["gang", "weapon"], date(2009, 5, 2)),
    ("Jade", "Okoro", "", "North Peckham Estate", "amber", [], date(2010, 1, 20)),
    ("Kyle", "Brown", "Kb", "Brandon Estate", "green", ["neet"], date(2007, 11, 3)),
    ("Amara", "Jones", "", "Brandon Estate", "red", ["cse", "missing"], date(2009, 8, 14)),
    ("Tyrese", "Adams", "Ty", "Aylesbury Estate", None, [], None),
]


def _seed_people(backend: Backend) -> None:
    for first, last, known, area, rag, risks, dob in PEOPLE:
        backend.people.add(
            YoungPerson(
                first_name=first,
                last_name=last,
                known_as=known,
                area=area,
                rag=rag,
                risk_indicators=risks,
                date_of_birth=dob,
                estimated_age=None if dob else 15,
            )
        )
    inactive = YoungPerson(first_name="Jason", last_name="Old", area="Brandon Estate", active=False)
    backend.people.add(inactive)
    backend.people.add(YoungPerson(first_name="Zara", area="Aylesbury Estate", lead_worker_id="w-77"))
    backend.set_setting("worker_names", {"w-77": "Priya Shah"})


def _names(page) -> list[str]:
    return [page.model.row_at(r).first_name for r in range(page.model.rowCount())]


def _settle(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.searcher.waiting, timeout=3000)


def test_search_as_you_type_and_filters(qtbot, make_window, seed):
    seed(_seed_people)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.workspace.people.list
    _settle(qtbot, page)
    assert sorted(_names(page)) == ["Amara", "Jade", "Jayden", "Kyle", "Tyrese", "Zara"]  # active only, by default
    assert page.count_label.text() == "6 young people"
    page.lead.setCurrentIndex(page.lead.findData("w-77"))  # a colleague as lead worker
    _settle(qtbot, page)
    assert _names(page) == ["Zara"]
    page.lead.setCurrentIndex(0)
    _settle(qtbot, page)

    # Ctrl+F, then type: prefix search on first name, nickname, estate.
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "ja")
    _settle(qtbot, page)
    assert sorted(_names(page)) == ["Jade", "Jayden"]
    qtbot.keyClicks(page.search, "y")
    _settle(qtbot, page)
    assert _names(page) == ["Jayden"]
    page.search.clear()
    qtbot.keyClicks(page.search, "ty")  # a nickname
    _settle(qtbot, page)
    assert _names(page) == ["Tyrese"]
    page.search.clear()
    qtbot.keyClicks(page.search, "brandon")  # an estate
    _settle(qtbot, page)
    assert sorted(_names(page)) == ["Amara", "Kyle"]

    # Filters combine with the search.
    page.rag.setCurrentIndex(page.rag.findData("red"))
    _settle(qtbot, page)
    assert _names(page) == ["Amara"]
    page.search.clear()
    _settle(qtbot, page)
    assert sorted(_names(page)) == ["Amara", "Jayden"]
    page.risk.setCurrentIndex(page.risk.findData("weapon"))
    _settle(qtbot, page)
    assert _names(page) == ["Jayden"]
    page.rag.setCurrentIndex(0)
    page.risk.setCurrentIndex(0)
    page.area.setCurrentIndex(page.area.findData("Brandon Estate"))
    page.active.setCurrentIndex(page.active.findData(False))
    _settle(qtbot, page)
    assert _names(page) == ["Jason"]
    page.active.setCurrentIndex(page.active.findData(None))
    _settle(qtbot, page)
    assert sorted(_names(page)) == ["Amara", "Jason", "Kyle"]

    # Nothing found says what to do next.
    qtbot.keyClicks(page.search, "zzz")
    _settle(qtbot, page)
    assert _names(page) == []
    assert "Ctrl+N" in page.count_label.text()

    # Down to the list and Enter opens the profile with its tabs.
    page.search.clear()
    page.area.setCurrentIndex(0)
    page.active.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "amara")
    _settle(qtbot, page)
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    profile = window.workspace.people.profile
    assert profile.isVisible()
    assert profile.heading.text() == "Amara Jones"
    assert [profile.tabs.tabText(i).replace("&", "").split(" (")[0] for i in range(6)] == [
        "Details",
        "Sessions attended",
        "Case notes",
        "Plans",
        "Referrals",
        "History",
    ]
    # Criminal-offence and special category details are hidden until asked for with a reason (ui.privacy).
    assert "Sexual exploitation" not in profile.details.text()
    press(qtbot, Qt.Key.Key_Escape)
    assert page.isVisible()


def test_add_person_with_validation_and_duplicate_warning(qtbot, make_window, seed):
    seed(_seed_people)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.workspace.people.form
    assert form.isVisible() and form.first_name.hasFocus()

    # A name of only spaces and an impossible date: each problem at its field, and what was typed stays.
    qtbot.keyClicks(form.first_name, "   ")
    qtbot.keyClicks(form.date_of_birth, "31/02/2009")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.isVisible()
    assert "does not exist" in form.errors._labels["date_of_birth"].text()
    assert form.date_of_birth.text() == "31/02/2009"
    form.date_of_birth.clear()
    qtbot.keyClicks(form.date_of_birth, "02/05/2009")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "first name" in form.errors._labels["first_name"].text()
    assert form.first_name.hasFocus()

    # Same name and date of birth as someone on record: a warning, not a silent duplicate.
    form.first_name.clear()
    qtbot.keyClicks(form.first_name, "Jayden")
    qtbot.keyClicks(form.last_name, "Mensah")
    form.area.clear()
    qtbot.keyClicks(form.area, "North Peckham Estate")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.duplicates.isVisible()
    assert "Jayden Mensah" in form.duplicate_text.text()
    assert form.isVisible()

    # The worker checks: it is someone else after all (a cousin with the same name), so save anyway.
    form.date_of_birth.clear()
    qtbot.keyClicks(form.date_of_birth, "02/05/2011")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    profile = window.workspace.people.profile
    assert profile.isVisible()
    assert profile.heading.text() == "Jayden Mensah"
    backend = window.backend
    from youthwork.services.people import PeopleFilter

    assert backend.people.count(PeopleFilter(text="jayden")) == 2


def test_duplicate_warning_opens_the_existing_person(qtbot, make_window, seed):
    seed(_seed_people)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.go("people")
    window.workspace.people.new_person()
    form = window.workspace.people.form
    qtbot.keyClicks(form.first_name, "Kyle")
    qtbot.keyClicks(form.last_name, "Browne")  # a close name on the same estate
    qtbot.keyClicks(form.area, "Brandon Estate")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.duplicates.isVisible()
    assert "Kyle Brown" in form.duplicate_text.text()
    qtbot.keyClick(form.duplicate_buttons.itemAt(0).widget(), Qt.Key.Key_Space)
    profile = window.workspace.people.profile
    assert profile.isVisible()
    assert profile.heading.text() == "Kyle Brown (Kb)"


def test_edit_a_person_completes_a_quick_added_face(qtbot, make_window, seed):
    def fill(backend: Backend) -> str:
        return backend.people.quick_add("Mo", "Sumner Estate", 14).id

    person_id = seed(fill)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.open_person(person_id)
    profile = window.workspace.people.profile
    assert profile.incomplete.isVisible()  # "added quickly from a register"
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    form = window.workspace.people.form
    assert form.isVisible() and form.first_name.text() == "Mo"
    qtbot.keyClicks(form.last_name, "Hassan")
    qtbot.keyClicks(form.postcode, "not a postcode")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "postcode" in form.errors._labels["postcode"].text()
    assert form.last_name.text() == "Hassan"  # kept while the postcode is put right
    form.postcode.clear()
    qtbot.keyClicks(form.postcode, "se15 5ab")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert profile.isVisible()
    saved = window.backend.people.get(person_id)
    assert (saved.last_name, saved.postcode) == ("Hassan", "SE15 5AB")


def test_every_column_title_fits_its_column(qtbot, make_window, seed):
    """Titles are drawn in bold (the whole row is selected), so a width in average characters clipped "NFAs"."""
    from PySide6.QtGui import QFont, QFontMetrics
    from PySide6.QtWidgets import QStyle

    seed(_seed_people)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    people = window.workspace.people.list
    qtbot.waitUntil(lambda: people.model.rowCount() > 0)
    header = people.table.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for col in range(1, people.model.columnCount()):
        title = people.model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        needed = QFontMetrics(bold).horizontalAdvance(title) + 2 * margin
        assert header.sectionSize(col) >= needed, (title, header.sectionSize(col), needed)


def test_send_and_looked_after_are_one_box_each(qtbot, make_window, seed):
    from PySide6.QtWidgets import QCheckBox

    def fill(backend: Backend) -> str:
        p = YoungPerson(first_name="Jade", area="Sumner Estate", risk_indicators=["send", "cce"], looked_after=True)
        return backend.people.add(p).id

    person_id = seed(fill)
    window = make_window()
    unlock(qtbot, window)
    window.workspace.open_person(person_id)
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    form = window.workspace.people.form
    boxes = [b.text() for b in form.findChildren(QCheckBox)]
    assert sum("SEND" in t for t in boxes) == 1 and sum("Looked-after" in t for t in boxes) == 1, boxes
    assert form.send_ehcp.isChecked() and form.looked_after.isChecked()  # each fact, wherever it was recorded
    form.send_ehcp.setFocus()
    press(qtbot, Qt.Key.Key_Space)  # no longer SEND
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    saved = window.backend.people.get(person_id)
    assert saved.send_ehcp is False and saved.risk_indicators == ["cce", "looked_after"]
    assert saved.looked_after is True
