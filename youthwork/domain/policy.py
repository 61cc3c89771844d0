"""One declared policy per record type: who owns it, who may read and write which fields, how it links and shares.

Each record type's module declares its policy beside its dataclass (`declare(RecordPolicy(...))`). The central
service enforces every write, share and erasure through these declarations alone (youthwork.server.rules), and the
access maps, `docs/access.md` and the laptop's table checks are derived from them. Adding a record type means one
dataclass, one declaration and its laptop migration; nothing on the server.

Vocabulary:
- A record belongs to one team (its `team_id`): the *owning* team. Only the owning team writes it.
- `roles`: roles of a team that read and write the type at all (administrators manage accounts, not case records).
- `reads` / `writes`: roles that see or write only some fields; everyone else in `roles` has every field.
- Special category and criminal-offence fields (field metadata in the dataclass) are seen and written only by
  `restricted_roles`.
- `links`: id fields that name another record. The writer's team must see the record named (or own it).
- Another team reaches a record only through a declared relation (see `Relation`): a referral (or a move to another
  team) is *addressed* to its receiving team, a referral's steps go to both *ends*, a young person is *shared* by a
  referral or a register entry
  (`PersonShare`, with its precondition), an erasure tombstone goes to every team that held a record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from youthwork.domain.memo import cached
from youthwork.domain.vocab import Role, Sensitivity, TeamKind, Vocab

if TYPE_CHECKING:
    from youthwork.domain.records import Record

# Staff of a team who work case records; partner staff (Kicks coaches) see less; administrators none.
STAFF: frozenset[Role] = frozenset({Role.WORKER, Role.SUPERVISOR, Role.RECEIVING})
STAFF_AND_PARTNER: frozenset[Role] = STAFF | {Role.PARTNER}
SUPERVISORS: frozenset[Role] = frozenset({Role.SUPERVISOR})
# Fields every record carries that the service or the laptop fills in; never a permission question.
META_FIELDS: frozenset[str] = frozenset({"id", "team_id", "created_at", "updated_at", "created_by"})


class Relation(Vocab):
    """How a team stands to a record: the columns of docs/access.md."""

    OWN = "own", "Own team's record"
    ADDRESSED = "addressed", "Sent to the team"
    END = "end", "Step of a record the team sent or received"
    SHARED = "shared", "Shared with the team"
    TOMBSTONE = "tombstone", "Erasure notice"


class Must(Vocab):
    """What the writer's team must be to a record a link names."""

    SEE = "see", "see it (own it, or have it shared)"
    OWN = "own", "own it"
    END = "end", "be one end of it (sender or receiver)"


@dataclass(frozen=True, slots=True)
class Link:
    """An id field naming another record. Empty is allowed unless `required` (the domain checks say so anyway)."""

    field: str
    table: str
    must: Must = Must.SEE
    required: bool = False


@dataclass(frozen=True, slots=True)
class Together:
    """Two link fields whose records must be joined by a live record of `table` of the writer's team, which has
    fields of the same names: a named check-in's young person must be on the register of its session."""

    table: str
    fields: tuple[str, str]
    why: str  # said to the worker when it is refused


@dataclass(frozen=True, slots=True)
class Addressed:
    """The record goes to another team named in one of its fields once it leaves draft (a referral)."""

    field: str  # the receiving team's id
    agency_field: str  # the agency code; a receiving team must be of a kind that receives it
    status_field: str = "status"
    drafts: frozenset[str] = frozenset({"", "draft"})
    # Fields the sender can't change once it is sent (redirecting means closing it and making a new one).
    fixed_once_sent: frozenset[str] = frozenset()
    # Values of `status_field` the sending team may set itself; the rest follow the receiving team's steps.
    sender_statuses: frozenset[str] = frozenset({"draft", "sent"})
    # A field that, when set, says the record came from outside the service (a school's referral) and was recorded by
    # the team it came to: the writer's own team is then its receiving team, and `inbound_person` (a link whose
    # `must` the writer's team must meet, e.g. own the young person) is checked.
    inbound_field: str | None = None
    inbound_person: Link | None = None

    def sent(self, data: Mapping[str, Any]) -> bool:
        return self.left_draft(data) and bool(data.get(self.field))

    def left_draft(self, data: Mapping[str, Any]) -> bool:
        return (data.get(self.status_field) or "") not in self.drafts

    def inbound(self, data: Mapping[str, Any]) -> bool:
        return bool(self.inbound_field and data.get(self.inbound_field))


