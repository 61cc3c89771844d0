"""The write side of the declared policies: what a pushed change may do, checked against its record type's declaration.

Every rule here reads a `RecordPolicy` (youthwork.domain.policy); none names a record type. A change is checked in
two steps: `check_change` before merging (may this caller write this record at all, from this version), and
`check_record` after (these fields, these links, these shares, these steps, this writer), which returns the effects
to carry out once the change is accepted (a share, a step moving its parent, an audit chain advancing, an erasure).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from youthwork.domain.policy import POLICIES, Addressed, Must, PersonShare, RecordPolicy, Relation, receives
from youthwork.domain.protocol import Change
from youthwork.domain.vocab import TeamKind
from youthwork.server import merging, privacy, scope, transfers
from youthwork.server.batch import Batch, Rec, Rejected

Effect = Callable[[], None]


def check_change(batch: Batch, p: RecordPolicy, change: Change, rec: Rec | None) -> None:
    """May this caller write this record at all: role, owning team, and the version the edit started from."""
    caller = batch.caller
    if caller.role not in p.roles:
        raise Rejected(f"Your role can't change {p.label}.")
    answering = rec is not None and rec.team_id != caller.team_id and transfers.answering(p, rec, caller)
    if rec is not None and rec.team_id != caller.team_id and not answering:
        raise Rejected("That record belongs to another team, so it can't be changed from this laptop.")
    owner = rec.team_id if rec is not None and answering else caller.team_id
    if change.fields.get("team_id", owner) != owner:
        raise Rejected("A record can only be saved for your own team.")
    if rec is None and not p.clients_create and change.op == "upsert":
        raise Rejected(f"{p.title} are made by the service, not on a laptop.")
    if not p.clients_create and change.op == "delete":
        raise Rejected(f"{p.title} are kept by the service: they can't be deleted from a laptop.")
    if p.closed_when and rec is not None and rec.data.get(p.closed_when[0]) == p.closed_when[1]:
        raise Rejected(f"This {_one(p)} is already closed, so it can't be changed.")
    if change.op == "delete" and rec is not None and not rec.deleted:
        _check_unlocked_delete(batch, p, rec)
    current = rec.version if rec is not None else 0
    if change.base_version > current:
        raise Rejected(
            f"This change was made from version {change.base_version} of the record, but the server has only "
            f"version {current}. Sync again to bring this laptop up to date."
        )


def check_record(
    batch: Batch, p: RecordPolicy, rec: Rec | None, incoming: dict[str, Any], merged: dict[str, Any], changed: set[str]
) -> list[Effect]:
    """Check the record as it would be saved; returns what to do once it is accepted. Raises Rejected."""
    erasure = privacy.check(batch, p, rec, merged)  # first: nothing more about an erased person, whatever it is
    privacy.check_lapse(p, merged, batch.now.date())  # a lapsed record is erased, never brought back
    _check_fields(batch, p, incoming, merged)
    _check_lock(batch, p, rec, merged, changed)  # before the sign-off: a locked record's edit is refused as such
    _check_sign_off(batch, p, incoming, merged)
    _check_addressed(batch, p, rec, merged, changed)
    _check_allocated(batch, p, rec, merged, changed)
    _check_links(batch, p, merged, changed if rec is not None else set(merged))
    _check_together(batch, p, merged, changed if rec is not None else set(merged))
    effects: list[Effect] = merging.check(batch, p, rec, incoming, merged)
    effects += transfers.check(batch, p, rec, merged, changed if rec is not None else set(merged))
    effects += _shares(batch, p, rec, merged)
    if rec is None:
        effects += _steps(batch, p, merged)
    effects += _writer(batch, p, merged, changed if rec is not None else None)
    return effects + erasure


# -- fields ---------------------------------------------------------------------------------------------------------


def _check_fields(batch: Batch, p: RecordPolicy, incoming: dict[str, Any], merged: dict[str, Any]) -> None:
    caller = batch.caller
    blank = scope.defaults(p.table)
    touched = [f for f in incoming if incoming[f] != blank.get(f)]
    sensitive = scope.restricted(p.table)
    restricted = [f for f in touched if f in sensitive]
    if restricted and caller.role not in p.restricted_roles:
        raise Rejected(
            "Your role can't record special category or criminal-offence details (" + ", ".join(restricted) + ")."
        )
    writable = scope.writable(p.table, caller.role)  # once per change, not once per field
    hidden = sorted(f for f in touched if f not in writable)
    if hidden:
        raise Rejected(f"Your role can't record these details on {p.label}: {', '.join(hidden)}.")
    if p.private_flag and merged.get(p.private_flag) and caller.team_kind not in p.private_kinds:
        who = " or ".join(f"the {TeamKind(k).label}" for k in sorted(p.private_kinds))
        raise Rejected(f"Only {who} can record restricted {p.label}.")


def _check_sign_off(batch: Batch, p: RecordPolicy, incoming: dict[str, Any], merged: dict[str, Any]) -> None:
    rule = p.sign_off
    if rule is None:
        return
    signs = incoming.get(rule.status_field) in rule.statuses or any(incoming.get(f) for f in rule.marker_fields)
    if not signs:
        return  # a worker's amendment only resubmits it
    if batch.caller.role not in rule.roles:
        raise Rejected(f"Only a supervisor can sign off {p.label} or return them to the worker.")
    if batch.caller.user_id in (merged.get(rule.not_by_field) or []):
        raise Rejected("You worked this session, so another supervisor needs to sign it off.")


# -- sign-off locking -----------------------------------------------------------------------------------------------

_LOCKED = "This {what} was signed off by a supervisor, so it can't be {done}."
_AMEND = " A correction is an amendment with a reason, which sends it back for sign-off."


def _check_unlocked_delete(batch: Batch, p: RecordPolicy, rec: Rec) -> None:
    rule = p.sign_off
    if rule is not None and rule.is_locked(rec.data):
        raise Rejected(_LOCKED.format(what=_one(p), done="deleted") + " It stays as the record of the work done.")
    parent = _locking_parent(batch, p, rec.data)
    if parent is not None:
        raise Rejected(_LOCKED.format(what=_one(parent), done="changed") + " Its register stays as it is.")


def _check_lock(batch: Batch, p: RecordPolicy, rec: Rec | None, merged: dict[str, Any], changed: set[str]) -> None:
    """A signed-off record changes only by its sign-off rule or an amendment; what hangs from it not at all."""
    if not changed:
        return  # the same again (a resend, an echo of what the service has): nothing to refuse
    rule = p.sign_off
    if rule is not None and rec is not None and rule.is_locked(rec.data):
        signer = batch.caller.role in rule.roles and batch.caller.user_id not in (merged.get(rule.not_by_field) or [])
        if signer and merged.get(rule.status_field) in rule.statuses and changed <= rule.signer_fields():
            return  # the sign-off rule itself (checked by _check_sign_off): signing again, or returning it
        reopened = rule.reopen is not None and merged.get(rule.status_field) == rule.reopen
        if not reopened or not changed <= rule.amendment_fields():
            raise Rejected(_LOCKED.format(what=_one(p), done="changed") + _AMEND)
        if rule.comment_field and (rule.comment_field not in changed or not merged.get(rule.comment_field)):
            raise Rejected(f"Say why this signed-off {_one(p)} is being changed.")
    if p.locked_with is None:
        return
    for data in (rec.data if rec is not None else None, merged):  # the parent it left, and the one it is on now
        parent = _locking_parent(batch, p, data) if data is not None else None
        if parent is not None:
            raise Rejected(_LOCKED.format(what=_one(parent), done="changed") + " Its register stays as it is.")


def _locking_parent(batch: Batch, p: RecordPolicy, data: dict[str, Any]) -> RecordPolicy | None:
    """The policy of the signed-off record this one hangs from (`locked_with`), if that record is locked now."""
    if p.locked_with is None:
        return None
    link = next(link for link in p.links if link.field == p.locked_with)
    parent_policy = POLICIES[link.table]
    parent = batch.live(link.table, data.get(link.field))
    rule = parent_policy.sign_off
    if parent is None or rule is None or not rule.is_locked(parent.data):
        return None
    if not parent.in_db:
        return None  # made (and signed off) in this same push: its register is arriving with it, not changing after

    return parent_policy


def _one(p: RecordPolicy) -> str:
    """A record type's label in the singular, for a sentence ("session")."""
    return p.label.removesuffix("s")


