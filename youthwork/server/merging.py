"""Merges of two young people's records on the central service, from the declared `Merges` part of a policy.

A new merge (from a team that owns both records: its links say so) is carried out in the push that brings it: the
survivor takes the chosen values; every live record naming the merged-away person by a declared person link, of any
type and any team, names the survivor instead (and goes to its audience again); the merged-away person's shares move
to the survivor; the merged-away record is tombstoned; what undoing needs is written on the merge record.
After that, a change from a laptop that had not heard is carried, not lost: a record naming the merged-away person
names the survivor (`redirect`), and an edit of the merged-away record is applied to the survivor, each field the two
records disagree on becoming a conflict in the conflicts list (`carried`).
Undoing (status `undone`) is refused after `undo_days`, or once anything about either has changed since the merge.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from youthwork.domain.codec import encode_value
from youthwork.domain.policy import META_FIELDS, POLICIES, Merges, RecordPolicy
from youthwork.domain.privacy import person_links
from youthwork.domain.protocol import Change, FieldConflict
from youthwork.server import schema as t
from youthwork.server import scope
from youthwork.server.batch import Batch, Rec, Rejected
from youthwork.server.bulk import one_of
from youthwork.server.merge import Merged

log = logging.getLogger(__name__)

Effect = Callable[[], None]
_CHUNK = 500
_SHARE = "shares"  # a `moved` entry for a share: "shares:<team>:<source>"


def _data_field(name: str) -> Any:
    return t.records.c.data[name].as_string()


def merge_policies() -> list[RecordPolicy]:
    return [p for p in POLICIES.values() if p.merges is not None]


def carried_links() -> list[tuple[str, str]]:
    """(table, field) of every declared link into young people's records a merge re-points (not merges themselves)."""
    merging = {p.table for p in merge_policies()}
    return [(table, name) for table, name in person_links().get(scope.PEOPLE, []) if table not in merging]


# -- where a merged-away person went --------------------------------------------------------------------------------


def preload(batch: Batch, person_ids: Iterable[str]) -> None:
    """Find, in one query per chunk, which of these young people were merged away (and into whom)."""
    wanted = sorted({p for p in person_ids if p and p not in batch.survivors})
    for policy in merge_policies():
        rule = policy.merges
        assert rule is not None
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            rows = batch.conn.execute(
                sa.select(t.records.c.data).where(
                    t.records.c.table_name == policy.table,
                    t.records.c.deleted.is_(False),
                    one_of(batch.conn, _data_field(rule.from_field), chunk),
                )
            )
            for row in rows:
                data = dict(row.data)
                if data.get(rule.status_field) == rule.merged and data.get(rule.kept_field) is not None:
                    batch.survivors[str(data[rule.from_field])] = data
    for pid in wanted:
        batch.survivors.setdefault(pid, None)


def merge_of(batch: Batch, person_id: str) -> dict[str, Any] | None:
    """The merge that took this young person's record away (its data), or None."""
    if person_id not in batch.survivors:
        preload(batch, [person_id])
    return batch.survivors[person_id]


def survivor(batch: Batch, person_id: str) -> str | None:
    """Who a merged-away young person is now (following merges of merges), or None if they were never merged away."""
    seen = {person_id}
    current = person_id
    while (found := merge_of(batch, current)) is not None:
        rule = _rule()
        nxt = str(found.get(rule.into_field) or "")
        if not nxt or nxt in seen:
            break
        seen.add(nxt)
        current = nxt
    return None if current == person_id else current


def _rule() -> Merges:
    rule = merge_policies()[0].merges
    assert rule is not None
    return rule


def redirect(batch: Batch, changes: Iterable[Change]) -> None:
    """Changes naming a merged-away person (a register made offline) name the survivor instead."""
    links: dict[str, list[str]] = {}
    for table, name in carried_links():
        links.setdefault(table, []).append(name)
    changes = [c for c in changes if c.table in links]
    preload(batch, (str(c.fields.get(n) or "") for c in changes for n in links[c.table]))
    for c in changes:
        for name in links[c.table]:
            value = c.fields.get(name)
            if isinstance(value, str) and value and (to := survivor(batch, value)) is not None:
                c.fields[name] = to


