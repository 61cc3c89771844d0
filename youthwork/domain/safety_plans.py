"""Safety plans agreed with a young person, and the append-only versions that record each agreement.

`SafetyPlan` is the working copy a worker edits. Agreeing, reviewing or closing it writes a `SafetyPlanVersion`: a
full snapshot that is never changed afterwards. Each version names the version it was edited from
(`based_on_version_id`), so two workers who agreed changes to the same plan offline leave two versions with the same
parent: both arrive through sync, and the fork is shown as a conflict for a person to settle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from youthwork.domain.policy import STAFF, Link, Must, RecordPolicy, declare
from youthwork.domain.records import Record, safety_critical, utc_now
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab


class PlanStatus(Vocab):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    REVIEWED = "reviewed", "Reviewed"
    CLOSED = "closed", "Closed"


class NrmOutcome(Vocab):
    """National Referral Mechanism decisions (modern slavery, incl. criminal exploitation)."""

    POSITIVE_REASONABLE = "positive_reasonable_grounds", "Positive reasonable grounds"
    POSITIVE_CONCLUSIVE = "positive_conclusive_grounds", "Positive conclusive grounds"
    NEGATIVE = "negative", "Negative"
    PENDING = "pending", "Waiting for a decision"


# Offered on every new plan; the worker can remove or add to them.
EMERGENCY_CONTACTS: tuple[dict[str, str], ...] = (
    {"name": "Emergency: police, ambulance, fire", "number": "999", "when": "If you are in danger right now"},
    {"name": "Childline", "number": "0800 1111", "when": "Any time, free, to talk to someone"},
    {"name": "Police non-emergency", "number": "101", "when": "To report something that is not an emergency"},
    {"name": "Missing People (call or text)", "number": "116 000", "when": "If you have run away or been asked to"},
    {"name": "Samaritans", "number": "116 123", "when": "Any time, if things feel too much"},
)

# The plan's content: what a version snapshots and what the diff compares, in reading order, with labels.
CONTENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("risks_triggers", "Risks and triggers"),
    ("warning_signs", "Warning signs"),
    ("safe_places", "Safe places and routes"),
    ("trusted_adults", "Trusted adults"),
    ("contacts", "Who to call"),
    ("actions", "Agreed actions"),
    ("own_words", "In their own words"),
    ("review_date", "Review date"),
    ("nrm_decision_date", "NRM decision date"),
    ("nrm_outcome", "NRM decision"),
)


@dataclass(slots=True, kw_only=True)
class SafetyPlan(Record):
    TABLE: ClassVar[str] = "safety_plans"

    person_id: str = ""
    status: str = safety_critical("draft")
    risks_triggers: str = ""
    warning_signs: str = ""
    safe_places: str = ""
    # [{"name", "relationship", "phone"}]
    trusted_adults: list[dict[str, str]] = field(default_factory=list)
    # Who to call: [{"name", "number", "when"}]
    contacts: list[dict[str, str]] = field(default_factory=list)
    # [{"action", "who", "by_when" (ISO date or "")}]
    actions: list[dict[str, str]] = field(default_factory=list)
    own_words: str = ""
    review_date: date | None = None
    nrm_decision_date: date | None = None
    nrm_outcome: str | None = None
    current_version_id: str = ""  # the last agreed version this copy was edited from
    agreed_at: datetime | None = None
    closed_reason: str = ""

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name, _ in CONTENT_FIELDS}


@dataclass(slots=True, kw_only=True)
class SafetyPlanVersion(Record):
    """One agreed (or reviewed, or closed) state of a plan. Append-only: never changed once written."""

    TABLE: ClassVar[str] = "safety_plan_versions"
    APPEND_ONLY: ClassVar[bool] = True

    plan_id: str = ""
    person_id: str = ""
    number: int = 1  # as counted on the laptop that agreed it; two laptops offline may both write the same number
    based_on_version_id: str = ""
    status: str = "agreed"
    agreed_by: str = ""
    agreed_at: datetime = field(default_factory=utc_now)
    change_note: str = ""
    risks_triggers: str = ""
    warning_signs: str = ""
    safe_places: str = ""
    trusted_adults: list[dict[str, str]] = field(default_factory=list)
    contacts: list[dict[str, str]] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    own_words: str = ""
    review_date: date | None = None
    nrm_decision_date: date | None = None
    nrm_outcome: str | None = None

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name, _ in CONTENT_FIELDS}


def _has_someone_to_call(contacts: list[dict[str, str]]) -> bool:
    return any(str(c.get("number", "")).strip() for c in contacts)


def _rows_problem(name: str, rows: object) -> Problem | None:
    """The list parts arrive from other laptops too: each row must be a set of named texts."""
    if not isinstance(rows, list) or not all(
        isinstance(r, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in r.items()) for r in rows
    ):
        return Problem(name, f"{dict(CONTENT_FIELDS)[name]} could not be read: each row must be text.")
    return None


def _content_problems(p: SafetyPlan | SafetyPlanVersion, agreed: bool) -> list[Problem]:
    problems = [x for name in ("trusted_adults", "contacts", "actions") if (x := _rows_problem(name, getattr(p, name)))]
    if problems:
        return problems
    one_of(problems, "nrm_outcome", p.nrm_outcome, NrmOutcome, "NRM decision")
    for c in p.contacts:
        if str(c.get("number", "")).strip() and not str(c.get("name", "")).strip():
            problems.append(Problem("contacts", "Each number to call needs a name, so they know who it is."))
            break
    for a in p.actions:
        if not str(a.get("action", "")).strip():
            problems.append(Problem("actions", "An agreed action is empty: say what will be done, or remove it."))
            break
        when = str(a.get("by_when", "")).strip()
        if when:
            try:
                date.fromisoformat(when)
            except ValueError:
                problems.append(Problem("actions", f"“{when}” is not a date for an agreed action."))
                break
    if p.nrm_decision_date and not p.nrm_outcome:
        problems.append(Problem("nrm_outcome", "Say what the NRM decision was, or clear its date."))
    if agreed:
        if p.review_date is None:
            problems.append(Problem("review_date", "Set a review date before the plan is agreed."))
        if not _has_someone_to_call(p.contacts):
            problems.append(Problem("contacts", "Add at least one person or service to call, with a number."))
    return problems


def validate_safety_plan(p: SafetyPlan) -> list[Problem]:
    problems: list[Problem] = []
    if not p.person_id:
        problems.append(Problem("person_id", "A safety plan must be for a young person."))
    one_of(problems, "status", p.status, PlanStatus, "Plan status")
    problems += _content_problems(p, agreed=p.status in (PlanStatus.AGREED, PlanStatus.REVIEWED))
    return problems


def validate_safety_plan_version(v: SafetyPlanVersion) -> list[Problem]:
    problems: list[Problem] = []
    if not v.plan_id:
        problems.append(Problem("plan_id", "A plan version must name its plan."))
    one_of(problems, "status", v.status, PlanStatus, "Plan status")
    if v.status == PlanStatus.DRAFT:
        problems.append(Problem("status", "Only an agreed, reviewed or closed plan is kept as a version."))
    if v.number < 1:
        problems.append(Problem("number", "A plan version is numbered from 1."))
    problems += _content_problems(v, agreed=v.status in (PlanStatus.AGREED, PlanStatus.REVIEWED))
    return problems


register_validator(SafetyPlan, validate_safety_plan)
register_validator(SafetyPlanVersion, validate_safety_plan_version)

declare(RecordPolicy(SafetyPlan, "safety plans", roles=STAFF, links=(Link("person_id", "people", required=True),)))
declare(
    RecordPolicy(
        SafetyPlanVersion,
        "agreed safety plan versions",
        roles=STAFF,
        links=(Link("plan_id", "safety_plans", Must.OWN, required=True), Link("person_id", "people")),
    )
)
