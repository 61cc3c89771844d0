"""The input side of the weekly figures: the small row types the loaders build, and the week's bundle of them.

Loaders (youthwork.reports.weekly for the laptop's store, youthwork.server.reports for the service's records table)
turn their storage into these rows with `*.from_wire` (the wire/JSON encoding both sides share). The row types hold
the few rules that belong to one record (a session's hours, a person's age, a referral's acknowledgement deadline).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from youthwork.domain.referrals import ACKNOWLEDGE_WITHIN, is_overdue
from youthwork.domain.weeks import IsoWeek

JOINT_VISIT_AT = 3  # youthwork.domain.nfa.JOINT_VISIT_AT; repeated so reports work without NFA records
ACK_DUE = ACKNOWLEDGE_WITHIN  # the referral rule's own table (youthwork.domain.referrals)


# ---- parsing helpers: accept wire values (str/JSON) or already-decoded ones -----------------------------------------


def as_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_json(value: Any, default: Any) -> Any:
    if value is None:
        return default
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return default
    return value


# ---- input rows -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: str
    team_id: str
    session_type: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    workers: tuple[str, ...]
    concern: bool
    headcounts: Mapping[str, int]
    created_by: str = ""
    core_activities: tuple[str, ...] = ()  # the strategy's core activities the session was tagged with

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> SessionRow:
        return cls(
            id=d["id"],
            team_id=d.get("team_id") or "",
            session_type=d.get("session_type") or "detached",
            status=d.get("status") or "draft",
            starts_at=as_datetime(d.get("starts_at")),
            ends_at=as_datetime(d.get("ends_at")),
            workers=tuple(as_json(d.get("workers"), [])),
            concern=bool(d.get("concern")),
            headcounts={str(k): int(v) for k, v in as_json(d.get("headcounts"), {}).items()},
            created_by=d.get("created_by") or "",
            core_activities=tuple(str(a) for a in as_json(d.get("core_activities"), [])),
        )

    @classmethod
    def from_row(cls, r: Sequence[Any]) -> SessionRow:
        """From (id, team_id, session_type, status, starts_at, ends_at, workers, concern, headcounts, created_by,
        core_activities) as the store holds them: as `from_wire`, without a dict per row (a quarter has thousands)."""
        sid, team, kind, status, starts, ends, workers, concern, heads, by, core = r
        return cls(
            sid,
            team or "",
            kind or "detached",
            status or "draft",
            as_datetime(starts),
            as_datetime(ends),
            () if workers == "[]" else tuple(as_json(workers, [])),
            bool(concern),
            {} if heads == "{}" else {str(k): int(v) for k, v in as_json(heads, {}).items()},
            by or "",
            () if core == "[]" else tuple(str(a) for a in as_json(core, [])),
        )

    @property
    def hours(self) -> float:
        if self.starts_at and self.ends_at:
            return max(0.0, (self.ends_at - self.starts_at).total_seconds() / 3600)
        return 0.0

    def worked_by(self, worker_id: str) -> bool:
        return worker_id in self.workers or (not self.workers and self.created_by == worker_id)


class AttendanceRow(NamedTuple):
    """A register entry. A named tuple, not a frozen dataclass: a quarter's figures build tens of thousands, and a
    frozen dataclass's constructor is about three times slower."""

    id: str
    session_id: str
    person_id: str

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> AttendanceRow:
        return cls(d["id"], d.get("session_id") or "", d.get("person_id") or "")


