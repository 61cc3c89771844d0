"""Hybrid logical clock: orders a device's edits even when its wall clock stalls or steps back.

A timestamp is (wall milliseconds, counter, node). Its text form sorts the same way as the tuple, so the store can
keep it in a TEXT column and compare with plain string ordering.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

_WALL_DIGITS = 15
_COUNTER_DIGITS = 6
MAX_COUNTER = 10**_COUNTER_DIGITS - 1


class ClockError(ValueError):
    """A remote timestamp is unusable (malformed, or too far ahead of this clock)."""


@dataclass(frozen=True, order=True, slots=True)
class Timestamp:
    wall_ms: int
    counter: int = 0
    node: str = ""

    def __str__(self) -> str:
        return f"{self.wall_ms:0{_WALL_DIGITS}d}-{self.counter:0{_COUNTER_DIGITS}d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        try:
            wall, counter, node = text.split("-", 2)
            return cls(int(wall), int(counter), node)
        except (ValueError, AttributeError):
            raise ClockError(f"not a clock timestamp: {text!r}") from None


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridLogicalClock:
    """Thread-safe HLC. `now()` for a local event; `update(remote)` when a remote timestamp is received."""

    def __init__(
        self,
        node: str,
        *,
        last: Timestamp | None = None,
        wall: Callable[[], int] = _wall_ms,
        max_drift_ms: int = 300_000,
    ) -> None:
        self.node = node
        self._wall = wall
        self._max_drift_ms = max_drift_ms
        self._last = last or Timestamp(0, 0, node)
        self._lock = threading.Lock()

    @property
    def last(self) -> Timestamp:
        return self._last

    def now(self) -> Timestamp:
        with self._lock:
            wall = self._wall()
            if wall > self._last.wall_ms:
                ts = Timestamp(wall, 0, self.node)
            else:
                ts = self._bump(self._last.wall_ms, self._last.counter + 1)
            self._last = ts
            return ts

    def update(self, remote: Timestamp | str) -> Timestamp:
        """Merge a remote timestamp; refuses one further ahead of our wall clock than `max_drift_ms`."""
        if isinstance(remote, str):
            remote = Timestamp.parse(remote)
        with self._lock:
            wall = self._wall()
            if remote.wall_ms - wall > self._max_drift_ms:
                raise ClockError("the other clock is too far ahead of this computer's clock")
            top = max(wall, self._last.wall_ms, remote.wall_ms)
            if top == self._last.wall_ms == remote.wall_ms:
                counter = max(self._last.counter, remote.counter) + 1
            elif top == self._last.wall_ms:
                counter = self._last.counter + 1
            elif top == remote.wall_ms:
                counter = remote.counter + 1
            else:
                counter = 0
            ts = self._bump(top, counter)
            self._last = ts
            return ts

    def _bump(self, wall: int, counter: int) -> Timestamp:
        if counter > MAX_COUNTER:  # a million events in one millisecond: move the logical wall on instead
            return Timestamp(wall + 1, 0, self.node)
        return Timestamp(wall, counter, self.node)
