"""Records that keep the privacy notice's promises: the audit trail, consent history, erasures and legal holds.

None of these records holds personal data beyond record ids: an audit entry or an erasure outlives the person it is
about, so it names them only by their (random) record id, and reasons are codes from a vocabulary, not free text.

The audit trail is hash-chained per device: each entry stores the hash of the previous entry of the same device and a
hash over its own canonical content, so a removed, altered or reordered entry is detected (see `audit_hash`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from youthwork.domain.codec import to_dict
from youthwork.domain.policy import (
    POLICIES,
    STAFF,
    STAFF_AND_PARTNER,
    SUPERVISORS,
    Chain,
    Erases,
    Link,
    Must,
    RecordPolicy,
    WriterBound,
    declare,
)
from youthwork.domain.records import Record, utc_now
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import ConsentGivenBy, LawfulBasis, Role, Vocab

GENESIS_HASH = "0" * 64


class AuditAction(Vocab):
    VIEWED = "viewed", "Viewed"
    CHANGED = "changed", "Changed"
    SHARED = "shared", "Shared"
    PRINTED = "printed", "Printed"
    EXPORTED = "exported", "Exported"
    BREAK_GLASS = "break_glass", "Opened restricted details"
    CONSENT = "consent", "Recorded consent or lawful basis"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Recorded consent withdrawn"
    LEGAL_HOLD = "legal_hold", "Placed a legal hold"
    LEGAL_HOLD_LIFTED = "legal_hold_lifted", "Lifted a legal hold"
    ERASED = "erased", "Erased"
    ANONYMISED = "anonymised", "Anonymised"
    RETENTION_CONFIRMED = "retention_confirmed", "Confirmed deletion after retention"
    MERGED = "merged", "Merged a duplicate record"
    MERGE_UNDONE = "merge_undone", "Undid a merge"
    ERASURE_REVIEWED = "erasure_reviewed", "Decided on another team's erasure"
    MOVE_PROPOSED = "move_proposed", "Proposed a move to another team"
    MOVE_ACCEPTED = "move_accepted", "Accepted a move from another team"
    MOVE_DECLINED = "move_declined", "Declined a move from another team"
    MOVE_WITHDRAWN = "move_withdrawn", "Withdrew a move to another team"


class AccessReason(Vocab):
    """Why someone opened restricted (special category or criminal-offence) details."""

    SAFEGUARDING = "safeguarding", "A safeguarding concern today"
    REFERRAL = "referral", "Making or answering a referral"
    SAFETY_PLAN = "safety_plan", "Writing or reviewing a safety plan"
    SUPERVISION = "supervision", "Supervision or case review"
    LEGAL = "legal", "A court, police or legal request"
    SUBJECT_ACCESS = "subject_access", "A subject access request"


class ConsentEventKind(Vocab):
    RECORDED = "recorded", "Lawful basis or consent recorded"
    REVIEWED = "reviewed", "Consent reviewed"
    WITHDRAWN = "withdrawn", "Consent withdrawn"


class ErasureMode(Vocab):
    ERASE = "erase", "Erase everything about the young person"
    ANONYMISE = "anonymise", "Anonymise (keep counts, remove everything that identifies them)"


class ErasureReason(Vocab):
    REQUEST = "request", "The young person (or their parent or carer) asked for erasure"
    RETENTION = "retention", "Past the retention period"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn and no other lawful basis"
    RECORDED_IN_ERROR = "recorded_in_error", "Recorded in error (wrong person or duplicate)"
    OWNER_ERASED = "owner_erased", "The team that owns the young person's record erased it"


class ReviewDecision(Vocab):
    """What a team decided about its own records after another team erased the young person."""

    ERASED = "erased", "Erased our records too"
    KEPT = "kept", "Kept our records"


class KeepReason(Vocab):
    """The team's own lawful basis for keeping its records after the owning team erased the young person.

    A code, never free text: the review outlives the person and must not say anything about them.
    """

    SAFEGUARDING = "safeguarding", "An open safeguarding enquiry or child protection plan"
    LEGAL = "legal", "A court case, police investigation or legal claim"
    STATUTORY = "statutory", "A law says our team must keep them for a set time"
    OWN_WORK = "own_work", "We still work with the young person on our own lawful basis"


@dataclass(slots=True, kw_only=True)
class AuditEntry(Record):
    """Who did what to which record, and when. Append-only, chained per device."""

    TABLE: ClassVar[str] = "audit_log"
    APPEND_ONLY: ClassVar[bool] = True

    device: str = ""  # the store id of the laptop that wrote it
    seq: int = 0  # 1, 2, 3... per device
    user_id: str = ""
    action: str = ""
    table_name: str = ""
    record_id: str = ""
    person_id: str = ""  # the young person the record is about, when there is one
    at: datetime = field(default_factory=utc_now)
    reason: str = ""  # an AccessReason code (break-the-glass) or ErasureReason code
    prev_hash: str = GENESIS_HASH
    hash: str = ""


# The content the hash covers: everything that says who, what, when and where in the chain.
AUDIT_HASHED_FIELDS: tuple[str, ...] = (
    "id",
    "team_id",
    "device",
    "seq",
    "user_id",
    "action",
    "table_name",
    "record_id",
    "person_id",
    "at",
    "reason",
    "prev_hash",
)


def audit_hash(data: dict[str, Any]) -> str:
    """sha256 over the canonical JSON of an entry's hashed fields (wire-encoded values, as `to_dict` gives)."""
    content = {name: data.get(name) for name in AUDIT_HASHED_FIELDS}
    if isinstance(content["at"], datetime):
        content["at"] = content["at"].isoformat()
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainProblem:
    device: str
    seq: int
    message: str

    def __str__(self) -> str:
        return self.message


