"""Applying a pushed batch of changes: validate each alone, merge field by field, write all in one transaction.

The parts: the working set and the writes at the end (youthwork.server.batch), the field merge and its conflicts
(youthwork.server.merge), and what the declared policy of each record type allows (youthwork.server.rules and, for
erasure, youthwork.server.privacy). This module runs a push through them in order. A refused change is rejected
alone, with a reason, and never blocks the rest of the batch.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any

import sqlalchemy as sa

from youthwork.domain.codec import from_dict
from youthwork.domain.ids import is_id
from youthwork.domain.policy import POLICIES, RecordPolicy
from youthwork.domain.protocol import Change, ChangeResult
from youthwork.domain.validation import problems_with
from youthwork.server import merging, rules, scope
from youthwork.server import schema as t
from youthwork.server.auth import Caller
from youthwork.server.batch import Batch, Rec, Rejected
from youthwork.server.bulk import one_of
from youthwork.server.errors import ApiError
from youthwork.server.merge import Merged, merge, new_record
from youthwork.server.privacy import erase_lapsed, person_of
from youthwork.server.values import text_problem, value_problem

log = logging.getLogger(__name__)

_CHUNK = 500
_RETRIES = 6
__all__ = ["Push", "Rejected", "push"]


class Push(Batch):
    """One push: the batch's working set, and the changes applied to it one by one."""

    def run(self, changes: list[Change]) -> list[ChangeResult]:
        erase_lapsed(self, self.now.date())  # first: records past their lapse date go, whoever pushes
        stored = self._stored_results([c.change_id for c in changes])
        fresh = [c for c in changes if c.change_id not in stored]
        merging.redirect(self, fresh)  # made before this laptop heard of a merge: about the survivor now
        keys = {(c.table, c.record_id) for c in fresh if c.table in POLICIES}
        for c in fresh:  # the records these changes link to, in the same few queries
            p = POLICIES.get(c.table)
            for link in p.links if p else ():
                value = c.fields.get(link.field)
                if isinstance(value, str) and value:
                    keys.add((link.table, value))
        self.load(keys)
        self.load_shares(rid for table, rid in keys if table == scope.PEOPLE)
        people = [person_of(POLICIES[c.table], {"id": c.record_id, **c.fields}) for c in fresh if c.table in POLICIES]
        self.preload_erased(p for p in people if is_id(p))
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
            rec, merged = self._apply(change)
        except Rejected as exc:
            return ChangeResult(change_id=change.change_id, status="rejected", reason=str(exc))
        conflicts = merged.conflicts if merged else []
        return ChangeResult(
            change_id=change.change_id,
            status="conflict" if conflicts else "applied",
            version=rec.version if rec else None,
            conflicts=conflicts,
        )

    def _apply(self, change: Change) -> tuple[Rec | None, Merged | None]:
        p = POLICIES.get(change.table)
        if p is None:
            raise Rejected(f"The server doesn't know records of the kind {change.table!r}.")
        if problem := text_problem([change.record_id, change.change_id, change.hlc, change.fields]):
            raise Rejected(problem)
        if not is_id(change.record_id):
            raise Rejected("The record id is not in the expected form.")
        unknown = sorted(set(change.fields) - set(p.field_names()))
        if unknown:
            raise Rejected(f"The server doesn't know the field(s) {', '.join(unknown)} on {p.label}.")
        for name, value in change.fields.items():
            if problem := value_problem(p.cls, name, value):
                raise Rejected(problem)
        if change.fields.get("id", change.record_id) != change.record_id:
            raise Rejected("The record's id doesn't match the change.")
        rec = self.get(p.table, change.record_id)
        rules.check_change(self, p, change, rec)
        if change.op == "delete":
            return self._delete(change, p, rec), None
        return self._upsert(change, p, rec)

    def _delete(self, change: Change, p: RecordPolicy, rec: Rec | None) -> Rec | None:
        if p.append_only:
            raise Rejected(f"{p.title} can't be deleted: add a correction instead.")
        if rec is None:
            # A tombstone even for a record we never had, so a late upsert from elsewhere can't bring it back.
            rec = self.new_rec(p.table, change.record_id, self.caller.team_id)
        if not rec.deleted:
            rules.ended_shares(self, p, rec)
            self.tombstone(rec)
        return rec

    def _upsert(self, change: Change, p: RecordPolicy, rec: Rec | None) -> tuple[Rec | None, Merged]:
        caller = self.caller
        incoming = change.fields
        merged_away = rec is not None and rec.deleted and p.person_field == "id"
        if merged_away and rec is not None and (taken := merging.merge_of(self, rec.record_id)) is not None:
            return self._carry(change, p, taken)
        if rec is not None and rec.deleted:
            raise Rejected("This record was deleted on the server, so the change was not saved.")
        if rec is None:
            merged = new_record(scope.defaults(p.table), change.record_id, caller.team_id, caller.user_id, incoming)
        elif p.append_only:
            if any(rec.data.get(k) != v for k, v in incoming.items()):
                raise Rejected(f"{p.title} can't be changed once saved: add a new one.")
            return rec, Merged(rec.data, set())
        else:
            merged = merge(p, rec, incoming, change.base_version, caller.device_id)
        return self._save(change, p, rec, incoming, merged)

    def _carry(self, change: Change, p: RecordPolicy, taken: dict[str, Any]) -> tuple[Rec | None, Merged]:
        """An edit of a record merged away, made by a laptop that hadn't heard: it is applied to the survivor."""
        into = merging.survivor(self, change.record_id)
        rec = self.live(p.table, into) if into else None
        if rec is None:
            raise Rejected("This young person's record was merged into one that is no longer on the server.")
        merged = merging.carried(p, rec, change.fields, dict(taken.get("snapshot") or {}))
        return self._save(change, p, rec, {k: v for k, v in change.fields.items() if k != "id"}, merged)

    def _save(
        self, change: Change, p: RecordPolicy, rec: Rec | None, incoming: dict[str, Any], merged: Merged
    ) -> tuple[Rec | None, Merged]:
        caller = self.caller
        effects = rules.check_record(self, p, rec, incoming, merged.data, merged.changed)
        if problem := _domain_problem(p, merged.data, merged.changed if rec is not None else None):
            raise Rejected(problem)
        if merged.conflicts:
            self.conflict_rows.extend(self._conflict_row(change, rec, c) for c in merged.conflicts)  # type: ignore[arg-type]
        if not merged.changed:
            return rec, merged
        if rec is None:
            rec = self.new_rec(p.table, change.record_id, caller.team_id)
        self.write(rec, merged.data, merged.changed)
        for effect in effects:
            effect()
        return rec, merged

    def _conflict_row(self, change: Change, rec: Rec, c: Any) -> dict[str, Any]:
        return {
            "table_name": rec.table,
            "record_id": rec.record_id,
            "team_id": rec.team_id,
            "field": c.field,
            "server_value": c.server_value,
            "incoming_value": c.incoming_value,
            "kept": c.kept,
            "status": "review" if c.kept == "server" else "kept",
            "device_id": self.caller.device_id,
            "change_id": change.change_id,
            "created_at": self.now,
        }


def _domain_problem(p: RecordPolicy, data: dict[str, Any], changed: set[str] | None) -> str | None:
    """The domain's own checks, on the fields this change sets (a new record: all of them)."""
    try:
        record = from_dict(p.cls, data)
    except (TypeError, ValueError):
        return "The record could not be read: check its dates and numbers."
    if p.unchecked_while and data.get(p.unchecked_while[0]) == p.unchecked_while[1]:
        return None  # a draft is unfinished by definition
    problems = problems_with(record)
    if changed is not None:
        problems = [x for x in problems if x.field in changed]
    return " ".join(x.message for x in problems) or None


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
                    batch = Push(conn, caller)
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
