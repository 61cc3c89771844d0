"""Keys behave the same on every form: Esc goes back and keeps what was typed as a draft, put back on return
(a new young person, a safety plan, a referral, as a session already did); a kept draft can be discarded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from tests.ui.conftest import focused, press, unlock
from tests.ui.test_referrals_ui import _seed_inbox
from ui.backend import Backend
from ui.people.area import PERSON_DRAFT
from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import ReferralStatus

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _kai(backend: Backend) -> None:
    backend.people.add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))


def test_esc_on_a_new_young_person_keeps_a_draft_until_discarded(qtbot, make_window, seed):
    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    press(qtbot, Qt.Key.Key_2, CTRL)
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = ws.people.form
    assert focused() is form.first_name
    qtbot.keyClicks(form.first_name, "Tia")
    qtbot.keyClicks(form.area, "Ledbury Court")
    press(qtbot, Qt.Key.Key_Escape)
    assert ws.people.list.isVisible()
    assert ws.people.kept_note.isVisible() and "Ctrl+N puts it back" in ws.people.kept_note.text()
    assert ws.backend.drafts.load(PERSON_DRAFT)["values"]["first_name"] == "Tia"

    press(qtbot, Qt.Key.Key_N, CTRL)
    assert form.isVisible() and form.first_name.text() == "Tia" and form.area.text() == "Ledbury Court"
    assert form.discard_button.isVisible()
    press(qtbot, Qt.Key.Key_D, CTRL_SHIFT)  # Discard draft
    assert ws.people.list.isVisible() and not ws.people.kept_note.isVisible()
    assert ws.backend.drafts.load(PERSON_DRAFT) is None
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert form.first_name.text() == "" and not form.discard_button.isVisible()
    press(qtbot, Qt.Key.Key_Escape)  # nothing typed: nothing kept
    assert ws.people.list.isVisible() and not ws.people.kept_note.isVisible()


def test_esc_on_a_safety_plan_and_a_referral_keeps_them_as_drafts(qtbot, make_window, seed):
    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    kai = ws.backend.people.search("Kai")[0]

    ws.new_plan(kai.id)
    editor = ws.plans.editor
    qtbot.waitUntil(editor.isVisible)
    qtbot.keyClicks(editor.risks, "Older boys asking him to carry packages")
    press(qtbot, Qt.Key.Key_Escape)
    assert ws.plans.list.isVisible()
    (plan,) = ws.backend.plans.for_person(kai.id)
    assert plan.status == "draft" and plan.risks_triggers == "Older boys asking him to carry packages"
    ws.plans.open_plan(plan.id)
    assert editor.risks.toPlainText() == "Older boys asking him to carry packages"
    press(qtbot, Qt.Key.Key_Escape)  # nothing changed since: nothing more is written
    assert len(ws.backend.plans.for_person(kai.id)) == 1

    ws.new_referral(kai.id)
    form = ws.referrals.form
    qtbot.waitUntil(form.isVisible)
    form.reason.setFocus()
    qtbot.keyClicks(form.reason, "Seen with older boys")
    press(qtbot, Qt.Key.Key_Escape)
    assert ws.referrals.list.isVisible()
    (view,) = ws.backend.referrals.for_person(kai.id)
    assert view.referral.status == ReferralStatus.DRAFT and view.referral.reason == "Seen with older boys"


def _tab_until(qtbot, stop, limit: int = 80) -> list:
    """Press Tab from the focused control until `stop(widget)` holds; the controls visited, in order."""
    visited = [focused()]
    for _ in range(limit):
        press(qtbot, Qt.Key.Key_Tab)
        visited.append(focused())
        if stop(visited[-1]):
            return visited
    raise AssertionError("Tab never got there: " + ", ".join(type(w).__name__ for w in visited))


def test_tab_moves_on_from_every_multi_line_field(qtbot, make_window, seed):
    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    press(qtbot, Qt.Key.Key_2, CTRL)
    press(qtbot, Qt.Key.Key_N, CTRL)
    note = ws.people.form.competence_note
    note.setFocus()
    qtbot.keyClicks(note, "Understands and agreed")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is not note and note.toPlainText() == "Understands and agreed"

    # Every multi-line box anywhere in the app lets Tab move on.
    kai = ws.backend.people.search("Kai")[0]
    ws.open_person(kai.id)
    ws.sessions.new_session()
    ws.new_plan(kai.id)
    ws.new_referral(kai.id)
    for key in ("review", "privacy"):
        ws.go(key)
    boxes = [b for t in (QPlainTextEdit, QTextEdit) for b in window.findChildren(t) if not b.isReadOnly()]
    assert len(boxes) >= 10
    assert [b.accessibleName() for b in boxes if not b.tabChangesFocus()] == []


def test_the_session_form_tabs_through_the_register_and_headcount_before_submit(qtbot, make_window, seed):
    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    press(qtbot, Qt.Key.Key_3, CTRL)
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = ws.sessions.form
    form.narrative.setFocus()
    tab_bar = form.register.tabs.tabBar()
    visited = _tab_until(qtbot, lambda w: w is form.submit_button)
    assert visited.index(tab_bar) < visited.index(form.register.find_box) < visited.index(form.draft_button)
    # On the register's tabs, → shows the headcount, and Tab goes into its grid, still before Submit.
    tab_bar.setFocus()
    press(qtbot, Qt.Key.Key_Right)
    assert form.register.tabs.currentIndex() == 1
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.register.grid


def _row_colour(view, row: int = 0) -> QColor:
    """The background of the row's first cell as painted, just inside its right edge (clear of the text)."""
    rect = view.visualRect(view.model().index(row, 0))
    return view.viewport().grab().toImage().pixelColor(rect.right() - 3, rect.center().y())


