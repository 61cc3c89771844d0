"""A first sync's rows loaded with the record tables' secondary indexes and derived-data triggers set aside.

Keeping an index or a trigger's derived table up to date row by row is most of the cost of writing a row: loading
112,000 rows took 1.8 s of CPU with them in place against 0.65 s without them and 0.2 s to build the same indexes
afterwards. So a laptop's first pull of a big dataset (see `youthwork.sync.engine`) calls `begin` before its first
page and `finish` after its last: `begin` keeps each set-aside object's SQL in `sync_state` and drops it, in one
transaction; `finish` builds the indexes again and recomputes each derived table from its base tables, then puts
the triggers back, in one transaction. Only what has a rebuild here is set aside: a trigger with none (a derived
table added later) stays and keeps working row by row; unique indexes stay (they are constraints).

Meanwhile the store answers every query, more slowly, and a name search finds only people already indexed. A crash
or a dropped connection leaves the note in `sync_state`: the next unlock finishes the load (`Profile.open`), and
finishing it twice is harmless. Pages keep committing a group at a time, so a crash loses whole pages only.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from youthwork.domain.records import RECORD_TYPES

if TYPE_CHECKING:
    from youthwork.store.database import Database

log = logging.getLogger(__name__)

NOTE = "load:set_aside"

# Derived data kept by triggers, by the prefix of its triggers' names: how to compute it whole from its base tables
# (as the migrations that made them first filled them; tests/sync/test_bulk_load.py holds each rebuild equal to
# what its triggers keep, so a trigger changed without its rebuild fails there).
REBUILDS: dict[str, tuple[str, ...]] = {
    "people_fts_": ("INSERT INTO people_fts(people_fts) VALUES ('rebuild')",),
    "people_risk_": (
        "DELETE FROM people_risk",
        "INSERT OR IGNORE INTO people_risk (indicator, rid) SELECT j.value, p.rid FROM people p,"
        " json_each(CASE WHEN json_valid(p.risk_indicators) THEN p.risk_indicators END) j",
    ),
    "first_attendance_": (
        "DELETE FROM first_attendance",
        "INSERT INTO first_attendance (person_id, starts_at) SELECT a.person_id, MIN(s.starts_at) FROM attendance a"
        " JOIN sessions s ON s.id = a.session_id WHERE s.starts_at IS NOT NULL GROUP BY a.person_id",
    ),
}


def _rebuild_of(trigger: str) -> str | None:
    return next((prefix for prefix in REBUILDS if trigger.startswith(prefix)), None)


def loading(db: Database) -> bool:
    return db.scalar("SELECT 1 FROM sync_state WHERE key = ?", (NOTE,)) is not None


def begin(db: Database) -> int:
    """Set aside the record tables' secondary indexes and rebuildable triggers; returns how many. Call inside a
    transaction (its own: the note and the drops commit together)."""
    assert db.in_transaction
    if loading(db):
        return 0
    tables = sorted({cls.TABLE for cls in RECORD_TYPES.values()})
    marks = ", ".join("?" * len(tables))
    objects = [
        (kind, name, sql)
        for kind, name, sql in db.query(
            f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({marks}) AND type IN ('index', 'trigger')"
            " AND sql IS NOT NULL ORDER BY type, name",
            tables,
        )
        if (kind == "index" and not sql.lstrip().upper().startswith("CREATE UNIQUE"))
        or (kind == "trigger" and _rebuild_of(name) is not None)
    ]
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, ?)", (NOTE, json.dumps(objects)))
    for kind, name, _sql in objects:
        db.execute(f'DROP {kind.upper()} "{name}"')
    log.info("first sync: %d indexes and triggers set aside", len(objects))
    return len(objects)


def finish(db: Database) -> bool:
    """Put back what `begin` set aside, with the derived tables recomputed; False if nothing was. Call inside a
    transaction."""
    assert db.in_transaction
    note = db.scalar("SELECT value FROM sync_state WHERE key = ?", (NOTE,))
    if note is None:
        return False
    objects = [tuple(o) for o in json.loads(note)]
    present = {name for (name,) in db.query("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')")}
    for kind, name, sql in objects:
        if kind == "index" and name not in present:
            db.execute(sql)
    for prefix in sorted({p for kind, name, _sql in objects if kind == "trigger" and (p := _rebuild_of(name))}):
        for statement in REBUILDS[prefix]:
            db.execute(statement)
    for kind, name, sql in objects:
        if kind == "trigger" and name not in present:
            db.execute(sql)
    db.execute("DELETE FROM sync_state WHERE key = ?", (NOTE,))
    log.info("first sync: %d indexes and triggers back", len(objects))
    return True
