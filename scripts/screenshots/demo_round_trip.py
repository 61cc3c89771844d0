"""Screenshots of the demo's round trip for the README: a referral sent from the app, arriving in the IGT's inbox on
the IGT's own laptop, accepted there, and the answer back on the referrer's screen.

    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.demo_round_trip

The real demo: its own `youthwork-server` on loopback, the worker's laptop, and the IGT's receiving worker on a
laptop of its own, both windows real. Everything shown is invented by the demo generator.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from scripts.screenshots.window import open_window, save_shot, settle, wait_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from ui.theme import apply_theme
    from youthwork.demo import DEMO_PASSPHRASE, DemoWorld, SecondDevice
    from youthwork.domain.referrals import ReferralStatus
    from youthwork.store.profile import Profile

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="yw-demo-shots-"))
    world = DemoWorld.start(work / "demo", people=80, weeks=3, second_device=False)
    windows = []
    try:
        igt_dir = next(d for d in world.receiving_dirs if d.name.endswith("igt"))

        def unlocked(directory: Path):
            window = open_window(directory)
            windows.append(window)
            window.unlock.passphrase.setText(DEMO_PASSPHRASE)
            window.unlock.submit()
            wait_for(lambda: window.workspace is not None, timeout=60)
            settle(500)
            return window

        def synced(window) -> None:
            """Ctrl+Shift+S, as a worker syncs from anywhere, then wait for the cycle to end."""
            controller = window.workspace.sync.controller
            window.raise_()
            window.activateWindow()  # the shortcut belongs to the active window
            settle(300)
            if window.isActiveWindow():
                QTest.keySequence(window, "Ctrl+Shift+S")
            else:
                controller.sync_now()
            settle(300)
            wait_for(lambda: not controller.busy and not controller.status.running, timeout=60)
            settle(1500)

        # The worker refers a young person to the IGT.
        worker = unlocked(world.profile_dir)
        ws = worker.workspace
        with Profile.open(world.profile_dir, DEMO_PASSPHRASE) as p:
            person_id = p.db.scalar("SELECT id FROM people WHERE active = 1 ORDER BY first_name LIMIT 1")
        ws.new_referral(person_id)
        settle(500)
        form = ws.referrals.form
        form.agency.setCurrentIndex(form.agency.findData("igt"))
        form.reason.setFocus()
        QTest.keyClicks(form.reason, "Seen twice this week with older boys from outside the area; says they are asked")
        QTest.keyClicks(form.reason, " to carry bags for them. Asking for the IGT's assessment.")
        form.basis.setCurrentIndex(form.basis.findData("public_task"))
        settle(300)
        save_shot(worker, args.out / "16-demo-referral-form.png")
        form.send()
        settle(800)
        save_shot(worker, args.out / "17-demo-referral-sent.png")
        synced(worker)

        # It arrives on the IGT's laptop.
        igt = unlocked(igt_dir)
        synced(igt)
        igt.workspace.go("referrals")
        page = igt.workspace.referrals.list
        page.tabs.setCurrentWidget(page.inbox)
        settle(1000)
        save_shot(igt, args.out / "18-demo-igt-inbox.png")

        # The IGT worker acknowledges and accepts it; the answer syncs back to the worker's open screen.
        igt.close()
        answerer = SecondDevice(world.device_b_dir, 3600, receiving=[igt_dir])
        with Profile.open(igt_dir, DEMO_PASSPHRASE) as desk:
            answerer.answer_referrals(desk)
        synced(worker)
        wait_for(lambda: ReferralStatus.ACCEPTED.label in worker.workspace.referrals.detail.status.text(), timeout=30)
        settle(800)
        save_shot(worker, args.out / "19-demo-referral-accepted.png")
        worker.workspace.go("sync")
        settle(800)
        save_shot(worker, args.out / "15-sync-demo.png")
    finally:
        for window in windows:
            window.close()
            window.shutdown()
        world.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
