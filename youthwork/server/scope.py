"""Who may see what: the read side of the declared policies (youthwork.domain.policy), applied to stored records.

A record belongs to one team (its `team_id`). Its audience is that team plus the teams a declared relation reaches: the
team a referral (or a move to another team) is addressed to, both ends of a referral for its steps, teams a young person
is shared with (by a referral or a register entry, see youthwork.server.rules), and for an erasure tombstone every team
that held a record. Within an audience the caller's role and the relation decide the fields (`RecordPolicy.readable`):
partner staff see the minimum of young people and no special category or criminal-offence fields; a record with its
private flag set (IGT intelligence) never leaves its team. Nothing here names a record type: it all comes from the
declarations, so a new record type needs nothing here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from youthwork.domain.codec import to_dict
from youthwork.domain.policy import POLICIES, STAFF, RecordPolicy, Relation, policy_for
from youthwork.domain.records import MINIMUM_PERSON_FIELDS, YoungPerson
from youthwork.domain.vocab import AgeBand, Role
from youthwork.server.auth import Caller

PEOPLE = YoungPerson.TABLE
AGE_BAND_FIELD = "age_band"
__all__ = ["MINIMUM_PERSON_FIELDS", "PEOPLE"]

# Roles that work a receiving team's referral inbox.
INBOX_ROLES: frozenset[Role] = STAFF
# Roles allowed special category and criminal-offence fields (the declarations' default).
SEES_RESTRICTED: frozenset[Role] = STAFF


def _derived_tables() -> dict[Role, frozenset[str] | None]:
    out: dict[Role, frozenset[str] | None] = {}
    for role in Role:
        tables = frozenset(t for t, p in POLICIES.items() if role in p.roles)
        out[role] = None if tables == frozenset(POLICIES) else tables
    return out


# Derived from the declarations, for reading (docs/access.md has them all): the tables each role reads and writes
# within its own team (None: every type), and the own-team types a role sees or writes only in part.
OWN_TEAM_TABLES: dict[Role, frozenset[str] | None] = _derived_tables()
PARTIAL_VIEWS: dict[Role, dict[str, frozenset[str]]] = {
    role: {t: p.reads[role] for t, p in POLICIES.items() if role in p.reads} for role in Role
}
PARTIAL_WRITES: dict[Role, dict[str, frozenset[str]]] = {
    role: {t: p.writes[role] for t, p in POLICIES.items() if role in p.writes} for role in Role
}


def label(table: str) -> str:
    p = POLICIES.get(table)
    return p.label if p else table.replace("_", " ")


def may_sync(caller: Caller) -> bool:
    return any(caller.role in p.roles for p in POLICIES.values())


def may_use_table(caller: Caller, table: str) -> bool:
    p = POLICIES.get(table)
    return p is not None and caller.role in p.roles


def reads_field(caller: Caller, table: str, name: str) -> bool:
    """Whether the caller may see this field of their own team's records of this type (conflict copies, say)."""
    p = POLICIES.get(table)
    return p is not None and name in p.readable(caller.role, Relation.OWN)


@cache
def restricted(table: str) -> frozenset[str]:
    return frozenset(POLICIES[table].sensitivity())


@cache
def writable(table: str, role: Role) -> frozenset[str]:
    """`RecordPolicy.writable`, worked out once per record type and role (the policies are fixed declarations)."""
    return POLICIES[table].writable(role)


@cache
def defaults(table: str) -> dict[str, Any]:
    return to_dict(POLICIES[table].cls())


@cache
def _all_fields(table: str) -> frozenset[str]:
    return frozenset(POLICIES[table].field_names())


@dataclass(frozen=True, slots=True)
class Share:
    table: str
    record_id: str
    team_id: str
    source: str
    fields: frozenset[str]


def _private(p: RecordPolicy, data: dict[str, Any]) -> bool:
    return bool(p.private_flag and data.get(p.private_flag))