def verify_entries(entries: Iterable[dict[str, Any]], heads: dict[str, str] | None = None) -> list[ChainProblem]:
    """Check chains of wire-form entries (dicts), grouped by device. Used on the laptop and on the server.

    `heads` maps a device to "seq:hash" of its newest entry as last written, to catch a cut-off tail.
    """
    by_device: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        by_device.setdefault(str(e.get("device", "")), []).append(e)
    problems: list[ChainProblem] = []
    for device, chain in sorted(by_device.items()):
        chain.sort(key=lambda e: int(e.get("seq") or 0))
        prev_hash = GENESIS_HASH
        expected = 1
        for e in chain:
            seq = int(e.get("seq") or 0)
            if seq != expected:
                what = "missing" if seq > expected else "duplicated"
                problems.append(ChainProblem(device, seq, f"Audit entry {expected} of device {device[:8]} is {what}."))
            if audit_hash(e) != e.get("hash"):
                problems.append(ChainProblem(device, seq, f"Audit entry {seq} of device {device[:8]} was altered."))
            if e.get("prev_hash") != prev_hash:
                problems.append(
                    ChainProblem(
                        device, seq, f"Audit entry {seq} of device {device[:8]} does not follow the one before it."
                    )
                )
            prev_hash = str(e.get("hash"))
            expected = seq + 1
        head = (heads or {}).get(device)
        if head:
            head_seq, _, head_hash = head.partition(":")
            if int(head_seq) >= expected or (int(head_seq) == expected - 1 and head_hash != prev_hash):
                problems.append(
                    ChainProblem(device, int(head_seq), f"The newest audit entries of device {device[:8]} are missing.")
                )
    for device in sorted(heads or {}):
        if device not in by_device:
            problems.append(ChainProblem(device, 0, f"All audit entries of device {device[:8]} are missing."))
    return problems


@dataclass(slots=True, kw_only=True)
class ConsentEvent(Record):
    """One step in a young person's lawful basis and consent history. Append-only."""

    TABLE: ClassVar[str] = "consent_events"
    APPEND_ONLY: ClassVar[bool] = True

    person_id: str = ""
    kind: str = ConsentEventKind.RECORDED.value
    lawful_basis: str | None = None
    consent_given_by: str | None = None
    competence_note: str = ""
    consent_date: date | None = None
    consent_review_date: date | None = None
    withdrawn_on: date | None = None
    recorded_by: str = ""
    at: datetime = field(default_factory=utc_now)


