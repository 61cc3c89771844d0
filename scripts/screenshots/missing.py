"""Screenshots of a young person's missing episodes and return home interview, and of a third-NFA joint home visit,
for the README, from a real window over invented data.

    DISPLAY=:99 QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.missing [--out DIR]

Everyone named here is invented.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scripts.screenshots.window import PASSPHRASE, open_unlocked, save_shot

log = logging.getLogger(__name__)


def _profile(directory: Path) -> str:
    from youthwork.domain.records import YoungPerson
    from youthwork.services.joint_visits import JointVisitService
    from youthwork.services.missing import MissingService
    from youthwork.services.nfa import NfaService
    from youthwork.services.people import PeopleService
    from youthwork.store.profile import Profile

    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Sam Okoro")
    with profile:
        profile.set_setting("user_id", "sam")
        profile.set_setting("team_id", "detached-north")
        profile.set_setting("worker_names", {"sam": "Sam Okoro"})
        amara = PeopleService(profile).add(
            YoungPerson(first_name="Amara", last_name="Bello", area="North Peckham", estimated_age=15)
        )
        missing = MissingService(profile)
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        first = missing.report(amara.id, now - timedelta(days=24, hours=3), "parent", reported_by_name="Her mum")
        missing.record_return(first.id, now - timedelta(days=23, hours=9), "Came home on her own")
        missing.record_interview(
            first.id,
            offered_at=now - timedelta(days=23, hours=5),
            status="declined",
            held_at=now - timedelta(days=22),
        )
        second = missing.report(
            amara.id,
            now - timedelta(days=3, hours=4),
            "parent",
            reported_by_name="Her mum",
            police_reference="CAD 4411",
        )
        missing.record_return(second.id, now - timedelta(days=2, hours=10), "Found by police at Peckham Rye station")
        missing.record_interview(
            second.id,
            offered_at=now - timedelta(days=2, hours=6),
            status="done",
            held_at=now - timedelta(days=1, hours=20),
            done_by="Sam Okoro",
            learned=(
                "Went with two older girls she met online; stayed at a flat she couldn't name. "
                "Says she felt scared on the second night. Would text Sam next time."
            ),
            places="Flat above the shops on Rye Lane; the bus station",
            people_linked="Two older girls, 'Shay' and 'Nia', from the next estate",
        )
        missing.report(amara.id, now - timedelta(hours=30), "care_home", reported_by_name="Duty manager")
        nfa = NfaService(profile)
        for days in (40, 25, 9):
            nfa.record(amara.id, date.today() - timedelta(days=days), "theft", "PC Adeyemi")
        JointVisitService(profile).record(
            amara.id,
            "done",
            visited_on=date.today() - timedelta(days=2),
            tys_workers=["Sam Okoro"],
            police_officer="PC Adeyemi, Safer Schools",
            outcomes=["family_referred", "consequences_explained"],
        )
        people = PeopleService(profile)
        eighteen = date.today().replace(year=date.today().year - 18)
        for first, last, days, rag in (("Tyrese", "Cole", 40, "red"), ("Jade", "Okafor", 150, "amber")):
            people.add(YoungPerson(first_name=first, last_name=last, date_of_birth=eighteen + timedelta(days), rag=rag))
        return amara.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from ui.people.profile_page import TAB_MISSING, TAB_NFA
    from ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="yw-missing-shots-"))
    try:
        person_id = _profile(work / "sam")
        window = open_unlocked(work / "sam")
        window.workspace.open_person(person_id)
        profile = window.workspace.people.profile
        profile.tabs.setCurrentIndex(TAB_MISSING)
        tab = profile.missing
        tab.table.setCurrentCell(1, 0)  # the episode with the interview done
        tab.learned.setFocus()
        tab.scroll_area.verticalScrollBar().setValue(tab.chosen.y() - 8)  # the chosen episode's return and interview
        save_shot(window, args.out / "return_home_interview.png", wait_ms=300)
        profile.tabs.setCurrentIndex(TAB_NFA)
        profile.nfa.visits.setFocus()
        # The joint visit, with its title.
        profile.nfa.scroll_area.verticalScrollBar().setValue(profile.nfa.visits.y() - 60)
        save_shot(window, args.out / "joint_home_visit.png", wait_ms=300)
        window.workspace.go("today")
        window.workspace.today.transitions.table.setFocus()
        save_shot(window, args.out / "transitions_today.png", wait_ms=300)
        window.shutdown()
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