@dataclass(frozen=True, slots=True)
class PersonShare:
    """Saving this record shares a young person with a team, if its precondition holds.

    `to`: "addressed" (the record's receiving team) or "own" (the writer's own team, for a register entry).
    `writer_must`: "whole" (the writing team owns the person, or already sees every field) or "see".
    The share carries the person's declared minimum, plus the fields named in `extra_field` that the writer's role may
    see itself; the receiving caller then sees only what their own role may see of a shared person.
    The share holds while `active_statuses` (None: always) contains the record's status; once it leaves them (declined,
    closed, withdrawn) further changes of the person stop flowing to that team.
    """

    source: str
    to: str
    person_field: str = "person_id"
    writer_must: str = "see"
    extra_field: str | None = None
    status_field: str = "status"
    active_statuses: frozenset[str] | None = None
    # The record this one hangs from must be owned by the writer's team (a register entry: its session).
    within: Link | None = None

    def active(self, data: Mapping[str, Any]) -> bool:
        return self.active_statuses is None or (data.get(self.status_field) or "") in self.active_statuses


@dataclass(frozen=True, slots=True)
class Steps:
    """An append-only record that moves a parent record along a workflow (a referral's events).

    Steps that change the parent's status come only from the parent's receiving team, from the statuses allowed;
    other steps (notes) from either end.
    """

    parent: Link
    action_field: str
    results: Mapping[str, str | None]  # action -> the parent's new status (None: no change)
    allowed_from: Mapping[str, frozenset[str]]
    parent_status_field: str = "status"
    copied: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # action -> fields copied onto the parent
    # A parent sent to no team on the service (an agency outside it): its owning team records the moving steps in
    # the agency's place, and only it; each such step names who told them in `outside_told_field`.
    outside_answered_by_owner: bool = False
    outside_told_field: str | None = None

    def moves(self, action: str) -> bool:
        """A step that changes the parent (its status, or fields copied onto it), not a note."""
        return self.results.get(action) is not None or bool(self.copied.get(action))


@dataclass(frozen=True, slots=True)
class SignOff:
    """A status only some roles may set, never on a record that lists the signer among its workers.

    While `status_field` is one of `locked` (signed off), the record is fixed on the service: no one deletes it, and a
    change is either the sign-off itself (a signer setting only the status, the markers and `comment_field`) or an
    amendment: only `amendable` fields (and `amendment_sets`), a reason in `comment_field`, and the status back to
    `reopen`, so the record waits for sign-off again and a signer sees what changed. Records that hang from it
    (`RecordPolicy.locked_with`) are fixed with it.
    """

    roles: frozenset[Role]
    status_field: str
    statuses: frozenset[str]  # the sign-off statuses (approved, returned)
    marker_fields: tuple[str, ...]  # setting any of these also signs off
    not_by_field: str  # a list of user ids who may not sign it off
    locked: frozenset[str] = frozenset()
    comment_field: str | None = None  # the signer's comment; an amendment's reason
    reopen: str | None = None  # None: a locked record can't be amended at all
    amendable: frozenset[str] = frozenset()
    amendment_sets: frozenset[str] = frozenset()  # bookkeeping an amendment also writes (when it was resubmitted)

    def is_locked(self, data: Mapping[str, Any]) -> bool:
        return (data.get(self.status_field) or "") in self.locked

    def signer_fields(self) -> frozenset[str]:
        """What the sign-off itself writes."""
        return frozenset(
            {self.status_field, *self.marker_fields, *([self.comment_field] if self.comment_field else [])}
        )

    def amendment_fields(self) -> frozenset[str]:
        """What an amendment of a locked record may write."""
        if self.reopen is None:
            return frozenset()
        comment = {self.comment_field} if self.comment_field else set()
        return self.amendable | self.amendment_sets | {self.status_field} | comment

    def field_names(self) -> set[str]:
        return {self.status_field, self.not_by_field, *self.marker_fields, *self.amendment_fields()}


@dataclass(frozen=True, slots=True)
class Chain:
    """A per-device hash chain: the service numbers it by its own view of the chain's head."""

    device_field: str
    seq_field: str
    prev_field: str
    hash_field: str
    genesis: str  # the `prev_field` of a chain's first entry
    digest: Callable[[dict[str, Any]], str]  # the hash an entry must carry, from its wire form


@dataclass(frozen=True, slots=True)
class WriterBound:
    """Fields that must name the writer (the pushing user), and an optional chain the writer appends to."""

    user_fields: tuple[str, ...]
    chain: Chain | None = None


@dataclass(frozen=True, slots=True)
class Erases:
    """This record erases or anonymises a young person: who may, and which fields say who and how."""

    roles: frozenset[Role]
    person_field: str = "person_id"
    mode_field: str = "mode"