@dataclass(slots=True, kw_only=True)
class ConsentAcknowledgement(Record):
    """A supervisor has seen a consent withdrawal and acted on it."""

    TABLE: ClassVar[str] = "consent_acks"
    APPEND_ONLY: ClassVar[bool] = True

    consent_event_id: str = ""
    person_id: str = ""
    by_user_id: str = ""
    at: datetime = field(default_factory=utc_now)


@dataclass(slots=True, kw_only=True)
class Erasure(Record):
    """A young person erased or anonymised: the tombstone that carries the erasure to the server and every device.

    Holds only the person's random id, a reason code and who decided: nothing that identifies them.
    """

    TABLE: ClassVar[str] = "erasures"
    APPEND_ONLY: ClassVar[bool] = True

    person_id: str = ""
    mode: str = ErasureMode.ERASE.value
    reason: str = ErasureReason.REQUEST.value
    requested_by: str = ""
    confirmed_by: str = ""
    at: datetime = field(default_factory=utc_now)


@dataclass(slots=True, kw_only=True)
class LegalHold(Record):
    """Records about a young person that must be kept (court case, inquiry): stops erasure and retention deletion."""

    TABLE: ClassVar[str] = "legal_holds"

    person_id: str = ""
    reason: str = ""  # e.g. a case reference; must not name anyone
    placed_by: str = ""
    placed_at: datetime = field(default_factory=utc_now)
    lifted_by: str = ""
    lifted_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.lifted_at is None


def validate_audit_entry(e: AuditEntry) -> list[Problem]:
    problems: list[Problem] = []
    one_of(problems, "action", e.action, AuditAction, "Audit action")
    if e.seq < 1:
        problems.append(Problem("seq", "An audit entry must have its place in the chain."))
    if len(e.hash) != 64 or len(e.prev_hash) != 64:
        problems.append(Problem("hash", "An audit entry must carry its chain hashes."))
    return problems


def validate_consent_event(e: ConsentEvent) -> list[Problem]:
    problems: list[Problem] = []
    if not e.person_id:
        problems.append(Problem("person_id", "Consent must be recorded for a young person."))
    one_of(problems, "kind", e.kind, ConsentEventKind, "Consent step")
    one_of(problems, "lawful_basis", e.lawful_basis, LawfulBasis, "Lawful basis")
    one_of(problems, "consent_given_by", e.consent_given_by, ConsentGivenBy, "Consent given by")
    if e.kind == ConsentEventKind.WITHDRAWN and e.withdrawn_on is None:
        problems.append(Problem("withdrawn_on", "Give the date consent was withdrawn."))
    if e.kind == ConsentEventKind.RECORDED and not e.lawful_basis:
        problems.append(Problem("lawful_basis", "Choose the lawful basis for holding this young person's record."))
    if e.kind == ConsentEventKind.RECORDED and e.lawful_basis == LawfulBasis.CONSENT:
        if not e.consent_given_by:
            problems.append(Problem("consent_given_by", "Say who gave consent: the young person or a parent or carer."))
        if e.consent_date is None:
            problems.append(Problem("consent_date", "Give the date consent was given."))
        if e.consent_review_date and e.consent_date and e.consent_review_date < e.consent_date:
            problems.append(Problem("consent_review_date", "The review date can't be before consent was given."))
    return problems


def validate_erasure(e: Erasure) -> list[Problem]:
    problems: list[Problem] = []
    if not e.person_id:
        problems.append(Problem("person_id", "Say which young person to erase."))
    one_of(problems, "mode", e.mode, ErasureMode, "Erasure")
    one_of(problems, "reason", e.reason, ErasureReason, "Reason for erasure")
    return problems


register_validator(AuditEntry, validate_audit_entry)
register_validator(ConsentEvent, validate_consent_event)
register_validator(Erasure, validate_erasure)