def _check_addressed(batch: Batch, p: RecordPolicy, rec: Rec | None, merged: dict[str, Any], changed: set[str]) -> None:
    rule = p.addressed
    if rule is None:
        return
    if rule.status_field in changed and merged.get(rule.status_field) not in rule.sender_statuses:
        raise Rejected("The receiving team sets a referral's status. Add a step to the referral instead.")
    was_sent = rec is not None and (rec.data.get(rule.status_field) or "") not in rule.drafts
    if was_sent and rule.fixed_once_sent & changed:
        raise Rejected("A referral can't be redirected once sent: close it and make a new one.")
    sending = (merged.get(rule.status_field) or "") not in rule.drafts
    if not sending:
        return
    agency = str(merged.get(rule.agency_field) or "")
    teams = batch.teams()
    if rule.inbound(merged):
        _check_inbound(batch, rule, merged, changed, agency)
        return
    if not merged.get(rule.field) and not was_sent:
        # A laptop that didn't yet know the service's teams: send it to the one team of the agency's own kind (TYS,
        # IGT), if there is one. (Never to a partner team: which organisation a partner team is, the kind doesn't say.)
        receivers = [tid for tid, kind in teams.items() if kind == agency and tid != batch.caller.team_id]
        if len(receivers) == 1:
            merged[rule.field] = receivers[0]
            changed.add(rule.field)
    to_team = merged.get(rule.field) or ""
    if not to_team:
        return  # an agency outside the service: nothing is shared through it
    if to_team not in teams:
        raise Rejected("The receiving team of this referral isn't known to the server.")
    if to_team == batch.caller.team_id:
        raise Rejected("A referral goes to another team: your team can't refer a young person to itself.")
    if not receives(teams[to_team], agency):
        raise Rejected("That team doesn't take referrals to this agency: choose the agency's own team.")


