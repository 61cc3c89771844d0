"""Checks on records before they are saved. Messages are written for a youth worker, naming the field and why."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum

from youthwork.domain.errors import ShownError
from youthwork.domain.memo import cached
from youthwork.domain.records import Attendance, CaseNote, RagRating, Record, Session, YoungPerson
from youthwork.domain.vocab import (
    AgeBand,
    ConsentGivenBy,
    CoreActivity,
    EducationStatus,
    Ethnicity,
    Gender,
    LawfulBasis,
    Rag,
    RiskIndicator,
    SessionStatus,
    SessionType,
    SocialCare,
)

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
NHS_NUMBER = re.compile(r"^\d{3} ?\d{3} ?\d{4}$")
NI_NUMBER = re.compile(r"^[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_SESSION = timedelta(hours=16)


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


class ValidationError(ShownError, ValueError):
    """A record was refused; `problems` says which fields and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def nhs_number_valid(text: str) -> bool:
    digits = text.replace(" ", "")
    if not NHS_NUMBER.match(text) or len(digits) != 10:
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


@cached
def _codes(vocab: type[Enum]) -> frozenset[str]:
    """A vocabulary's codes, worked out once (an import checks 20,000 rows against them)."""
    return frozenset(m.value for m in vocab)


@cached
def _headcount_bands() -> frozenset[str]:
    return frozenset(f"{g.value}/{a.value}" for g in Gender for a in AgeBand)


def one_of(problems: list[Problem], name: str, value: str | None, vocab: type[Enum], what: str) -> None:
    """Adds a problem when `value` is set but is not one of `vocab`'s codes."""
    if value is not None and value not in _codes(vocab):
        problems.append(Problem(name, f"{what} “{value}” is not one of the options."))


def validate_person(p: YoungPerson, today: date | None = None) -> list[Problem]:
    today = today or date.today()
    problems: list[Problem] = []
    if not (p.first_name.strip() or p.known_as.strip()):
        problems.append(Problem("first_name", "Enter a first name or the name they go by."))
    if p.date_of_birth:
        if p.date_of_birth > today:
            problems.append(Problem("date_of_birth", "The date of birth is in the future."))
        elif p.date_of_birth < today.replace(year=today.year - 40):
            problems.append(Problem("date_of_birth", "The date of birth makes them over 40: check the year."))
    if p.estimated_age is not None and not 5 <= p.estimated_age <= 30:
        problems.append(Problem("estimated_age", "An estimated age should be between 5 and 30."))
    if p.postcode and not POSTCODE.match(p.postcode.strip().upper()):
        problems.append(Problem("postcode", "That doesn't look like a UK postcode (for example SE15 5AB)."))
    if p.email and not EMAIL.match(p.email.strip()):
        problems.append(Problem("email", "That doesn't look like an email address."))
    if p.nhs_number and not nhs_number_valid(p.nhs_number.strip()):
        problems.append(Problem("nhs_number", "The NHS number should be 10 digits and pass its check digit."))
    if p.ni_number and not NI_NUMBER.match(p.ni_number.strip().upper()):
        problems.append(Problem("ni_number", "The National Insurance number should look like QQ 12 34 56 C."))
    one_of(problems, "gender", p.gender, Gender, "Gender")
    one_of(problems, "ethnicity", p.ethnicity, Ethnicity, "Ethnicity")
    one_of(problems, "education_status", p.education_status, EducationStatus, "Education status")
    one_of(problems, "rag", p.rag, Rag, "RAG rating")
    one_of(problems, "social_care", p.social_care, SocialCare, "Social care")
    one_of(problems, "lawful_basis", p.lawful_basis, LawfulBasis, "Lawful basis")
    one_of(problems, "consent_given_by", p.consent_given_by, ConsentGivenBy, "Consent given by")
    for ind in p.risk_indicators:
        one_of(problems, "risk_indicators", ind, RiskIndicator, "Risk indicator")
    if p.nfa_count < 0:
        problems.append(Problem("nfa_count", "The NFA count cannot be negative."))
    if p.lawful_basis == LawfulBasis.CONSENT and p.consent_date and p.consent_date > today:
        problems.append(Problem("consent_date", "The consent date is in the future."))
    return problems


