"""Context safety plans (Level 2): a plan for a place or a peer group, not for a child.

Versioned like a young person's safety plan (youthwork.domain.safety_plans): `ContextPlan` is the working copy,
agreeing or reviewing it writes an append-only `ContextPlanVersion` naming the version it was edited from. The plan
names partners responsible for the context (housing, a shop, transport, a school) and actions with who and by when.
It is about the context: printed as the context conference pack, it names no child.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from youthwork.domain.clock import utc_now
from youthwork.domain.policy import STAFF, Link, Must, RecordPolicy, declare
from youthwork.domain.records import Record
from youthwork.domain.safety_plans import PlanStatus
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab


class PartnerKind(Vocab):
    HOUSING = "housing", "Housing"
    SHOP = "shop", "A shop or business"
    TRANSPORT = "transport", "Transport"
    SCHOOL = "school", "A school or college"
    PARKS = "parks", "Parks or the council"
    POLICE = "police", "Police"
    OTHER = "other", "Other"


CONTENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("concern", "The concern"),
    ("partners", "Partners responsible for the context"),
    ("actions", "Actions"),
    ("review_date", "Review date"),
)


@dataclass(slots=True, kw_only=True)
class ContextPlan(Record):
    TABLE: ClassVar[str] = "context_plans"

    group_id: str = ""  # the peer group it is for, or
    place_id: str = ""  # the place it is for
    title: str = ""
    status: str = "draft"
    concern: str = ""
    # [{"name", "kind" (PartnerKind), "responsible_for"}]
    partners: list[dict[str, str]] = field(default_factory=list)
    # [{"action", "who", "by_when" (ISO date or "")}]
    actions: list[dict[str, str]] = field(default_factory=list)
    review_date: date | None = None
    current_version_id: str = ""
    agreed_at: datetime | None = None

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name, _ in CONTENT_FIELDS}


@dataclass(slots=True, kw_only=True)
class ContextPlanVersion(Record):
    TABLE: ClassVar[str] = "context_plan_versions"
    APPEND_ONLY: ClassVar[bool] = True

    plan_id: str = ""
    number: int = 1
    based_on_version_id: str = ""
    status: str = "agreed"
    agreed_by: str = ""
    agreed_at: datetime = field(default_factory=utc_now)
    change_note: str = ""
    concern: str = ""
    partners: list[dict[str, str]] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    review_date: date | None = None

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name, _ in CONTENT_FIELDS}


def _rows_ok(rows: object) -> bool:
    return isinstance(rows, list) and all(
        isinstance(r, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in r.items()) for r in rows
    )


def _content_problems(p: ContextPlan | ContextPlanVersion, agreed: bool) -> list[Problem]:
    problems: list[Problem] = []
    for name in ("partners", "actions"):
        if not _rows_ok(getattr(p, name)):
            return [Problem(name, f"{dict(CONTENT_FIELDS)[name]} could not be read: each row must be text.")]
    for partner in p.partners:
        if not partner.get("name", "").strip():
            problems.append(Problem("partners", "Each partner needs a name (the housing provider, the shop...)."))
            break
        if partner.get("kind"):
            one_of(problems, "partners", partner["kind"], PartnerKind, "Kind of partner")
    for a in p.actions:
        if not a.get("action", "").strip():
            problems.append(Problem("actions", "An action is empty: say what will be done, or remove it."))
            break
        if not a.get("who", "").strip():
            problems.append(Problem("actions", "Say who will do each action."))
            break
        when = a.get("by_when", "").strip()
        if when:
            try:
                date.fromisoformat(when)
            except ValueError:
                problems.append(Problem("actions", f"“{when}” is not a date for an action."))
                break
    if agreed:
        if not p.concern.strip():
            problems.append(Problem("concern", "Say what the concern about this context is."))
        if p.review_date is None:
            problems.append(Problem("review_date", "Set a review date before the plan is agreed."))
    return problems


def validate_context_plan(p: ContextPlan) -> list[Problem]:
    problems: list[Problem] = []
    if bool(p.group_id) == bool(p.place_id):
        problems.append(Problem("group_id", "A context plan is for one place or one peer group."))
    one_of(problems, "status", p.status, PlanStatus, "Plan status")
    return problems + _content_problems(p, agreed=p.status in (PlanStatus.AGREED, PlanStatus.REVIEWED))


def validate_context_plan_version(v: ContextPlanVersion) -> list[Problem]:
    problems: list[Problem] = []
    if not v.plan_id:
        problems.append(Problem("plan_id", "A plan version must name its plan."))
    one_of(problems, "status", v.status, PlanStatus, "Plan status")
    if v.status == PlanStatus.DRAFT:
        problems.append(Problem("status", "Only an agreed, reviewed or closed plan is kept as a version."))
    return problems + _content_problems(v, agreed=v.status in (PlanStatus.AGREED, PlanStatus.REVIEWED))


register_validator(ContextPlan, validate_context_plan)
register_validator(ContextPlanVersion, validate_context_plan_version)

declare(
    RecordPolicy(
        ContextPlan,
        "context safety plans",
        roles=STAFF,
        person_field=None,
        links=(Link("group_id", "peer_groups", Must.OWN), Link("place_id", "places")),
    )
)
declare(
    RecordPolicy(
        ContextPlanVersion,
        "agreed context plan versions",
        roles=STAFF,
        person_field=None,
        links=(Link("plan_id", "context_plans", Must.OWN, required=True),),
    )
)
