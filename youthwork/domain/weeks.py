"""ISO weeks in UK time: Monday 00:00 to the next Monday 00:00, Europe/London.

A week that spans a clock change is 167 hours (spring forward) or 169 hours (fall back) long; bounds are computed
from local midnights, never by adding 168 hours.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from youthwork.domain.errors import ShownError

log = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


class BadWeek(ShownError, ValueError):
    """A week given in a form we can't read; the message is for a youth worker."""


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        m = _WEEK.match(text or "")
        if not m:
            raise BadWeek(f"“{text}” is not a week. Write it like 2026-W47 (year, W, week number).")
        year, week = int(m.group(1)), int(m.group(2))
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise BadWeek(f"{year} has no week {week}.") from None
        return cls(year, week)

    @classmethod
    def containing(cls, when: date | datetime) -> IsoWeek:
        if isinstance(when, datetime):
            when = (when.astimezone(LONDON) if when.tzinfo else when).date()
        y, w, _ = when.isocalendar()
        return cls(y, w)

    @classmethod
    def current(cls) -> IsoWeek:
        return cls.containing(datetime.now(UTC))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return _bounds(self.year, self.week)[0]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def start(self) -> datetime:
        """Monday 00:00 UK time, as an aware datetime."""
        return _bounds(self.year, self.week)[1]

    @property
    def end(self) -> datetime:
        """The next Monday 00:00 UK time (exclusive)."""
        return _bounds(self.year, self.week)[2]

    @property
    def hours(self) -> float:
        return (self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds() / 3600

    def contains(self, when: datetime | None) -> bool:
        if when is None:
            return False
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        start, end = _utc_bounds(self.year, self.week)
        return start <= when < end

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.containing(self.monday + timedelta(weeks=weeks))

    def label(self) -> str:
        """“Week 47: 16–22 Nov 2026”."""
        a, b = self.monday, self.sunday
        left = f"{a.day} {a:%b}" + (f" {a.year}" if a.year != b.year else "")
        return f"Week {self.week}: {left}–{b.day} {b:%b} {b.year}"


@cache
def _bounds(year: int, week: int) -> tuple[date, datetime, datetime]:
    """Monday, and the UK-time start and (exclusive) end of an ISO week; asked for thousands of times per report."""
    monday = date.fromisocalendar(year, week, 1)
    start = datetime.combine(monday, time(0), tzinfo=LONDON)
    return monday, start, datetime.combine(monday + timedelta(days=7), time(0), tzinfo=LONDON)


@cache
def _utc_bounds(year: int, week: int) -> tuple[datetime, datetime]:
    """The same instants as a week's start and end, in UTC: comparing an aware time with a Europe/London one asks
    the zone for its offset every time (about 30 times slower), and a quarter's figures compare tens of thousands."""
    _, start, end = _bounds(year, week)
    return start.astimezone(UTC), end.astimezone(UTC)


@lru_cache(maxsize=64)
def _period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """A period's first and after-last UK midnights, worked out once: a quarter's figures test tens of thousands of
    rows against them."""
    return datetime.combine(first, time(0), tzinfo=LONDON), datetime.combine(
        last + timedelta(days=1), time(0), tzinfo=LONDON
    )


@lru_cache(maxsize=64)
def _period_utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start, end = _period_bounds(first, last)
    return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Period:
    """Any span of whole UK days [first, last], e.g. a quarter for the board summary."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return _period_bounds(self.first, self.last)[0]

    @property
    def end(self) -> datetime:
        return _period_bounds(self.first, self.last)[1]

    def contains(self, when: datetime | None) -> bool:
        if when is None:
            return False
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        start, end = _period_utc_bounds(self.first, self.last)
        return start <= when < end

    @property
    def monday(self) -> date:
        """The day ages are worked out on (the first day), as for a week."""
        return self.first

    @property
    def hours(self) -> float:
        return (self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds() / 3600

    def __str__(self) -> str:
        return f"{self.first.isoformat()}/{self.last.isoformat()}"

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def quarter(cls, year: int, q: int) -> Period:
        if q not in (1, 2, 3, 4):
            raise BadWeek(f"There is no quarter {q}: use 1 to 4.")
        first = date(year, 3 * q - 2, 1)
        last = date(year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)
        return cls(first, last)

    @classmethod
    def parse_quarter(cls, text: str) -> Period:
        """A calendar quarter written as 2026-Q3 (July to September 2026)."""
        m = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*", text or "")
        if m is None:
            raise BadWeek(f"“{text}” is not a quarter: write it like 2026-Q3.")
        return cls.quarter(int(m.group(1)), int(m.group(2)))

    def previous(self) -> Period:
        """The calendar quarter before this one's first day."""
        return Period.quarter_of(self.first - timedelta(days=1))

    def quarter_code(self) -> str:
        """2026-Q3 for a calendar quarter (the board pack's file names)."""
        return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"

    def label(self) -> str:
        return f"{self.first:%-d %b %Y} to {self.last:%-d %b %Y}"
