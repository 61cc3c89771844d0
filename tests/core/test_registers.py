"""The laptop reads the period's registers grouped by session, from the store's (session, person) index
(youthwork.reports.weekly, migration 0032); the service hands the same pure functions one row per register entry
(youthwork.server.reports). Both must give the same figures, to the record ids: random sessions around a quarter's
edges (written in UTC and in other offsets, every status, two teams) and random registers (a young person on a
register twice, a register naming someone the store has no record of), in a real encrypted store. Each run draws
fresh ones and prints its seed (YOUTHWORK_PROPERTY_SEED replays one)."""

from __future__ import annotations

import os
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

from youthwork.domain.figures import AttendanceRow, compute_weekly
from youthwork.domain.records import Attendance, Session, YoungPerson
from youthwork.domain.weeks import Period
from youthwork.reports.weekly import REGISTERS_SQL, load_week_input
from youthwork.store.profile import Profile

SEED = int(os.environ.get("YOUTHWORK_PROPERTY_SEED") or random.SystemRandom().randrange(2**32))
Q3 = Period(date(2026, 7, 1), date(2026, 9, 30))
NOW = datetime(2026, 12, 1, tzinfo=UTC)
OFFSETS = (UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5)), timezone(timedelta(hours=9)))


def _records(rng: random.Random) -> list[object]:
    people = [
        YoungPerson(
            id=f"P{i:02d}",
            first_name="Young",
            gender=rng.choice(["female", "male", "non_binary", "not_known"]),
            date_of_birth=date(rng.randint(2005, 2016), rng.randint(1, 12), rng.randint(1, 28)),
            team_id="team-1",
        )
        for i in range(30)
    ]
    out: list[object] = list(people)
    ids = [p.id for p in people] + ["nobody-on-file"]
    edges = (Q3.start, Q3.end, Q3.start - timedelta(days=40))  # either side of the quarter, and long before it
    for i in range(90):
        when = rng.choice(edges) + timedelta(minutes=rng.randint(-36 * 60, 36 * 60))
        sid = f"S{i:02d}"
        out.append(
            Session(
                id=sid,
                team_id=rng.choice(["team-1", "team-1", "team-2"]),
                starts_at=when.astimezone(rng.choice(OFFSETS)),
                ends_at=when + timedelta(hours=2),
                status=rng.choice(["draft", "submitted", "approved", "returned"]),
                workers=["w1"],
                created_by="w1",
                area="Estate",
            )
        )
        on = rng.sample(ids, k=rng.randint(0, 6))
        on += rng.sample(on, k=min(len(on), rng.randint(0, 1)))  # someone entered twice
        out += [Attendance(id=f"A{i:02d}-{n}", session_id=sid, person_id=p, team_id="team-1") for n, p in enumerate(on)]
    return out


def test_registers_by_session_give_the_figures_register_rows_give(profile: Profile) -> None:
    print(f"property seed: {SEED} (YOUTHWORK_PROPERTY_SEED={SEED} replays it)")
    profile.records.bulk_insert(_records(random.Random(SEED)))
    db = profile.db
    rows = [AttendanceRow(*r) for r in db.query("SELECT id, session_id, person_id FROM attendance")]
    for team in (None, "team-1"):
        data = load_week_input(db, Q3.first, Q3.last, team_id=team)
        data.week = Q3  # type: ignore[assignment]  # as the board pack does
        assert data.registers is not None and not data.attendance
        laptop = compute_weekly(data, team_id=team, now=NOW)
        service = compute_weekly(replace(data, attendance=rows, registers=None), team_id=team, now=NOW)
        assert laptop.to_dict() == service.to_dict(), (SEED, team)
        assert laptop.figure("reached").value, "the draw should reach someone in the quarter"


def test_registers_are_read_from_the_index_alone(profile: Profile) -> None:
    """Migration 0032's (session, person) index covers the read: no table row is visited per register entry."""
    plan = " ".join(str(r[3]) for r in profile.db.query(f"EXPLAIN QUERY PLAN {REGISTERS_SQL}", ("[]",)))
    assert "COVERING INDEX attendance_by_session" in plan, plan
