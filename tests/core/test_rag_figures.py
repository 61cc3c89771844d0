"""RAG that reports: the spread (the strategy's "36%, 42%, 21%") and who moved towards green or red, in the weekly
figures (laptop and service alike) and the board's quarter, on a hand-counted fixture.

The fixture, 33 young people of team-1 rated by the end of the week (and one of another team):
- before the week: p0-p11 red, p12-p23 amber, p24-p26 green;
- in the week: p0 red -> amber and p1 red -> green (towards green); p12 amber -> red and p24 green -> amber
  (towards red); p13 amber -> red -> amber and p2 red -> red (no movement); p27 red, p28 amber, p29-p32 green for
  the first time (newly rated);
- after the week: p3 red -> green (not counted).
At the end: red p2-p11, p12, p27 = 12 (36%); amber p0, p13-p23, p24, p28 = 14 (42%); green p1, p25, p26, p29-p32 =
7 (21%).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from youthwork.domain.figures import RagRow
from youthwork.domain.figures.rag import rag_change
from youthwork.domain.records import RagRating, YoungPerson
from youthwork.domain.weeks import IsoWeek, Period
from youthwork.reports.board import board_summary
from youthwork.reports.weekly import weekly_report
from youthwork.store.profile import Profile

WEEK = IsoWeek.containing(date(2026, 3, 11))  # Monday 9 March to Sunday 15 March 2026
BEFORE = datetime(2026, 3, 2, 12, tzinfo=UTC)
IN_WEEK = datetime(2026, 3, 11, 12, tzinfo=UTC)
AFTER = datetime(2026, 3, 20, 12, tzinfo=UTC)
APRIL = datetime(2026, 4, 2, 12, tzinfo=UTC)


def _fixture() -> list[tuple[str, str, datetime, str]]:
    """(person, rating, when, team)."""
    rows = [(f"p{i}", "red", BEFORE, "team-1") for i in range(12)]
    rows += [(f"p{i}", "amber", BEFORE, "team-1") for i in range(12, 24)]
    rows += [(f"p{i}", "green", BEFORE, "team-1") for i in range(24, 27)]
    later = IN_WEEK + timedelta(hours=1)
    rows += [
        ("p0", "amber", IN_WEEK, "team-1"),
        ("p1", "green", IN_WEEK, "team-1"),
        ("p12", "red", IN_WEEK, "team-1"),
        ("p24", "amber", IN_WEEK, "team-1"),
        ("p13", "red", IN_WEEK, "team-1"),
        ("p13", "amber", later, "team-1"),
        ("p2", "red", IN_WEEK, "team-1"),
        ("p27", "red", IN_WEEK, "team-1"),
        ("p28", "amber", IN_WEEK, "team-1"),
    ]
    rows += [(f"p{i}", "green", IN_WEEK, "team-1") for i in range(29, 33)]
    rows += [("p3", "green", AFTER, "team-1"), ("q0", "red", IN_WEEK, "team-2")]
    return rows


RED = sorted([f"p{i}" for i in range(2, 12)] + ["p12", "p27"])
AMBER = sorted(["p0", *(f"p{i}" for i in range(13, 24)), "p24", "p28"])
GREEN = sorted(["p1", "p25", "p26", *(f"p{i}" for i in range(29, 33))])


def test_spread_and_movement_hand_counted() -> None:
    rows = [RagRow(f"r{n}", team, pid, rating, at) for n, (pid, rating, at, team) in enumerate(_fixture())]
    change = rag_change(rows, WEEK.start, WEEK.end, "team-1")
    assert change.spread == {"red": tuple(RED), "amber": tuple(AMBER), "green": tuple(GREEN)}
    assert (change.percent("red"), change.percent("amber"), change.percent("green")) == (36, 42, 21)
    assert change.towards_green == ("p0", "p1")
    assert change.towards_red == ("p12", "p24")
    assert change.newly_rated == ("p27", "p28", "p29", "p30", "p31", "p32")
    # Every team: the other team's young person is in the spread too.
    assert rag_change(rows, WEEK.start, WEEK.end).spread["red"] == tuple(sorted([*RED, "q0"]))


def _seed(profile: Profile) -> dict[str, str]:
    ids: dict[str, str] = {}
    for pid, rating, at, team in _fixture():
        if pid not in ids:
            ids[pid] = profile.records.save(YoungPerson(first_name=pid, team_id=team)).id
        profile.records.save(RagRating(person_id=ids[pid], rating=rating, set_at=at, team_id=team, reason="test"))
    return ids


def test_the_weekly_figures_and_the_board_carry_the_spread_and_movement(profile: Profile) -> None:
    ids = _seed(profile)
    named = {v: k for k, v in ids.items()}
    report = weekly_report(profile.db, WEEK, team_id="team-1", now=AFTER)
    assert sorted(named[i] for i in report.figure("rag_red").ids) == RED
    assert report.figure("rag_amber").value == 14 and report.figure("rag_green").value == 7
    assert report.figure("rag_red").note == "36% of the 33 rated"
    assert report.figure("rag_amber").note == "42% of the 33 rated"
    assert report.figure("rag_green").note == "21% of the 33 rated"
    assert sorted(named[i] for i in report.figure("rag_towards_green").ids) == ["p0", "p1"]
    assert sorted(named[i] for i in report.figure("rag_towards_red").ids) == ["p12", "p24"]

    # The board's quarter (January to March): everyone rated by 31 March, moved since 1 January (no one was rated
    # then, so all are newly rated); p3 went green on 20 March.
    board = board_summary(profile.db, Period(date(2026, 1, 1), date(2026, 3, 31)), team_id="team-1", now=APRIL)
    assert board.figure("rag_green").value == 8 and board.figure("rag_red").value == 11
    assert board.figure("rag_newly_rated").value == 33 and board.figure("rag_towards_green").value == 0
    # A quarter from 10 March: p0 and p1 moved towards green, and p3 too (red on 10 March, green on 20 March).
    board = board_summary(profile.db, Period(date(2026, 3, 10), date(2026, 3, 31)), team_id="team-1", now=APRIL)
    assert sorted(named[i] for i in board.figure("rag_towards_green").ids) == ["p0", "p1", "p3"]


def test_sessions_by_core_activity_hand_counted(profile: Profile) -> None:
    """The strategy's core activities, counted over the week's delivered sessions: s1 prevention and engagement, s2
    engagement, s3 a draft tagged support (not delivered, not counted). Prevention 1, engagement 2."""
    from youthwork.domain.records import Session

    def session(status: str, activities: list[str], day: int) -> Session:
        start = datetime(2026, 3, day, 18, tzinfo=UTC)
        return profile.records.save(
            Session(
                team_id="team-1",
                status=status,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                core_activities=activities,
            )
        )

    s1 = session("submitted", ["prevention", "engagement"], 10)
    s2 = session("approved", ["engagement"], 11)
    session("draft", ["support"], 12)
    report = weekly_report(profile.db, WEEK, team_id="team-1", now=AFTER)
    assert report.figure("sessions_by_activity.prevention").ids == (s1.id,)
    assert set(report.figure("sessions_by_activity.engagement").ids) == {s1.id, s2.id}
    assert "sessions_by_activity.support" not in report.values()


def test_referrals_by_risk_indicator_hand_counted(profile: Profile) -> None:
    """Referrals made in the week by the concerns they carry: r1 CCE and gang, r2 CCE, r3 a draft about a weapon (not
    made, not counted). CCE 2, gang 1."""
    from youthwork.domain.referrals import Referral

    def referral(status: str, risks: list[str], day: int) -> Referral:
        return profile.records.save(
            Referral(
                team_id="team-1",
                person_id="p",
                to_agency="tys",
                status=status,
                reason="r",
                risk_indicators=risks,
                sent_at=datetime(2026, 3, day, 12, tzinfo=UTC) if status != "draft" else None,
            )
        )

    r1 = referral("sent", ["cce", "gang"], 10)
    r2 = referral("accepted", ["cce"], 11)
    referral("draft", ["weapon"], 12)
    report = weekly_report(profile.db, WEEK, team_id="team-1", now=AFTER)
    assert set(report.figure("referrals_by_risk.cce").ids) == {r1.id, r2.id}
    assert report.figure("referrals_by_risk.gang").ids == (r1.id,)
    assert "referrals_by_risk.weapon" not in report.values()
