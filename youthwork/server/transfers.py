"""Moves of a young person to another team on the central service, from the declared `Transfers` part of a policy.

A move is proposed by the team that holds the young person and answered by the team it names: the only record a
team writes without owning it, and then only its answer. On acceptance the owning team changes here, in the push
that brings the answer: the young person and their records of the tables that go (with what hangs from them) become
the receiving team's, so its laptops get them at their next pull; their lead worker is cleared (the lead worker is
always someone in the owning team); the sending team keeps the declared part of the young person (a share, so its
own records still say who they are about) and no later change of anything else reaches it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from youthwork.domain.policy import META_FIELDS, POLICIES, RecordPolicy, Transfers
from youthwork.domain.transfers import moving_tables
from youthwork.domain.vocab import TeamKind
from youthwork.server import privacy, scope
from youthwork.server import schema as t
from youthwork.server.auth import Caller
from youthwork.server.batch import Batch, Rec, Rejected

log = logging.getLogger(__name__)

Effect = Callable[[], None]
KEPT_SOURCE = "transferred"  # the share the sending team keeps: "transferred:<move id>"


def answering(p: RecordPolicy, rec: Rec, caller: Caller) -> bool:
    """The caller's team is the one this move is addressed to (it may answer it, and nothing else)."""
    rule = p.transfers
    return rule is not None and bool(rec.data.get(rule.to_field)) and rec.data.get(rule.to_field) == caller.team_id


def check(batch: Batch, p: RecordPolicy, rec: Rec | None, merged: dict[str, Any], changed: set[str]) -> list[Effect]:
    """A move proposed, answered or withdrawn as the declared part allows; on acceptance, the effect that moves it."""
    rule = p.transfers
    if rule is None:
        return []
    if rec is None:
        _check_proposal(batch, p, rule, merged)
        return []
    what = changed - META_FIELDS
    if not what:
        return []
    if rec.team_id != batch.caller.team_id:
        return _check_answer(batch, p, rule, rec, merged, what)
    if what != {rule.status_field} or merged.get(rule.status_field) != rule.withdrawn:
        if merged.get(rule.status_field) in (rule.accepted, rule.declined):
            raise Rejected("Only the receiving team can accept or decline a move: your team proposed it.")
        raise Rejected("A move can't be changed once proposed: withdraw it and propose it again.")
    if batch.caller.role not in rule.proposer_roles:
        raise Rejected("Only a supervisor can withdraw a move to another team.")
    if not rule.open(rec.data):
        raise Rejected("This move has already been answered, so it can't be withdrawn.")
    return []


def _check_proposal(batch: Batch, p: RecordPolicy, rule: Transfers, merged: dict[str, Any]) -> None:
    caller = batch.caller
    if caller.role not in rule.proposer_roles:
        raise Rejected("Only a supervisor can move a young person to another team. Ask your supervisor.")
    if merged.get(rule.status_field) != rule.proposed:
        raise Rejected("A move starts as proposed: the receiving team accepts or declines it.")
    if merged.get(rule.by_field) != caller.user_id:
        raise Rejected("A move is proposed in your own name.")
    blank = scope.defaults(p.table)
    if any(merged.get(f) != blank.get(f) for f in rule.answer_fields - {rule.status_field}):
        raise Rejected("Only the receiving team answers a move.")
    to_team = str(merged.get(rule.to_field) or "")
    teams = batch.teams()
    if to_team not in teams:
        raise Rejected("The team this young person is moving to isn't known to the server.")
    if to_team == caller.team_id:
        raise Rejected("Choose another team: this young person is already in yours.")
    if teams[to_team] == TeamKind.PARTNER:
        raise Rejected("A young person can't be moved to a partner organisation's team: refer them instead.")
    unknown = sorted(set(merged.get(rule.goes_field) or []) - rule.can_go)
    if unknown:
        raise Rejected(f"These can't go with a young person: {', '.join(unknown)}.")
    person_id = str(merged.get(p.person_field or "") or "")
    if _open_move(batch, p, rule, person_id, str(merged["id"])):
        raise Rejected("This young person already has a move waiting for an answer.")


def _open_move(batch: Batch, p: RecordPolicy, rule: Transfers, person_id: str, except_id: str) -> bool:
    data = t.records.c.data
    row = batch.conn.execute(
        sa.select(t.records.c.record_id).where(
            t.records.c.table_name == p.table,
            t.records.c.deleted.is_(False),
            t.records.c.record_id != except_id,
            data[p.person_field or "person_id"].as_string() == person_id,
            data[rule.status_field].as_string() == rule.proposed,
        )
    ).first()
    return row is not None


def _check_answer(
    batch: Batch, p: RecordPolicy, rule: Transfers, rec: Rec, merged: dict[str, Any], what: set[str]
) -> list[Effect]:
    caller = batch.caller
    if caller.role not in rule.answer_roles:
        raise Rejected("Only a supervisor of the receiving team can accept or decline a move.")
    if what - rule.answer_fields:
        raise Rejected("The receiving team can only accept or decline a move, not change what it says.")
    if not rule.open(rec.data):
        raise Rejected("This move has already been answered or withdrawn.")
    status = merged.get(rule.status_field)
    if status not in (rule.accepted, rule.declined):
        raise Rejected("Accept or decline the move.")
    if merged.get(rule.answered_by_field) != caller.user_id:
        raise Rejected("A move is accepted or declined in your own name.")
    if status == rule.declined and not str(merged.get(rule.reason_field) or "").strip():
        raise Rejected("Say why the move is declined, so the sending team knows what to do next.")
    if status != rule.accepted:
        return []
    person_id = str(merged.get(p.person_field or "") or "")
    person = batch.live(scope.PEOPLE, person_id)
    if person is None or person.team_id != rec.team_id:
        raise Rejected(
            "This young person is no longer held by the team that proposed the move (moved, merged or erased), "
            "so it can't be accepted. Decline it."
        )
    goes = set(merged.get(rule.goes_field) or []) & rule.can_go
    return [lambda: _carry_out(batch, rule, str(merged["id"]), person, rec.team_id, caller.team_id, goes)]


def _carry_out(
    batch: Batch, rule: Transfers, move_id: str, person: Rec, from_team: str, to_team: str, goes: set[str]
) -> None:
    tables = moving_tables(goes)
    keys = [
        (table, rid)
        for table, rid, owner in privacy.records_about(batch.conn, person.record_id)
        if owner == from_team and table in tables
    ]
    batch.load(keys)
    moved = 0
    for key in keys:
        rec = batch.live(*key)
        if rec is not None and rec.team_id == from_team:
            _move(batch, rec, to_team, {})
            moved += 1
    allocated = POLICIES[scope.PEOPLE].allocated
    _move(batch, person, to_team, {allocated.field: ""} if allocated else {})
    kept = scope.Share(scope.PEOPLE, person.record_id, from_team, f"{KEPT_SOURCE}:{move_id}", rule.keeps)
    batch.share(kept)
    log.info("move to another team carried out on the server: %d records went with the young person", moved)


def _move(batch: Batch, rec: Rec, team: str, also: dict[str, Any]) -> None:
    rec.team_id = team
    batch.write(rec, dict(rec.data, team_id=team, **also), ["team_id", *also])
