"""Screenshot of a referral to an agency with no team on the service (CAMHS) being closed by the referrer, for the
README, from a real window over invented data.

    DISPLAY=:99 QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.referrals_outside [--out DIR]

A detached worker referred Mia to CAMHS two weeks ago; CAMHS acknowledged and accepted it and booked a first
appointment, each recorded by the worker with who told them; the outcome is being typed in. Everyone named is invented.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scripts.screenshots.window import PASSPHRASE, open_unlocked, save_shot


def _worker_profile(directory: Path) -> str:
    from youthwork.domain.records import YoungPerson
    from youthwork.domain.referrals import Referral, ReferralAction
    from youthwork.services.people import PeopleService
    from youthwork.services.referrals import ReferralService
    from youthwork.store.profile import Profile

    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Sam Okoro")
    with profile:
        profile.set_setting("user_id", "sam")
        profile.set_setting("team_id", "detached-north")
        profile.set_setting("worker_names", {"sam": "Sam Okoro"})
        person = PeopleService(profile).add(
            YoungPerson(first_name="Mia", last_name="Osei", area="Acorn Estate", estimated_age=15)
        )
        refs = ReferralService(profile)
        r = refs.send(
            Referral(
                person_id=person.id,
                to_agency="camhs",
                reason="Low mood since the summer, not sleeping, stopped coming to the Thursday club",
                lawful_basis="consent",
                consent_given_by="young_person",
            )
        )
        assert r.sent_at is not None
        r.sent_at -= timedelta(days=14)
        profile.records.save(r)
        refs.step(r.id, ReferralAction.ACKNOWLEDGE, told_by="CAMHS duty line, by phone")
        refs.step(r.id, ReferralAction.ACCEPT, told_by="Letter from CAMHS", note="Offered an assessment")
        first = r.sent_at.date() + timedelta(days=19)
        refs.step(r.id, ReferralAction.APPOINTMENT, told_by="Mia, at the club", first_appointment_on=first)
        return r.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="yw-referral-shots-"))
    try:
        referral_id = _worker_profile(work / "sam")
        window = open_unlocked(work / "sam")
        window.workspace.go("referrals")
        area = window.workspace.referrals
        area.open_referral(referral_id)
        detail = area.detail
        detail.told_by.setText("Letter from CAMHS")
        detail.outcome.setText("Six sessions of CBT; Mia back at the club")
        detail.outcome.setFocus()
        save_shot(window, args.out / "referral_outside_closing.png", wait_ms=300)
        window.shutdown()
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