def _check_inbound(batch: Batch, rule: Addressed, merged: dict[str, Any], changed: set[str], agency: str) -> None:
    """A referral in from outside the service: recorded by the team it came to, about a young person it holds."""
    team = batch.caller.team_id
    if not merged.get(rule.field):
        merged[rule.field] = team
        changed.add(rule.field)
    if merged.get(rule.field) != team:
        raise Rejected("A referral in from outside is recorded by the team it came to, not sent on to another team.")
    if not receives(batch.teams().get(team, ""), agency):
        raise Rejected("Your team doesn't take referrals to this agency: choose your own team's agency.")
    link = rule.inbound_person
    if link is None:
        return
    target = batch.live(link.table, merged.get(link.field))
    rel = team_relation(batch, link.table, target, team) if target is not None else None
    if rel not in _ALLOWED[link.must]:
        raise Rejected(
            "A referral in from outside must be about a young person your team holds: add them to your team's "
            "young people first."
        )


# -- lead worker ----------------------------------------------------------------------------------------------------


def _check_allocated(batch: Batch, p: RecordPolicy, rec: Rec | None, merged: dict[str, Any], changed: set[str]) -> None:
    rule = p.allocated
    if rule is None or rule.field not in changed:
        return
    caller = batch.caller
    named = str(merged.get(rule.field) or "")
    before = str(rec.data.get(rule.field) or "") if rec is not None else ""
    own = named == caller.user_id or (named == "" and before == caller.user_id)  # naming themself, stepping down
    if rec is not None and not own and caller.role not in rule.roles:
        raise Rejected(
            "Only a supervisor can name someone else as the lead worker. You can name yourself, or step down."
        )
    if not named:
        return
    user = batch.user(named)
    if user is None and rec is None:
        return  # a record made with a worker from before the service (see Allocated)
    if user is None or user[0] != caller.team_id:
        raise Rejected("The lead worker must be someone in your own team.")
    if not user[1] and named != before:
        raise Rejected("That worker's account is closed, so they can't be named as the lead worker.")


# -- links ----------------------------------------------------------------------------------------------------------