def _clearly_different(a: QColor, b: QColor) -> bool:
    """Told apart at a glance: far apart in lightness, not a shade."""
    return abs(a.lightness() - b.lightness()) > 60


def test_buttons_have_keys_enter_opens_rows_and_the_focused_row_stands_out(qtbot, make_window, seed, themed):
    def kai_referred(backend: Backend) -> None:
        _kai(backend)
        backend.people.add(YoungPerson(first_name="Amara", area="Peckham"))

    seed(kai_referred)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace

    # The navigation: Enter goes into the highlighted area; the highlighted row looks different with the focus.
    ws.nav.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    assert ws.current_area == "people"
    focused_colour = _row_colour(ws.nav, 1)
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is not ws.nav and ws.people.isAncestorOf(focused())
    assert _clearly_different(_row_colour(ws.nav, 1), focused_colour)

    # A list: the focused row stands out from the same row without the focus.
    people = ws.people.list
    qtbot.waitUntil(lambda: people.model.rowCount() == 2)
    people.table.setFocus()
    people.table.selectRow(0)
    with_focus = _row_colour(people.table)
    people.search.setFocus()
    assert _clearly_different(_row_colour(people.table), with_focus)

    # The profile's Plans and Referrals tabs: Ctrl+N starts a plan or a referral.
    people.table.setFocus()
    kai_row = next(r for r in range(2) if people.model.row_at(r).first_name == "Kai")
    people.table.selectRow(kai_row)
    press(qtbot, Qt.Key.Key_Return)
    profile = ws.people.profile
    qtbot.waitUntil(lambda: profile.isVisible() and profile.person is not None)
    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # the Plans tab
    assert profile.tabs.currentWidget() is profile.plans
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert ws.current_area == "plans" and ws.plans.editor.isVisible()
    press(qtbot, Qt.Key.Key_Escape)
    ws.open_person(profile.person.id)
    press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # the Referrals tab
    assert profile.tabs.currentWidget() is profile.referrals
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert ws.current_area == "referrals" and ws.referrals.form.isVisible()


def test_the_review_tabs_exports_and_the_inbox_answers_have_keys(qtbot, make_window, seed):
    seed(_seed_inbox)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    press(qtbot, Qt.Key.Key_6, CTRL)
    review = ws.review
    qtbot.waitUntil(review.isVisible)
    for key, index in ((Qt.Key.Key_O, 1), (Qt.Key.Key_R, 2), (Qt.Key.Key_B, 3), (Qt.Key.Key_W, 0)):
        press(qtbot, key, Qt.KeyboardModifier.AltModifier)
        assert review.tabs.currentIndex() == index
    for b in (review.pdf_button, review.csv_button, review.xlsx_button):
        assert "&" in b.text()  # Alt and the underlined letter

    press(qtbot, Qt.Key.Key_5, CTRL)
    referral = ws.backend.referrals.inbox()[0]
    ws.open_referral(referral.referral.id)
    detail = ws.referrals.detail
    qtbot.waitUntil(detail.isVisible)
    assert detail.answer.isVisible()
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # Acknowledge
    qtbot.waitUntil(lambda: detail.status.text() == "Acknowledged")  # a mnemonic clicks after a short flash
    press(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Accept
    qtbot.waitUntil(lambda: detail.status.text() == "Accepted")


def _reading_order(widgets: list, page) -> list:
    """The fields as they are read on the page: down each column, the left column first."""
    middle = page.width() // 2

    def place(w):
        at = w.mapTo(page, w.rect().topLeft())
        return (at.x() >= middle, at.y(), at.x())

    return sorted(widgets, key=place)


def test_tab_follows_the_visual_order_on_the_forms(qtbot, make_window, seed):
    seed(_kai)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    kai = ws.backend.people.search("Kai")[0]
    forms = {
        "a young person": (lambda: (ws.go("people"), ws.people.new_person()), lambda: ws.people.form, "save_button"),
        "a safety plan": (lambda: ws.new_plan(kai.id), lambda: ws.plans.editor, "agree_button"),
        "a referral": (lambda: ws.new_referral(kai.id), lambda: ws.referrals.form, "send_button"),
        "a session": (
            lambda: (ws.go("sessions"), ws.sessions.new_session()),
            lambda: ws.sessions.form,
            "submit_button",
        ),
    }
    for name, (show, page_of, last) in forms.items():
        show()
        page = page_of()
        page.focus_first()
        end = getattr(page, last)
        visited = [w for w in dict.fromkeys(_tab_until(qtbot, lambda w, end=end: w is end)) if page.isAncestorOf(w)]
        fields = [w for w in visited if w.accessibleName() and not w.inherits("QAbstractButton")]
        scroll = fields[0].parentWidget()
        while scroll is not None and not scroll.inherits("QScrollArea"):
            scroll = scroll.parentWidget()
        host = scroll.widget() if scroll is not None else page
        in_form = [w for w in fields if host.isAncestorOf(w)]
        assert len(in_form) >= 5, name
        assert in_form == _reading_order(in_form, host), name
