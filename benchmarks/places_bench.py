"""Place page and trends benchmark: 100,000 young people and 1,000 places, in a real encrypted (SQLCipher) store.

    python -m benchmarks.places_bench [--dir /tmp/yw-places-bench] [--people 100000] [--places 1000] [--rounds 7]

Builds the dataset once (kept in --dir for the next run): two years of sessions at the places (about 60,000, registers
of about 12), NFAs and referrals naming places, safety plans naming places as safe or to avoid, a deployment log.
Then times the place page (the busiest place and a typical one, 13 and 52 weeks), the trends view (13 and 52 weeks)
and, on the same store and in the same run, the weekly report, whose benchmark (benchmarks/report_bench.py) sets the
bound both must open within: 250 ms, and prints each as a ratio of the weekly report's time in the same run (on a
shared machine the wall time swings with the neighbours' work; CPU and the ratio much less). Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchmarks.report_bench import timed
from youthwork.domain.places import Place, PlaceKind
from youthwork.domain.vocab import AgeBand, SessionType
from youthwork.domain.weeks import IsoWeek
from youthwork.reports.places import place_page, trends, weeks_ending
from youthwork.reports.weekly import weekly_report
from youthwork.store.profile import Profile
from youthwork.store.rowcodec import codec_for

PASSPHRASE = "benchmark passphrase for places"
TODAY = date(2026, 11, 21)
BOUND_MS = 250  # the weekly report's aim (benchmarks/report_bench.py)
YEARS = 2


def _id(rng: random.Random, when: datetime) -> str:
    ms = int(when.timestamp() * 1000)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rng.getrandbits(12) << 64 | 0b10 << 62 | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


def build(directory: Path, people_n: int, places_n: int, seed: int = 20) -> Profile:
    rng = random.Random(seed)
    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Bench")
    db = profile.db
    start = TODAY - timedelta(days=365 * YEARS)
    t0 = datetime.combine(start, datetime.min.time(), UTC)
    areas = [f"Estate {i:03d}" for i in range(300)]
    people = [(_id(rng, t0 + timedelta(days=rng.randint(0, 700))), rng.choice(areas)) for _ in range(people_n)]
    ids = [p[0] for p in people]
    kinds = [k.value for k in PlaceKind]
    # A few busy places and a long tail, as in the field: weights fall off with rank.
    place_ids = [_id(rng, t0) for _ in range(places_n)]
    weights = [1 / (1 + i) ** 0.8 for i in range(places_n)]
    staff = [f"w-{i:02d}" for i in range(1, 51)]
    types = [t.value for t in SessionType]
    bands = [a.value for a in (AgeBand.A10_13, AgeBand.A14_15, AgeBand.A16_17)]
    with db.transaction():
        db.executemany(
            "INSERT INTO people (id, team_id, created_at, updated_at, first_name, area) VALUES (?, 't', ?, ?, 'B', ?)",
            ((pid, t0.isoformat(), t0.isoformat(), area) for pid, area in people),
        )
        db.executemany(
            "INSERT INTO places (id, team_id, created_at, updated_at, name, kind, ward)"
            " VALUES (?, 't', ?2, ?2, ?, ?, ?)",
            (
                (pid, t0.isoformat(), f"Place {i:04d}", kinds[i % len(kinds)], f"Ward {i % 23}")
                for i, pid in enumerate(place_ids)
            ),
        )
    counts: Counter[str] = Counter()
    day = start
    while day < TODAY:
        sessions, attendance, nfas, referrals = [], [], [], []
        for _ in range(rng.randint(70, 95)):  # about 80 sessions a day across the service's teams' places
            place = rng.choices(place_ids, weights)[0]
            begin = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=rng.choice([15, 16, 17, 18, 19]))
            sid = _id(rng, begin)
            crew = rng.sample(staff, k=rng.choice([1, 2, 2]))
            heads = {f"{rng.choice(['male', 'female'])}/{rng.choice(bands)}": rng.randint(1, 6)}
            sessions.append(
                (
                    sid,
                    begin.isoformat(),
                    (begin + timedelta(hours=rng.choice([2, 2.5, 3]))).isoformat(),
                    rng.choice(types),
                    json.dumps(crew),
                    json.dumps(heads),
                    int(rng.random() < 0.08),
                    "A fight by the gate" if rng.random() < 0.05 else "",
                    place,
                )
            )
            hood = rng.randrange(0, people_n - 400)
            for pid in rng.sample(ids[hood : hood + 400], k=rng.randint(6, 18)):
                attendance.append((_id(rng, begin), sid, pid, begin.isoformat()))
        for _ in range(rng.randint(4, 10)):
            nfas.append((_id(rng, t0), rng.choice(ids), day.isoformat(), rng.choices(place_ids, weights)[0]))
        for _ in range(rng.randint(8, 18)):
            sent = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=11)
            place = rng.choices(place_ids, weights)[0] if rng.random() < 0.6 else ""
            referrals.append((_id(rng, sent), rng.choice(ids), sent.isoformat(), place))
        with db.transaction():
            db.executemany(
                "INSERT INTO sessions (id, team_id, created_at, updated_at, starts_at, ends_at, session_type, status,"
                " workers, headcounts, concern, incidents, place_id, area)"
                " VALUES (?, 't', ?2, ?2, ?2, ?, ?, 'approved', ?, ?, ?, ?, ?, 'Estate')",
                sessions,
            )
            db.executemany(
                "INSERT INTO attendance (id, team_id, created_at, updated_at, session_id, person_id)"
                " VALUES (?, 't', ?4, ?4, ?2, ?3)",
                attendance,
            )
            db.executemany(
                "INSERT INTO nfa_notifications (id, team_id, created_at, updated_at, person_id, notified_on,"
                " offence_category, place_id) VALUES (?, 't', ?3, ?3, ?2, ?3, 'drugs', ?4)",
                nfas,
            )
            db.executemany(
                "INSERT INTO referrals (id, team_id, created_at, updated_at, person_id, status, sent_at, place_id,"
                " reason) VALUES (?, 't', ?3, ?3, ?2, 'sent', ?3, ?4, 'r')",
                referrals,
            )
        counts.update(sessions=len(sessions), attendance=len(attendance), nfas=len(nfas), referrals=len(referrals))
        day += timedelta(days=1)
    plans, plan_places = [], []
    for _ in range(people_n // 20):
        plan = _id(rng, t0)
        plans.append((plan, rng.choice(ids), rng.choice(["agreed", "reviewed", "closed", "draft"])))
        for place in {rng.choices(place_ids, weights)[0] for _ in range(rng.randint(1, 3))}:
            plan_places.append((_id(rng, t0), plan, place, rng.choice(["safe", "avoid"])))
    with db.transaction():
        db.executemany(
            "INSERT INTO safety_plans (id, team_id, created_at, updated_at, person_id, status)"
            f" VALUES (?, 't', '{t0.isoformat()}', '{t0.isoformat()}', ?, ?)",
            plans,
        )
        db.executemany(
            "INSERT INTO plan_places (id, team_id, created_at, updated_at, plan_id, place_id, stance)"
            f" VALUES (?, 't', '{t0.isoformat()}', '{t0.isoformat()}', ?, ?, ?)",
            plan_places,
        )
        db.executemany(
            "INSERT INTO deployments (id, team_id, created_at, updated_at, place_id, source, received_on, reported)"
            f" VALUES (?, 't', '{t0.isoformat()}', '{t0.isoformat()}', ?, 'asb_report', ?, 'r')",
            (
                (
                    _id(rng, t0),
                    rng.choices(place_ids, weights)[0],
                    (start + timedelta(days=rng.randint(0, 700))).isoformat(),
                )
                for _ in range(2000)
            ),
        )
    counts.update(plans=len(plans), plan_places=len(plan_places), deployments=2000)
    db.execute("ANALYZE")
    profile.set_setting("bench_rows", dict(counts))
    return profile


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/yw-places-bench"))
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--places", type=int, default=1_000)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    directory = args.dir / f"p{args.people}-l{args.places}"
    if Profile.exists(directory):
        profile = Profile.open(directory, PASSPHRASE)
        print(f"dataset: reusing {directory}")
    else:
        t = time.perf_counter()
        profile = build(directory, args.people, args.places)
        print(f"dataset: built in {time.perf_counter() - t:.0f} s at {directory}")
    with profile:
        db = profile.db
        tables = ("people", "places", "sessions", "attendance", "nfa_notifications", "referrals", "plan_places")
        print("rows: " + ", ".join(f"{t} {db.scalar(f'SELECT count(*) FROM {t}'):,}" for t in tables))
        last = IsoWeek.containing(TODAY).shifted(-1)
        busiest = db.scalar("SELECT place_id FROM sessions GROUP BY place_id ORDER BY COUNT(*) DESC LIMIT 1")
        typical = db.scalar("SELECT id FROM places ORDER BY name LIMIT 1 OFFSET ?", (args.places // 2,))
        codec = codec_for(Place)
        results: list[tuple[str, float, float]] = []
        for label, place_id in (("busiest place", busiest), ("typical place", typical)):
            place = codec.from_row(db.query("SELECT * FROM places WHERE id = ?", (place_id,))[0])
            for n in (13, 52):
                weeks = weeks_ending(last, n)
                ms, cpu, page = timed(lambda p=place, w=weeks: place_page(db, p, w), args.rounds)
                total = page.totals()  # type: ignore[attr-defined]
                print(
                    f"place page ({label}, {n} weeks): median {ms:.0f} ms wall, {cpu:.0f} ms CPU over {args.rounds}"
                    f" runs  [sessions {total.sessions}, on registers {total.named}, signals {total.signals}]"
                )
                results.append((f"place page, {label}, {n} weeks", ms, cpu))
        for n in (13, 52):
            weeks = weeks_ending(last, n)
            ms, cpu, t = timed(lambda w=weeks: trends(db, w), args.rounds)
            rows = t.rows  # type: ignore[attr-defined]
            print(
                f"trends view ({n} weeks): median {ms:.0f} ms wall, {cpu:.0f} ms CPU over {args.rounds} runs"
                f"  [places {len(rows)}, patterns {sum(r.pattern() for r in rows)}]"
            )
            results.append((f"trends view, {n} weeks", ms, cpu))
        weekly_ms, weekly_cpu, _ = timed(lambda: weekly_report(db, last), args.rounds)
        print(f"weekly report on the same store ({last}): median {weekly_ms:.0f} ms wall, {weekly_cpu:.0f} ms CPU")
        for label, ms, cpu in results:
            print(
                f"  {label}: {ms / weekly_ms:.2f}x the weekly report's wall time, {cpu / weekly_cpu:.2f}x its CPU;"
                f" {'within' if ms <= BOUND_MS else 'over'} {BOUND_MS} ms wall,"
                f" {'within' if cpu <= BOUND_MS else 'over'} {BOUND_MS} ms CPU"
            )
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
