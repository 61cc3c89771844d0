from __future__ import annotations

import pytest

from youthwork.domain.hlc import ClockError, HybridLogicalClock, Timestamp


class FakeWall:
    """A wall clock the test moves by hand (including backwards, as NTP can)."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_monotonic_even_when_the_wall_clock_steps_back():
    wall = FakeWall(1_000_000)
    clock = HybridLogicalClock("a", wall=wall)
    t1 = clock.now()
    wall.ms -= 5_000
    t2 = clock.now()
    t3 = clock.now()
    assert t1 < t2 < t3
    assert str(t1) < str(t2) < str(t3)  # text sorts like the tuple
    assert Timestamp.parse(str(t3)) == t3


def test_update_moves_past_a_remote_time_and_refuses_one_far_ahead():
    wall = FakeWall(1_000_000)
    clock = HybridLogicalClock("a", wall=wall, max_drift_ms=60_000)
    remote = Timestamp(1_030_000, 4, "b")
    merged = clock.update(str(remote))
    assert merged > remote and clock.now() > merged
    with pytest.raises(ClockError):
        clock.update(Timestamp(wall.ms + 120_000, 0, "b"))
    with pytest.raises(ClockError):
        Timestamp.parse("garbage")