@dataclass(slots=True, kw_only=True)
class ErasureReview(Record):
    """Another team erased or anonymised a young person this team holds records about: its supervisors decide.

    Made by the service, never by a laptop: a team's records are erased only by that team. Names the person by id.
    """

    TABLE: ClassVar[str] = "erasure_reviews"

    person_id: str = ""
    erasure_id: str = ""
    mode: str = ErasureMode.ERASE.value
    tables: list[str] = field(default_factory=list)  # the kinds of this team's records about the person
    status: str = "open"  # "open", then "done" once a supervisor has acted
    reviewed_by: str = ""
    reviewed_at: datetime | None = None
    decision: str = ""  # a ReviewDecision code, once done
    keep_reason: str = ""  # a KeepReason code, when the team kept its records


class ReviewStatus(Vocab):
    OPEN = "open", "Waiting for a decision"
    DONE = "done", "Decided"


REVIEW_OPEN, REVIEW_DONE = ReviewStatus.OPEN.value, ReviewStatus.DONE.value


def validate_erasure_review(r: ErasureReview) -> list[Problem]:
    problems: list[Problem] = []
    one_of(problems, "status", r.status, ReviewStatus, "Review status")
    one_of(problems, "decision", r.decision or None, ReviewDecision, "Decision")
    one_of(problems, "keep_reason", r.keep_reason or None, KeepReason, "Reason for keeping the records")
    if r.status == REVIEW_DONE:
        if not r.decision:
            problems.append(Problem("status", "Say whether your team erased its records or kept them."))
        if not r.reviewed_by or r.reviewed_at is None:
            problems.append(Problem("status", "Say who decided, and when."))
        if r.decision == ReviewDecision.KEPT and not r.keep_reason:
            problems.append(Problem("decision", "Choose your team's reason for keeping its records."))
    elif r.decision:
        problems.append(Problem("decision", "A decision closes the review."))
    if r.keep_reason and r.decision != ReviewDecision.KEPT:
        problems.append(Problem("keep_reason", "A reason for keeping is given only when the records are kept."))
    return problems


register_validator(ErasureReview, validate_erasure_review)


# ---- the policies (youthwork.domain.policy) -------------------------------------------------------------------------

_PERSON = Link("person_id", "people", required=True)

declare(
    RecordPolicy(
        AuditEntry,
        "audit entries",
        roles=STAFF_AND_PARTNER,
        person_field=None,
        # Written only in the pushing user's name, appended to a chain the service numbers itself.
        writer=WriterBound(("user_id",), Chain("device", "seq", "prev_hash", "hash", GENESIS_HASH, audit_hash)),
        kept_on_erasure=True,
    )
)
declare(RecordPolicy(ConsentEvent, "consent history", roles=STAFF, links=(_PERSON,)))
declare(
    RecordPolicy(
        ConsentAcknowledgement,
        "consent withdrawals seen",
        roles=STAFF,
        links=(Link("consent_event_id", "consent_events", Must.OWN, required=True), _PERSON),
    )
)
declare(
    RecordPolicy(
        Erasure,
        "erasures",
        roles=STAFF_AND_PARTNER,
        erases=Erases(SUPERVISORS),
        kept_on_erasure=True,
        tombstone=True,
    )
)
declare(RecordPolicy(LegalHold, "legal holds", roles=STAFF, links=(_PERSON,)))
declare(
    RecordPolicy(
        ErasureReview,
        "erasure reviews",
        roles=SUPERVISORS,
        # A supervisor of the team closes it, once, in their own name: the decision and the team's reason to keep.
        writes={Role.SUPERVISOR: frozenset({"status", "reviewed_by", "reviewed_at", "decision", "keep_reason"})},
        writer=WriterBound(("reviewed_by",)),
        closed_when=("status", REVIEW_DONE),
        clients_create=False,
        kept_on_erasure=True,
    )
)


# ---- what erasure touches (shared by the laptop and the server, so both erase the same records) ---------------------

# Records kept when a young person is erased: they hold no personal data and prove what was done.
KEPT_ON_ERASURE: frozenset[str] = frozenset(t for t, p in POLICIES.items() if p.kept_on_erasure)


class _AnonymisedKeeps(Mapping[str, frozenset[str]]):
    """Table -> fields kept, read from the declarations when asked (they are declared across the domain)."""

    def _now(self) -> dict[str, frozenset[str]]:
        return {t: p.anonymised_keeps for t, p in POLICIES.items() if p.anonymised_keeps is not None}

    def __getitem__(self, table: str) -> frozenset[str]:
        return self._now()[table]

    def __iter__(self) -> Iterator[str]:
        return iter(self._now())

    def __len__(self) -> int:
        return len(self._now())


