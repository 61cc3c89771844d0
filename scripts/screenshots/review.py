"""Screenshots of the Review area and page 1 of the weekly PDF, from a real window with demo data.

    Xvfb :98 -screen 0 1600x1000x24 &
    DISPLAY=:98 QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.review [--out docs/screenshots]

1366x768 device pixels at 125%, like scripts.screenshots.main_screens. Everything shown is invented by the demo
generator.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from scripts.screenshots.window import PASSPHRASE, open_unlocked, save_shot, settle, wait_for

log = logging.getLogger(__name__)


def add_referrals_and_plans(profile: object) -> None:
    """A few referrals and safety plans so those sections show real figures (demo data has none yet)."""
    import random

    from youthwork.domain.referrals import Referral
    from youthwork.domain.safety_plans import SafetyPlan

    rng = random.Random(4)
    people = [r[0] for r in profile.db.query("SELECT id FROM people ORDER BY id LIMIT 40")]  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    last_monday = now - timedelta(days=now.weekday() + 7)
    records = []
    for i, pid in enumerate(people[:9]):
        sent = last_monday + timedelta(days=rng.randint(0, 6), hours=rng.randint(10, 17))
        records.append(
            Referral(
                person_id=pid,
                to_agency=["tys", "igt", "csct", "camhs", "abianda", "tys", "early_help", "igt", "st_giles"][i],
                status=[
                    "sent",
                    "acknowledged",
                    "accepted",
                    "sent",
                    "accepted",
                    "declined",
                    "sent",
                    "allocated",
                    "sent",
                ][i],
                urgency="urgent" if i % 3 == 0 else "routine",
                reason="Concern raised at a detached session.",
                lawful_basis="public_task",
                sent_at=sent if i < 7 else sent - timedelta(days=20),
                sent_by="w-01",
                created_by="w-01",
            )
        )
    for i, pid in enumerate(people[10:16]):
        agreed = last_monday + timedelta(days=i, hours=12) if i < 3 else now - timedelta(days=120)
        records.append(
            SafetyPlan(
                person_id=pid,
                status="agreed",
                agreed_at=agreed,
                review_date=(agreed + timedelta(days=90)).date(),
                created_by="w-02",
            )
        )
    profile.records.bulk_insert(records)  # type: ignore[attr-defined]


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
    work = Path(tempfile.mkdtemp(prefix="yw-review-shots-"))

    def shot(widget: QWidget, name: str) -> None:
        save_shot(widget, args.out / f"{name}.png", wait_ms=300)

    directory = work / "demo"
    profile, _key = Profile.create(directory, PASSPHRASE, worker_name="Jo Supervisor")
    with profile:
        generate(profile, people=600, weeks=14, today=date.today())
        add_referrals_and_plans(profile)
        profile.set_setting("user_id", "sup-1")
    window = open_unlocked(directory)
    ws = window.workspace
    ws.go("review")
    area = ws.review
    wait_for(lambda: area.report is not None)
    shot(window, "review-week")
    area.week_page.verticalScrollBar().setValue(area.week_page.verticalScrollBar().maximum() // 3)
    shot(window, "review-week-people")
    area.week_page.verticalScrollBar().setValue(0)
    dialog = area.drill(area.report.figure("reached_new"))
    settle(300)
    shot(dialog, "review-drilldown")
    dialog.reject()
    area.tabs.setCurrentIndex(1)
    shot(window, "review-signoff")
    area.tabs.setCurrentIndex(2)
    wait_for(lambda: area.trend is not None, timeout=30)
    shot(window, "review-trends")
    area.tabs.setCurrentIndex(3)
    wait_for(lambda: area.board is not None, timeout=30)
    shot(window, "review-board")
    area.tabs.setCurrentIndex(0)
    pdf = work / "weekly.pdf"
    area.export("pdf", pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "110",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(args.out / "weekly_report_page1"),
        ],
        check=True,
    )
    print(f"saved {args.out / 'weekly_report_page1.png'}")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
