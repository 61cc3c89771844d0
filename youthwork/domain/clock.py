"""The one clock: now, in UTC, to the millisecond. The laptop, the sync client and the service all read it here."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    # Millisecond precision: the same instant survives a round trip through JSON, SQLite and PostgreSQL.
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
