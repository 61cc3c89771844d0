"""Applying a pushed batch of changes: validate each alone, merge field by field, write all in one transaction.

Versions: every record has a server version, bumped by each change that alters it, and remembers for each field the
version that last set it. A change says which version its edit started from (`base_version`); a field set on the
server after that is a conflict. Ordinary fields: the incoming value wins and the server's is kept in `conflicts`.
Safety-critical fields: the server's value stays and the incoming one waits in `conflicts` for review.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from youthwork.domain.codec import from_dict, to_dict
from youthwork.domain.ids import is_id
from youthwork.domain.protocol import Change, ChangeResult, FieldConflict
from youthwork.domain.records import RECORD_TYPES, Record, Session
from youthwork.domain.referrals import (
    ACTION_ALLOWED_FROM,
    ACTION_RESULT,
    Referral,
    ReferralAction,
    ReferralEvent,
    ReferralStatus,
)
from youthwork.domain.validation import problems_with
from youthwork.server import changelog, privacy, scope
from youthwork.server import schema as t
from youthwork.server.auth import Caller
from youthwork.server.bulk import bulk_insert, bulk_update, bulk_upsert, one_of
from youthwork.server.clock import now_utc
from youthwork.server.errors import ApiError
from youthwork.server.values import text_problem, value_problem

log = logging.getLogger(__name__)

_CHUNK = 500
_RETRIES = 6
# Referral statuses the referring team may set itself; the rest follow the receiving team's steps.
_REFERRER_STATUSES = frozenset({ReferralStatus.DRAFT, ReferralStatus.SENT})


class Rejected(Exception):
    """A change refused on its own; the message says why."""


@dataclass(slots=True)
class Rec:
    table: str
    record_id: str
    team_id: str
    version: int
    deleted: bool
    data: dict[str, Any]
    field_versions: dict[str, int]
    field_devices: dict[str, str]
    in_db: bool
    dirty: bool = False


@dataclass(slots=True)
class _Outcome:
    status: str = "applied"
    conflicts: list[FieldConflict] = field(default_factory=list)


class Batch:
    """One push: a cache of the records it touches, and the rows to write at the end."""

    def __init__(self, conn: sa.Connection, caller: Caller) -> None:
        self.conn = conn
        self.caller = caller
        self.now = now_utc()
        self.lock_rows = conn.dialect.name == "postgresql"
        self.recs: dict[tuple[str, str], Rec | None] = {}
        # person id -> {(team, source): fields}; `share_writes` holds what this batch adds or changes.
        self.shares: dict[str, dict[tuple[str, str], frozenset[str]]] = {}
        self.share_writes: dict[tuple[str, str, str, str], tuple[frozenset[str], bool]] = {}
        self.log_rows: list[dict[str, Any]] = []
        self.conflict_rows: list[dict[str, Any]] = []
        self.applied: dict[str, ChangeResult] = {}
        self.new_applied: list[dict[str, Any]] = []
        self._teams: dict[str, str] | None = None

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

    def shares_of(self, person_id: str) -> dict[tuple[str, str], frozenset[str]]:
        if person_id not in self.shares:
            self.load_shares([person_id])
        return self.shares[person_id]

    def teams(self) -> dict[str, str]:
        if self._teams is None:
            self._teams = {row.id: row.kind for row in self.conn.execute(sa.select(t.teams.c.id, t.teams.c.kind))}
        return self._teams

    def parent_data(self, table: str, rid: str) -> dict[str, Any] | None:
        rec = self.get(table, rid) if rid else None
        return rec.data if rec else None

    # -- applying -------------------------------------------------------------------------------------------------

    def run(self, changes: list[Change]) -> list[ChangeResult]:
        stored = self._stored_results([c.change_id for c in changes])
        fresh = [c for c in changes if c.change_id not in stored]
        keys = {(c.table, c.record_id) for c in fresh if c.table in RECORD_TYPES}
        keys |= {
            (Referral.TABLE, c.fields["referral_id"])
            for c in fresh
            if c.table == ReferralEvent.TABLE and isinstance(c.fields.get("referral_id"), str)
        }
        self.load(keys)
        self.load_shares(rid for table, rid in keys if table == scope.PEOPLE)
        people = [c.record_id if c.table == scope.PEOPLE else c.fields.get("person_id") for c in fresh]
        privacy.preload_erased(self, [p for p in people if isinstance(p, str) and is_id(p)])
        results = []
        for change in changes:
            if change.change_id in stored:
                results.append(stored[change.change_id])
            elif change.change_id in self.applied:  # the same change twice in one batch
                results.append(self.applied[change.change_id])
            else:
                result = self.apply(change)
                self.applied[change.change_id] = result
                self.new_applied.append(
                    {
                        "device_id": self.caller.device_id,
                        "change_id": change.change_id,
                        "result": result.model_dump(mode="json"),
                        "created_at": self.now,
                    }
                )
                results.append(result)
        return results

    def _stored_results(self, change_ids: list[str]) -> dict[str, ChangeResult]:
        out: dict[str, ChangeResult] = {}
        ids = sorted(set(change_ids))
        for i in range(0, len(ids), _CHUNK):
            rows = self.conn.execute(
                sa.select(t.applied_changes.c.change_id, t.applied_changes.c.result).where(
                    t.applied_changes.c.device_id == self.caller.device_id,
                    one_of(self.conn, t.applied_changes.c.change_id, ids[i : i + _CHUNK]),
                )
            )
            for row in rows:
                out[row.change_id] = ChangeResult.model_validate(row.result)
        return out

    def apply(self, change: Change) -> ChangeResult:
        try:
            rec, outcome = self._apply(change)
        except Rejected as exc:
            return ChangeResult(change_id=change.change_id, status="rejected", reason=str(exc))
        return ChangeResult(
            change_id=change.change_id,
            status=outcome.status,
            version=rec.version if rec else None,
            conflicts=outcome.conflicts,
        )

    def _apply(self, change: Change) -> tuple[Rec | None, _Outcome]:
        caller = self.caller
        cls = RECORD_TYPES.get(change.table)
        if cls is None:
            raise Rejected(f"The server doesn't know records of the kind {change.table!r}.")
        if problem := text_problem([change.record_id, change.change_id, change.hlc, change.fields]):
            raise Rejected(problem)
        if not is_id(change.record_id):
            raise Rejected("The record id is not in the expected form.")
        unknown = sorted(set(change.fields) - set(cls.field_names()))
        if unknown:
            raise Rejected(f"The server doesn't know the field(s) {', '.join(unknown)} on {scope.label(cls.TABLE)}.")
        for name, value in change.fields.items():
            if problem := value_problem(cls, name, value):
                raise Rejected(problem)
        if change.fields.get("id", change.record_id) != change.record_id:
            raise Rejected("The record's id doesn't match the change.")
        if not scope.may_use_table(caller, cls.TABLE):
            raise Rejected(f"Your role can't change {scope.label(cls.TABLE)}.")
        rec = self.get(cls.TABLE, change.record_id)
        if rec is not None and rec.team_id != caller.team_id:
            raise Rejected("That record belongs to another team, so it can't be changed from this laptop.")
        if change.fields.get("team_id", caller.team_id) != caller.team_id:
            raise Rejected("A record can only be saved for your own team.")
        if change.op == "delete":
            return self._delete(change, cls, rec)
        return self._upsert(change, cls, rec)

    def _delete(self, change: Change, cls: type[Record], rec: Rec | None) -> tuple[Rec | None, _Outcome]:
        if cls.APPEND_ONLY:
            raise Rejected(f"{scope.label(cls.TABLE).capitalize()} can't be deleted: add a correction instead.")
        if rec is None:
            # A tombstone even for a record we never had, so a late upsert from elsewhere can't bring it back.
            rec = Rec(cls.TABLE, change.record_id, self.caller.team_id, 0, False, {}, {}, {}, in_db=False)
            self.recs[(cls.TABLE, change.record_id)] = rec
        if rec.deleted:
            return rec, _Outcome()
        rec.version += 1
        rec.deleted = True
        rec.data = {"id": rec.record_id, "team_id": rec.team_id}
        rec.field_versions = {}
        rec.field_devices = {}
        rec.dirty = True
        self._log(rec, "delete", [])
        return rec, _Outcome()

    def _upsert(self, change: Change, cls: type[Record], rec: Rec | None) -> tuple[Rec, _Outcome]:
        caller = self.caller
        incoming = change.fields
        if rec is not None and rec.deleted:
            raise Rejected("This record was deleted on the server, so the change was not saved.")
        outcome = _Outcome()
        pending: list[dict[str, Any]] = []
        if rec is None:
            merged = to_dict(cls())
            merged.update(id=change.record_id, team_id=caller.team_id, created_by=caller.user_id)
            merged.update(incoming)
            changed = set(merged)
        else:
            if cls.APPEND_ONLY:
                if any(rec.data.get(k) != v for k, v in incoming.items()):
                    raise Rejected(f"{scope.label(cls.TABLE).capitalize()} can't be changed once saved: add a new one.")
                return rec, outcome
            merged = dict(rec.data)
            changed = set()
            safety = cls.safety_critical_fields()
            for name, value in incoming.items():
                server_value = rec.data.get(name)
                if value == server_value:
                    continue
                newer = rec.field_versions.get(name, 0) > change.base_version
                if newer and rec.field_devices.get(name) != caller.device_id:
                    kept = "server" if name in safety else "incoming"
                    outcome.conflicts.append(
                        FieldConflict(field=name, server_value=server_value, incoming_value=value, kept=kept)
                    )
                    pending.append(self._conflict_row(change, rec, name, server_value, value, kept))
                    if kept == "server":
                        continue
                merged[name] = value
                changed.add(name)
        if problem := scope.write_problem(caller, cls, incoming, merged):
            raise Rejected(problem)
        if problem := _domain_problem(cls, merged, changed if rec is not None else None):
            raise Rejected(problem)
        effects = self._check_links(cls, rec, merged, changed)
        effects += privacy.check(self, cls, rec, merged)  # erasure: carried out here, nothing added after

        if outcome.conflicts:
            outcome.status = "conflict"
            self.conflict_rows.extend(pending)
        if not changed:
            return rec, outcome  # type: ignore[return-value]
        if rec is None:
            rec = Rec(cls.TABLE, change.record_id, caller.team_id, 0, False, {}, {}, {}, in_db=False)
            self.recs[(cls.TABLE, change.record_id)] = rec
        rec.version += 1
        rec.data = merged
        for name in changed:
            rec.field_versions[name] = rec.version
            rec.field_devices[name] = caller.device_id
        rec.dirty = True
        self._log(rec, "upsert", sorted(changed))
        for share in scope.shares_from(cls.TABLE, merged):
            self._share(share)
        for effect in effects:
            effect()
        return rec, outcome

    def _conflict_row(self, change: Change, rec: Rec, name: str, server: Any, incoming: Any, kept: str) -> dict:
        return {
            "table_name": rec.table,
            "record_id": rec.record_id,
            "team_id": rec.team_id,
            "field": name,
            "server_value": server,
            "incoming_value": incoming,
            "kept": kept,
            "status": "review" if kept == "server" else "kept",
            "device_id": self.caller.device_id,
            "change_id": change.change_id,
            "created_at": self.now,
        }

    # -- links between records ------------------------------------------------------------------------------------

    def _check_links(self, cls: type[Record], rec: Rec | None, merged: dict, changed: set[str]) -> list:
        """Rules that look at other records; returns what to do once the change is accepted."""
        if cls is Referral:
            return self._check_referral(rec, merged, changed)
        if cls is ReferralEvent:
            return self._check_referral_event(merged)
        return []

    def _check_referral(self, rec: Rec | None, merged: dict, changed: set[str]) -> list:
        if "status" in changed and merged.get("status") not in _REFERRER_STATUSES:
            raise Rejected("The receiving team sets a referral's status. Add a step to the referral instead.")
        if rec is not None and rec.data.get("status") not in (None, ReferralStatus.DRAFT):
            fixed = {"person_id", "to_team_id", "to_agency"} & changed
            if fixed:
                raise Rejected("A referral can't be redirected once sent: close it and make a new one.")
        sending = merged.get("status") not in (None, "", ReferralStatus.DRAFT)
        was_draft = rec is None or rec.data.get("status") in (None, "", ReferralStatus.DRAFT)
        if sending and was_draft and not merged.get("to_team_id"):
            # A laptop that didn't yet know the service's teams: send it to the one team of that kind, if one.
            receivers = [tid for tid, kind in self.teams().items() if kind == merged.get("to_agency")]
            if len(receivers) == 1:
                merged["to_team_id"] = receivers[0]
                changed.add("to_team_id")
        to_team = merged.get("to_team_id") or ""
        if to_team and to_team not in self.teams():
            raise Rejected("The receiving team of this referral isn't known to the server.")
        return []

    def _check_referral_event(self, event: dict) -> list:
        ref = self.get(Referral.TABLE, event.get("referral_id", ""))
        if ref is None or ref.deleted:
            raise Rejected("The referral this step belongs to isn't on the server yet. Sync the referral first.")
        team = self.caller.team_id
        to_team = ref.data.get("to_team_id") or ""
        if team not in (ref.team_id, to_team) or ref.data.get("status") == ReferralStatus.DRAFT:
            raise Rejected("That referral wasn't sent by or to your team.")
        action = ReferralAction(event["action"])
        new_status = ACTION_RESULT[action]
        if new_status is None:
            return []
        if team != to_team:
            raise Rejected("Only the receiving team can acknowledge, accept, decline, allocate or close a referral.")
        current = ReferralStatus(ref.data.get("status") or ReferralStatus.DRAFT)
        if current not in ACTION_ALLOWED_FROM[action]:
            raise Rejected(f"This referral is {current.label.lower()}, so it can't be given the step “{action.label}”.")

        def update_referral() -> None:
            ref.version += 1
            ref.data = dict(ref.data, status=new_status.value)
            ref.field_versions["status"] = ref.version
            ref.field_devices["status"] = self.caller.device_id
            if action == ReferralAction.CLOSE:
                ref.data["outcome"] = event.get("outcome", "")
                ref.field_versions["outcome"] = ref.version
                ref.field_devices["outcome"] = self.caller.device_id
            ref.dirty = True
            self._log(ref, "upsert", ["status"])

        return [update_referral]

    def _share(self, share: scope.Share) -> None:
        current = self.shares_of(share.record_id)
        key = (share.team_id, share.source)
        if current.get(key) == share.fields:
            return
        pk = (share.table, share.record_id, share.team_id, share.source)
        prior = self.share_writes.get(pk)
        in_db = prior[1] if prior else key in current
        current[key] = share.fields
        self.share_writes[pk] = (share.fields, in_db)
        person = self.get(scope.PEOPLE, share.record_id)
        if person is not None and person.team_id != share.team_id:
            self._log(person, "delete" if person.deleted else "upsert", [], teams={share.team_id})

    def _log(self, rec: Rec, op: str, fields: list[str], teams: set[str] | None = None) -> None:
        if teams is None:
            shared = {team for team, _source in self.shares_of(rec.record_id)} if rec.table == scope.PEOPLE else ()
            teams = scope.audience(rec.table, rec.data, shared, self.parent_data)
        for team in sorted(teams):
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
        ]
        bulk_upsert(conn, t.shares, shares)
        bulk_insert(conn, t.conflicts, self.conflict_rows)
        bulk_insert(conn, t.applied_changes, self.new_applied)
        changelog.append(conn, self.log_rows)  # last: holds the log lock only until commit


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


def _domain_problem(cls: type[Record], data: dict[str, Any], changed: set[str] | None) -> str | None:
    """The domain's own checks, on the fields this change sets (a new record: all of them)."""
    try:
        record = from_dict(cls, data)
    except (TypeError, ValueError):
        return "The record could not be read: check its dates and numbers."
    if cls is Session and data.get("status") == "draft":
        return None  # a draft is unfinished by definition
    problems = problems_with(record)
    if changed is not None:
        problems = [p for p in problems if p.field in changed]
    return " ".join(p.message for p in problems) or None


