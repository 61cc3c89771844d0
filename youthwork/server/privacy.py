"""Privacy rules on the central service: erasure carried out on the server, and no new records about an erased person.

When an `Erasure` tombstone arrives in a push (from a supervisor), every record about the young person on the server
is erased (tombstoned: data reduced to its id and team, a delete in the change log for every team that had it) or,
for anonymisation, blanked; shares of the person, and conflict copies that may hold old values, are removed. The
tombstone itself goes to every team that had a record, so each of their laptops erases what only it held.
After that, a change that would bring back or add to the person's records is rejected with a reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from youthwork.domain.privacy import (
    ANONYMISED_KEEP,
    KEPT_ON_ERASURE,
    ChainProblem,
    Erasure,
    ErasureMode,
    LegalHold,
    anonymised,
    link_fields,
    verify_entries,
)
from youthwork.domain.records import RECORD_TYPES, Record
from youthwork.domain.vocab import Role
from youthwork.server import schema as t
from youthwork.server import scope

if TYPE_CHECKING:
    from youthwork.server.push import Batch, Rec

log = logging.getLogger(__name__)

# Roles that may erase or anonymise a young person (the retention review and erasure requests are signed off by them).
ERASING_ROLES = frozenset({Role.SUPERVISOR})
_CHUNK = 500


def _data_field(name: str) -> Any:
    return t.records.c.data[name].as_string()


def _rejected(message: str) -> Exception:
    from youthwork.server.push import Rejected  # push imports this module

    return Rejected(message)


def _person_of(cls: type[Record], data: dict[str, Any]) -> str:
    if cls.TABLE == scope.PEOPLE:
        return str(data.get("id") or "")
    return str(data.get("person_id") or "")


def erased(conn: sa.Connection, person_id: str) -> bool:
    row = conn.execute(
        sa.select(t.records.c.record_id)
        .where(t.records.c.table_name == Erasure.TABLE, _data_field("person_id") == person_id)
        .limit(1)
    ).first()
    return row is not None


def active_hold(conn: sa.Connection, person_id: str) -> bool:
    rows = conn.execute(
        sa.select(t.records.c.data).where(
            t.records.c.table_name == LegalHold.TABLE,
            t.records.c.deleted.is_(False),
            _data_field("person_id") == person_id,
        )
    )
    return any(not (row.data or {}).get("lifted_at") for row in rows)


def check(batch: Batch, cls: type[Record], rec: Rec | None, merged: dict[str, Any]) -> list[Callable[[], None]]:
    """Called for every accepted upsert before it is written: rejects changes about an erased person, and for a new
    Erasure returns the effect that carries it out."""
    if cls is Erasure:
        if rec is not None:
            return []  # already applied: tombstones are append-only
        if batch.caller.role not in ERASING_ROLES:
            raise _rejected("Only a supervisor can erase or anonymise a young person's records.")
        person_id = str(merged.get("person_id") or "")
        person = batch.get(scope.PEOPLE, person_id)
        if person is not None and person.team_id != batch.caller.team_id:
            raise _rejected("That young person's record belongs to another team, so that team must erase it.")
        if active_hold(batch.conn, person_id):
            raise _rejected("These records are under a legal hold, so they can't be erased.")
        return [lambda: erase(batch, merged)]
    if cls.TABLE in KEPT_ON_ERASURE:
        return []
    person_id = _person_of(cls, merged)
    if person_id and _is_erased(batch, person_id):
        raise _rejected("This young person's records have been erased, so the change was not saved.")
    return []


def preload_erased(batch: Batch, person_ids: Iterable[str]) -> None:
    """Answer `_is_erased` for a whole batch's young people with one query rather than one per change."""
    cache: dict[str, bool] = batch.__dict__.setdefault("_erased_people", {})
    wanted = sorted({p for p in person_ids if p and p not in cache})
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        found = set(
            batch.conn.execute(
                sa.select(_data_field("person_id")).where(
                    t.records.c.table_name == Erasure.TABLE, _data_field("person_id").in_(chunk)
                )
            ).scalars()
        )
        cache.update({p: p in found for p in chunk})


def _is_erased(batch: Batch, person_id: str) -> bool:
    cache: dict[str, bool] = batch.__dict__.setdefault("_erased_people", {})
    if person_id not in cache:
        cache[person_id] = erased(batch.conn, person_id)
    return cache[person_id]


