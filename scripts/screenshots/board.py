"""Screenshots of the board pack (issue 22): the Board summary tab, the anonymous check-in, a profile's Outcomes tab,
page 1 of the board pack PDF, and an example spreadsheet, from a real window with demo data.

    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.board [--out docs/screenshots]

Everything shown is invented by the demo generator. The spreadsheet goes to docs/examples/.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from scripts.screenshots.review import add_referrals_and_plans
from scripts.screenshots.window import PASSPHRASE, open_unlocked, save_shot, settle, wait_for

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--examples", type=Path, default=Path("docs/examples"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    args.examples.mkdir(parents=True, exist_ok=True)

    from ui.checkins.dialog import CheckinDialog
    from ui.people.profile_page import TAB_OUTCOMES
    from ui.theme import apply_theme
    from youthwork.demo_data import generate
    from youthwork.domain.outcomes import OutcomeRating
    from youthwork.store.profile import Profile

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="yw-board-shots-"))

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
    area.tabs.setCurrentIndex(3)
    wait_for(lambda: area.board is not None, timeout=60)
    shot(window, "board-summary")
    area.board_page.parts.setCurrentIndex(1)
    area.board_page.fair_table.setFocus()
    shot(window, "board-fair-figures")
    pdf, sheet = work / "board.pdf", args.examples / "board-pack-example.xlsx"
    for fmt, path in (("pdf", pdf), ("xlsx", sheet)):  # written in the background: wait for each to be saved
        area.board_page.export(fmt, path)
        wait_for(lambda name=path.name: area.board_page.message.text() == f"Saved {name}.", timeout=60)
    for page in (1, 2):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(args.out / f"board_pack_page{page}"),
            ],
            check=True,
        )

    ws.go("sessions")
    sessions = ws.sessions.list
    wait_for(lambda: sessions.model.rowCount() > 0)
    session = window.backend.sessions.get(sessions.model.row_at(0).id)
    dialog = CheckinDialog(window.backend, session, window)
    dialog.resize(560, 420)
    dialog.show()
    dialog.answer("yes")
    settle(200)
    shot(dialog, "checkin")
    dialog.accept()

    rated = window.backend.profile.db.query(
        "SELECT person_id FROM outcome_ratings WHERE stage != 'start' ORDER BY id LIMIT 1"
    )
    if rated:
        person_id = rated[0][0]
        assert window.backend.profile.records.count(OutcomeRating, "person_id = ?", (person_id,)) >= 2
        ws.open_person(person_id)
        ws.people.profile.tabs.setCurrentIndex(TAB_OUTCOMES)
        shot(window, "profile-outcomes")
    window.close()
    log.info("board screenshots written to %s", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
