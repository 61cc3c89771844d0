"""Screenshots of the Peer groups area for the README, from a real window over invented data.

    DISPLAY=:99 QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 python -m scripts.screenshots.groups [--out DIR]

A supervisor's laptop: two small groups (every membership role), places, a context plan; the group list with the
disproportionality check, a group page with the RAG mix opened for supervision, and page 1 of the conference pack.
Everyone named here is invented.
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

from PySide6.QtWidgets import QApplication

from scripts.screenshots.window import PASSPHRASE, open_unlocked, save_shot

log = logging.getLogger(__name__)

PEOPLE = [
    # first, last, ethnicity, gender, age, rag, risks
    ("Kai", "Mensah", "black_african", "male", 14, "red", ["cce", "missing"]),
    ("Dre", "Lawson", "black_caribbean", "male", 17, "amber", ["cce", "weapon"]),
    ("Tyrese", "Campbell", "black_caribbean", "male", 15, "amber", []),
    ("Callum", "Murphy", "white_british", "male", 15, None, []),
    ("Amara", "Okafor", "black_african", "female", 14, "green", ["missing"]),
    ("Liam", "Walker", "white_british", "male", 16, None, []),
    ("Zara", "Khan", "asian_pakistani", "female", 15, None, []),
    ("Jade", "Clarke", "white_british", "female", 13, None, []),
    ("Omar", "Hassan", "other_arab", "male", 16, None, []),
]


def _profile(directory: Path) -> str:
    from youthwork.domain.groups import PeerGroup
    from youthwork.domain.places import Place
    from youthwork.domain.records import Attendance, Session, YoungPerson
    from youthwork.services.context_plans import ContextPlanService
    from youthwork.services.groups import GroupService
    from youthwork.services.people import PeopleService
    from youthwork.services.places import PlaceService
    from youthwork.store.profile import Profile

    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Sue Adams")
    with profile:
        profile.set_setting("user_id", "sue")
        profile.set_setting("team_id", "detached-north")
        profile.set_setting("role", "supervisor")
        profile.set_setting("worker_names", {"sue": "Sue Adams"})
        people = PeopleService(profile)
        added = []
        for first, last, eth, gender, age, rag, risks in PEOPLE:
            added.append(
                people.add(
                    YoungPerson(
                        first_name=first,
                        last_name=last,
                        ethnicity=eth,
                        gender=gender,
                        estimated_age=age,
                        rag=rag,
                        risk_indicators=risks,
                        area="Brenchley Gardens",
                    )
                )
            )
        session = profile.records.save(
            Session(team_id="detached-north", starts_at=datetime.now(UTC) - timedelta(days=7), area="Brenchley Gardens")
        )
        for p in added:
            profile.records.save(Attendance(session_id=session.id, person_id=p.id, team_id="detached-north"))
        places = PlaceService(profile)
        cage = places.save(Place(name="The cage behind Block D", kind="cage", team_id="detached-north"))
        shop = places.save(Place(name="Rye Lane Mini Market", kind="shop", team_id="detached-north"))
        bus = places.save(Place(name="Route 36 bus stop, Peckham Hill St", kind="transport", team_id="detached-north"))
        groups = GroupService(profile)
        g1 = groups.save_group(
            PeerGroup(
                label="Thursday cage lot",
                description="Meet at the cage after school on Thursdays; older lads on bikes come by after dark.",
                place_ids=[cage.id, shop.id],
            )
        )
        g2 = groups.save_group(
            PeerGroup(
                label="Route 36 back seats", description="Ride the 36 together in the evenings.", place_ids=[bus.id]
            )
        )
        for p, role, conf, src in (
            (added[0], "affected", "seen", "seen at the cage"),
            (added[1], "causing_harm", "reported", "school DSL"),
            (added[2], "both", "told", "told by the young person"),
            (added[3], "not_known", "possible", "youth club"),
        ):
            groups.add_member(g1.id, p.id, role=role, confidence=conf, source=src, own_account="")
        for p in (added[0], added[2], added[4]):
            groups.add_member(g2.id, p.id, role="affected", confidence="seen", source="seen on the 36")
        plans = ContextPlanService(profile)
        plan = plans.new_for_group(g1.id)
        plan.concern = "Older young men approach the group at the cage after dark; the floodlights are out."
        plan.partners = [
            {"name": "Brenchley Housing", "kind": "housing", "responsible_for": "the cage and its floodlights"},
            {"name": "Rye Lane Mini Market", "kind": "shop", "responsible_for": "CCTV and staff at closing time"},
        ]
        plan.actions = [
            {
                "action": "Mend the cage floodlights",
                "who": "Brenchley Housing",
                "by_when": str(date.today() + timedelta(14)),
            },
            {"action": "Detached session at the cage, Thursdays 6–9pm", "who": "Detached team", "by_when": ""},
        ]
        plan.review_date = date.today() + timedelta(days=42)
        plans.agree(plan)
        return g1.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    work = Path(tempfile.mkdtemp(prefix="yw-group-shots-"))
    try:
        group_id = _profile(work / "sue")
        window = open_unlocked(work / "sue")
        ws = window.workspace
        ws.go("groups")
        area = ws.areas["groups"].area()
        area.show_list()
        save_shot(window, args.out / "groups_list.png", wait_ms=300)
        area.open_group(group_id)
        mix = ws.backend.groups.sensitive_mix(group_id, "supervision")
        area.page.mix.setText(
            "RAG: "
            + ", ".join(f"{k}: {n}" for k, n in mix.rag.items())
            + ". Risk indicators: "
            + ", ".join(f"{k}: {n}" for k, n in mix.risks.items())
            + "."
        )
        save_shot(window, args.out / "group_page.png", wait_ms=300)
        pdf = area.page.print_to(work / "pack.pdf")
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(work / "page")],
                check=True,
            )
            shutil.copy(work / "page.png", args.out / "context_pack_pdf.png")
            print(f"saved {args.out / 'context_pack_pdf.png'}", flush=True)
        window.shutdown()
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    raise SystemExit(main())
