"""Records and rules of youth work as plain dataclasses and enums: no storage, no Qt."""

from youthwork.domain import (  # noqa: F401  (register their record types)
    baseline,
    checkins,
    circumstances,
    context_plans,
    disclosures,
    family,
    groups,
    joint_visits,
    merges,
    missing,
    nfa,
    outcomes,
    places,
    privacy,
    referrals,
    safety_plans,
    transfers,
)
from youthwork.domain.codec import from_dict, to_dict
from youthwork.domain.ids import new_id
from youthwork.domain.records import (
    RECORD_TYPES,
    Attendance,
    CaseNote,
    RagRating,
    Record,
    Session,
    YoungPerson,
    utc_now,
)
from youthwork.domain.validation import Problem, ValidationError, check, problems_with

__all__ = [
    "RECORD_TYPES",
    "Attendance",
    "CaseNote",
    "Problem",
    "RagRating",
    "Record",
    "Session",
    "ValidationError",
    "YoungPerson",
    "check",
    "from_dict",
    "new_id",
    "problems_with",
    "to_dict",
    "utc_now",
]