@dataclass(frozen=True, slots=True)
class Merges:
    """This record merges one young person's record into another's (youthwork.domain.merges has the whole story).

    Roles outside `roles_without_reason` must give a reason. The service carries it out: the survivor takes `kept`,
    every record linking to the merged-away person by a declared person link is re-pointed, and the merged-away
    record is deleted, kept on the merge (`snapshot`) so that setting `status_field` to `undone` within
    `undo_days`, while nothing about either has changed since, puts everything back.
    """

    roles_without_reason: frozenset[Role]
    undo_days: int
    from_field: str = "from_person_id"
    into_field: str = "into_person_id"
    kept_field: str = "kept"
    reason_field: str = "reason"
    status_field: str = "status"
    merged: str = "merged"
    undone: str = "undone"
    # Written by the service, never by a laptop.
    service_fields: tuple[str, ...] = ("applied_at", "snapshot", "before", "moved")


@dataclass(frozen=True, slots=True)
class Allocated:
    """A field naming the member of staff who leads on the record (a young person's lead worker).

    It names a current member of the owning team, never anyone else's staff. The team names anyone of its own when
    the record is made; after that only `roles` (supervisors) change it to someone else, while any writer may name
    themself or step down (clear it while it names them). An id the service has never heard of is let through on a
    new record only (records kept from before the service, the demo's own workers).
    """

    field: str
    roles: frozenset[Role]


@dataclass(frozen=True, slots=True)
class Transfers:
    """This record moves a young person (its `person_field`) from its owning team to the team in `to_field`.

    `proposer_roles` of the owning team propose it (the young person must be theirs); it then goes to the receiving
    team too, whose `answer_roles` alone set `status_field` to `accepted` or `declined` (writing only the answer
    fields, in their own name in `answered_by_field`); the sending team may withdraw it while proposed. Nothing else
    of it changes. On acceptance the service makes the young person, and their records of the tables named in
    `goes_field` (of `can_go`, with the records that hang from those by an owning link), the receiving team's; the
    rest stays with the sending team, which keeps only `keeps` of the young person (a share).
    """

    proposer_roles: frozenset[Role]
    answer_roles: frozenset[Role]
    can_go: frozenset[str]
    keeps: frozenset[str]
    to_field: str = "to_team_id"
    goes_field: str = "goes"
    status_field: str = "status"
    proposed: str = "proposed"
    accepted: str = "accepted"
    declined: str = "declined"
    withdrawn: str = "withdrawn"
    by_field: str = "proposed_by"
    answered_by_field: str = "answered_by"
    reason_field: str = "decline_reason"  # a decline says why
    answer_fields: frozenset[str] = frozenset({"status", "answered_by", "answered_at", "decline_reason"})

    def open(self, data: Mapping[str, Any]) -> bool:
        return (data.get(self.status_field) or "") == self.proposed

    def field_names(self) -> set[str]:
        return {
            self.to_field,
            self.goes_field,
            self.status_field,
            self.by_field,
            self.answered_by_field,
            self.reason_field,
            *self.answer_fields,
        }


@dataclass(frozen=True, slots=True)
class RecordPolicy:
    cls: type[Record]
    label: str  # plural, as a youth worker says it: "case notes"
    roles: frozenset[Role]
    reads: Mapping[Role, frozenset[str]] = field(default_factory=dict)
    writes: Mapping[Role, frozenset[str]] = field(default_factory=dict)
    restricted_roles: frozenset[Role] = STAFF
    links: tuple[Link, ...] = ()
    together: Together | None = None
    # Which young person the record is about: "id" for the person's own record, else a link field.
    person_field: str | None = "person_id"
    addressed: Addressed | None = None
    shares: tuple[PersonShare, ...] = ()
    steps: Steps | None = None
    sign_off: SignOff | None = None
    # A link field: while the record it names is signed off (locked), this record can't be added, moved or deleted.
    locked_with: str | None = None
    writer: WriterBound | None = None
    # A flag that, when true, keeps the record inside its owning team; only teams of `private_kinds` may set it.
    private_flag: str | None = None
    private_kinds: frozenset[str] = frozenset()
    # The domain's checks wait while the record is a draft: (field, value).
    unchecked_while: tuple[str, str] | None = None
    erases: Erases | None = None
    kept_on_erasure: bool = False  # holds no personal data and proves what was done (audit, tombstones)
    anonymised_keeps: frozenset[str] | None = None  # None: erased whole when the person is anonymised
    tombstone: bool = False  # goes to every team the erasure reached
    # Shared young people: the least a team that meets the person through someone else's record sees.
    minimum: frozenset[str] | None = None
    clients_create: bool = True  # False: only the service makes or deletes these (a device may update them)
    # (field, value): once the record holds it (a review decided), the record is closed: no change, no deletion.
    closed_when: tuple[str, str] | None = None
    # A date field: once that day has passed the record lapses. The service erases it (a tombstone to every team that
    # had it) and refuses it back; laptops erase their copies. Lapsed records are erased, never hidden.
    lapses: str | None = None
    merges: Merges | None = None  # it merges two young people's records (and may undo that)
    allocated: Allocated | None = None  # a lead worker: who may name or change them
    transfers: Transfers | None = None  # it moves a young person to another team, once that team accepts

    @property
    def table(self) -> str:
        return self.cls.TABLE

    @property
    def title(self) -> str:
        """The label at the start of a sentence ("RAG ratings", "Case notes")."""
        return self.label[:1].upper() + self.label[1:]

    @property
    def append_only(self) -> bool:
        return bool(self.cls.APPEND_ONLY)

    def field_names(self) -> list[str]:
        return list(_names(self.cls))

    def sensitivity(self) -> dict[str, Sensitivity]:
        return dict(self.cls.restricted_fields())

    def safety_critical(self) -> frozenset[str]:
        return self.cls.safety_critical_fields()

    def relations(self) -> list[Relation]:
        """The relations by which a team can reach records of this type."""
        out = [Relation.OWN]
        if self.addressed or self.transfers:
            out.append(Relation.ADDRESSED)
        if self.steps:
            out.append(Relation.END)
        if self.minimum is not None:
            out.append(Relation.SHARED)
        if self.tombstone:
            out.append(Relation.TOMBSTONE)
        return out

    def readable(self, role: Role, relation: Relation) -> frozenset[str]:
        """The most of a record's fields this role may see through this relation (a share may narrow it further)."""
        if role not in self.roles or relation not in self.relations():
            return frozenset()
        names = _name_set(self.cls)
        visible = self.reads.get(role, names) & names
        if role not in self.restricted_roles:
            visible -= set(self.sensitivity())
        return visible

    def writable(self, role: Role) -> frozenset[str]:
        """Fields this role may set on its own team's records of this type."""
        if role not in self.roles:
            return frozenset()
        names = self.writes.get(role, _name_set(self.cls)) | META_FIELDS
        if role not in self.restricted_roles:
            names -= set(self.sensitivity())
        return frozenset(names) & _name_set(self.cls)


