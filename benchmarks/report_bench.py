"""Weekly report benchmark: 50 workers, 5 years, over 1,000,000 register rows, in a real encrypted (SQLCipher) store.

    python -m benchmarks.report_bench [--dir /tmp/yw-report-bench] [--workers 50] [--years 5] [--rounds 7]

Builds the dataset once (kept in --dir for the next run; a few minutes), then times the weekly report for the team and
for one worker, for a recent week and an old one, and the 13-week trend. Prints medians; asserts nothing.
Aim: a weekly report under 250 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from youthwork.domain.vocab import AgeBand, Ethnicity, SessionType
from youthwork.domain.weeks import IsoWeek
from youthwork.reports.weekly import trend, weekly_report
from youthwork.store.profile import Profile

PASSPHRASE = "benchmark passphrase for reports"
TODAY = date(2026, 11, 21)


def _id(rng: random.Random, when: datetime) -> str:
    ms = int(when.timestamp() * 1000)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rng.getrandbits(12) << 64 | 0b10 << 62 | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


def build(directory: Path, workers: int, years: int, seed: int = 5) -> Profile:
    """People, sessions (each worker about 3 a week), registers of about 28, notes, referrals. Raw inserts for speed."""
    rng = random.Random(seed)
    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Bench")
    db = profile.db
    staff = [f"w-{i:02d}" for i in range(1, workers + 1)]
    people_n = workers * 400
    start = TODAY - timedelta(days=365 * years)
    genders = ["male"] * 62 + ["female"] * 34 + ["non_binary", "not_known", "not_known", "not_known"]
    eth = [e.value for e in Ethnicity]
    people = []
    for _ in range(people_n):
        created = datetime.combine(start, datetime.min.time(), UTC) + timedelta(days=rng.randint(0, 365 * years))
        dob = date(2026 - rng.randint(10, 21), rng.randint(1, 12), rng.randint(1, 28))
        pid = _id(rng, created)
        people.append((pid, created.isoformat(), rng.choice(genders), rng.choice(eth), dob.isoformat()))
    ids = [p[0] for p in people]
    rows = {"sessions": 0, "attendance": 0, "case_notes": 0, "referrals": 0}
    types = [t.value for t in SessionType]
    bands = [a.value for a in (AgeBand.A10_13, AgeBand.A14_15, AgeBand.A16_17)]
    with db.transaction():
        db.executemany(
            "INSERT INTO people (id, team_id, created_at, updated_at, first_name, gender, ethnicity, date_of_birth)"
            " VALUES (?, 'team-1', ?, ?, 'Bench', ?, ?, ?)",
            ((p[0], p[1], p[1], p[2], p[3], p[4]) for p in people),
        )
    day = start
    while day < TODAY:
        sessions, attendance, notes, referrals = [], [], [], []
        for _ in range(round(workers * 3 / 7)):  # about 3 sessions per worker per week, spread over the days
            crew = rng.sample(staff, k=rng.choice([1, 2, 2]))
            t0 = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=rng.choice([15, 16, 17, 18, 19]))
            sid = _id(rng, t0)
            status = "approved" if day < TODAY - timedelta(days=14) else rng.choice(["draft", "submitted"])
            heads = {f"{rng.choice(['male', 'female'])}/{rng.choice(bands)}": rng.randint(1, 5)}
            sessions.append(
                (
                    sid,
                    t0.isoformat(),
                    (t0 + timedelta(hours=rng.choice([2, 2.5, 3]))).isoformat(),
                    rng.choice(types),
                    status,
                    json.dumps(crew),
                    crew[0],
                    json.dumps(heads),
                    int(rng.random() < 0.08),
                )
            )
            # Each session draws its register from a neighbourhood of regulars, so people come back week on week.
            hood = rng.randrange(0, people_n - 600)
            for pid in rng.sample(ids[hood : hood + 600], k=rng.randint(18, 38)):
                attendance.append((_id(rng, t0), sid, pid, t0.isoformat()))
                if rng.random() < 0.15:
                    w = t0 + timedelta(hours=4)
                    notes.append((_id(rng, w), pid, sid, crew[0], w.isoformat()))
            if rng.random() < 0.1:
                sent = t0 + timedelta(days=1)
                referrals.append(
                    (
                        _id(rng, sent),
                        rng.choice(ids),
                        rng.choice(["tys", "igt", "csct", "camhs"]),
                        rng.choice(["sent", "acknowledged", "accepted", "declined"]),
                        sent.isoformat(),
                        crew[0],
                    )
                )
        with db.transaction():
            db.executemany(
                "INSERT INTO sessions (id, team_id, created_at, updated_at, starts_at, ends_at, session_type, status,"
                " workers, created_by, headcounts, concern, area) VALUES (?, 'team-1', ?2, ?2, ?2, ?, ?, ?, ?, ?, ?, ?,"
                " 'Estate')",
                ((s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]) for s in sessions),
            )
            db.executemany(
                "INSERT INTO attendance (id, team_id, created_at, updated_at, session_id, person_id)"
                " VALUES (?, 'team-1', ?4, ?4, ?2, ?3)",
                attendance,
            )
            db.executemany(
                "INSERT INTO case_notes (id, team_id, created_at, updated_at, person_id, session_id, author_id,"
                " written_at, text) VALUES (?1, 'team-1', ?5, ?5, ?2, ?3, ?4, ?5, 'note')",
                notes,
            )
            db.executemany(
                "INSERT INTO referrals (id, team_id, created_at, updated_at, person_id, to_agency, status, sent_at,"
                " sent_by, reason, lawful_basis) VALUES (?1, 'team-1', ?5, ?5, ?2, ?3, ?4, ?5, ?6, 'r', 'public_task')",
                referrals,
            )
        for k, v in (
            ("sessions", sessions),
            ("attendance", attendance),
            ("case_notes", notes),
            ("referrals", referrals),
        ):
            rows[k] += len(v)
        day += timedelta(days=1)
    db.execute("ANALYZE")
    profile.set_setting("bench_rows", rows)
    return profile


def timed(fn, rounds: int) -> tuple[float, float, object]:
    """Median wall-clock and median CPU (this process) milliseconds. On a shared machine the CPU figure is the one
    other people's work does not inflate."""
    wall, cpu, result = [], [], None
    for _ in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.median(cpu), result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/yw-report-bench"))
    ap.add_argument("--workers", type=int, default=50)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    directory = args.dir / f"w{args.workers}-y{args.years}"
    if Profile.exists(directory):
        profile = Profile.open(directory, PASSPHRASE)
        print(f"dataset: reusing {directory}")
    else:
        t = time.perf_counter()
        profile = build(directory, args.workers, args.years)
        print(f"dataset: built in {time.perf_counter() - t:.0f} s at {directory}")
    with profile:
        db = profile.db
        counts = {
            t: db.scalar(f"SELECT count(*) FROM {t}")
            for t in ("people", "sessions", "attendance", "case_notes", "referrals")
        }
        print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + " (encrypted SQLCipher store)")
        recent = IsoWeek.containing(TODAY).shifted(-1)
        old = recent.shifted(-200)
        for label, week, worker in (
            ("team, recent week", recent, None),
            ("team, week 200 back", old, None),
            ("one worker, recent week", recent, "w-07"),
        ):
            ms, cpu, report = timed(lambda w=week, k=worker: weekly_report(db, w, worker_id=k), args.rounds)
            v = report.values()
            print(
                f"weekly report ({label}, {week}): median {ms:.0f} ms wall, {cpu:.0f} ms CPU over {args.rounds} runs"
                f"  [sessions {v['sessions']}, reached {v['reached']}, new {v['reached_new']}]"
            )
        ms, cpu, _ = timed(lambda: trend(db, recent), 1)
        print(f"13-week trend ({recent}): {ms:.0f} ms wall, {cpu:.0f} ms CPU")
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
