"""Safety plans in a real window: start from the profile, refuse to agree without a review date or anyone to call
(shown at the fields), agree, review, see the changes, the review list, and print the young person's copy."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import press, unlock
from ui.backend import Backend
from ui.people.profile_page import TAB_NFA, TAB_PLANS
from youthwork.domain.protocol import ServerChange
from youthwork.domain.records import YoungPerson
from youthwork.sync.apply import apply_page


def _seed(backend: Backend) -> None:
    backend.people.add(YoungPerson(first_name="Kai", last_name="Mensah", known_as="K", area="Brenchley Gardens"))


def _open_profile(qtbot, window):
    person = window.workspace.backend.people.search("Kai")[0]
    window.workspace.open_person(person.id)
    profile = window.workspace.people.profile
    qtbot.waitUntil(lambda: profile.person is not None)
    return profile, person


def test_plan_from_profile_agree_review_and_compare(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    profile, person = _open_profile(qtbot, window)
    profile.tabs.setCurrentIndex(TAB_PLANS)
    qtbot.mouseClick(profile.plans.new_button, Qt.MouseButton.LeftButton)
    ws = window.workspace
    assert ws.current_area == "plans"
    editor = ws.plans.editor
    qtbot.waitUntil(editor.isVisible)  # an area is built, and shown, the first time it is opened
    assert editor.heading.text() == "Safety plan: Kai Mensah (K)"
    # The emergency numbers are offered.
    assert [r["number"] for r in editor.contacts.rows()][:2] == ["999", "0800 1111"]

    qtbot.keyClicks(editor.risks, "Older boys asking him to carry packages")
    for _ in range(editor.contacts.table.rowCount()):
        editor.contacts.table.setCurrentCell(0, 0)
        editor.contacts.remove_current()
    assert not editor.agree()
    errors = editor.errors
    assert errors._labels["review_date"].text() == "Set a review date before the plan is agreed."
    assert errors._labels["contacts"].text() == "Add at least one person or service to call, with a number."
    assert errors._labels["review_date"].isVisible()
    assert ws.backend.plans.for_person(person.id) == []  # nothing agreed, nothing lost: the form still holds it
    assert editor.risks.toPlainText() == "Older boys asking him to carry packages"

    # A date that isn't one is shown at the field too.
    editor.review.setText("31/02/2027")
    assert not editor.agree()
    assert "does not exist" in errors._labels["review_date"].text()

    qtbot.mouseClick(editor.emergency_button, Qt.MouseButton.LeftButton)
    review = date.today() + timedelta(days=28)
    editor.review.setText(review.strftime("%d/%m/%Y"))
    editor.action_rows.append({"action": "Meet weekly at the youth centre", "who": "Sam", "by_when": "bad date"})
    assert not editor.agree()
    assert "not a date" in errors._labels["actions"].text()
    editor.action_rows.table.item(0, 2).setText("")
    assert editor.agree()
    plan_id = editor.plan.id
    assert editor.status_badge.text().startswith("Agreed")
    assert editor.agree_button.text().startswith("Review with them")

    # Review: change the safe places and agree again; the change shows under Versions.
    editor.places.setPlainText("The youth centre; his aunt's flat")
    assert editor.agree()
    versions = ws.backend.plans.versions(plan_id)
    assert [v.number for v in versions] == [1, 2]
    panel = editor.versions
    assert panel.diff.rowCount() == 1
    assert panel.diff.item(0, 0).text() == "Safe places and routes"
    assert panel.diff.item(0, 1).text() == "—" and panel.diff.item(0, 2).text() == "The youth centre; his aunt's flat"

    # The plan shows on the profile with its versions.
    ws.open_person(person.id)
    assert profile.tabs.tabText(TAB_PLANS) == "&Plans (1)"
    assert profile.plans.table.item(0, 3).text() == "2"


def test_reviews_due_list_and_close(qtbot, make_window, seed):
    def fill(backend: Backend) -> None:
        _seed(backend)
        person = backend.people.search("Kai")[0]
        plan = backend.plans.new_plan(person.id)
        plan.review_date = date.today() + timedelta(days=2)
        backend.plans.agree(plan)

    seed(fill)
    window = make_window()
    unlock(qtbot, window)
    press(qtbot, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    area = window.workspace.plans
    assert area.list.due.rowCount() == 1
    assert area.list.due.item(0, 0).text() == "Kai Mensah (K)"
    assert area.list.due.item(0, 2).text() == "in 2 days"
    area.open_plan(area.list.due.item(0, 0).data(Qt.ItemDataRole.UserRole))
    editor = area.editor
    assert not editor.close_plan("  ")
    assert editor.errors.form_error.isVisibleTo(editor)
    assert editor.close_plan("Moved to another borough")
    assert editor.status_badge.text() == "Closed" and not editor.agree_button.isEnabled()
    area.show_list()
    assert area.list.due.rowCount() == 0 and area.list.all.rowCount() == 0


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_printed_plan_is_friendly_and_has_no_restricted_fields(qtbot, make_window, seed, tmp_path):
    def fill(backend: Backend) -> None:
        _seed(backend)
        person = backend.people.search("Kai")[0]
        person.risk_indicators = ["cce", "weapon"]
        backend.people.update(person)
        backend.people.set_rag(person.id, "red", "Seen carrying")
        backend.nfa.record(person.id, date.today(), "weapon")
        plan = backend.plans.new_plan(person.id)
        plan.risks_triggers = "Older boys asking me to carry packages out of London"
        plan.safe_places = "The youth centre on Peckham Road"
        plan.trusted_adults = [{"name": "Aunt Grace", "relationship": "Aunt", "phone": "07700 900123"}]
        plan.actions = [{"action": "Meet Sam every Tuesday", "who": "Kai and Sam", "by_when": "2030-01-07"}]
        plan.own_words = "I don't want to get dragged into it."
        plan.review_date = date.today() + timedelta(days=28)
        plan.nrm_decision_date = date.today() - timedelta(days=3)
        plan.nrm_outcome = "positive_reasonable_grounds"
        backend.plans.agree(plan)

    seed(fill)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    plan = ws.backend.plans.current()[0][0]
    ws.open_plan(plan.id)
    (tmp_path / "plan.pdf").write_bytes(b"an older copy")
    (tmp_path / "plan.pdf").chmod(0o644)
    pdf = ws.plans.editor.print_to(tmp_path / "plan.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_mode & 0o077 == 0  # readable by this user only, like the weekly exports
    assert "Saved plan.pdf" in ws.plans.editor.pending.text()  # and it says so
    assert re.fullmatch(r"safety-plan-\d{4}-\d{2}-\d{2}", ws.plans.editor.default_pdf_path().stem)  # no nickname
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for wanted in (
        "K's safety plan",
        "Things that can put me at risk",
        "Older boys asking me to carry packages out of London",
        "Adults I trust",
        "Aunt Grace",
        "07700 900123",
        "Who I can call",
        "999",
        "Childline",
        "0800 1111",
        "What we agreed to do",
        "Meet Sam every Tuesday",
        "7 January 2030",
        "In my own words",
        "We will look at this plan again on",
    ):
        assert wanted in flat, wanted
    lowered = flat.lower()
    for banned in ("rag", "red", "amber", "nrm", "reasonable grounds", "cce", "weapon", "nfa", "criminal", "mensah"):
        assert f" {banned}" not in f" {lowered}", banned
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
        )
        assert (tmp_path / "page-1.png").stat().st_size > 5000


def test_nfa_third_prompts_joint_visit_and_count_shows(qtbot, make_window, seed):
    seed(_seed)
    window = make_window()
    unlock(qtbot, window)
    profile, person = _open_profile(qtbot, window)
    profile.tabs.setCurrentIndex(TAB_NFA)
    panel = profile.nfa
    assert not panel.record()
    assert panel.errors._labels["offence_category"].isVisible()
    for n, category in enumerate(("robbery", "weapon", "drugs"), start=1):
        panel.when.setText((date.today() - timedelta(days=10 * (3 - n))).strftime("%d/%m/%Y"))
        panel.category.setCurrentIndex(panel.category.findData(category))
        assert panel.record()
        assert panel.prompt.isVisible() == (n == 3)
    assert "third NFA" in panel.prompt.text() and "joint home visit" in panel.prompt.text()
    assert "3 NFAs: a joint home visit is due" in profile.summary.text()
    assert profile.tabs.tabText(TAB_NFA) == "Police N&FAs (3)"
    assert window.workspace.backend.people.get(person.id).nfa_count == 3
    # The count shows in the people list, marked once a joint visit is due.
    people = window.workspace.people
    people.show_list()
    people.list.refresh(now=True)
    qtbot.waitUntil(lambda: not people.list.searcher.waiting and people.list.model.rowCount() == 1)
    model = people.list.model
    nfa_col = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index("NFAs")
    qtbot.waitUntil(lambda: model.data(model.index(0, nfa_col)) == "3")
    assert "joint home visit" in model.data(model.index(0, nfa_col), Qt.ItemDataRole.ToolTipRole)


def test_two_versions_agreed_offline_are_shown_as_a_conflict(qtbot, make_window, seed):
    def fill(backend: Backend) -> None:
        from youthwork.domain.codec import to_dict
        from youthwork.domain.safety_plans import SafetyPlanVersion

        _seed(backend)
        person = backend.people.search("Kai")[0]
        plan = backend.plans.new_plan(person.id)
        plan.review_date = date.today() + timedelta(days=14)
        first = backend.plans.agree(plan)
        mine = backend.plans.get(plan.id)
        mine.safe_places = "The library"
        backend.plans.agree(mine)
        theirs = SafetyPlanVersion(
            plan_id=plan.id,
            person_id=person.id,
            number=2,
            based_on_version_id=first.id,
            status="reviewed",
            agreed_by="alex-1",
            **{**first.content(), "safe_places": "His nan's flat"},
        )
        change = ServerChange(
            table=SafetyPlanVersion.TABLE, record_id=theirs.id, op="upsert", fields=to_dict(theirs), version=7
        )
        with backend.profile.transaction():
            apply_page(backend.profile.db, [change])

    seed(fill)
    window = make_window()
    unlock(qtbot, window)
    ws = window.workspace
    plan = ws.backend.plans.current()[0][0]
    ws.open_plan(plan.id)
    editor = ws.plans.editor
    assert editor.conflict.isVisibleTo(editor)
    text = editor.conflict.text()
    assert "from the same starting point: version 2 by" in text
    assert "version 2 by you on" in text and "version 2 by another worker on" in text
    assert "Both are kept" in editor.conflict.text()
    panel = editor.versions
    assert panel.table.rowCount() == 3
    panel.older.setCurrentIndex(1)
    panel.newer.setCurrentIndex(2)
    assert {panel.diff.item(0, 1).text(), panel.diff.item(0, 2).text()} == {"The library", "His nan's flat"}


def test_today_says_which_reviews_and_referrals_need_attention(qtbot, make_window, seed):
    def fill(backend: Backend) -> None:
        from youthwork.domain.referrals import Referral

        backend.profile.set_setting("team_id", "team-detached")
        _seed(backend)
        person = backend.people.search("Kai")[0]
        plan = backend.plans.new_plan(person.id)
        plan.review_date = date.today() + timedelta(days=1)
        backend.plans.agree(plan)
        sent = backend.referrals.send(
            Referral(person_id=person.id, to_agency="igt", reason="Carrying packages", lawful_basis="public_task")
        )
        sent.sent_at = sent.sent_at - timedelta(days=20)  # routine: 10 days allowed, so late by last week too
        backend.profile.records.save(sent)

    from youthwork.domain.referrals import OVERDUE_WORDS

    seed(fill)
    window = make_window()
    unlock(qtbot, window)
    today = window.workspace.today
    qtbot.waitUntil(lambda: "Last 7 days" in today.week.text())  # worked out off the UI thread
    text = today.week.text()
    assert "1 safety plan review due (Ctrl+4)" in text
    assert f"1 referral overdue ({OVERDUE_WORDS})" in text
    assert "10 days if routine" in OVERDUE_WORDS
    # The weekly report counts the same referral, by the same rule, and says the rule in the same words.
    window.workspace.go("review")
    area = window.workspace.review
    qtbot.waitUntil(lambda: area.report is not None, timeout=10_000)
    tile = next(b.figure for b in area.figure_buttons if b.figure.key == "referrals_overdue")
    assert tile.value == 1 and OVERDUE_WORDS in tile.note
