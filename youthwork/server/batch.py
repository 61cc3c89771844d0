"""One push's working set: the records it touches, the shares of the young people in it, and the rows to write.

Nothing here decides what is allowed (that is youthwork.server.rules, from the declared policies) or how fields merge
(youthwork.server.merge). The batch loads what a push needs in a few queries, lets the rules change records in
memory, and writes everything in `flush`, at the end of the push's one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from youthwork.domain.clock import utc_now
from youthwork.domain.privacy import Erasure
from youthwork.domain.protocol import ChangeResult
from youthwork.server import changelog, scope
from youthwork.server import schema as t
from youthwork.server.auth import Caller
from youthwork.server.bulk import bulk_insert, bulk_update, bulk_upsert, one_of

_CHUNK = 500

ShareKey = tuple[str, str]  # (team, source)


class Rejected(Exception):
    """A change refused on its own; the message says why, in words a youth worker understands."""


@dataclass(slots=True)
class Rec:
    table: str
    record_id: str
    team_id: str
    version: int
    deleted: bool
    data: dict[str, Any]
    field_versions: dict[str, int]
    # The device that wrote each version a field still carries: {"<version>": device}. (Written before December
    # 2026 by field, {field: device}; read either way, and kept by version from the record's next write.) A version
    # is one change from one device, so this says who set each field in one entry per change, not one per field:
    # a new record's map was half of what a push wrote.
    field_devices: dict[str, str]
    in_db: bool
    dirty: bool = False

    def device_of(self, name: str) -> str | None:
        """The device that last set field `name` (None: not known)."""
        version = self.field_versions.get(name)
        if version is None:
            return None
        return self.field_devices.get(str(version)) or self.field_devices.get(name)


def _data_field(name: str) -> Any:
    return t.records.c.data[name].as_string()


class Batch:
    """One push: a cache of the records it touches, and the rows to write at the end."""

    def __init__(self, conn: sa.Connection, caller: Caller) -> None:
        self.conn = conn
        self.caller = caller
        self.now = utc_now()
        self.lock_rows = conn.dialect.name == "postgresql"
        self.recs: dict[tuple[str, str], Rec | None] = {}
        # person id -> {(team, source): fields}; `share_writes` holds what this batch adds, changes or ends (None).
        self.shares: dict[str, dict[ShareKey, frozenset[str]]] = {}
        self.share_writes: dict[tuple[str, str, str, str], tuple[frozenset[str] | None, bool]] = {}
        self.log_rows: list[dict[str, Any]] = []
        self.conflict_rows: list[dict[str, Any]] = []
        self.applied: dict[str, ChangeResult] = {}
        self.new_applied: list[dict[str, Any]] = []
        self.chain_writes: dict[str, tuple[str, int, str]] = {}  # chain -> (user, seq, hash) of its new head
        self._chains: dict[str, tuple[str, int, str] | None] = {}
        self._teams: dict[str, str] | None = None
        self._users: dict[str, tuple[str, bool] | None] = {}
        self._erased: dict[str, bool] = {}
        # person id -> the merge that took their record away (its data), or None (youthwork.server.merging)
        self.survivors: dict[str, dict[str, Any] | None] = {}

    # -- loading --------------------------------------------------------------------------------------------------

    def load(self, keys: Iterable[tuple[str, str]]) -> None:
        wanted = sorted({k for k in keys if k not in self.recs})
        by_table: dict[str, list[str]] = defaultdict(list)
        for table, rid in wanted:
            by_table[table].append(rid)
            self.recs[(table, rid)] = None
        for table, ids in by_table.items():
            for i in range(0, len(ids), _CHUNK):
                query = sa.select(t.records).where(
                    t.records.c.table_name == table, one_of(self.conn, t.records.c.record_id, ids[i : i + _CHUNK])
                )
                if self.lock_rows:
                    query = query.order_by(t.records.c.record_id).with_for_update()
                for row in self.conn.execute(query):
                    self.recs[(table, row.record_id)] = Rec(
                        table,
                        row.record_id,
                        row.team_id,
                        row.version,
                        row.deleted,
                        dict(row.data),
                        dict(row.field_versions),
                        dict(row.field_devices),
                        in_db=True,
                    )

    def get(self, table: str, rid: str) -> Rec | None:
        if (table, rid) not in self.recs:
            self.load([(table, rid)])
        return self.recs[(table, rid)]

    def live(self, table: str, rid: Any) -> Rec | None:
        """The record if it is on the server and not deleted."""
        if not isinstance(rid, str) or not rid:
            return None
        rec = self.get(table, rid)
        return rec if rec is not None and not rec.deleted else None

    def joined(self, table: str, team_id: str, values: dict[str, str]) -> bool:
        """Whether a live record of `table` of the team has all these field values: as this batch leaves it (a
        register entry added earlier in the same push counts; one deleted or re-pointed in it does not)."""

        def matches(rec: Rec | None) -> bool:
            return (
                rec is not None
                and not rec.deleted
                and rec.team_id == team_id
                and all(rec.data.get(k) == v for k, v in values.items())
            )

        if any(key[0] == table and matches(rec) for key, rec in self.recs.items()):
            return True
        query = sa.select(t.records.c.record_id).where(
            t.records.c.team_id == team_id,
            t.records.c.table_name == table,
            t.records.c.deleted.is_(False),
            *(_data_field(k) == v for k, v in values.items()),
        )
        # In the database as it was before this push; what the push did to those records decides.
        return any((table, rid) not in self.recs for (rid,) in self.conn.execute(query))

    def new_rec(self, table: str, rid: str, team_id: str) -> Rec:
        rec = Rec(table, rid, team_id, 0, False, {}, {}, {}, in_db=False)
        self.recs[(table, rid)] = rec
        return rec

    def load_shares(self, person_ids: Iterable[str]) -> None:
        wanted = sorted({p for p in person_ids if p and p not in self.shares})
        for pid in wanted:
            self.shares[pid] = {}
        for i in range(0, len(wanted), _CHUNK):
            rows = self.conn.execute(
                sa.select(t.shares).where(
                    t.shares.c.table_name == scope.PEOPLE,
                    one_of(self.conn, t.shares.c.record_id, wanted[i : i + _CHUNK]),
                )
            )
            for row in rows:
                self.shares[row.record_id][(row.team_id, row.source)] = frozenset(row.fields)

    def shares_of(self, person_id: str) -> dict[ShareKey, frozenset[str]]:
        if person_id not in self.shares:
            self.load_shares([person_id])
        return self.shares[person_id]

    def shared_with(self, person_id: str, team_id: str) -> frozenset[str] | None:
        """The fields of a young person shared with a team (None: nothing shared)."""
        found = [fields for (team, _source), fields in self.shares_of(person_id).items() if team == team_id]
        return frozenset().union(*found) if found else None

    def teams(self) -> dict[str, str]:
        """Team id -> kind, for every team on the service."""
        if self._teams is None:
            self._teams = {row.id: row.kind for row in self.conn.execute(sa.select(t.teams.c.id, t.teams.c.kind))}
        return self._teams

    def user(self, user_id: str) -> tuple[str, bool] | None:
        """A user's (team id, active), or None if the service has no such user."""
        if user_id not in self._users:
            row = self.conn.execute(
                sa.select(t.users.c.team_id, t.users.c.active).where(t.users.c.id == user_id)
            ).first()
            self._users[user_id] = (row.team_id, bool(row.active)) if row else None
        return self._users[user_id]

    def parent_data(self, table: str, rid: str) -> dict[str, Any] | None:
        rec = self.get(table, rid) if rid else None
        return rec.data if rec else None

    # -- erased young people --------------------------------------------------------------------------------------

    def preload_erased(self, person_ids: Iterable[str]) -> None:
        """Answer `is_erased` for a whole batch's young people with one query rather than one per change."""
        wanted = sorted({p for p in person_ids if p and p not in self._erased})
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            found = set(
                self.conn.execute(
                    sa.select(_data_field("person_id")).where(
                        t.records.c.table_name == Erasure.TABLE, one_of(self.conn, _data_field("person_id"), chunk)
                    )
                ).scalars()
            )
            self._erased.update({p: p in found for p in chunk})

    def is_erased(self, person_id: str) -> bool:
        if person_id not in self._erased:
            self.preload_erased([person_id])
        return self._erased[person_id]

    def mark_erased(self, person_id: str) -> None:
        """Later changes in this batch about the person are refused too."""
        self._erased[person_id] = True

    # -- audit chains ---------------------------------------------------------------------------------------------

    def chain_head(self, chain: str) -> tuple[str, int, str] | None:
        """(user, seq, hash) of the newest entry of a device's audit chain the service holds, or None."""
        if chain in self.chain_writes:
            return self.chain_writes[chain]
        if chain not in self._chains:
            query = sa.select(t.audit_chains).where(t.audit_chains.c.chain == chain)
            if self.lock_rows:
                query = query.with_for_update()
            row = self.conn.execute(query).first()
            self._chains[chain] = (row.user_id, row.seq, row.hash) if row else None
        return self._chains[chain]

    def advance_chain(self, chain: str, user_id: str, seq: int, digest: str) -> None:
        self.chain_writes[chain] = (user_id, seq, digest)

    # -- recording changes ----------------------------------------------------------------------------------------

    def write(self, rec: Rec, data: dict[str, Any], changed: Iterable[str], teams: set[str] | None = None) -> None:
        """A new version of a record: the fields that changed are marked as set by this device."""
        devices = _by_version(rec)
        rec.version += 1
        rec.data = data
        names = sorted(changed)
        for name in names:
            rec.field_versions[name] = rec.version
        if names:
            devices[str(rec.version)] = self.caller.device_id
        live = {str(v) for v in set(rec.field_versions.values())}
        rec.field_devices = {v: d for v, d in devices.items() if v in live}  # versions no field carries now go
        rec.dirty = True
        self.log(rec, "upsert", names, teams=teams)

    def tombstone(self, rec: Rec, teams: set[str] | None = None) -> None:
        """The record reduced to its id and team, and a delete in the feed of every team that had it."""
        rec.version += 1
        rec.deleted = True
        rec.data = {"id": rec.record_id, "team_id": rec.team_id}
        rec.field_versions = {}
        rec.field_devices = {}
        rec.dirty = True
        self.log(rec, "delete", [], teams=teams)

    def audience(self, rec: Rec) -> set[str]:
        shared = {team for team, _source in self.shares_of(rec.record_id)} if rec.table == scope.PEOPLE else ()
        return scope.audience(rec.table, rec.data, shared, self.parent_data)

    def log(self, rec: Rec, op: str, fields: list[str], teams: set[str] | None = None) -> None:
        """A row in the change log for each team that should see this version of the record."""
        for team in sorted(self.audience(rec) if teams is None else teams):
            self.log_rows.append(
                {
                    "team_id": team,
                    "table_name": rec.table,
                    "record_id": rec.record_id,
                    "op": op,
                    "version": rec.version,
                    "fields": fields,
                    "device_id": self.caller.device_id,
                    "created_at": self.now,
                }
            )

    def share(self, share: scope.Share) -> None:
        """Make (or keep) a young person visible to a team, and send the team the person's current record."""
        current = self.shares_of(share.record_id)
        key = (share.team_id, share.source)
        if current.get(key) == share.fields:
            return
        self._share_write(share.table, share.record_id, share.team_id, share.source, share.fields)
        current[key] = share.fields
        person = self.get(scope.PEOPLE, share.record_id)
        if person is not None and person.team_id != share.team_id:
            self.log(person, "delete" if person.deleted else "upsert", [], teams={share.team_id})

    def unshare(self, person_id: str, source: str) -> None:
        """End one share: later changes of the person no longer reach that team through it."""
        current = self.shares_of(person_id)
        for team, src in [k for k in current if k[1] == source]:
            self._share_write(scope.PEOPLE, person_id, team, src, None)
            del current[(team, src)]

    def unshare_person(self, person_id: str) -> None:
        """End every share of a young person (they are erased)."""
        for _team, source in list(self.shares_of(person_id)):
            self.unshare(person_id, source)

    def _share_write(self, table: str, rid: str, team: str, source: str, fields: frozenset[str] | None) -> None:
        pk = (table, rid, team, source)
        prior = self.share_writes.get(pk)
        in_db = prior[1] if prior else (team, source) in self.shares_of(rid)
        self.share_writes[pk] = (fields, in_db)

    # -- writing --------------------------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write the batch: one statement (or COPY) per table, whatever the number of changes."""
        conn = self.conn
        dirty = [r for r in self.recs.values() if r is not None and r.dirty]
        bulk_insert(conn, t.records, [_row(r, self.now) for r in dirty if not r.in_db])
        bulk_update(conn, t.records, [_row(r, self.now) for r in dirty if r.in_db])
        shares = [
            {"table_name": k[0], "record_id": k[1], "team_id": k[2], "source": k[3], "fields": sorted(fields)}
            | {"created_at": self.now}
            for k, (fields, _in_db) in self.share_writes.items()
            if fields is not None
        ]
        bulk_upsert(conn, t.shares, shares)
        for table, rid, team, source in (k for k, (f, in_db) in self.share_writes.items() if f is None and in_db):
            # Ended shares (a declined or closed referral, an erased person): few, so one statement each.
            conn.execute(
                t.shares.delete().where(
                    t.shares.c.table_name == table,
                    t.shares.c.record_id == rid,
                    t.shares.c.team_id == team,
                    t.shares.c.source == source,
                )
            )
        chains = [
            {"chain": chain, "user_id": user_id, "seq": seq, "hash": digest, "updated_at": self.now}
            for chain, (user_id, seq, digest) in self.chain_writes.items()
        ]
        bulk_upsert(conn, t.audit_chains, chains)
        bulk_insert(conn, t.conflicts, self.conflict_rows)
        bulk_insert(conn, t.applied_changes, self.new_applied)
        changelog.append(conn, self.log_rows)  # last: holds the log lock only until commit


def _by_version(rec: Rec) -> dict[str, str]:
    """The record's field devices by version, whichever way they were stored."""
    out: dict[str, str] = {}
    for key, device in rec.field_devices.items():
        if key.isdigit():
            out[key] = device
        elif (version := rec.field_versions.get(key)) is not None:
            out.setdefault(str(version), device)
    return out


def _row(rec: Rec, now: Any) -> dict[str, Any]:
    return {
        "table_name": rec.table,
        "record_id": rec.record_id,
        "team_id": rec.team_id,
        "version": rec.version,
        "deleted": rec.deleted,
        "data": rec.data,
        "field_versions": rec.field_versions,
        "field_devices": rec.field_devices,
        "updated_at": now,
    }
