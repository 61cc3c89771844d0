"""Screenshots of moving a young person to another team for the README, from real windows over invented data.

    DISPLAY=:99 QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.moves [--out DIR]

Sue (Detached North) proposes moving Jay to Detached East from his profile; Tom (Detached East) sees the move waiting
under Review → Moves in. Everyone named here is invented.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scripts.screenshots.window import PASSPHRASE, open_unlocked, save_shot, settle, wait_for

log = logging.getLogger(__name__)

NORTH, EAST = "01a00000-0000-7000-8000-00000000000a", "01a00000-0000-7000-8000-00000000000b"


def _sue(directory: Path) -> str:
    from datetime import date

    from youthwork.domain.records import YoungPerson
    from youthwork.services.people import PeopleService
    from youthwork.store.profile import Profile

    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Sue Adebayo")
    with profile:
        profile.set_setting("user_id", "sue")
        profile.set_setting("team_id", NORTH)
        profile.set_setting("sync.role", "supervisor")
        profile.set_setting("worker_names", {"sue": "Sue Adebayo", "amy": "Amy Clarke"})
        profile.set_setting("transfers.other_teams", {EAST: "Detached East", "tys": "Targeted Youth Support"})
        people = PeopleService(profile)
        jay = people.add(
            YoungPerson(
                first_name="Jay",
                last_name="Okafor",
                area="Peckham",
                date_of_birth=date(2010, 5, 1),
                gender="male",
                lead_worker_id="amy",
            )
        )
        people.set_rag(jay.id, "amber", "Seen with older boys by the station.")
        return jay.id


def _tom(directory: Path) -> None:
    from youthwork.domain.records import YoungPerson
    from youthwork.domain.transfers import GOES_BY_DEFAULT, PersonTransfer
    from youthwork.store.profile import Profile

    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Tom Reid")
    with profile:
        profile.set_setting("user_id", "tom")
        profile.set_setting("team_id", EAST)
        profile.set_setting("sync.role", "supervisor")
        profile.set_setting("transfers.other_teams", {NORTH: "Detached North"})
        for first, area, note in (
            (
                "Jay",
                "Peckham",
                "Moving to Bow with his mum in January. Amy sees him on Tuesdays at the Kicks session; "
                "he trusts her and his football coach. His safety plan names the station as a place to avoid.",
            ),
            ("Ruby", "Peckham", "Starting at Bow School after half term; she asked to keep seeing a woman worker."),
        ):
            person = profile.records.save(YoungPerson(first_name=first, area=area, team_id=NORTH))
            profile.records.save(
                PersonTransfer(
                    team_id=NORTH,
                    person_id=person.id,
                    to_team_id=EAST,
                    note=note,
                    goes=list(GOES_BY_DEFAULT),
                    proposed_by="sue",
                )
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="yw-move-shots-"))
    try:
        jay = _sue(work / "sue")
        window = open_unlocked(work / "sue")
        window.workspace.go("people")
        people = window.workspace.people
        people.open_profile(jay)
        people.profile.start_move()
        from ui.people.move_dialog import MoveDialog

        dialog = people.profile.findChild(MoveDialog)
        assert dialog is not None
        wait_for(dialog.isVisible)
        dialog.team.setCurrentIndex(dialog.team.findText("Detached East"))
        dialog.note.setPlainText(
            "Moving to Bow with his mum in January. Amy sees him on Tuesdays at the Kicks session; he trusts her and "
            "his football coach."
        )
        settle(200)
        save_shot(dialog, args.out / "32-move-to-another-team.png", wait_ms=300)
        dialog.reject()
        window.close()

        _tom(work / "tom")
        window = open_unlocked(work / "tom")
        window.workspace.go("review")
        area = window.workspace.review
        area.tabs.setCurrentWidget(area.moves)
        wait_for(lambda: area.moves.table.rowCount() == 2)
        area.moves.table.setFocus()
        save_shot(window, args.out / "33-moves-in.png", wait_ms=300)
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
