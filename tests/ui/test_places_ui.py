"""Places in a real window, by keyboard: a session's place chosen by typing its name, a new place added, earlier
free text confirmed as a place, the place page and the supervisors' trends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import focused, press, unlock
from ui.backend import Backend
from ui.places.dialogs import ConfirmPlacesDialog, PlaceDialog
from youthwork.domain.places import Place, PlaceKind
from youthwork.domain.records import Session

CTRL = Qt.KeyboardModifier.ControlModifier


def _seed(backend: Backend) -> None:
    backend.places.save(Place(name="Sumner Road cage", kind=PlaceKind.CAGE, ward="Peckham"))
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    for _ in range(3):
        backend.profile.records.save(
            Session(area="North Peckham Estate", starts_at=start, ends_at=start + timedelta(hours=2), concern=True)
        )


def test_a_session_names_its_place_by_typing_it(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    ws.go("sessions")
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = ws.sessions.form
    qtbot.waitUntil(form.isVisible)
    qtbot.keyClicks(form.area, "Peckham")
    form.place.setFocus()
    qtbot.keyClicks(focused(), "sumner")  # completes inline to the place's name
    assert form.place.text().lower() == "sumner road cage"
    press(qtbot, Qt.Key.Key_S, CTRL)
    cage = ws.backend.places.all()[0]
    saved = [s for s in ws.backend.profile.records.select(Session, "place_id = ?", (cage.id,))]
    assert len(saved) == 1 and saved[0].place == "Sumner Road cage"


def test_places_area_new_place_confirm_earlier_and_the_page(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    press(qtbot, Qt.Key.Key_0, CTRL)
    assert ws.current_area == "places"
    area = ws.areas["places"].area()
    page = area.places
    qtbot.waitUntil(page.find_box.hasFocus)
    assert page.list.count() == 1 and "North Peckham Estate" not in page.view.summary.text()
    assert page.confirm_button.text() == "&Earlier places (1)"

    press(qtbot, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PlaceDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert focused() is dialog.name
    press(qtbot, Qt.Key.Key_Return, CTRL)  # no name: refused, said at the field
    assert dialog.isVisible() and dialog.errors._labels["name"].text() == "Give the place a name."
    qtbot.keyClicks(dialog.name, "Peckham Rye station")
    dialog.kind.setCurrentIndex(dialog.kind.findData("transport"))
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [p.name for p in ws.backend.places.all()] == ["Peckham Rye station", "Sumner Road cage"]
    assert page.view.heading.text() == "Peckham Rye station"

    qtbot.keyClick(page.confirm_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ConfirmPlacesDialog))
    confirm = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is confirm)
    assert confirm.name.text() == "North Peckham Estate" and confirm.kind.currentData() == "estate"
    confirm.name.setFocus()
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert "3 sessions linked" in confirm.message.text()
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    estate = next(p for p in ws.backend.places.all() if p.name == "North Peckham Estate")
    page.choose(estate.id)
    assert page.view.heading.text() == "North Peckham Estate"
    assert "3 sessions" in page.view.summary.text() and "3 safeguarding concerns" in page.view.summary.text()
    assert page.view.by_week.item(0, 1).text() == "3" or page.view.by_week.item(1, 1).text() == "3"

    # The supervisors' trends: the estate's three concerns are a pattern, with no detached hours there.
    area.tabs.setCurrentWidget(area.trends)
    trends = area.trends
    first = [trends.table.item(0, c).text() for c in range(trends.table.columnCount())]
    headings = [trends.table.horizontalHeaderItem(c).text() for c in range(trends.table.columnCount())]
    assert headings[:5] == ["Place", "Signals", "Detached hours", "Youth truck hours", "What it shows"]
    assert first[:2] == ["North Peckham Estate", "3"] and "Pattern: take to tasking" in first[4]
    trends.table.setFocus()
    qtbot.waitUntil(trends.table.hasFocus)
    press(qtbot, Qt.Key.Key_Return)
    assert area.tabs.currentWidget() is page and page.view.heading.text() == "North Peckham Estate"


def test_an_nfa_records_where_the_arrest_happened(qtbot, make_window, seed):
    from datetime import date

    from ui.nfa.panel import NfaPanel
    from youthwork.domain.records import YoungPerson

    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    person = ws.backend.people.add(YoungPerson(first_name="Kai", area="Peckham"))
    panel = NfaPanel(ws.backend)
    qtbot.addWidget(panel)
    panel.show_for(person.id)
    assert [panel.place.itemText(i) for i in range(panel.place.count())] == [
        "Not known or not one of our places",
        "Sumner Road cage",
    ]
    panel.when.setText(date.today().strftime("%d/%m/%Y"))
    panel.category.setCurrentIndex(panel.category.findData("robbery"))
    panel.place.setCurrentIndex(1)
    assert panel.record()
    cage = ws.backend.places.all()[0]
    assert [n.place_id for n in ws.backend.nfa.for_person(person.id)] == [cage.id]
    assert panel.place.currentIndex() == 0  # ready for the next one


def test_a_safety_plan_names_a_place_to_avoid(qtbot, make_window, seed):
    from datetime import date, timedelta

    from youthwork.domain.records import YoungPerson

    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    person = ws.backend.people.add(YoungPerson(first_name="Kai", area="Peckham"))
    ws.new_plan(person.id)
    editor = ws.plans.editor
    qtbot.waitUntil(editor.isVisible)
    panel = editor.named_places
    assert panel.place.currentText() == "Sumner Road cage"
    panel.stance.setCurrentIndex(panel.stance.findData("avoid"))
    editor.risks.setPlainText("Older boys at the cage after dark")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)  # a new plan is saved as a draft first
    assert [panel.list.item(i).text() for i in range(panel.list.count())] == ["Place to avoid: Sumner Road cage"]
    cage = ws.backend.places.all()[0]
    assert ws.backend.places.plans_naming(cage.id) == {"safe": 0, "avoid": 0}  # a draft is not a current plan
    editor.review.setText((date.today() + timedelta(days=28)).strftime("%d/%m/%Y"))
    editor.contacts.set_rows([{"name": "Childline", "number": "0800 1111", "when": "Any time"}])
    assert editor.agree()
    assert ws.backend.places.plans_naming(cage.id) == {"safe": 0, "avoid": 1}
    panel.list.setCurrentRow(0)
    panel.list.setFocus()
    press(qtbot, Qt.Key.Key_Delete)
    assert panel.list.count() == 0 and ws.backend.places.plans_naming(cage.id) == {"safe": 0, "avoid": 0}


def test_a_referral_names_where_the_harm_happens(qtbot, make_window, seed):
    from youthwork.domain.records import YoungPerson

    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    person = ws.backend.people.add(YoungPerson(first_name="Kai", area="Peckham"))
    ws.new_referral(person.id)
    form = ws.referrals.form
    qtbot.waitUntil(form.isVisible)
    assert form.place.itemText(1) == "Sumner Road cage"
    form.place.setCurrentIndex(1)
    form.reason.setPlainText("Robbed twice at the cage by older boys")
    assert form.save_draft()
    cage = ws.backend.places.all()[0]
    assert [v.referral.place_id for v in ws.backend.referrals.for_person(person.id)] == [cage.id]


def test_a_partner_coach_sees_places_and_headcounts_not_the_trends_or_the_log(qtbot, make_window, seed):
    def partner(backend: Backend) -> None:
        _seed(backend)
        from youthwork.store.settings import ROLE

        backend.profile.set_setting(ROLE, "partner")

    seed(partner)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    ws.go("places")
    area = ws.areas["places"].area()
    assert [area.tabs.tabText(i) for i in range(area.tabs.count())] == ["Places"]
    assert area.trends is None and area.log is None
    assert area.places.list.count() == 1 and "young people counted without names" in area.places.view.summary.text()
