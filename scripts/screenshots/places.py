"""Screenshots of a place's page, its context safety plan (revised once: two kept versions) and the first page of its
context conference pack, and the supervisors' trends by place, for the README, from a real window over the demo's
invented data (its places, and NFAs, referrals and safety plans naming them).

    DISPLAY=:99 QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.places [--out DIR]
"""

from __future__ import annotations

import argparse
import logging
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scripts.screenshots.window import PASSPHRASE, open_unlocked, save_shot, settle, wait_for

log = logging.getLogger(__name__)


def _profile(directory: Path) -> None:
    from youthwork.demo_data import generate
    from youthwork.domain.places import Place, PlanPlace
    from youthwork.domain.records import YoungPerson
    from youthwork.domain.safety_plans import SafetyPlan
    from youthwork.services.context_plans import ContextPlanService
    from youthwork.services.nfa import NfaService
    from youthwork.store.profile import Profile
    from youthwork.store.settings import ROLE

    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Aisha Karim")
    with profile:
        profile.set_setting("user_id", "w-06")
        profile.set_setting(ROLE, "supervisor")
        generate(profile, people=600, weeks=13, seed=3, register_per_person=6)
        rng = random.Random(4)
        places = {p.name: p for p in profile.records.select(Place)}
        stop, cage = places["Commercial Way bus stop"], places["Block D cage, Harlow Fields"]
        people = profile.records.select(YoungPerson, limit=40)
        nfa = NfaService(profile)
        for days, where in ((3, stop), (9, stop), (16, cage), (30, stop)):
            when = date.today() - timedelta(days=days)
            nfa.record(rng.choice(people).id, when, "robbery", "Peckham police", place_id=where.id)
        for person, stance, where in (
            (people[0], "avoid", stop),
            (people[1], "avoid", stop),
            (people[2], "safe", cage),
        ):
            plan = profile.records.save(SafetyPlan(person_id=person.id, status="agreed"))
            profile.records.save(PlanPlace(plan_id=plan.id, place_id=where.id, stance=stance))
        plans = ContextPlanService(profile)
        context = plans.new_for_place(stop.id)
        context.concern = (
            "Young people waiting here after school are approached by older young men in cars; two robberies at the "
            "stop this month. The shelter's light has been out since October."
        )
        context.partners = [
            {"name": "Transport for London", "kind": "transport", "responsible_for": "the stop, its light and CCTV"},
            {"name": "Commercial Way Food & Wine", "kind": "shop", "responsible_for": "a safe place to wait"},
            {"name": "St Thomas the Apostle College", "kind": "school", "responsible_for": "home time on the route"},
        ]
        context.review_date = date.today() + timedelta(days=42)
        plans.agree(context)
        context = plans.current(place_id=stop.id)
        assert context is not None
        context.actions = [
            {
                "action": "Mend the shelter light and check the CCTV",
                "who": "Transport for London",
                "by_when": str(date.today() + timedelta(days=14)),
            },
            {"action": "Detached session at the stop, weekdays 3–5pm", "who": "Detached team", "by_when": ""},
            {"action": "Staff know they can let young people wait inside", "who": "The shop's manager", "by_when": ""},
        ]
        plans.agree(context, "After the context conference")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.WARNING)
    app = QApplication.instance() or QApplication(sys.argv)
    from ui.theme import apply_theme

    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="yw-shots-places-"))
    try:
        _profile(work / "aisha")
        window = open_unlocked(work / "aisha")
        ws = window.workspace
        ws.go("places")
        area = ws.areas["places"].area()
        stop = next(p for p in ws.backend.places.all() if p.name == "Commercial Way bus stop")
        area.open_place(stop.id)
        settle(300)
        save_shot(window, args.out / "20-place-page.png", wait_ms=300)
        area.tabs.setCurrentWidget(area.trends)
        area.trends.table.setFocus()
        save_shot(window, args.out / "21-trends-by-place.png", wait_ms=300)
        area.open_place(stop.id)
        view = area.places.view
        dialog = view.context_plan.open_plan()
        assert dialog is not None
        wait_for(dialog.isVisible)
        dialog.concern.setFocus()
        save_shot(dialog, args.out / "22-place-context-plan.png", wait_ms=300)
        dialog.reject()
        pdf = view.context_plan.print_to(work / "place-pack.pdf")
        if pdf is not None and shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(work / "page")],
                check=True,
            )
            shutil.copy(work / "page.png", args.out / "23-place-pack-pdf.png")
            print(f"saved {args.out / '23-place-pack-pdf.png'}", flush=True)
        window.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