class PersonRow(NamedTuple):
    """A young person as the figures count them (a named tuple for speed, as AttendanceRow)."""

    id: str
    gender: str
    ethnicity: str | None
    date_of_birth: date | None
    estimated_age: int | None
    age_estimated_on: date | None
    created_at: datetime | None

    @classmethod
    def from_row(cls, r: Sequence[Any]) -> PersonRow:
        """From (id, gender, ethnicity, date_of_birth, estimated_age, age_estimated_on, created_at) as the store holds
        them: the fast path for thousands of people per report."""
        pid, gender, ethnicity, dob, age, since, created = r
        return cls(
            pid,
            gender or "not_known",
            ethnicity or None,
            date.fromisoformat(dob[:10]) if dob else None,
            None if age is None else int(age),
            date.fromisoformat(since[:10]) if since else None,
            as_datetime(created) if age is not None and not since else None,
        )

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> PersonRow:
        age = d.get("estimated_age")
        return cls(
            id=d["id"],
            gender=d.get("gender") or "not_known",
            ethnicity=d.get("ethnicity") or None,
            date_of_birth=as_date(d.get("date_of_birth")),
            estimated_age=None if age in (None, "") else int(age),
            age_estimated_on=as_date(d.get("age_estimated_on")),
            created_at=as_datetime(d.get("created_at")),
        )

    def age_on(self, day: date) -> int | None:
        # Same rule as YoungPerson.age_on.
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.estimated_age is not None:
            since = self.age_estimated_on or (self.created_at.date() if self.created_at else day)
            return self.estimated_age + max(0, (day - since).days // 365)
        return None


@dataclass(frozen=True, slots=True)
class NoteRow:
    id: str
    written_at: datetime | None
    author_id: str
    corrects_id: str | None
    team_id: str = ""

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> NoteRow:
        return cls(
            d["id"],
            as_datetime(d.get("written_at")),
            d.get("author_id") or d.get("created_by") or "",
            d.get("corrects_id") or None,
            d.get("team_id") or "",
        )

    @classmethod
    def from_row(cls, r: Sequence[Any]) -> NoteRow:
        """From (id, written_at, author_id, corrects_id, team_id) as the store holds them, without a dict per row."""
        nid, written, author, corrects, team = r
        return cls(nid, as_datetime(written), author or "", corrects or None, team or "")


@dataclass(frozen=True, slots=True)
class ReferralRow:
    id: str
    team_id: str
    person_id: str
    to_agency: str
    status: str
    urgency: str
    sent_at: datetime | None
    sent_by: str
    from_source: str = ""  # came in from outside (a school, the police...), recorded by the team it came to
    risk_indicators: tuple[str, ...] = ()  # the concerns it was made for (criminal-offence data: staff reports only)

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> ReferralRow:
        return cls(
            id=d["id"],
            team_id=d.get("team_id") or "",
            person_id=d.get("person_id") or "",
            to_agency=d.get("to_agency") or "other",
            status=d.get("status") or "draft",
            urgency=d.get("urgency") or "routine",
            sent_at=as_datetime(d.get("sent_at")),
            sent_by=d.get("sent_by") or d.get("created_by") or "",
            from_source=d.get("from_source") or "",
            risk_indicators=tuple(str(i) for i in as_json(d.get("risk_indicators"), [])),
        )

    @classmethod
    def from_row(cls, r: Sequence[Any]) -> ReferralRow:
        """From (id, team_id, person_id, to_agency, status, urgency, sent_at, sent_by, created_by, from_source,
        risk_indicators) as the store holds them: as `from_wire`, without a dict per row."""
        rid, team, person, agency, status, urgency, sent_at, sent_by, created_by, source, risks = r
        return cls(
            rid,
            team or "",
            person or "",
            agency or "other",
            status or "draft",
            urgency or "routine",
            as_datetime(sent_at),
            sent_by or created_by or "",
            source or "",
            () if risks == "[]" else tuple(str(i) for i in as_json(risks, [])),
        )

    def overdue(self, as_of: datetime) -> bool:
        return is_overdue(self.status, self.urgency, self.sent_at, as_of)


@dataclass(frozen=True, slots=True)
class PlanRow:
    """A safety plan as the report needs it (whatever shape the plans module stores)."""

    id: str
    team_id: str
    person_id: str
    created_at: datetime | None
    reviews: tuple[datetime, ...]  # when each later version (a review) was agreed
    review_due: date | None
    author_id: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class NfaPromptRow:
    """A young person with three or more NFAs: a joint home visit (TYS with police) is prompted.

    `id` is the young person's id. A joint visit done or tried on or after the third NFA closes it."""

    id: str
    team_id: str
    person_id: str
    raised_at: datetime | None
    open: bool


@dataclass(frozen=True, slots=True)
class JointVisitRow:
    """A third-NFA joint home visit (TYS with the police) as the figures need it."""

    id: str
    team_id: str
    person_id: str
    status: str
    visited_on: date | None

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> JointVisitRow:
        return cls(
            d["id"],
            d.get("team_id") or "",
            d.get("person_id") or "",
            d.get("status") or "planned",
            as_date(d.get("visited_on")),
        )

    @property
    def tried(self) -> bool:
        # youthwork.domain.joint_visits.VISIT_TRIED, repeated so reports need no visit records
        return self.status in ("done", "no_answer", "declined")


class RagRow(NamedTuple):
    """One rating in a young person's RAG history (youthwork.domain.figures.rag counts them). A named tuple for
    speed, as PersonRow: the spread needs every rating in the history, 60,000 at 100,000 young people."""

    id: str
    team_id: str
    person_id: str
    rating: str
    set_at: datetime | None

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> RagRow:
        return cls(
            d["id"],
            d.get("team_id") or "",
            d.get("person_id") or "",
            d.get("rating") or "",
            as_datetime(d.get("set_at") or d.get("created_at")),
        )

    @classmethod
    def from_row(cls, r: Sequence[Any]) -> RagRow:
        """From (id, team_id, person_id, rating, set_at) as the store holds them, without a dict per row."""
        rid, team, person, rating, set_at = r
        return cls(rid, team or "", person or "", rating or "", as_datetime(set_at))


# ---- shared row builders for record types whose report shape is derived ----------------------------------------


def plan_row(r: dict[str, Any], reviews: Iterable[datetime]) -> PlanRow:
    """A safety plan (wire or row form) as the report sees it. Drafts are not plans yet."""
    status = r.get("status") or "draft"
    due = r.get("review_date")
    return PlanRow(
        id=r["id"],
        team_id=r.get("team_id") or "",
        person_id=r.get("person_id") or "",
        created_at=as_datetime(r.get("agreed_at")) if status != "draft" else None,
        reviews=tuple(reviews),
        review_due=date.fromisoformat(str(due)[:10]) if due else None,
        author_id=r.get("created_by") or "",
        active=status in ("agreed", "reviewed"),
    )


def nfa_prompts(rows: Iterable[dict[str, Any]], visits: Iterable[JointVisitRow] = ()) -> list[NfaPromptRow]:
    """From NFA notifications (person_id, team_id, at), ordered by person and time: one prompt per person at 3+,
    open until a joint visit is done or tried on or after the day of the third NFA."""
    by_person: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_person.setdefault(r["person_id"], []).append(r)
    tried: dict[str, list[date]] = {}
    for v in visits:
        if v.tried and v.visited_on is not None:
            tried.setdefault(v.person_id, []).append(v.visited_on)
    out = []
    for pid, items in by_person.items():
        if len(items) >= JOINT_VISIT_AT:
            third = items[JOINT_VISIT_AT - 1]
            at = as_datetime(third["at"]) if "T" in str(third["at"]) else as_datetime(f"{third['at']}T00:00:00+00:00")
            since = at.date() if at else None
            closed = any(since is None or day >= since for day in tried.get(pid, ()))
            out.append(NfaPromptRow(pid, third.get("team_id") or "", pid, at, not closed))
    return out


# ---- one week's input ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class WeekInput:
    """Everything one week's figures are computed from. Lists may hold records outside the week (they are filtered)."""

    week: IsoWeek
    sessions: list[SessionRow]
    attendance: list[AttendanceRow]
    people: dict[str, PersonRow]
    # People known to have attended some session that started before the earliest session in `sessions`.
    seen_before: set[str] = field(default_factory=set)
    notes: list[NoteRow] = field(default_factory=list)
    waiting_signoff: list[SessionRow] = field(default_factory=list)  # every submitted session, any week
    referrals: list[ReferralRow] | None = None  # None: this store has no referrals yet
    plans: list[PlanRow] | None = None
    nfa_prompts: list[NfaPromptRow] | None = None
    joint_visits: list[JointVisitRow] | None = None  # None: this store has no joint visits yet
    rag_ratings: list[RagRow] | None = None  # every rating in the history (the spread needs the latest before a day)
    # The same registers grouped by session (session id -> the young people on it), when the loader read them so:
    # the laptop's store does, from an index, rather than one row per entry (a quarter has ~55,000). None: from
    # `attendance`. The figures use only who was on which session's register.
    registers: Mapping[str, Sequence[str]] | None = None

    def register_people(self) -> Mapping[str, Sequence[str]]:
        """Each session's young people on its register, however the loader gave them."""
        if self.registers is not None:
            return self.registers
        out: dict[str, list[str]] = {}
        for a in self.attendance:
            out.setdefault(a.session_id, []).append(a.person_id)
        return out