def team_relation(batch: Batch, table: str, rec: Rec, team_id: str) -> Relation | None:
    """How a team stands to a stored record (own, addressed to it, a shared young person), or None."""
    if rec.team_id == team_id:
        return Relation.OWN
    target = POLICIES.get(table)
    addressed = target.addressed if target else None
    if addressed and addressed.sent(rec.data) and rec.data.get(addressed.field) == team_id:
        return Relation.ADDRESSED
    if target and target.minimum is not None and batch.shared_with(rec.record_id, team_id) is not None:
        return Relation.SHARED
    return None


_ALLOWED: dict[Must, frozenset[Relation]] = {
    Must.OWN: frozenset({Relation.OWN}),
    Must.END: frozenset({Relation.OWN, Relation.ADDRESSED}),
    Must.SEE: frozenset({Relation.OWN, Relation.ADDRESSED, Relation.SHARED}),
}


def _check_links(batch: Batch, p: RecordPolicy, merged: dict[str, Any], changed: set[str]) -> None:
    team = batch.caller.team_id
    for link in p.links:
        value = merged.get(link.field)
        if link.field not in changed or not value:
            continue
        target = batch.live(link.table, value)
        rel = team_relation(batch, link.table, target, team) if target is not None else None
        if rel not in _ALLOWED[link.must]:
            raise Rejected(
                f"This names {scope.label(link.table)} your team can't see on the server ({link.field}). "
                "Sync that record first, or check it is your team's."
            )


def _check_together(batch: Batch, p: RecordPolicy, merged: dict[str, Any], changed: set[str]) -> None:
    rule = p.together
    if rule is None or not changed.intersection(rule.fields):
        return
    values = {name: merged.get(name) for name in rule.fields}
    named = {k: v for k, v in values.items() if isinstance(v, str) and v}
    if len(named) < len(values):
        return  # an empty link (an anonymous check-in) joins nothing
    if not batch.joined(rule.table, batch.caller.team_id, named):
        raise Rejected(rule.why)


# -- shares ---------------------------------------------------------------------------------------------------------


def _share_team(p: RecordPolicy, share: PersonShare, merged: dict[str, Any], own_team: str) -> str:
    if share.to == "own":
        return own_team
    if p.transfers:
        return str(merged.get(p.transfers.to_field) or "")
    rule = p.addressed
    assert rule is not None, f"{p.table}: an addressed share needs `addressed`"
    return str(merged.get(rule.field) or "") if rule.sent(merged) else ""


def _shares(batch: Batch, p: RecordPolicy, rec: Rec | None, merged: dict[str, Any]) -> list[Effect]:
    """The young people this record shares once saved, if each share's precondition holds; ended shares end."""
    effects: list[Effect] = []
    caller = batch.caller
    people = POLICIES[scope.PEOPLE]
    for share in p.shares:
        person_id = str(merged.get(share.person_field) or "")
        source = f"{share.source}:{merged['id']}"
        team = _share_team(p, share, merged, caller.team_id)
        before = str(rec.data.get(share.person_field) or "") if rec is not None else ""
        if before and before != person_id:
            # The record names someone else now: its share of the person it named ends.
            effects.append(partial(batch.unshare, before, source))
        if not person_id:
            continue
        if not team or not share.active(merged):
            if rec is not None:
                effects.append(partial(batch.unshare, person_id, source))
            continue
        person = batch.live(scope.PEOPLE, person_id)
        if person is None:
            raise Rejected("The young person this names isn't on the server yet. Sync their record first.")
        if person.team_id == team:
            continue  # the team owns them: nothing to share
        rel = team_relation(batch, scope.PEOPLE, person, caller.team_id)
        if rel is None:
            raise Rejected("Your team doesn't hold this young person's record, so it can't share it.")
        team_sees = frozenset(people.field_names())
        if rel is Relation.SHARED:
            team_sees = batch.shared_with(person_id, caller.team_id) or frozenset()
        if share.writer_must == "whole" and team_sees != frozenset(people.field_names()):
            raise Rejected(
                "Only the team that holds this young person's whole record can refer them on: "
                "ask that team to make the referral."
            )
        chosen = frozenset(merged.get(share.extra_field) or ()) if share.extra_field else frozenset()
        # Only what the writer's own role may see of the person, and never more than their team holds.
        writer_sees = people.readable(caller.role, rel) & team_sees
        fields = (people.minimum or frozenset()) | (chosen & writer_sees)
        found = scope.Share(scope.PEOPLE, person_id, team, source, frozenset(fields))
        effects.append(partial(batch.share, found))
    return effects