# Anonymising keeps these records, with only these fields (others go back to their defaults); the rest are erased.
# What is kept still counts in reports (a session's headcount, a referral's outcome category) but names no one.
# Declared per record type (`RecordPolicy.anonymised_keeps`).
ANONYMISED_KEEP: Mapping[str, frozenset[str]] = _AnonymisedKeeps()
ANONYMISED_NAME = "Anonymised"
_ALWAYS_KEPT = frozenset({"id", "team_id", "created_at", "updated_at", "created_by"})


# A lookup the walk is given: (table, field, values) -> ids of that table's live records whose field holds one of the
# values. The laptop passes its store, the service its records table; a table or field a side lacks yields nothing.
Lookup = Callable[[str, str, Sequence[str]], Iterable[str]]
LOOKUP_CHUNK = 500  # values per lookup, under every database's limit on bound parameters


def person_links() -> dict[str, list[tuple[str, str]]]:
    """Table -> (table, field) of every declared link into it that erasure follows, read from the declarations.

    Records kept on erasure (audit, tombstones) are never followed. A record naming its person by a field it
    doesn't also declare as a link still counts: it links to the person's own record.
    """
    own = [t for t, p in POLICIES.items() if p.person_field == "id" and not p.kept_on_erasure]
    into: dict[str, list[tuple[str, str]]] = {}
    for table, p in POLICIES.items():
        if p.kept_on_erasure:
            continue
        for link in p.links:
            into.setdefault(link.table, []).append((table, link.field))
        if p.person_field and p.person_field != "id" and p.person_field not in {link.field for link in p.links}:
            for target in own:
                into.setdefault(target, []).append((table, p.person_field))
    return into


def records_about(person_id: str, lookup: Lookup) -> dict[str, set[str]]:
    """Table -> ids of every record about one young person: their own record, the records linking to it, the records
    linking to those (a referral's steps, a plan's versions, a note's amendments...) until nothing new turns up."""
    into = person_links()
    own = [t for t, p in POLICIES.items() if p.person_field == "id" and not p.kept_on_erasure]
    found: dict[str, set[str]] = {}
    for table in own:
        found.setdefault(table, set()).update(_look(lookup, table, "id", [person_id]))
    # Records about the person may be held where their own record isn't (a backup, another team's laptop).
    frontier: dict[str, set[str]] = {table: {person_id} for table in own}
    while frontier:
        new: dict[str, set[str]] = {}
        for target, ids in sorted(frontier.items()):
            for table, name in into.get(target, ()):
                seen = found.setdefault(table, set())
                for rid in _look(lookup, table, name, sorted(ids)):
                    if rid not in seen:
                        seen.add(rid)
                        new.setdefault(table, set()).add(rid)
        frontier = new
    return {table: ids for table, ids in found.items() if ids}


def _look(lookup: Lookup, table: str, name: str, values: list[str]) -> set[str]:
    out: set[str] = set()
    for i in range(0, len(values), LOOKUP_CHUNK):
        out.update(lookup(table, name, values[i : i + LOOKUP_CHUNK]))
    return out


def anonymised(cls: type[Record], data: dict[str, Any]) -> dict[str, Any]:
    """The wire form of a kept record after anonymisation: kept fields as they were, everything else blank."""
    keep = ANONYMISED_KEEP.get(cls.TABLE, frozenset()) | _ALWAYS_KEPT
    blank = to_dict(cls())
    out = {name: (data.get(name, blank[name]) if name in keep else blank[name]) for name in cls.field_names()}
    if cls.TABLE == "people":
        out["known_as"] = ANONYMISED_NAME
        out["active"] = False
        if data.get("date_of_birth") and not data.get("estimated_age"):
            # Keep the age band for reports without the date of birth.
            born = date.fromisoformat(str(data["date_of_birth"]))
            today = date.today()
            out["estimated_age"] = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            out["age_estimated_on"] = today.isoformat()
    return out
