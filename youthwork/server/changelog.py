"""The change log devices pull from, appended so that sequence order is commit order.

PostgreSQL hands out sequence numbers when rows are inserted, not when they commit: a transaction holding seq 10 can
commit after one holding seq 11, and a reader who saw 11 would step past 10 for ever. So every append takes a
transaction-level advisory lock first, held until commit: change-log writers commit one at a time, in sequence order.
A device only ever reads its own team's rows (pull filters on team_id), so the order only matters within a team: the
lock is per team (a push writing for several teams takes each, in one fixed order), and teams don't queue behind
each other. (Only the append and commit are serialised; the rest of a push runs concurrently.) SQLite has one writer
anyway.
"""

from __future__ import annotations

import zlib
from typing import Any

import sqlalchemy as sa

from youthwork.domain.protocol import MAX_ID
from youthwork.server import schema as t
from youthwork.server.bulk import bulk_insert

# Any fixed 64-bit key; advisory locks are per database, so other databases on the cluster don't contend.
CHANGE_LOG_LOCK = 0x79_6F_75_74_68_77_6B  # "youthwk"
# The per-team locks: (this 32-bit class, a 31-bit hash of the team id). Two teams sharing a hash just share a lock.
TEAM_LOG_LOCK = 0x79_77_6C_67  # "ywlg"


def lock_log(conn: sa.Connection, team_ids: set[str] | None = None) -> None:
    """Take the change-log lock for these teams (all of the log when None), held until commit."""
    if conn.dialect.name != "postgresql":
        return
    if team_ids is None:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHANGE_LOG_LOCK})
        return
    # Sorted numerically, so two pushes for the same teams always lock in the same order (no deadlock).
    for key in sorted({zlib.crc32(team.encode("utf-8")) & 0x7FFF_FFFF for team in team_ids}):
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:c, :k)"), {"c": TEAM_LOG_LOCK, "k": key})


def append(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Append rows (team_id, table_name, record_id, op, version, fields, device_id, created_at); the caller commits."""
    if not rows:
        return
    lock_log(conn, {str(r["team_id"]) for r in rows})
    bulk_insert(conn, t.change_log, rows)


def encode_cursor(seq: int) -> str:
    return f"c1.{seq:x}"


def decode_cursor(cursor: str | None) -> int | None:
    """The sequence number behind a cursor; None if the cursor is not one of ours."""
    if not cursor:
        return 0
    prefix, _, rest = cursor.partition(".")
    if prefix != "c1" or not rest or len(rest) > 16:
        return None
    try:
        seq = int(rest, 16)
    except ValueError:
        return None
    return seq if seq <= MAX_ID else None  # beyond any sequence number handed out (and 2**63 breaks SQLite)
