"""Safety plans: write and edit a plan, agree it (a kept version), review, close; compare versions; list reviews due.

Agreeing writes an append-only SafetyPlanVersion together with the working copy's new state, in one transaction.
Two versions made from the same starting point (two workers agreeing offline) are a fork: `conflicts()` shows them.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import YoungPerson, utc_now
from youthwork.domain.safety_plans import (
    CONTENT_FIELDS,
    EMERGENCY_CONTACTS,
    PlanStatus,
    SafetyPlan,
    SafetyPlanVersion,
)
from youthwork.domain.validation import Problem, ValidationError, check, problems_with
from youthwork.security.audit import AuditTrail
from youthwork.security.exports import record_export
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

DUE_SOON_DAYS = 7


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class ReviewDue:
    plan: SafetyPlan
    person_name: str
    overdue: bool
    days: int  # days until the review (negative: days overdue)


@dataclass(frozen=True, slots=True)
class PlanConflict:
    """Versions agreed from the same starting point on different laptops: a person decides which stands."""

    based_on_version_id: str
    versions: tuple[SafetyPlanVersion, ...]


def diff(
    before: dict[str, Any], after: dict[str, Any], fields: tuple[tuple[str, str], ...] = CONTENT_FIELDS
) -> list[FieldChange]:
    """What changed between two plan contents, field by field, in the plan's reading order (a young person's safety
    plan's fields unless told others: a context plan's)."""
    return [
        FieldChange(name, label, before.get(name), after.get(name))
        for name, label in fields
        if _norm(before.get(name)) != _norm(after.get(name))
    ]


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [{k: str(v).strip() for k, v in item.items() if str(v).strip()} for item in value]
    return value


class PlanService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records

    # ---- writing ------------------------------------------------------------------------------------------------

    def new_plan(self, person_id: str) -> SafetyPlan:
        """A draft plan (not yet saved) with the emergency numbers offered."""
        person = self._person(person_id)
        return SafetyPlan(
            person_id=person.id,
            team_id=person.team_id or self._profile.team_id,
            created_by=self._profile.user_id,
            contacts=[dict(c) for c in EMERGENCY_CONTACTS],
        )

    def save(self, plan: SafetyPlan) -> SafetyPlan:
        """Save the working copy. An agreed plan stays agreed: its agreed version is kept until the next agreement."""
        self._person(plan.person_id)
        old = self._repo.get(SafetyPlan, plan.id)
        if old is not None and old.status == PlanStatus.CLOSED:
            raise ValidationError([Problem("status", "This plan is closed. Start a new plan instead.")])
        plan.status = old.status if old is not None else PlanStatus.DRAFT
        _tidy(plan)
        check(plan)
        with self._profile.transaction():
            saved = self._repo.save(plan)
            self._audit(AuditAction.CHANGED, plan, "plan_saved")
        return saved

    def record_printed(self, plan: SafetyPlan, path: Path | None = None) -> None:
        """The young person's copy was printed (written as a PDF at `path`): kept in the audit trail, and the file
        recorded so a remote wipe removes it."""
        self._audit(AuditAction.PRINTED, plan, "plan_printed")
        if path is not None:
            record_export(self._profile, path)

    def _audit(self, action: AuditAction, plan: SafetyPlan, code: str) -> None:
        # Ids and a code only: never the plan's text or a closing reason typed by the worker.
        AuditTrail(self._profile).record(action, SafetyPlan.TABLE, plan.id, person_id=plan.person_id, reason=code)

    def agree(self, plan: SafetyPlan, change_note: str = "") -> SafetyPlanVersion:
        """Agree the plan with the young person: keeps this state as a new version. Also used for a review."""
        self._person(plan.person_id)
        old = self._repo.get(SafetyPlan, plan.id)
        if old is not None and old.status == PlanStatus.CLOSED:
            raise ValidationError([Problem("status", "This plan is closed. Start a new plan instead.")])
        _tidy(plan)
        first = old is None or old.status == PlanStatus.DRAFT or not plan.current_version_id
        status = PlanStatus.AGREED if first else PlanStatus.REVIEWED
        problems: list[Problem] = []
        if plan.review_date is not None and plan.review_date < date.today():
            problems.append(Problem("review_date", "The review date has passed: choose a date from today on."))
        return self._write_version(plan, status, change_note, problems)

    def close(self, plan_id: str, reason: str) -> SafetyPlanVersion:
        plan = self._repo.get(SafetyPlan, plan_id)
        if plan is None:
            raise ValidationError([Problem("id", "That safety plan is not on this laptop.")])
        if plan.status == PlanStatus.CLOSED:
            raise ValidationError([Problem("status", "This plan is already closed.")])
        if not reason.strip():
            raise ValidationError([Problem("closed_reason", "Say why the plan is being closed.")])
        plan.closed_reason = reason.strip()
        return self._write_version(plan, PlanStatus.CLOSED, reason.strip(), [])

    def _write_version(
        self, plan: SafetyPlan, status: PlanStatus, note: str, problems: list[Problem]
    ) -> SafetyPlanVersion:
        number = 1 + max((v.number for v in self.versions(plan.id)), default=0)
        by = self._profile.user_id
        version = SafetyPlanVersion(
            plan_id=plan.id,
            person_id=plan.person_id,
            team_id=plan.team_id or self._profile.team_id,
            created_by=by,
            agreed_by=by,
            number=number,
            based_on_version_id=plan.current_version_id,
            status=status.value,
            change_note=note.strip(),
            **copy.deepcopy(plan.content()),
        )
        problems = problems + problems_with(version)
        if problems:
            raise ValidationError(problems)
        plan.status = status.value
        plan.current_version_id = version.id
        plan.agreed_at = version.agreed_at
        plan.team_id = version.team_id
        plan.created_by = plan.created_by or by
        code = {PlanStatus.AGREED: "plan_agreed", PlanStatus.REVIEWED: "plan_reviewed"}.get(status, "plan_closed")
        with self._profile.transaction():
            # The plan before its version: the service accepts a record only after what it links to (plan_id).
            self._repo.save(plan)
            self._repo.save(version)
            self._audit(AuditAction.CHANGED, plan, code)
        log.info("safety plan version %s written (%s)", version.number, status.value)
        return version

    # ---- reading ------------------------------------------------------------------------------------------------

    def get(self, plan_id: str) -> SafetyPlan | None:
        return self._repo.get(SafetyPlan, plan_id)

    def for_person(self, person_id: str) -> list[SafetyPlan]:
        return self._repo.select(SafetyPlan, "person_id = ?", (person_id,), order="created_at DESC, id DESC")

    def current(self) -> list[tuple[SafetyPlan, str]]:
        """Plans not closed, with the young person's name; the next review first, drafts last."""
        plans = self._repo.select(
            SafetyPlan, "status != 'closed'", order="review_date IS NULL, review_date, created_at DESC"
        )
        out = []
        for p in plans:
            person = self._repo.get(YoungPerson, p.person_id)
            out.append((p, person.display_name if person else "(not on this laptop)"))
        return out

    def versions(self, plan_id: str) -> list[SafetyPlanVersion]:
        """Oldest first."""
        return self._repo.select(SafetyPlanVersion, "plan_id = ?", (plan_id,), order="number, agreed_at, id")

    def compare(self, older_id: str, newer_id: str) -> list[FieldChange]:
        a = self._repo.get(SafetyPlanVersion, older_id)
        b = self._repo.get(SafetyPlanVersion, newer_id)
        if a is None or b is None:
            raise ValidationError([Problem("version", "One of those plan versions is not on this laptop.")])
        return diff(a.content(), b.content())

    def unagreed_changes(self, plan: SafetyPlan) -> list[FieldChange]:
        """What the working copy changes since the version it was edited from."""
        base = self._repo.get(SafetyPlanVersion, plan.current_version_id) if plan.current_version_id else None
        return diff(base.content() if base else {}, plan.content())

    def conflicts(self, plan_id: str) -> list[PlanConflict]:
        """Forks not yet settled: a fork is settled once a later version is agreed on top of one of its versions."""
        versions = self.versions(plan_id)
        siblings: dict[str, list[SafetyPlanVersion]] = {}
        for v in versions:
            siblings.setdefault(v.based_on_version_id, []).append(v)
        built_on = {v.based_on_version_id for v in versions}
        return [
            PlanConflict(base, tuple(vs))
            for base, vs in siblings.items()
            if len(vs) > 1 and not any(v.id in built_on for v in vs)
        ]

    def reviews_due(self, today: date | None = None, within_days: int = DUE_SOON_DAYS) -> list[ReviewDue]:
        """Agreed or reviewed plans whose review date is within `within_days` or past; most overdue first."""
        today = today or date.today()
        limit = (today + timedelta(days=within_days)).isoformat()
        plans = self._repo.select(
            SafetyPlan,
            "status IN ('agreed', 'reviewed') AND review_date IS NOT NULL AND review_date <= ?",
            (limit,),
            order="review_date, id",
        )
        out = []
        for p in plans:
            person = self._repo.get(YoungPerson, p.person_id)
            assert p.review_date is not None
            days = (p.review_date - today).days
            out.append(ReviewDue(p, person.display_name if person else "(not on this laptop)", days < 0, days))
        return out

    def _person(self, person_id: str) -> YoungPerson:
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        return person


def _tidy(plan: SafetyPlan) -> None:
    """Drop empty rows the editor leaves behind; trim text."""
    for name in ("risks_triggers", "warning_signs", "safe_places", "own_words"):
        setattr(plan, name, getattr(plan, name).strip())
    for name in ("trusted_adults", "contacts", "actions"):
        rows = [{k: str(v).strip() for k, v in row.items()} for row in getattr(plan, name)]
        setattr(plan, name, [r for r in rows if any(r.values())])
    plan.updated_at = plan.updated_at or utc_now()
