"""Who may see and change what: the access rules as data, and small functions that apply them.

A record belongs to one team (its `team_id`). Its audience is that team, plus teams it is shared with:
- a referral goes to its receiving team (`to_team_id`) once sent, and its events go to both ends;
- a sent referral shares the minimum of the young person (plus the fields the referrer chose) with the receiving team;
- a register entry (attendance) shares the minimum of the young person with the team that ran the session.
Within an audience, the role decides the view: partner staff see the minimum of young people and no special category
or criminal-offence fields; IGT restricted intelligence never leaves the IGT. To add a record type, add its table to
the maps below (and, if it shares records across teams, to `shares_from`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from youthwork.domain.codec import to_dict
from youthwork.domain.records import RECORD_TYPES, CaseNote, Record, Session, YoungPerson
from youthwork.domain.referrals import Referral, ReferralEvent, ReferralStatus
from youthwork.domain.vocab import AgeBand, Role, SessionStatus, TeamKind
from youthwork.server.auth import Caller

PEOPLE = YoungPerson.TABLE

# The least a team that meets a young person through someone else's record may see (plus a derived age band).
MINIMUM_PERSON_FIELDS: frozenset[str] = frozenset({"id", "team_id", "first_name", "known_as", "area"})
AGE_BAND_FIELD = "age_band"

# Tables each role may read and write within its own team; None means every record type.
OWN_TEAM_TABLES: dict[Role, frozenset[str] | None] = {
    Role.WORKER: None,
    Role.SUPERVISOR: None,
    Role.RECEIVING: None,
    Role.PARTNER: frozenset(
        {
            "people",
            "sessions",
            "attendance",
            "case_notes",
            "referrals",
            "referral_events",
            "share_records",
            "audit_log",
            "erasures",
        }
    ),
    Role.ADMIN: frozenset(),  # administrators manage accounts, not case records
}

# Own-team tables a role sees only in part: table -> visible fields.
PARTIAL_VIEWS: dict[Role, dict[str, frozenset[str]]] = {
    Role.PARTNER: {PEOPLE: MINIMUM_PERSON_FIELDS},
}

# Own-team tables a role may write only in part (a Kicks coach quick-adds a new face: name, age, gender, area).
PARTIAL_WRITES: dict[Role, dict[str, frozenset[str]]] = {
    Role.PARTNER: {
        PEOPLE: MINIMUM_PERSON_FIELDS
        | {"gender", "estimated_age", "age_estimated_on", "date_of_birth", "incomplete", "active"}
    },
}

# Roles allowed special category and criminal-offence fields of records their team owns or was sent.
SEES_RESTRICTED: frozenset[Role] = frozenset({Role.WORKER, Role.SUPERVISOR, Role.RECEIVING})

# Team kinds that may hold and see restricted intelligence (CaseNote.restricted).
INTELLIGENCE_TEAMS: frozenset[str] = frozenset({TeamKind.IGT})

# Roles that may sign off a session or return it to its worker. The laptop asks too; this is the rule that holds.
SIGNS_OFF: frozenset[Role] = frozenset({Role.SUPERVISOR})
SIGN_OFF_STATUSES: frozenset[str] = frozenset({SessionStatus.APPROVED, SessionStatus.RETURNED})

# Roles that work a receiving team's referral inbox.
INBOX_ROLES: frozenset[Role] = frozenset({Role.WORKER, Role.SUPERVISOR, Role.RECEIVING})

LABELS: dict[str, str] = {
    "people": "young people's records",
    "rag_ratings": "RAG ratings",
    "sessions": "sessions",
    "attendance": "registers",
    "case_notes": "case notes",
    "referrals": "referrals",
    "referral_events": "referral steps",
    "share_records": "records of information shared",
    "safety_plans": "safety plans",
    "safety_plan_versions": "agreed safety plan versions",
    "nfa_notifications": "police NFA notifications",
}


def label(table: str) -> str:
    return LABELS.get(table, table.replace("_", " "))


def may_sync(caller: Caller) -> bool:
    return OWN_TEAM_TABLES.get(caller.role) != frozenset()


def may_use_table(caller: Caller, table: str) -> bool:
    allowed = OWN_TEAM_TABLES.get(caller.role, frozenset())
    return allowed is None or table in allowed


@cache
def restricted(cls: type[Record]) -> frozenset[str]:
    return frozenset(cls.restricted_fields())


@cache
def defaults(cls: type[Record]) -> dict[str, Any]:
    return to_dict(cls())


def write_problem(caller: Caller, cls: type[Record], fields: dict[str, Any], merged: dict[str, Any]) -> str | None:
    """Why this caller may not write these fields of a record of their own team, or None if they may."""
    if not may_use_table(caller, cls.TABLE):
        return f"Your role can't change {label(cls.TABLE)}."
    if caller.role not in SEES_RESTRICTED:
        blank = defaults(cls)
        touched = [f for f in restricted(cls) if f in fields and fields[f] != blank.get(f)]
        if touched:
            return "Your role can't record special category or criminal-offence details (" + ", ".join(touched) + ")."
        partial = PARTIAL_WRITES.get(caller.role, {}).get(cls.TABLE)
        if partial is not None:
            meta = {"created_at", "updated_at", "created_by"}
            hidden = [f for f in fields if f not in partial | meta and fields[f] != blank.get(f)]
            if hidden:
                return "Your role can only record a name, age, gender and area for a young person."
    if cls is CaseNote and merged.get("restricted") and caller.team_kind not in INTELLIGENCE_TEAMS:
        return "Only the Integrated Gangs Team can record restricted intelligence."
    if cls is Session and _signs_off(fields):
        if caller.role not in SIGNS_OFF:
            return "Only a supervisor can sign off a session or return it to the worker."
        if caller.user_id in (merged.get("workers") or []):
            return "You worked this session, so another supervisor needs to sign it off."
    return None


def _signs_off(fields: dict[str, Any]) -> bool:
    """Whether a change to a session signs it off or returns it (a worker's amendment only resubmits it)."""
    return fields.get("status") in SIGN_OFF_STATUSES or bool(fields.get("reviewed_by") or fields.get("reviewed_at"))


@dataclass(frozen=True, slots=True)
class Share:
    table: str
    record_id: str
    team_id: str
    source: str
    fields: frozenset[str]


def shares_from(table: str, data: dict[str, Any]) -> list[Share]:
    """Records that this record, once saved, makes visible to another team."""
    if table == Referral.TABLE:
        if data.get("status") in (None, "", ReferralStatus.DRAFT) or not data.get("to_team_id"):
            return []
        chosen = frozenset(f for f in data.get("shared_fields") or () if f in YoungPerson.field_names())
        return [
            Share(
                PEOPLE, data["person_id"], data["to_team_id"], f"referral:{data['id']}", MINIMUM_PERSON_FIELDS | chosen
            )
        ]
    if table == "attendance" and data.get("person_id"):
        return [Share(PEOPLE, data["person_id"], data["team_id"], f"register:{data['id']}", MINIMUM_PERSON_FIELDS)]
    return []


def audience(
    table: str, data: dict[str, Any], shared_with: Iterable[str], parent: Callable[[str, str], dict | None]
) -> set[str]:
    """Teams that should receive this record's changes. `parent(table, id)` looks up a related record's data."""
    teams = {data["team_id"]}
    if table == Referral.TABLE:
        if data.get("to_team_id") and data.get("status") not in (None, "", ReferralStatus.DRAFT):
            teams.add(data["to_team_id"])
    elif table == ReferralEvent.TABLE:
        ref = parent(Referral.TABLE, data.get("referral_id", ""))
        if ref:
            teams |= {ref["team_id"], ref.get("to_team_id") or ref["team_id"]}
    if table == CaseNote.TABLE and data.get("restricted"):
        return teams & {data["team_id"]}  # never leaves the owning (IGT) team
    teams |= set(shared_with)
    return {team for team in teams if team}


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


def _only(data: dict[str, Any], visible: Iterable[str]) -> dict[str, Any]:
    return {k: data[k] for k in visible if k in data}


def sees_whole(caller: Caller, table: str, owner_team: str) -> bool:
    """True when `view` would return the record unchanged, whatever its contents (so it needn't be decoded)."""
    return (
        owner_team == caller.team_id
        and caller.role in SEES_RESTRICTED
        and may_use_table(caller, table)
        and table not in PARTIAL_VIEWS.get(caller.role, {})
        and (table != CaseNote.TABLE or caller.team_kind in INTELLIGENCE_TEAMS)
        and table in RECORD_TYPES
    )


def view(
    caller: Caller, table: str, data: dict[str, Any], owner_team: str, shared_fields: frozenset[str] | None
) -> dict[str, Any] | None:
    """The fields of a record this caller may see, or None if none.

    `shared_fields` is the union of what other teams shared with the caller's team (None if nothing was shared).
    """
    cls = RECORD_TYPES.get(table)
    if cls is None:
        return None
    intelligence = table == CaseNote.TABLE and data.get("restricted")
    if intelligence and (caller.team_kind not in INTELLIGENCE_TEAMS or owner_team != caller.team_id):
        return None
    sees_restricted = caller.role in SEES_RESTRICTED
    if owner_team == caller.team_id:
        if not may_use_table(caller, table):
            return None
        partial = PARTIAL_VIEWS.get(caller.role, {}).get(table)
        out = _only(data, partial) if partial is not None else dict(data)
        if partial is not None and table == PEOPLE:
            out[AGE_BAND_FIELD] = _age_band(data)
    elif table in (Referral.TABLE, ReferralEvent.TABLE):
        # The audience rules put it here: the caller's team sent or received the referral.
        if not may_use_table(caller, table):
            return None
        out = dict(data)
    elif table == "erasures":
        out = dict(data)  # a tombstone (ids and codes only) for every team that held a record about the person
    elif shared_fields is not None and table == PEOPLE:
        out = _only(data, shared_fields)
        out[AGE_BAND_FIELD] = _age_band(data)
    else:
        return None
    if not sees_restricted:
        if out.get("shared_fields"):
            # Not even the names of restricted fields shared with someone else.
            hidden = YoungPerson.restricted_fields()
            out["shared_fields"] = [f for f in out["shared_fields"] if f not in hidden]
        for name in restricted(cls):
            out.pop(name, None)
    return out