def carried(p: RecordPolicy, survivor_rec: Rec, incoming: dict[str, Any], snapshot: dict[str, Any]) -> Merged:
    """An edit of the merged-away record, applied to the survivor. Where the survivor still holds what the merged-away
    record held, the edit simply applies; where they disagree, it is a conflict (decided as any other: the incoming
    value, or for a safety-critical field the survivor's, stays, and the other waits in the conflicts list)."""
    out = Merged(dict(survivor_rec.data), set())
    safety = p.safety_critical()
    for name, value in incoming.items():
        if name in META_FIELDS or name == "id":
            continue
        current = survivor_rec.data.get(name)
        if value == current:
            continue
        if current != snapshot.get(name, current):
            kept = "server" if name in safety else "incoming"
            out.conflicts.append(FieldConflict(field=name, server_value=current, incoming_value=value, kept=kept))
            if kept == "server":
                continue
        out.data[name] = value
        out.changed.add(name)
    if out.changed and "updated_at" in incoming:
        out.data["updated_at"] = incoming["updated_at"]
        out.changed.add("updated_at")
    return out


# -- the rules ------------------------------------------------------------------------------------------------------

_UNDO_WRITES = frozenset({"status", "undone_by", "undone_at"}) | META_FIELDS


def check(
    batch: Batch, p: RecordPolicy, rec: Rec | None, incoming: dict[str, Any], merged: dict[str, Any]
) -> list[Effect]:
    """A merge, or its undoing, as the declaration allows; returns the effect that carries it out."""
    rule = p.merges
    if rule is None:
        return []
    was = rec.data if rec is not None else scope.defaults(p.table)
    if any(f in incoming and incoming[f] != was.get(f) for f in rule.service_fields):
        raise Rejected("The service fills in what a merge moved; a laptop can't set it.")
    if rec is None:
        return [_new_merge(batch, p, rule, merged)]
    if rec.data.get(rule.status_field) == rule.undone:
        if any(merged.get(f) != rec.data.get(f) for f in merged if f not in META_FIELDS):
            raise Rejected("This merge was undone. Merge the records again if they are the same young person.")
        return []
    unexpected = sorted(f for f in incoming if incoming[f] != rec.data.get(f) and f not in _UNDO_WRITES)
    if unexpected:
        raise Rejected("A merge can't be changed: undo it, then merge again.")
    if merged.get(rule.status_field) != rule.undone:
        return []
    return [_undo(batch, p, rule, rec)]


def _new_merge(batch: Batch, p: RecordPolicy, rule: Merges, merged: dict[str, Any]) -> Effect:
    caller = batch.caller
    if merged.get(rule.status_field) != rule.merged:
        raise Rejected("A merge is recorded as merged; undo it afterwards if it was wrong.")
    if caller.role not in rule.roles_without_reason and not str(merged.get(rule.reason_field) or "").strip():
        raise Rejected("Say why these two records are the same young person: a supervisor can merge without a reason.")
    people = POLICIES[scope.PEOPLE]
    kept = merged.get(rule.kept_field) or {}
    if not isinstance(kept, dict):
        raise Rejected("The chosen details of a merge could not be read.")
    hidden = sorted(set(kept) - people.writable(caller.role))
    if hidden:
        raise Rejected(f"Your role can't choose these details of a young person's record: {', '.join(hidden)}.")
    from_id, into_id = str(merged.get(rule.from_field) or ""), str(merged.get(rule.into_field) or "")
    if merge_of(batch, from_id) is not None or survivor(batch, into_id) is not None:
        raise Rejected("One of these records has already been merged into another. Sync, then look again.")
    return lambda: _carry_out(batch, p, rule, str(merged["id"]), from_id, into_id, kept)