def audience(
    table: str, data: dict[str, Any], shared_with: Iterable[str], parent: Callable[[str, str], dict[str, Any] | None]
) -> set[str]:
    """Teams that should receive this record's changes. `parent(table, id)` looks up a related record's data."""
    teams = {data["team_id"]}
    p = POLICIES.get(table)
    if p is None:
        return teams
    if p.addressed and p.addressed.sent(data):
        teams.add(data[p.addressed.field])
    if p.transfers:
        teams.add(str(data.get(p.transfers.to_field) or ""))
    if p.steps:
        link = p.steps.parent
        up = parent(link.table, data.get(link.field) or "")
        up_policy = POLICIES.get(link.table)
        if up:
            teams.add(up["team_id"])
            if up_policy and up_policy.addressed and up_policy.addressed.sent(up):
                teams.add(up[up_policy.addressed.field])
    if _private(p, data):
        return {data["team_id"]}  # never leaves the owning team
    teams |= set(shared_with)
    return {team for team in teams if team}


def relation(
    caller: Caller, p: RecordPolicy, data: dict[str, Any], owner_team: str, shared: frozenset[str] | None
) -> Relation | None:
    """How the caller's team stands to this record, or None if it has no declared way to reach it."""
    if owner_team == caller.team_id:
        return Relation.OWN
    if p.addressed and p.addressed.sent(data) and data.get(p.addressed.field) == caller.team_id:
        return Relation.ADDRESSED
    if p.transfers and data.get(p.transfers.to_field) == caller.team_id:
        return Relation.ADDRESSED
    if p.steps:
        return Relation.END  # the audience put it in this team's feed: its parent was sent by or to the team
    if p.tombstone:
        return Relation.TOMBSTONE
    if p.minimum is not None and shared is not None:
        return Relation.SHARED
    return None


def _age_band(data: dict[str, Any]) -> str:
    try:
        person = YoungPerson(
            date_of_birth=_date(data.get("date_of_birth")),
            estimated_age=data.get("estimated_age"),
            age_estimated_on=_date(data.get("age_estimated_on")),
        )
        return AgeBand.for_age(person.age_on(date.today())).value
    except (TypeError, ValueError):
        return AgeBand.NOT_KNOWN.value


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def sees_whole(caller: Caller, table: str, owner_team: str) -> bool:
    """True when `view` would return the record unchanged, whatever its contents (so it needn't be decoded)."""
    p = POLICIES.get(table)
    return (
        p is not None
        and owner_team == caller.team_id
        and p.readable(caller.role, Relation.OWN) == _all_fields(table)
        and (p.private_flag is None or caller.team_kind in p.private_kinds)
    )


def view(
    caller: Caller, table: str, data: dict[str, Any], owner_team: str, shared_fields: frozenset[str] | None
) -> dict[str, Any] | None:
    """The fields of a record this caller may see, or None if none.

    `shared_fields` is the union of what other teams shared with the caller's team (None if nothing was shared).
    """
    p = policy_for(table)
    if p is None or caller.role not in p.roles:
        return None
    if _private(p, data) and (caller.team_kind not in p.private_kinds or owner_team != caller.team_id):
        return None
    rel = relation(caller, p, data, owner_team, shared_fields)
    if rel is None:
        return None
    visible = p.readable(caller.role, rel)
    if rel is Relation.SHARED:
        visible &= shared_fields or frozenset()
    whole = visible == _all_fields(table)
    out = dict(data) if whole else {k: data[k] for k in visible if k in data}
    if p.minimum is not None and not whole:
        out[AGE_BAND_FIELD] = _age_band(data)
    target = POLICIES[PEOPLE]
    if caller.role not in target.restricted_roles:
        for share in p.shares:
            # Not even the names of restricted fields shared with someone else.
            if share.extra_field and out.get(share.extra_field):
                out[share.extra_field] = [f for f in out[share.extra_field] if f not in restricted(PEOPLE)]
    return out
