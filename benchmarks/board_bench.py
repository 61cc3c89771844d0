"""Board pack benchmark: the quarter's board pack for 50 workers over 5 years, in a real encrypted (SQLCipher) store,
against the weekly report on the same data.

    python -m benchmarks.board_bench [--dir /tmp/yw-board-bench] [--workers 50] [--years 5] [--rounds 5]

Builds the weekly report benchmark's dataset (benchmarks.report_bench.build: about 1,000,000 register rows), adds what
the board pack reads (RAG ratings, safety plans, outcome ratings, check-ins, a population baseline), keeps it in --dir
for the next run, then prints median times for the team's weekly report, the quarter's board pack on screen, and its
PDF-free exports (XLSX, CSV). Aim: the board pack within 2x of the weekly report. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.report_bench import PASSPHRASE, TODAY, _id, build, timed
from youthwork.domain.outcomes import FOYP
from youthwork.domain.vocab import AgeBand, Ethnicity
from youthwork.domain.weeks import IsoWeek, Period
from youthwork.reports.board import board_summary
from youthwork.reports.board_export import write_board_pack
from youthwork.reports.weekly import weekly_report
from youthwork.store.profile import Profile


def add_board_records(profile: Profile, seed: int = 9) -> dict[str, int]:
    """What the board pack counts beyond the weekly report's records, at a realistic rate."""
    rng = random.Random(seed)
    db = profile.db
    people = [r[0] for r in db.query("SELECT id FROM people")]
    sessions = [(r[0], r[1], r[2]) for r in db.query("SELECT id, starts_at, session_type FROM sessions")]
    caps = [c for c, _ in FOYP.capabilities]
    rag, plans, ratings, checkins = [], [], [], []
    start = datetime.combine(TODAY, datetime.min.time(), UTC) - timedelta(days=365 * 5)
    for pid in people:
        when = start + timedelta(days=rng.randint(0, 365 * 5 - 1))
        if rng.random() < 0.3:
            rag.append((_id(rng, when), pid, rng.choice(["red", "amber", "green"]), when.isoformat()))
        if rng.random() < 0.05:
            plans.append((_id(rng, when), pid, when.isoformat()))
        if rng.random() < 0.2:
            first = {c: rng.randint(1, 4) for c in caps}
            later = {c: min(5, v + rng.randint(-1, 2)) for c, v in first.items()}
            for stage, scores, at in (("start", first, when), ("review", later, when + timedelta(days=90))):
                ratings.append((_id(rng, at), pid, at.date().isoformat(), stage, json.dumps(scores)))
    for sid, starts_at, kind in sessions:
        if rng.random() < 0.3:
            for _ in range(rng.randint(2, 5)):
                checkins.append((_id(rng, datetime.fromisoformat(starts_at)), sid, starts_at[:10], kind))
    with db.transaction():
        db.executemany(
            "INSERT INTO rag_ratings (id, team_id, created_at, updated_at, person_id, rating, set_at)"
            " VALUES (?1, 'team-1', ?4, ?4, ?2, ?3, ?4)",
            rag,
        )
        db.executemany(
            "INSERT INTO safety_plans (id, team_id, created_at, updated_at, person_id, status, agreed_at)"
            " VALUES (?1, 'team-1', ?3, ?3, ?2, 'agreed', ?3)",
            plans,
        )
        db.executemany(
            "INSERT INTO outcome_ratings (id, team_id, created_at, updated_at, person_id, rated_on, stage, programme,"
            " scores) VALUES (?1, 'team-1', ?3, ?3, ?2, ?3, ?4, 'detached', ?5)",
            ratings,
        )
        db.executemany(
            "INSERT INTO session_checkins (id, team_id, created_at, updated_at, session_id, taken_on, place,"
            " programme, felt_safe, someone_to_talk, would_help) VALUES (?1, 'team-1', ?3, ?3, ?2, ?3, 'Estate', ?4,"
            " 'yes', 'yes', 'more_sessions')",
            checkins,
        )
        rows = [
            [e.value, s, a.value, rng.randint(100, 3000)]
            for e in Ethnicity
            for s in ("female", "male")
            for a in (AgeBand.A10_13, AgeBand.A14_15, AgeBand.A16_17, AgeBand.A18_21)
        ]
        db.execute(
            "INSERT INTO population_baselines (id, team_id, created_at, updated_at, name, rows)"
            " VALUES (?1, 'team-1', ?2, ?2, 'Bench borough', ?3)",
            (_id(rng, start), start.isoformat(), json.dumps(rows)),
        )
    db.execute("ANALYZE")
    return {
        "rag_ratings": len(rag),
        "safety_plans": len(plans),
        "outcome_ratings": len(ratings),
        "checkins": len(checkins),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/yw-board-bench"))
    ap.add_argument("--workers", type=int, default=50)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    directory = args.dir / f"w{args.workers}-y{args.years}"
    if Profile.exists(directory):
        profile = Profile.open(directory, PASSPHRASE)
        print(f"dataset: reusing {directory}")
    else:
        profile = build(directory, args.workers, args.years)
        added = add_board_records(profile)
        print("dataset: built; board records " + ", ".join(f"{k} {v:,}" for k, v in added.items()))
    with profile:
        db = profile.db
        counts = {t: db.scalar(f"SELECT count(*) FROM {t}") for t in ("people", "sessions", "attendance")}
        print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + " (encrypted SQLCipher store)")
        week = IsoWeek.containing(TODAY).shifted(-1)
        quarter = Period.quarter_of(TODAY).previous()
        w_ms, w_cpu, _ = timed(lambda: weekly_report(db, week), args.rounds)
        print(f"weekly report (team, {week}): median {w_ms:.0f} ms wall, {w_cpu:.0f} ms CPU over {args.rounds} runs")
        b_ms, b_cpu, pack = timed(lambda: board_summary(db, quarter), args.rounds)
        reached = pack.point("reached")
        print(
            f"board pack ({quarter.quarter_code()}): median {b_ms:.0f} ms wall, {b_cpu:.0f} ms CPU over {args.rounds}"
            f" runs  [reached {len(reached.figure.ids):,}, groups {len(reached.by_group)}]"
        )
        print(f"board pack / weekly report: {b_ms / w_ms:.1f}x wall, {b_cpu / w_cpu:.1f}x CPU (aim: 2x)")
        out = Path(tempfile.mkdtemp(prefix="yw-board-bench-out-"))
        for fmt in ("xlsx", "csv"):
            ms, cpu, _ = timed(lambda f=fmt: write_board_pack(profile, pack, f, out / f"board.{f}"), 1)
            print(f"board pack export ({fmt}): {ms:.0f} ms wall, {cpu:.0f} ms CPU")
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
