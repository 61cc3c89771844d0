"""A screenshot of the guided import's preview for the README, from a real window over invented data.

    DISPLAY=:99 QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.importing [--out DIR]

A paper register typed into a sheet: two sessions, a young person already recorded, and the usual slips (a date that
doesn't exist, a row typed twice, a name saved from an old Windows program, a column youthwork doesn't keep).
Everyone named here is invented.
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scripts.screenshots.window import PASSPHRASE, open_unlocked, save_shot, wait_for

log = logging.getLogger(__name__)

NAMES = [
    ("Kaya Mensah", "04/05/2010", "F"),
    ("Jay Okoro", "01/05/2010", "M"),
    ("Rio Lewis", "31/02/2010", "M"),
    ("Amara Stone", "12/09/2009", "F"),
    ("Tyler Banks", "23/01/2011", "M"),
    ("Leah Ward", "", "F"),
    ("Kofi Asante", "30/06/2009", "M"),
]


def _profile(directory: Path) -> None:
    from youthwork.domain.records import YoungPerson
    from youthwork.services.people import PeopleService
    from youthwork.store.profile import Profile

    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Sam Okoro")
    with profile:
        profile.set_setting("user_id", "sam")
        profile.set_setting("team_id", "detached-north")
        PeopleService(profile).add(
            YoungPerson(first_name="Jay", last_name="Okoro", date_of_birth=date(2010, 5, 1), area="Brayards Estate")
        )


def _sheet(path: Path) -> None:
    days = [date.today() - timedelta(days=d) for d in (15, 8)]
    rows: list[list[str]] = []
    for day in days:
        for name, born, gender in NAMES:
            rows.append([day.strftime("%d/%m/%Y"), "18:00", "20:30", "Brayards Estate", name, born, gender, "Sam"])
    rows.insert(4, list(rows[3]))  # typed twice
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["Date", "Start", "End", "Place", "Name", "Date of birth", "Gender", "Worker"])
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    windows = f"{days[1].strftime('%d/%m/%Y')},18:00,20:30,Brayards Estate,Zoë Adams,07/07/2010,F,Sam\r\n"
    path.write_bytes(data + windows.encode("cp1252"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from ui.importing.dialog import ImportDialog
    from ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="yw-import-shots-"))
    try:
        _profile(work / "sam")
        _sheet(work / "register-autumn.csv")
        window = open_unlocked(work / "sam")
        window.workspace.go("people")
        page = window.workspace.people.list
        page.open_import()
        dialog = page.import_dialog
        assert isinstance(dialog, ImportDialog)
        wait_for(dialog.isVisible)
        dialog.path.setText(str(work / "register-autumn.csv"))
        dialog.preview()
        wait_for(lambda: dialog.plan is not None, timeout=60)
        save_shot(dialog, args.out / "import_preview.png", wait_ms=400)
        dialog.reject()
        window.shutdown()
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
