"""What a screen reader finds: the accessibility tree (QAccessible) of every area, form and dialog, walked as
assistive technology walks it, has no control that takes the keyboard focus without a name; labelled fields are
named by their labels, and a field with a problem describes the problem."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from tests.ui.conftest import unlock
from ui.app_window import AppWindow
from ui.backend import Backend
from ui.backup.passphrase import ChangePassphraseDialog
from ui.forms import plain
from ui.privacy.break_glass import ReasonDialog
from ui.privacy.erasure_dialog import ErasureDialog
from ui.privacy.export_dialog import SubjectAccessDialog
from ui.review.tiles import DrilldownDialog
from ui.workspace import AREAS
from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral


def unnamed(root: QWidget) -> list[str]:
    """Focusable controls (widgets: a table's cells are read with their column headings) that have no name."""
    found: list[str] = []

    def walk(node: QAccessible | None, depth: int) -> None:
        if node is None or not node.isValid() or depth > 80:
            return
        state = node.state()
        if state.invisible:
            return
        widget = node.object()
        if state.focusable and isinstance(widget, QWidget) and not (node.text(QAccessible.Text.Name) or "").strip():
            found.append(f"{node.role().name} {type(widget).__name__} in {type(widget.parent()).__name__}")
        for i in range(node.childCount()):
            walk(node.child(i), depth + 1)

    walk(QAccessible.queryAccessibleInterface(root), 0)
    return found


def _kai_referred(backend: Backend) -> None:
    kai = backend.people.add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))
    backend.referrals.send(
        Referral(person_id=kai.id, to_agency="igt", reason="Carrying packages", lawful_basis="vital_interests")
    )


def test_the_unlock_and_first_run_screens_name_every_control(qtbot, make_window, seed):
    window = make_window()
    assert unnamed(window) == []  # first run
    window.close()
    seed(lambda _b: None)
    window = make_window()
    assert window.stack.currentWidget() is window.unlock
    assert unnamed(window) == []
    assert window.unlock.passphrase.accessibleName() == "Passphrase"


def test_every_area_form_and_tab_names_every_control(qtbot, make_window, seed):
    seed(_kai_referred)
    window: AppWindow = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    kai = ws.backend.people.search("Kai")[0]
    referral = ws.backend.referrals.for_person(kai.id)[0].referral
    assert ws.nav.accessibleName() == "Areas"

    def profile_tab(i: int) -> None:
        ws.open_person(kai.id)
        ws.people.profile.tabs.setCurrentIndex(i)

    screens = {f"the {label} area": (lambda k=key: ws.go(k)) for key, label in AREAS}
    screens |= {
        "the new young person form": lambda: (ws.go("people"), ws.people.new_person()),
        "the session form": lambda: (ws.go("sessions"), ws.sessions.new_session()),
        "the safety plan editor": lambda: ws.new_plan(kai.id),
        "the referral form": lambda: ws.new_referral(kai.id),
        "a referral": lambda: ws.open_referral(referral.id),
    }
    ws.open_person(kai.id)
    tabs = ws.people.profile.tabs
    screens |= {
        f"the profile's {plain(tabs.tabText(i))} tab": (lambda i=i: profile_tab(i)) for i in range(tabs.count())
    }
    review = ws.review.tabs
    screens |= {
        f"the review's {plain(review.tabText(i))} tab": (lambda i=i: (ws.go("review"), review.setCurrentIndex(i)))
        for i in range(review.count())
    }
    problems = {}
    for name, show in screens.items():
        show()
        qtbot.wait(1)
        if found := unnamed(window):
            problems[name] = found
    assert problems == {}

    ws.go("review")
    qtbot.waitUntil(lambda: ws.review.report is not None)
    dialogs = {
        "erasure": ErasureDialog(ws.backend, kai.id, "Kai", window),
        "subject access": SubjectAccessDialog(ws.backend, kai.id, "Kai", window),
        "break-glass reason": ReasonDialog(window),
        "change the passphrase": ChangePassphraseDialog(ws.backend, window, window),
        "the records behind a figure": DrilldownDialog(ws.backend, ws.review.report.sections[0].figures[0], None),
    }
    for name, dialog in dialogs.items():
        dialog.show()
        qtbot.waitExposed(dialog)
        assert unnamed(dialog) == [], name
        dialog.reject()


def test_labelled_fields_are_named_by_their_labels_and_say_what_is_wrong(qtbot, make_window, seed):
    seed(_kai_referred)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    ws.go("people")
    ws.people.new_person()
    form = ws.people.form
    names = {QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name) for w in form.findChildren(QWidget)}
    assert {"First name", "Date of birth", "Postcode", "Consent note", "Area or estate"} <= names
    ws.people.form.postcode.setText("not a postcode")
    ws.people.form.save()
    postcode = QAccessible.queryAccessibleInterface(form.postcode)
    assert "UK postcode" in postcode.text(QAccessible.Text.Description)
    form.postcode.setText("SE15 5AB")
    form.save()
    assert "UK postcode" not in QAccessible.queryAccessibleInterface(form.postcode).text(QAccessible.Text.Description)
