"""Screenshots of each main screen for the README, from a real window with demo data.

    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.main_screens [--out docs/screenshots]

The window is 1366x768 device pixels at 125% scaling, a typical 13-inch council laptop. Everything shown is invented
by the demo generator.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from ui.app_window import AppWindow

from scripts.screenshots.window import PASSPHRASE, open_window, save_shot, settle, wait_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from ui.theme import apply_theme
    from youthwork.demo_data import generate
    from youthwork.store.profile import Profile

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="yw-shots-"))
    saved: list[str] = []

    def shot(window: AppWindow, name: str) -> None:
        path = args.out / f"{name}.png"
        save_shot(window, path)
        saved.append(str(path))

    try:
        # First run and the recovery key.
        window = open_window(work / "new")
        page = window.first_run
        QTest.keyClicks(page.name, "Sam Okafor")
        QTest.keyClicks(page.passphrase, "kingfisher")
        QTest.keyClicks(page.repeat, "kingfisher")
        shot(window, "01-first-run")
        page.passphrase.clear()
        page.repeat.clear()
        QTest.keyClicks(page.passphrase, PASSPHRASE)
        QTest.keyClicks(page.repeat, PASSPHRASE)
        page.submit()
        wait_for(lambda: window.stack.currentWidget() is window.recovery_key)  # the key is made off the UI thread
        shot(window, "02-recovery-key")
        window.close()

        # The demo profile.
        directory = work / "demo"
        profile, _key = Profile.create(directory, PASSPHRASE, worker_name="Sam Okoro")
        with profile:
            generate(profile, people=600, weeks=12, today=date.today())
            profile.set_setting(
                "worker_names", (profile.get_setting("worker_names", {}) or {}) | {profile.user_id: "Sam Okoro"}
            )
        window = open_window(directory)
        QTest.keyClicks(window.unlock.passphrase, "wrong passphrase")
        window.unlock.submit()
        wait_for(lambda: not window.unlock.busy)
        window.unlock._countdown.stop()
        shot(window, "03-unlock-wrong-passphrase")
        window.unlock._wait = 0
        window.unlock.unlock_button.setEnabled(True)
        window.unlock.passphrase.clear()
        QTest.keyClicks(window.unlock.passphrase, PASSPHRASE)
        window.unlock.submit()
        wait_for(lambda: window.workspace is not None)
        ws = window.workspace
        shot(window, "04-today")

        ws.go("people")
        people = ws.people.list
        wait_for(lambda: people.model.rowCount() > 0 and not people.searcher.waiting)
        settle(600)  # the count follows a pause
        shot(window, "05-young-people")
        people.rag.setCurrentIndex(people.rag.findData("red"))
        wait_for(lambda: not people.searcher.waiting)
        estate = people.model.row_at(0).area.split()[0] if people.model.rowCount() else "estate"
        QTest.keyClicks(people.search, estate[:4].lower())
        wait_for(lambda: not people.searcher.waiting)
        settle(600)
        shot(window, "06-young-people-search-and-filter")

        # A profile with a RAG history and case notes, as a worker would open one.
        people.search.clear()
        people.rag.setCurrentIndex(0)
        wait_for(lambda: not people.searcher.waiting)
        target, best = people.model.row_at(0).id, -1
        for r in range(people.model.rowCount()):
            row = people.model.row_at(r)
            score = len(window.backend.notes.for_person(row.id)) + (2 if row.rag else 0) + len(row.risk_indicators)
            if score > best:
                target, best = row.id, score
        ws.people.open_profile(target)
        shot(window, "07-profile-details")
        profile_page = ws.people.profile
        profile_page.tabs.setCurrentIndex(2)
        notes = profile_page.notes
        if notes.tree.topLevelItemCount():
            notes.tree.setCurrentItem(notes.tree.topLevelItem(0))
            notes.start_amend()
            QTest.keyClicks(notes.editor, "Correction: it was the Tuesday, not the Monday.")
            notes.add()
        shot(window, "08-profile-case-notes")

        # Adding someone who may already be known.
        existing = window.backend.people.get(target)
        ws.people.new_person()
        form = ws.people.form
        QTest.keyClicks(form.first_name, existing.first_name)
        QTest.keyClicks(form.last_name, existing.last_name)
        QTest.keyClicks(form.area, existing.area)
        form.save()
        shot(window, "09-add-person-duplicate-warning")
        form.cancel()

        # Sessions: the list, then a Kicks register being filled.
        ws.go("sessions")
        shot(window, "10-sessions")
        ws.sessions.new_session()
        sform = ws.sessions.form
        sform.session_type.setCurrentIndex(sform.session_type.findData("kicks"))
        last_kicks = next(
            (s for s in window.backend.sessions.recent(0, 200) if s.session_type == "kicks" and s.area), None
        )
        area = last_kicks.area if last_kicks else "Sumner Estate"
        QTest.keyClicks(sform.area, area)
        QTest.keyClicks(sform.place, "The cage behind the community centre")
        QTest.keyClicks(sform.topics, "Respect, staying safe on the way home")
        sform.activities["engagement"].setChecked(True)
        sform.activities["diversion"].setChecked(True)
        sform.register.tick_regulars()
        sform.register.start_quick_add()
        for name, age in (("Mo", 13), ("Zak", 15)):
            QTest.keyClicks(sform.register.quick_name, name)
            sform.register.quick_age.setValue(age)
            sform.register.add_new_face()
        sform.register.close_quick_add()
        QTest.keyClicks(sform.register.find_box, "ja")
        wait_for(lambda: not sform.register.searcher.waiting)
        QTest.keyClicks(
            sform.narrative, "Good turnout, two new faces brought by regulars. Talked about the fight at the station."
        )
        shot(window, "11-session-kicks-register")
        sform.register.find_box.clear()
        sform.register.grid.set_counts({"male/14_15": 4, "female/14_15": 2, "male/16_17": 3})
        sform.register.focus_headcount()
        sform.concern.setChecked(True)
        QTest.keyClicks(sform.concern_details, "Zak said older boys asked him to carry a bag to the station.")
        shot(window, "12-session-headcount-and-concern")
        sform.save(submit=False)
        ws.sessions.show_list()

        window.quick_hide()
        shot(window, "14-quick-hide")
        window.shutdown()
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(saved))
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
