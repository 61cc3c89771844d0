"""The records a youth worker keeps, as plain dataclasses.

Every record type names its table (the wire name too). Field metadata marks what the privacy notice cares about:
`sensitivity` (special category or criminal-offence data, shown on a need-to-know basis) and `safety_critical`
(on a sync conflict the server's value stays and the incoming one waits for review).
Append-only records (case notes, RAG history) are never updated: a correction is a new record.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, ClassVar

from youthwork.domain.clock import utc_now as utc_now  # re-exported: records are stamped with it
from youthwork.domain.ids import new_id
from youthwork.domain.memo import cached
from youthwork.domain.policy import (
    STAFF,
    STAFF_AND_PARTNER,
    SUPERVISORS,
    Allocated,
    Link,
    Must,
    PersonShare,
    RecordPolicy,
    SignOff,
    declare,
)
from youthwork.domain.vocab import Role, Sensitivity, SessionStatus, TeamKind


def special(default: Any = None, **kw: Any) -> Any:
    return _marked(Sensitivity.SPECIAL, default, **kw)


def criminal(default: Any = None, **kw: Any) -> Any:
    return _marked(Sensitivity.CRIMINAL, default, **kw)


def _marked(sensitivity: Sensitivity, default: Any, safety_critical: bool = False, factory: Any = None) -> Any:
    meta = {"sensitivity": sensitivity, "safety_critical": safety_critical}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def safety_critical(default: Any = None, factory: Any = None) -> Any:
    meta = {"sensitivity": Sensitivity.ORDINARY, "safety_critical": True}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@cached
def _names(cls: type) -> tuple[str, ...]:
    """A record type's field names, worked out once (the service asks several times for every change it checks)."""
    return tuple(f.name for f in fields(cls))


@cached
def _restricted(cls: type) -> tuple[tuple[str, Sensitivity], ...]:
    return tuple(
        (f.name, f.metadata["sensitivity"])
        for f in fields(cls)
        if f.metadata.get("sensitivity", Sensitivity.ORDINARY) != Sensitivity.ORDINARY
    )


@cached
def _safety_critical(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls) if f.metadata.get("safety_critical"))


@dataclass(slots=True, kw_only=True)
class Record:
    TABLE: ClassVar[str] = ""
    APPEND_ONLY: ClassVar[bool] = False

    id: str = field(default_factory=new_id)
    team_id: str = ""
    created_by: str = ""
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)

    @classmethod
    def field_names(cls) -> list[str]:
        return list(_names(cls))

    @classmethod
    def sensitivity_of(cls, name: str) -> Sensitivity:
        for f in fields(cls):
            if f.name == name:
                sensitivity: Sensitivity = f.metadata.get("sensitivity", Sensitivity.ORDINARY)
                return sensitivity
        raise KeyError(name)

    @classmethod
    def restricted_fields(cls) -> dict[str, Sensitivity]:
        """Fields holding special category or criminal-offence data."""
        return dict(_restricted(cls))

    @classmethod
    def safety_critical_fields(cls) -> frozenset[str]:
        return _safety_critical(cls)


def display_name(first_name: str, last_name: str, known_as: str) -> str:
    """How a young person's name is shown: "Jay Smith (JJ)", or the name they are known by alone. From the three
    columns, so a list of names needs no whole records."""
    full = " ".join(p for p in (first_name, last_name) if p)
    if known_as and known_as != first_name:
        return f"{full} ({known_as})" if full else known_as
    return full or known_as


