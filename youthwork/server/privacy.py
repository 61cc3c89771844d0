"""Privacy rules on the central service: erasure carried out on the server, and no new records about an erased person.

An `Erasure` tombstone (a record type whose policy `erases`) is accepted only from a supervisor of the team that owns
the young person, and only for an id that is a young person's record. It erases (tombstones: data reduced to id and
team, a delete in the change log for every team that had it) or, for anonymisation, blanks what the erasing team
owns about the person; shares of the person and conflict copies that may hold old values are removed. What other
teams own about the person is never deleted by someone else: each such team gets an `ErasureReview` for its
supervisors, who may then erase their own team's records (an erasure for a person already erased by their owner).
The tombstone goes to every team whose copies were erased, so each laptop erases what only it held.
After that, a change that would bring back or add to the person's records is rejected with a reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from youthwork.domain.codec import to_dict
from youthwork.domain.policy import POLICIES, RecordPolicy
from youthwork.domain.privacy import (
    REVIEW_OPEN,
    ChainProblem,
    ErasureMode,
    ErasureReview,
    LegalHold,
    anonymised,
    verify_entries,
)
from youthwork.domain.privacy import records_about as walk_records_about
from youthwork.server import schema as t
from youthwork.server import scope
from youthwork.server.batch import Batch, Rec, Rejected

log = logging.getLogger(__name__)

_CHUNK = 500


def _data_field(name: str) -> Any:
    return t.records.c.data[name].as_string()


def person_of(p: RecordPolicy, data: dict[str, Any]) -> str:
    """The young person a record is about, by the field its policy names ("" if none)."""
    return str(data.get(p.person_field) or "") if p.person_field else ""


def active_hold(conn: sa.Connection, person_id: str) -> bool:
    rows = conn.execute(
        sa.select(t.records.c.data).where(
            t.records.c.table_name == LegalHold.TABLE,
            t.records.c.deleted.is_(False),
            _data_field("person_id") == person_id,
        )
    )
    return any(not (row.data or {}).get("lifted_at") for row in rows)


def check(batch: Batch, p: RecordPolicy, rec: Rec | None, merged: dict[str, Any]) -> list[Callable[[], None]]:
    """Called for every accepted upsert before it is written: rejects changes about an erased person, and for a new
    erasure returns the effect that carries it out."""
    rule = p.erases
    if rule is not None:
        if rec is not None:
            return []  # already applied: tombstones are append-only
        caller = batch.caller
        if caller.role not in rule.roles:
            raise Rejected("Only a supervisor can erase or anonymise a young person's records.")
        person_id = str(merged.get(rule.person_field) or "")
        person = batch.get(scope.PEOPLE, person_id) if person_id else None
        if person is None:
            raise Rejected("That id isn't a young person's record on the server, so there is nothing to erase.")
        if person.team_id != caller.team_id and not (person.deleted or batch.is_erased(person_id)):
            raise Rejected("That young person's record belongs to another team, so that team must erase it.")
        if active_hold(batch.conn, person_id):
            raise Rejected("These records are under a legal hold, so they can't be erased.")
        mode = str(merged.get(rule.mode_field) or ErasureMode.ERASE.value)
        return [lambda: erase(batch, person_id, mode, (p.table, str(merged["id"])))]
    if p.kept_on_erasure:
        return []
    person_id = person_of(p, merged)
    if person_id and batch.is_erased(person_id):
        raise Rejected("This young person's records have been erased, so the change was not saved.")
    return []


def lapsed(p: RecordPolicy, data: dict[str, Any], today: date) -> bool:
    """Whether the record's declared lapse date has passed (ISO dates compare as text)."""
    value = data.get(p.lapses) if p.lapses else None
    return isinstance(value, str) and bool(value) and value < today.isoformat()


def check_lapse(p: RecordPolicy, merged: dict[str, Any], today: date) -> None:
    if lapsed(p, merged, today):
        raise Rejected(
            f"These {p.label} are past their review date, so they have lapsed and are erased. "
            "If it still stands, record it again with a new review date."
        )


def erase_lapsed(batch: Batch, today: date) -> int:
    """Erase every record on the service past its declared lapse date: a tombstone to every team that had it."""
    keys: list[tuple[str, str]] = []
    for p in POLICIES.values():
        if not p.lapses:
            continue
        due = _data_field(p.lapses)
        rows = batch.conn.execute(
            sa.select(t.records.c.record_id).where(
                t.records.c.table_name == p.table,
                t.records.c.deleted.is_(False),
                due.is_not(None),
                due != "",
                due < today.isoformat(),
            )
        )
        keys += [(p.table, r.record_id) for r in rows]
    if not keys:
        return 0
    batch.load(keys)
    for table, rid in keys:
        rec = batch.get(table, rid)
        if rec is None or rec.deleted:
            continue
        batch.tombstone(rec, teams=batch.audience(rec) | {rec.team_id})
    _drop_conflicts(batch.conn, keys)
    log.info("%d lapsed records erased on the server", len(keys))
    return len(keys)