# -- steps ----------------------------------------------------------------------------------------------------------


def _steps(batch: Batch, p: RecordPolicy, event: dict[str, Any]) -> list[Effect]:
    rule = p.steps
    if rule is None:
        return []
    parent_policy = POLICIES[rule.parent.table]
    parent = batch.live(rule.parent.table, event.get(rule.parent.field))
    if parent is None:
        raise Rejected(f"The {parent_policy.label} this step belongs to isn't on the server yet. Sync it first.")
    addressed = parent_policy.addressed
    team = batch.caller.team_id
    to_team = str(parent.data.get(addressed.field) or "") if addressed else ""
    sent = addressed.sent(parent.data) if addressed else True
    # Sent to an agency with no team on the service: the sending team answers in its place.
    outside = bool(addressed and not to_team and rule.outside_answered_by_owner and addressed.left_draft(parent.data))
    if team not in (parent.team_id, to_team) or not (sent or outside):
        raise Rejected("That referral wasn't sent by or to your team.")
    action = str(event.get(rule.action_field) or "")
    if not rule.moves(action):
        return []
    answering = parent.team_id if outside else to_team
    if team != answering:
        if outside:
            raise Rejected("Only the team that sent this referral records what the agency said.")
        raise Rejected("Only the receiving team can acknowledge, accept, decline, allocate or close a referral.")
    if outside and rule.outside_told_field and not str(event.get(rule.outside_told_field) or "").strip():
        raise Rejected("Say who at the agency told you (the agency has no team on the service).")
    current = str(parent.data.get(rule.parent_status_field) or "draft")
    if current not in rule.allowed_from.get(action, frozenset()):
        raise Rejected(f"This referral is {current}, so it can't be given the step “{action}”.")
    new_status = rule.results.get(action)

    def move_parent() -> None:
        status = new_status or current
        data = dict(parent.data, **{rule.parent_status_field: status})
        copied = rule.copied.get(action, ())
        blank = scope.defaults(parent_policy.table)
        data.update({name: event.get(name, blank.get(name)) for name in copied})
        batch.write(parent, data, [*([rule.parent_status_field] if new_status else []), *copied])
        # A declined or closed referral stops sharing the young person.
        for share in parent_policy.shares:
            if not share.active(data):
                batch.unshare(str(data.get(share.person_field) or ""), f"{share.source}:{parent.record_id}")

    return [move_parent]


# -- writer-bound records -------------------------------------------------------------------------------------------


def _writer(batch: Batch, p: RecordPolicy, merged: dict[str, Any], changed: set[str] | None) -> list[Effect]:
    """A new record names its writer in every user field; an update, in each user field it sets (a review closed
    by the supervisor who decided). A chain is appended to only by new entries."""
    rule = p.writer
    if rule is None:
        return []
    caller = batch.caller
    for name in rule.user_fields:
        if (changed is None or name in changed) and merged.get(name) != caller.user_id:
            raise Rejected(f"{p.title} can only be written in your own name.")
    chain = rule.chain
    if chain is None or changed is not None:
        return []
    device = str(merged.get(chain.device_field) or "")
    head = batch.chain_head(device)
    if head is not None and head[0] != caller.user_id:
        raise Rejected("That audit trail belongs to someone else's laptop, so this entry can't be added to it.")
    seq, prev = (head[1] + 1, head[2]) if head else (1, chain.genesis)
    if merged.get(chain.seq_field) != seq or merged.get(chain.prev_field) != prev:
        raise Rejected(
            f"This audit entry doesn't follow the last one the server has from this laptop: it should be entry {seq}."
        )
    digest = str(merged.get(chain.hash_field) or "")
    if chain.digest(merged) != digest:
        raise Rejected("This audit entry's hash doesn't match what it says.")
    return [lambda: batch.advance_chain(device, caller.user_id, seq, digest)]


def ended_shares(batch: Batch, p: RecordPolicy, rec: Rec) -> None:
    """A record deleted: the shares it made end with it."""
    for share in p.shares:
        person_id = str(rec.data.get(share.person_field) or "")
        if person_id:
            batch.unshare(person_id, f"{share.source}:{rec.record_id}")