def _retryable(exc: sa.exc.DBAPIError) -> bool:
    if isinstance(exc, sa.exc.IntegrityError):
        return True  # two pushes created the same record or change at once: the retry sees the winner
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40001", "40P01") or "database is locked" in str(exc.orig)


def push(engine: sa.Engine, caller: Caller, changes: list[Change]) -> list[ChangeResult]:
    """Apply a batch in one transaction; retried whole if it raced another push on the same records."""
    for attempt in range(_RETRIES):
        try:
            with engine.connect() as conn:
                conn.execution_options(write=True)
                with conn.begin():
                    batch = Batch(conn, caller)
                    results = batch.run(changes)
                    batch.flush()
            applied = sum(r.status != "rejected" for r in results)
            log.info("push from device %s: %d applied, %d rejected", caller.device_id, applied, len(results) - applied)
            return results
        except sa.exc.DBAPIError as exc:
            if not _retryable(exc) or attempt == _RETRIES - 1:
                log.warning("push from device %s failed: %s", caller.device_id, type(exc.orig).__name__)
                raise ApiError(
                    503, "busy", "The server is busy. Your changes are safe on this laptop and will be sent again."
                ) from None
            time.sleep(random.uniform(0, 0.02 * 2**attempt))
    raise AssertionError("unreachable")