@cached
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@cached
def _name_set(cls: type) -> frozenset[str]:
    return frozenset(_names(cls))


POLICIES: dict[str, RecordPolicy] = {}


def declare(policy: RecordPolicy) -> RecordPolicy:
    """Add a record type and its policy to the registry (and the record types every part of the app knows)."""
    from youthwork.domain.records import RECORD_TYPES  # records declares its own types through this module

    names = set(policy.field_names())
    named = {link.field for link in policy.links}
    named |= {name for rule in (policy.reads, policy.writes) for chosen in rule.values() for name in chosen}
    for share in policy.shares:
        named.add(share.person_field)
    if policy.person_field:
        named.add(policy.person_field)
    if policy.lapses:
        named.add(policy.lapses)
    if policy.allocated:
        named.add(policy.allocated.field)
    if policy.transfers:
        named |= policy.transfers.field_names()
        unknown_tables = policy.transfers.can_go - set(POLICIES)
        if unknown_tables:
            raise ValueError(f"{policy.table}: `can_go` names record types not declared yet: {sorted(unknown_tables)}")
    if policy.merges:
        m = policy.merges
        named |= {m.from_field, m.into_field, m.kept_field, m.reason_field, m.status_field, *m.service_fields}
    if policy.sign_off:
        named |= policy.sign_off.field_names()
    if policy.addressed and policy.addressed.inbound_field:
        named.add(policy.addressed.inbound_field)
    if policy.steps and policy.steps.outside_told_field:
        named.add(policy.steps.outside_told_field)
    if policy.together and not set(policy.together.fields) <= {link.field for link in policy.links}:
        raise ValueError(f"{policy.table}: `together` must name two of its links, not {policy.together.fields!r}")
    if policy.locked_with and policy.locked_with not in {link.field for link in policy.links}:
        raise ValueError(f"{policy.table}: `locked_with` must be one of its links, not {policy.locked_with!r}")
    unknown = named - names
    if unknown:
        raise ValueError(f"{policy.table}: the policy names fields the record doesn't have: {sorted(unknown)}")
    POLICIES[policy.table] = policy
    RECORD_TYPES[policy.table] = policy.cls
    return policy


def policy_for(table: str) -> RecordPolicy | None:
    return POLICIES.get(table)


# Which kinds of team on the service receive referrals to which agency (a referral to "tys" goes to a TYS team).
# Partner organisations on the service (St Giles, Abianda, Redthread) receive as partner teams, whose staff see only
# the minimum of anyone.
RECEIVES: Mapping[str, frozenset[str]] = {
    "tys": frozenset({TeamKind.TYS}),
    "igt": frozenset({TeamKind.IGT}),
    "st_giles": frozenset({TeamKind.PARTNER}),
    "abianda": frozenset({TeamKind.PARTNER}),
    "redthread": frozenset({TeamKind.PARTNER}),
}


def receives(team_kind: str, agency: str) -> bool:
    return team_kind in RECEIVES.get(agency, frozenset())
