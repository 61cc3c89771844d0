"""Screenshots of a young person's Chronology and Family tabs, for the README, from a real window over invented data.

    DISPLAY=:99 QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.chronology [--out DIR]

Everyone named here is invented.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scripts.screenshots.window import PASSPHRASE, open_unlocked, save_shot

log = logging.getLogger(__name__)


def _profile(directory: Path) -> str:
    from youthwork.domain.family import Relationship
    from youthwork.domain.records import Attendance, Session, YoungPerson
    from youthwork.services.family import FamilyService
    from youthwork.services.nfa import NfaService
    from youthwork.services.notes import NoteService
    from youthwork.services.people import PeopleService
    from youthwork.store.profile import Profile

    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Sam Okoro")
    with profile:
        profile.set_setting("user_id", "sam")
        profile.set_setting("team_id", "detached-north")
        profile.set_setting("worker_names", {"sam": "Sam Okoro"})
        people = PeopleService(profile)
        today = date.today()
        kai = people.add(
            YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens", estimated_age=15),
            today - timedelta(days=150),
        )
        kai = people.update(replace(kai, education_status="in_school"), today - timedelta(days=150))
        kai = people.update(replace(kai, education_status="excluded"), today - timedelta(days=96))
        kai = people.update(
            replace(kai, education_status="neet", address="14 Brenchley House", postcode="SE23 3RA"),
            today - timedelta(days=61),
        )
        kai = people.update(replace(kai, social_care="child_in_need"), today - timedelta(days=20))
        people.set_rag(kai.id, "red", "Carrying for older boys; out late most nights")
        ayo = people.add(YoungPerson(first_name="Ayo", last_name="Mensah", area="Brenchley Gardens", estimated_age=12))
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        for days, place in ((45, "the bus garage"), (12, "the basketball court"), (3, "the chicken shop")):
            s = profile.records.save(
                Session(
                    session_type="detached",
                    status="submitted",
                    starts_at=now - timedelta(days=days, hours=2),
                    ends_at=now - timedelta(days=days),
                    area="Brenchley Gardens",
                    place=place,
                    workers=["sam"],
                    team_id="detached-north",
                )
            )
            profile.records.save(Attendance(session_id=s.id, person_id=kai.id, team_id="detached-north"))
        NoteService(profile).add(kai.id, "Met his mum at the estate office: worried about the older boys he is with.")
        NfaService(profile).record(kai.id, today - timedelta(days=30), "drugs", "PC Adeyemi")
        family = FamilyService(profile)
        family.add(
            Relationship(
                person_id=kai.id,
                relation="mother",
                name="Efua Mensah",
                phone="07700 900412",
                parental_responsibility=True,
                lives_with=True,
                may_be_told="anything",
            )
        )
        family.add(Relationship(person_id=kai.id, relation="father", name="Kwame Mensah", may_be_told="nothing"))
        family.add(Relationship(person_id=kai.id, relation="sibling", other_person_id=ayo.id))
        return kai.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from ui.people.profile_page import TAB_CHRONOLOGY, TAB_FAMILY
    from ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="yw-chronology-shots-"))
    try:
        person_id = _profile(work / "sam")
        window = open_unlocked(work / "sam")
        window.workspace.open_person(person_id)
        profile = window.workspace.people.profile
        profile.tabs.setCurrentIndex(TAB_CHRONOLOGY)
        profile.chronology.table.setFocus()
        profile.chronology.table.selectRow(0)
        save_shot(window, args.out / "chronology.png", wait_ms=300)
        profile.tabs.setCurrentIndex(TAB_FAMILY)
        profile.family.table.setFocus()
        profile.family.table.selectRow(0)
        save_shot(window, args.out / "family.png", wait_ms=300)
        window.shutdown()
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