@dataclass(slots=True, kw_only=True)
class YoungPerson(Record):
    TABLE: ClassVar[str] = "people"

    first_name: str = ""
    last_name: str = ""
    known_as: str = ""
    date_of_birth: date | None = None
    estimated_age: int | None = None
    age_estimated_on: date | None = None
    gender: str = "not_known"
    ethnicity: str | None = special()
    address: str = ""
    postcode: str = ""
    area: str = ""
    phone: str = ""
    email: str = ""
    nhs_number: str = ""
    ni_number: str = ""
    # Other agencies' ID numbers ("Social care: 123456", "YOS: Y-889"): a YOS or police number says the young person is
    # known to youth justice, so it is held as criminal-offence data (need to know; never sent to partner staff).
    other_references: str = criminal("")
    education_status: str = "not_known"
    school: str = ""
    send_ehcp: bool = special(False)
    health_needs: str = special("")  # physical or mental health needs, as the young person chose to tell them
    looked_after: bool = special(False)
    social_care: str = special("none")  # a child in need or protection plan (vocab.SocialCare)
    lead_worker_id: str = ""
    rag: str | None = safety_critical()
    rag_set_at: datetime | None = None
    rag_set_by: str = ""
    risk_indicators: list[str] = criminal(factory=list)
    nfa_count: int = criminal(0)
    lawful_basis: str | None = None
    consent_given_by: str | None = None
    consent_date: date | None = None
    consent_review_date: date | None = None
    consent_withdrawn_on: date | None = None
    competence_note: str = ""
    active: bool = True
    incomplete: bool = False  # quick-added from a register; details to complete later

    @property
    def display_name(self) -> str:
        return display_name(self.first_name, self.last_name, self.known_as)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.estimated_age is not None:
            since = self.age_estimated_on or self.created_at.date()
            return self.estimated_age + max(0, (day - since).days // 365)
        return None


@dataclass(slots=True, kw_only=True)
class RagRating(Record):
    """One RAG rating in a young person's history: who set it, when and why."""

    TABLE: ClassVar[str] = "rag_ratings"
    APPEND_ONLY: ClassVar[bool] = True

    person_id: str = ""
    rating: str = ""
    reason: str = ""
    set_by: str = ""
    set_at: datetime = field(default_factory=utc_now)


@dataclass(slots=True, kw_only=True)
class Session(Record):
    TABLE: ClassVar[str] = "sessions"

    session_type: str = "detached"
    status: str = "draft"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    area: str = ""
    place: str = ""  # free text, kept from before places were records (see place_id)
    place_id: str = ""  # where it was held: a place of the team's (youthwork.domain.places)
    workers: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    core_activities: list[str] = field(default_factory=list)
    incidents: str = ""
    concern: bool = False
    concern_details: str = ""
    narrative: str = ""
    # Anonymous headcount for those who gave no name, keyed "gender/age_band" (see vocab), e.g. "male/14_15".
    headcounts: dict[str, int] = field(default_factory=dict)
    submitted_at: datetime | None = None
    reviewed_by: str = safety_critical("")
    reviewed_at: datetime | None = None
    review_comment: str = ""

    @property
    def headcount_total(self) -> int:
        return sum(self.headcounts.values())

    @property
    def hours(self) -> float:
        if self.starts_at and self.ends_at:
            return max(0.0, (self.ends_at - self.starts_at).total_seconds() / 3600)
        return 0.0


@dataclass(slots=True, kw_only=True)
class Attendance(Record):
    """One named young person on a session's register."""

    TABLE: ClassVar[str] = "attendance"

    session_id: str = ""
    person_id: str = ""
    new_face: bool = False
    concern: bool = False  # the session's safeguarding concern is about this young person


@dataclass(slots=True, kw_only=True)
class CaseNote(Record):
    """A fact on a child's record. Append-only: an amendment is a new note whose `corrects_id` names the old one."""

    TABLE: ClassVar[str] = "case_notes"
    APPEND_ONLY: ClassVar[bool] = True

    person_id: str = ""
    session_id: str | None = None
    author_id: str = ""
    written_at: datetime = field(default_factory=utc_now)
    text: str = ""
    corrects_id: str | None = None
    # Criminal-offence intelligence held by the IGT: never leaves the IGT.
    restricted: bool = False


# Every record type, by table: filled by `declare` (youthwork.domain.policy) as each type's policy is declared.
RECORD_TYPES: dict[str, type[Record]] = {}


# ---- the policies (youthwork.domain.policy) -------------------------------------------------------------------------

# The least a team that meets a young person through someone else's record may see (plus a derived age band).
MINIMUM_PERSON_FIELDS: frozenset[str] = frozenset({"id", "team_id", "first_name", "known_as", "area"})
_PERSON = Link("person_id", "people", required=True)
# What a worker may change on a signed-off session by amendment (not who reviewed it, nor its status, nor its register).
SESSION_AMENDABLE: frozenset[str] = frozenset(
    {
        "session_type",
        "starts_at",
        "ends_at",
        "area",
        "place",
        "place_id",
        "workers",
        "topics",
        "core_activities",
        "incidents",
        "concern",
        "concern_details",
        "narrative",
        "headcounts",
    }
)

declare(
    RecordPolicy(
        YoungPerson,
        "young people's records",
        roles=STAFF_AND_PARTNER,
        # A Kicks coach quick-adds a new face (name, age, gender, area) and sees no more of anyone.
        reads={Role.PARTNER: MINIMUM_PERSON_FIELDS},
        writes={
            Role.PARTNER: MINIMUM_PERSON_FIELDS
            | {"gender", "estimated_age", "age_estimated_on", "date_of_birth", "incomplete", "active"}
        },
        person_field="id",
        minimum=MINIMUM_PERSON_FIELDS,
        # A supervisor names or changes the lead worker; a worker only names themself or steps down.
        allocated=Allocated("lead_worker_id", SUPERVISORS),
        anonymised_keeps=frozenset(
            {"gender", "estimated_age", "age_estimated_on", "area", "ethnicity", "education_status"}
        ),
    )
)
declare(
    RecordPolicy(
        RagRating,
        "RAG ratings",
        roles=STAFF,
        links=(_PERSON,),
        anonymised_keeps=frozenset({"person_id", "rating", "set_at"}),
    )
)
declare(
    RecordPolicy(
        Session,
        "sessions",
        roles=STAFF_AND_PARTNER,
        person_field=None,
        links=(Link("place_id", "places"),),
        sign_off=SignOff(
            roles=SUPERVISORS,
            status_field="status",
            statuses=frozenset({SessionStatus.APPROVED, SessionStatus.RETURNED}),
            marker_fields=("reviewed_by", "reviewed_at"),
            not_by_field="workers",
            # Signed off: fixed on the service. A worker's amendment (with a reason) sends it back for sign-off.
            locked=frozenset({SessionStatus.APPROVED}),
            comment_field="review_comment",
            reopen=SessionStatus.SUBMITTED,
            amendable=SESSION_AMENDABLE,
            amendment_sets=frozenset({"submitted_at"}),
        ),
        unchecked_while=("status", SessionStatus.DRAFT),
    )
)
declare(
    RecordPolicy(
        Attendance,
        "registers",
        roles=STAFF_AND_PARTNER,
        links=(Link("session_id", "sessions", Must.OWN, required=True), _PERSON),
        # A register names only a young person the team already sees, in a session of its own on the service;
        # it keeps the minimum of them flowing to the team that met them.
        shares=(PersonShare("register", to="own", within=Link("session_id", "sessions", Must.OWN, required=True)),),
        locked_with="session_id",  # a signed-off session's register is fixed with it
        anonymised_keeps=frozenset({"session_id", "person_id", "new_face"}),  # not who a concern was about
    )
)
declare(
    RecordPolicy(
        CaseNote,
        "case notes",
        roles=STAFF_AND_PARTNER,
        links=(_PERSON, Link("session_id", "sessions", Must.OWN), Link("corrects_id", "case_notes", Must.OWN)),
        # Criminal-offence intelligence held by the IGT never leaves the IGT.
        private_flag="restricted",
        private_kinds=frozenset({TeamKind.IGT}),
    )
)