def records_about(conn: sa.Connection, person_id: str) -> list[tuple[str, str]]:
    """(table, record id) of every live record on the server about one young person, following id links."""
    found: set[tuple[str, str]] = set()
    tables = {n: c for n, c in RECORD_TYPES.items() if n not in KEPT_ON_ERASURE}
    if conn.execute(
        sa.select(t.records.c.record_id).where(
            t.records.c.table_name == scope.PEOPLE, t.records.c.record_id == person_id
        )
    ).first():
        found.add((scope.PEOPLE, person_id))
    frontier = {person_id}
    while frontier:
        new: set[tuple[str, str]] = set()
        ids = sorted(frontier)
        for table, cls in tables.items():
            for name in link_fields(cls):
                for i in range(0, len(ids), _CHUNK):
                    rows = conn.execute(
                        sa.select(t.records.c.record_id).where(
                            t.records.c.table_name == table,
                            t.records.c.deleted.is_(False),
                            _data_field(name).in_(ids[i : i + _CHUNK]),
                        )
                    )
                    new |= {(table, r.record_id) for r in rows} - found
        found |= new
        frontier = {rid for _t, rid in new}
    return sorted(found)


def erase(batch: Batch, erasure: dict[str, Any]) -> None:
    person_id = str(erasure["person_id"])
    anonymise = erasure.get("mode") == ErasureMode.ANONYMISE
    batch.__dict__.setdefault("_erased_people", {})[person_id] = True  # later changes in this batch are refused too
    keys = records_about(batch.conn, person_id)
    batch.load(keys)
    shares = batch.shares_of(person_id)
    reached: set[str] = set()
    for table, rid in keys:
        rec = batch.get(table, rid)
        if rec is None or rec.deleted:
            continue
        cls = RECORD_TYPES[table]
        shared = {team for team, _source in shares} if table == scope.PEOPLE else set()
        teams = scope.audience(table, rec.data, shared, batch.parent_data) | {rec.team_id}
        reached |= teams
        rec.version += 1
        if anonymise and table in ANONYMISED_KEEP:
            blank = anonymised(cls, rec.data)
            changed = sorted(n for n in blank if blank[n] != rec.data.get(n))
            rec.data = blank
            for n in changed:
                rec.field_versions[n] = rec.version
                rec.field_devices[n] = batch.caller.device_id
            rec.dirty = True
            batch._log(rec, "upsert", changed, teams=teams)
        else:
            rec.deleted = True
            rec.data = {"id": rec.record_id, "team_id": rec.team_id}
            rec.field_versions = {}
            rec.field_devices = {}
            rec.dirty = True
            batch._log(rec, "delete", [], teams=teams)
    if not anonymise:
        batch.conn.execute(
            sa.delete(t.shares).where(t.shares.c.table_name == scope.PEOPLE, t.shares.c.record_id == person_id)
        )
        batch.shares[person_id] = {}
    _drop_conflicts(batch.conn, keys)
    tomb = batch.get(Erasure.TABLE, str(erasure["id"]))
    if tomb is not None:
        others = reached - {tomb.team_id}
        if others:
            batch._log(tomb, "upsert", [], teams=others)
    log.info("erasure applied on the server: %d records", len(keys))


def _drop_conflicts(conn: sa.Connection, keys: list[tuple[str, str]]) -> None:
    """Conflict copies keep old field values: remove them, and the values echoed in stored push results."""
    by_table: dict[str, list[str]] = {}
    for table, rid in keys:
        by_table.setdefault(table, []).append(rid)
    for table, ids in by_table.items():
        for i in range(0, len(ids), _CHUNK):
            cond = sa.and_(t.conflicts.c.table_name == table, t.conflicts.c.record_id.in_(ids[i : i + _CHUNK]))
            changes = conn.execute(sa.select(t.conflicts.c.device_id, t.conflicts.c.change_id).where(cond)).all()
            for device_id, change_id in changes:
                row = conn.execute(
                    sa.select(t.applied_changes.c.result).where(
                        t.applied_changes.c.device_id == device_id, t.applied_changes.c.change_id == change_id
                    )
                ).first()
                if row is not None:
                    result = dict(row.result)
                    result["conflicts"] = []
                    conn.execute(
                        t.applied_changes.update()
                        .where(t.applied_changes.c.device_id == device_id, t.applied_changes.c.change_id == change_id)
                        .values(result=result)
                    )
            conn.execute(sa.delete(t.conflicts).where(cond))


def verify_audit(conn: sa.Connection, team_id: str | None = None) -> list[ChainProblem]:
    """Check the hash chains of the audit entries the server holds (per device)."""
    query = sa.select(t.records.c.data).where(t.records.c.table_name == "audit_log")
    if team_id:
        query = query.where(t.records.c.team_id == team_id)
    return verify_entries(dict(r.data) for r in conn.execute(query))
