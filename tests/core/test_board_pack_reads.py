"""The board pack's loader reads only the rows the quarter needs (youthwork.reports.board.board_input): these records
sit outside the quarter in tests/board_fixture.py's store and must still count the way the pure functions say."""

from __future__ import annotations

from datetime import UTC, date, datetime

from board_fixture import QUARTER, board_records

from youthwork.domain.ids import new_id
from youthwork.domain.outcomes import OutcomeRating
from youthwork.domain.records import RagRating
from youthwork.domain.weeks import Period
from youthwork.reports.board import board_summary
from youthwork.store.profile import Profile

NOW = datetime(2026, 12, 1, tzinfo=UTC)
Q3 = Period.parse_quarter(QUARTER)


def _rating(person: str, on: date, stage: str, scores: dict[str, int]) -> OutcomeRating:
    return OutcomeRating(
        id=new_id(),
        team_id="team-1",
        person_id=person,
        rated_on=on,
        stage=stage,
        programme="detached",
        scores=scores,
        rated_by="worker-1",
        created_by="worker-1",
    )


def test_distance_travelled_compares_with_a_start_rated_before_the_quarter(profile: Profile) -> None:
    ID, recs, _ = board_records("team-1", "worker-1")
    start = _rating(ID["C"], date(2026, 3, 2), "start", {"communication": 1})  # before the quarter
    review = _rating(ID["C"], date(2026, 8, 3), "review", {"communication": 3})  # in it
    earlier_only = _rating(ID["D"], date(2025, 11, 5), "start", {"communication": 2})  # never rated in the quarter
    red_before = RagRating(
        id=new_id(),
        team_id="team-1",
        person_id=ID["D"],
        rating="red",
        set_at=datetime(2026, 6, 29, 12, tzinfo=UTC),
        set_by="worker-1",
        reason="Supervision",
    )
    profile.records.bulk_insert([*recs, start, review, earlier_only, red_before])
    pack = board_summary(profile.db, Q3, now=NOW)
    detached = {o.programme: o for o in pack.outcomes}["detached"]
    assert sorted(detached.people) == sorted([ID["A"], ID["B"], ID["C"]])
    assert {start.id, review.id} <= set(detached.rating_ids) and earlier_only.id not in detached.rating_ids
    assert ID["C"] in detached.improved
    assert ID["D"] not in pack.point("rated_red").figure.ids
