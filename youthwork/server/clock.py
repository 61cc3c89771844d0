"""The one fix-up SQLite needs for the service's times: it hands back naive datetimes (the clock itself is
youthwork.domain.clock.utc_now)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


@overload
def aware(value: datetime) -> datetime: ...


@overload
def aware(value: None) -> None: ...


def aware(value: datetime | None) -> datetime | None:
    """The same moment with UTC attached when the database handed it back without a zone (SQLite)."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
