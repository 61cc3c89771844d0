"""Screenshots of the data-quality tab and the merge view for the README, from a real window over invented data.

    DISPLAY=:99 QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.merge [--out DIR]

A supervisor's profile with two records of one young person (Jason, known as Jay, and the quick-add "Jay, about 14"
from a Kicks register). Everyone named here is invented.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scripts.screenshots.window import PASSPHRASE, open_unlocked, save_shot, settle, wait_for

log = logging.getLogger(__name__)


def _profile(directory: Path) -> None:
    from youthwork.domain.records import Session, YoungPerson
    from youthwork.services.notes import NoteService
    from youthwork.services.people import PeopleService
    from youthwork.services.sessions import SessionService
    from youthwork.store.profile import Profile

    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Sue Adebayo")
    with profile:
        profile.set_setting("user_id", "sue")
        profile.set_setting("team_id", "detached-north")
        profile.set_setting("sync.role", "supervisor")
        profile.set_setting("worker_names", {"sue": "Sue Adebayo", "sam": "Sam Okoro"})
        people = PeopleService(profile)
        for first, last, area, dob, eth in (
            ("Amira", "Hassan", "Peckham", date(2010, 4, 2), "black_african"),
            ("Bo", "Chen", "Peckham", date(2009, 8, 19), "not_stated"),
            ("Kofi", "Mensah", "Brixton", None, "black_african"),
            ("Dee", "", "Peckham", None, None),
        ):
            people.add(
                YoungPerson(
                    first_name=first,
                    last_name=last,
                    area=area,
                    date_of_birth=dob,
                    estimated_age=None if dob else 15,
                    age_estimated_on=None if dob else date.today(),
                    ethnicity=eth,
                )
            )
        keep = people.add(
            YoungPerson(
                first_name="Jason",
                last_name="Okoro",
                known_as="Jay",
                area="Peckham",
                date_of_birth=date(2011, 2, 14),
                gender="male",
                phone="07700 900123",
                school="Harris Academy Peckham",
                ethnicity="black_caribbean",
                lead_worker_id="sam",
            )
        )
        dup = people.quick_add("Jay", "Peckham", 15)
        dup.phone, dup.postcode = "07700 900999", "SE15 5DQ"
        people.update(dup)
        sessions = SessionService(profile)
        start = datetime.now(UTC) - timedelta(days=8)
        for i, who in enumerate((keep.id, dup.id, dup.id)):
            s = Session(area="Peckham", place="Burgess Park", starts_at=start + timedelta(days=3 * i))
            s.ends_at = s.starts_at + timedelta(hours=2)  # type: ignore[operator]
            sessions.save_draft(s, [who])
        NoteService(profile).add(dup.id, "Plays football at the Kicks session on Tuesdays.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="yw-merge-shots-"))
    try:
        _profile(work / "sue")
        window = open_unlocked(work / "sue")
        window.workspace.go("review")
        area = window.workspace.review
        area.tabs.setCurrentWidget(area.quality)
        tab = area.quality
        wait_for(lambda: tab.issues.count() == 5)
        from youthwork.services.data_quality import Issue

        tab.select_issue(Issue.DUPLICATES)
        tab.table.setFocus()
        save_shot(window, args.out / "30-data-quality.png", wait_ms=300)
        tab.merge_selected()
        dialog = tab.dialog
        assert dialog is not None
        wait_for(dialog.isVisible)
        dialog.reason.setText("Same lad: the quick-add from the Kicks register")
        settle(200)
        save_shot(dialog, args.out / "31-merge-view.png", wait_ms=300)
        dialog.reject()
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