def validate_session(s: Session, now: datetime | None = None, register_size: int | None = None) -> list[Problem]:
    """`register_size` is given when the session is being submitted, to refuse an empty register."""
    now = now or datetime.now(UTC)
    problems: list[Problem] = []
    one_of(problems, "session_type", s.session_type, SessionType, "Session type")
    one_of(problems, "status", s.status, SessionStatus, "Status")
    if s.starts_at is None:
        problems.append(Problem("starts_at", "Enter when the session started."))
    elif s.starts_at > now + timedelta(minutes=10):
        problems.append(Problem("starts_at", "The session can't start in the future."))
    if s.ends_at is None:
        problems.append(Problem("ends_at", "Enter when the session ended."))
    elif s.starts_at is not None:
        if s.ends_at <= s.starts_at:
            problems.append(Problem("ends_at", "The session ends before it starts."))
        elif s.ends_at - s.starts_at > MAX_SESSION:
            problems.append(Problem("ends_at", "The session is longer than 16 hours: check the times."))
        elif s.ends_at > now + timedelta(minutes=10):
            problems.append(Problem("ends_at", "The session can't end in the future."))
    if not (s.area.strip() or s.place.strip()):
        problems.append(Problem("area", "Say where the session was (area, estate or place)."))
    for act in s.core_activities:
        one_of(problems, "core_activities", act, CoreActivity, "Core activity")
    bands = _headcount_bands()
    for key, count in s.headcounts.items():
        if key not in bands:
            problems.append(Problem("headcounts", f"Headcount group “{key}” is not a gender and age band."))
        elif count < 0:
            problems.append(Problem("headcounts", "A headcount can't be negative."))
    if s.concern and not s.concern_details.strip():
        problems.append(Problem("concern_details", "Describe the safeguarding concern for your supervisor."))
    if register_size is not None and register_size == 0 and s.headcount_total == 0:
        problems.append(
            Problem("register", "The register is empty: tick who came, add new faces, or enter a headcount.")
        )
    return problems


def validate_attendance(a: Attendance) -> list[Problem]:
    problems = []
    if not a.session_id:
        problems.append(Problem("session_id", "A register entry needs a session."))
    if not a.person_id:
        problems.append(Problem("person_id", "A register entry needs a young person."))
    return problems


def validate_note(n: CaseNote, now: datetime | None = None) -> list[Problem]:
    now = now or datetime.now(UTC)
    problems = []
    if not n.person_id:
        problems.append(Problem("person_id", "A case note must be about a young person."))
    if not n.text.strip():
        problems.append(Problem("text", "The note is empty."))
    if n.written_at > now + timedelta(minutes=10):
        problems.append(Problem("written_at", "A note can't be dated in the future."))
    if n.corrects_id == n.id:
        problems.append(Problem("corrects_id", "A note can't amend itself."))
    return problems


def validate_rag(r: RagRating) -> list[Problem]:
    problems: list[Problem] = []
    one_of(problems, "rating", r.rating, Rag, "RAG rating")
    if not r.rating:
        problems.append(Problem("rating", "Choose red, amber or green."))
    if not r.reason.strip():
        problems.append(Problem("reason", "Say why the RAG rating is changing."))
    return problems


VALIDATORS: dict[type[Record], Callable[..., list[Problem]]] = {
    YoungPerson: validate_person,
    Session: validate_session,
    Attendance: validate_attendance,
    CaseNote: validate_note,
    RagRating: validate_rag,
}


def problems_with(record: Record) -> list[Problem]:
    validator = VALIDATORS.get(type(record))
    return validator(record) if validator else []


def check(record: Record) -> None:
    """Raise ValidationError if the record cannot be saved."""
    problems = problems_with(record)
    if problems:
        raise ValidationError(problems)


def register_validator(cls: type[Record], fn: Callable[..., list[Problem]]) -> None:
    VALIDATORS[cls] = fn
