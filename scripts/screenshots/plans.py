"""Screenshots of the safety plan editor and the referral inbox for the README, from real windows over invented data.

    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.plans [--out DIR]

Two profiles: a detached worker agreeing a plan with a young person, and an IGT worker whose inbox holds referrals
that arrived by sync (shown as the receiving team sees them). Everyone named here is invented.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from scripts.screenshots.window import PASSPHRASE, open_unlocked, save_shot

log = logging.getLogger(__name__)


def _worker_profile(directory: Path) -> str:
    from youthwork.domain.records import YoungPerson
    from youthwork.services.people import PeopleService
    from youthwork.services.plans import PlanService
    from youthwork.store.profile import Profile

    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Sam Okoro")
    with profile:
        profile.set_setting("user_id", "sam")
        profile.set_setting("team_id", "detached-north")
        profile.set_setting("worker_names", {"sam": "Sam Okoro"})
        person = PeopleService(profile).add(
            YoungPerson(first_name="Kai", last_name="Mensah", known_as="K", area="Brenchley Gardens", estimated_age=14)
        )
        plans = PlanService(profile)
        plan = plans.new_plan(person.id)
        plan.risks_triggers = (
            "Older boys from outside the estate asking him to carry packages out of London.\n"
            "Being out late near the station on his own."
        )
        plan.warning_signs = "A new phone or trainers he can't explain; missing school; staying out past 10pm."
        plan.safe_places = "Youth centre on Peckham Road (open till 9). Walk home along the high street, not the alley."
        plan.trusted_adults = [
            {"name": "Aunt Grace", "relationship": "Aunt", "phone": "07700 900123"},
            {"name": "Mr Adeyemi", "relationship": "Football coach", "phone": "07700 900456"},
        ]
        plan.actions = [
            {"action": "Meet Sam every Tuesday at the youth centre", "who": "Kai and Sam", "by_when": ""},
            {
                "action": "Talk to school about a safe way home",
                "who": "Sam",
                "by_when": (date.today() + timedelta(7)).isoformat(),
            },
        ]
        plan.own_words = "I don't want to get dragged into it. I want to finish school."
        plan.review_date = date.today() + timedelta(days=28)
        plans.agree(plan, "Agreed with Kai at the youth centre")
        plan = plans.get(plan.id)
        plan.safe_places += " His aunt's flat on Sumner Road."
        plan.warning_signs += " Being picked up in cars he doesn't know."
        plan.review_date = date.today() + timedelta(days=42)
        plans.agree(plan, "Reviewed after he was seen at the station")
        plan = plans.get(plan.id)
        plan.own_words += " My mum knows about the plan now."
        plans.save(plan)
        return plan.id


def _igt_profile(directory: Path) -> None:
    from youthwork.domain.codec import to_dict
    from youthwork.domain.records import YoungPerson
    from youthwork.domain.referrals import Referral
    from youthwork.services.referrals import ReferralService
    from youthwork.store.profile import Profile

    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Priya Shah")
    with profile:
        profile.set_setting("user_id", "priya")
        profile.set_setting("team_id", "igt")
        profile.set_setting("worker_names", {"priya": "Priya Shah"})
        now = datetime.now(UTC)
        seeds = [
            ("Kai", "Brenchley Gardens", "Asked by older boys to carry packages out of London", "urgent", ["cce"], 0),
            ("Jade", "Acorn Estate", "Seen getting into cars with older men at the station", "immediate", ["cse"], 5),
            (
                "Tyrese",
                "Aylesbury Estate",
                "Carrying a knife 'for protection' since a robbery",
                "urgent",
                ["weapon"],
                4,
            ),
            ("Amara", "North Peckham", "Missing three nights this month; new older friends", "routine", ["missing"], 6),
        ]
        ids = []
        for first, area, reason, urgency, risks, days_ago in seeds:
            person = YoungPerson(first_name=first, area=area, team_id="detached-north", estimated_age=15)
            _pulled(profile, "people", person.id, to_dict(person))
            r = Referral(
                person_id=person.id,
                to_agency="igt",
                to_team_id="igt",
                team_id="detached-north",
                reason=reason,
                urgency=urgency,
                risk_indicators=risks,
                lawful_basis="public_task" if first != "Kai" else "consent",
                consent_given_by="young_person" if first == "Kai" else None,
                status="sent",
                sent_at=now - timedelta(days=days_ago, hours=2),
            )
            _pulled(profile, "referrals", r.id, to_dict(r))
            ids.append(r.id)
        refs = ReferralService(profile)
        refs.step(ids[2], "acknowledge")
        refs.step(ids[2], "accept", note="Meets the IGT threshold")
        refs.step(ids[3], "acknowledge")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from ui.app_window import AppWindow
    from ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="yw-plan-shots-"))

    def shot(window: AppWindow, name: str) -> None:
        save_shot(window, args.out / f"{name}.png", wait_ms=300)

    try:
        plan_id = _worker_profile(work / "sam")
        window = open_unlocked(work / "sam")
        window.workspace.open_plan(plan_id)
        shot(window, "plan_editor")
        editor = window.workspace.plans.editor
        editor.tabs.setCurrentIndex(1)
        shot(window, "plan_versions")
        # The young person's printed copy, page 1 as an image (poppler's pdftoppm).
        pdf = editor.print_to(work / "plan.pdf")
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(work / "page")],
                check=True,
            )
            shutil.copy(work / "page.png", args.out / "safety_plan_pdf.png")
            print(f"saved {args.out / 'safety_plan_pdf.png'}", flush=True)
        window.shutdown()
        window.close()

        _igt_profile(work / "priya")
        window = open_unlocked(work / "priya")
        window.workspace.go("referrals")
        window.workspace.referrals.show_list()
        shot(window, "referral_inbox")
        window.shutdown()
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _pulled(profile: Any, table: str, record_id: str, fields: dict[str, Any]) -> None:
    """A record as sync brings it from another team: through the one merge path, queued for nothing."""
    from youthwork.domain.protocol import ServerChange
    from youthwork.sync.apply import apply_page

    with profile.transaction():
        apply_page(profile.db, [ServerChange(table=table, record_id=record_id, op="upsert", fields=fields, version=1)])


if __name__ == "__main__":
    raise SystemExit(main())