def _carry_out(
    batch: Batch, p: RecordPolicy, rule: Merges, merge_id: str, from_id: str, into_id: str, kept: dict[str, Any]
) -> None:
    gone, stays = batch.get(scope.PEOPLE, from_id), batch.get(scope.PEOPLE, into_id)
    assert gone is not None and stays is not None, "the links were checked"
    snapshot = dict(gone.data)
    before = {name: stays.data.get(name) for name in kept}
    changed = [name for name in kept if stays.data.get(name) != kept[name]]
    if changed:
        batch.write(stays, dict(stays.data, **{name: kept[name] for name in changed}), changed)
    moved: list[str] = []
    for table, name in carried_links():
        for rec in _linking(batch, table, name, [from_id]):
            batch.write(rec, dict(rec.data, **{name: into_id}), [name])
            moved.append(f"{table}:{rec.record_id}:{name}")
    for team, source in sorted(batch.shares_of(from_id)):
        fields = batch.shares_of(from_id)[(team, source)]
        if team != stays.team_id:
            batch.share(scope.Share(scope.PEOPLE, into_id, team, source, fields))
        moved.append(f"{_SHARE}:{team}:{source}")
    teams = batch.audience(gone) | {gone.team_id}
    batch.unshare_person(from_id)
    batch.tombstone(gone, teams=teams)
    batch.survivors[from_id] = {rule.from_field: from_id, rule.into_field: into_id, rule.status_field: rule.merged}
    record = batch.get(p.table, merge_id)
    assert record is not None
    service = {"applied_at": encode_value(batch.now), "snapshot": snapshot, "before": before, "moved": moved}
    batch.write(record, dict(record.data, **service), list(service))
    log.info("merge applied on the server: %d records moved", len(moved))


def _linking(batch: Batch, table: str, name: str, person_ids: list[str]) -> list[Rec]:
    rows = batch.conn.execute(
        sa.select(t.records.c.record_id).where(
            t.records.c.table_name == table,
            t.records.c.deleted.is_(False),
            one_of(batch.conn, _data_field(name), person_ids),
        )
    )
    ids = [r.record_id for r in rows]
    batch.load((table, rid) for rid in ids)
    return [rec for rid in ids if (rec := batch.live(table, rid)) is not None]


def _undo(batch: Batch, p: RecordPolicy, rule: Merges, rec: Rec) -> Effect:
    data = rec.data
    applied = datetime.fromisoformat(str(data.get("applied_at") or data.get("merged_at")))
    if batch.now > applied + timedelta(days=rule.undo_days):
        raise Rejected(f"A merge can be undone only within {rule.undo_days} days.")
    from_id, into_id = str(data[rule.from_field]), str(data[rule.into_field])
    if _changed_since(batch, into_id, applied):
        raise Rejected(
            "Something new has been recorded about this young person since the merge, so it can't be undone. "
            "Add a note instead, or ask a supervisor to correct the record."
        )
    return lambda: _put_back(batch, rule, data, from_id, into_id)


def _changed_since(batch: Batch, person_id: str, since: datetime) -> bool:
    """Whether the person's record, or any record naming them, changed on the service after `since`."""
    rows = [
        sa.select(t.records.c.updated_at).where(
            t.records.c.table_name == table,
            _data_field(name) == person_id,
            t.records.c.updated_at > since,
        )
        for table, name in carried_links()
    ]
    rows.append(
        sa.select(t.records.c.updated_at).where(
            t.records.c.table_name == scope.PEOPLE,
            t.records.c.record_id == person_id,
            t.records.c.updated_at > since,
        )
    )
    return batch.conn.execute(sa.union_all(*rows).limit(1)).first() is not None


def _put_back(batch: Batch, rule: Merges, data: dict[str, Any], from_id: str, into_id: str) -> None:
    gone = batch.get(scope.PEOPLE, from_id)
    stays = batch.get(scope.PEOPLE, into_id)
    snapshot = dict(data.get("snapshot") or {})
    if gone is not None and snapshot:
        gone.deleted = False
        batch.write(gone, snapshot, list(snapshot))
    before = dict(data.get("before") or {})
    if stays is not None and not stays.deleted:
        changed = [n for n in before if stays.data.get(n) != before[n]]
        if changed:
            batch.write(stays, dict(stays.data, **{n: before[n] for n in changed}), changed)
    for entry in data.get("moved") or []:
        kind, _, rest = str(entry).partition(":")
        if kind == _SHARE:
            team, _, source = rest.partition(":")
            fields = batch.shares_of(into_id).get((team, source))
            if fields is not None:
                batch.unshare(into_id, source)
                if gone is not None and gone.team_id != team:
                    batch.share(scope.Share(scope.PEOPLE, from_id, team, source, fields))
            continue
        rid, _, name = rest.partition(":")
        moved = batch.live(kind, rid)
        if moved is not None and moved.data.get(name) == into_id:
            batch.write(moved, dict(moved.data, **{name: from_id}), [name])
    batch.survivors[from_id] = None
    log.info("merge undone on the server")