def records_about(conn: sa.Connection, person_id: str) -> list[tuple[str, str, str]]:
    """(table, record id, owning team) of every live record on the server about one young person (the walk the
    declarations give, over the records table)."""
    teams: dict[tuple[str, str], str] = {}

    def lookup(table: str, name: str, values: Sequence[str]) -> list[str]:
        column = t.records.c.record_id if name == "id" else _data_field(name)
        rows = conn.execute(
            sa.select(t.records.c.record_id, t.records.c.team_id).where(
                t.records.c.table_name == table, t.records.c.deleted.is_(False), column.in_(list(values))
            )
        )
        hits = [(r.record_id, r.team_id) for r in rows]
        teams.update({(table, rid): team for rid, team in hits})
        return [rid for rid, _team in hits]

    found = walk_records_about(person_id, lookup)
    return sorted((table, rid, teams[(table, rid)]) for table, ids in found.items() for rid in ids)


def erase(batch: Batch, person_id: str, mode: str, erasure: tuple[str, str]) -> None:
    """Erase or anonymise what the erasing team owns about the person; other teams get a review item."""
    anonymise = mode == ErasureMode.ANONYMISE
    team = batch.caller.team_id
    batch.mark_erased(person_id)  # later changes in this batch are refused too
    about = records_about(batch.conn, person_id)
    mine = [(table, rid) for table, rid, owner in about if owner == team]
    theirs: dict[str, set[str]] = {}
    for table, _rid, owner in about:
        if owner != team:
            theirs.setdefault(owner, set()).add(table)
    batch.load(mine)
    reached: set[str] = set()
    for table, rid in mine:
        rec = batch.get(table, rid)
        if rec is None or rec.deleted:
            continue
        p = POLICIES[table]
        teams = batch.audience(rec) | {rec.team_id}
        reached |= teams
        if anonymise and p.anonymised_keeps is not None:
            blank = anonymised(p.cls, rec.data)
            batch.write(rec, blank, [n for n in blank if blank[n] != rec.data.get(n)], teams=teams)
        else:
            batch.tombstone(rec, teams=teams)
    if not anonymise:
        batch.unshare_person(person_id)
    _drop_conflicts(batch.conn, mine)
    for other, tables in sorted(theirs.items()):
        _review(batch, other, person_id, erasure[1], mode, tables)
    tomb = batch.get(*erasure)
    if tomb is not None:
        # Not to a team that still holds records of its own about the person: its laptops would erase them too.
        others = reached - {tomb.team_id} - set(theirs)
        if others:
            batch.log(tomb, "upsert", [], teams=others)
    log.info("erasure applied on the server: %d records, %d teams to review", len(mine), len(theirs))


def _review(batch: Batch, team: str, person_id: str, erasure_id: str, mode: str, tables: set[str]) -> None:
    """A review item for another team's supervisors: records of theirs are about a person who was erased.

    One open item per team and person: a later erasure by a third team (deciding on its own records) adds the kinds
    it found to the item already waiting rather than asking again."""
    rows = batch.conn.execute(
        sa.select(t.records.c.record_id).where(
            t.records.c.table_name == ErasureReview.TABLE,
            t.records.c.team_id == team,
            t.records.c.deleted.is_(False),
            _data_field("person_id") == person_id,
            _data_field("status") == REVIEW_OPEN,
        )
    ).all()
    if rows:
        batch.load([(ErasureReview.TABLE, rows[0].record_id)])
        waiting = batch.get(ErasureReview.TABLE, rows[0].record_id)
        if waiting is not None:
            kinds = sorted(set(waiting.data.get("tables") or ()) | tables)
            if kinds != list(waiting.data.get("tables") or ()):
                batch.write(waiting, {**waiting.data, "tables": kinds}, ["tables"])
            return
    item = ErasureReview(
        team_id=team,
        created_by=batch.caller.user_id,
        person_id=person_id,
        erasure_id=erasure_id,
        mode=mode,
        tables=sorted(tables),
    )
    rec = batch.new_rec(ErasureReview.TABLE, item.id, team)
    data = to_dict(item)
    batch.write(rec, data, list(data))


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
