"""The joint home visit (TYS with the police) that a young person's third police NFA calls for.

Recording a visit that happened or was tried (done, no answer, declined) on or after the third NFA closes the
third-NFA prompt; a planned visit leaves it open. The visit success rate is the share of tried visits that were done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar, Protocol

from youthwork.domain.policy import STAFF, Link, RecordPolicy, declare
from youthwork.domain.records import Record, criminal
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab


class VisitStatus(Vocab):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"
    NO_ANSWER = "no_answer", "No answer"
    DECLINED = "declined", "Family declined"


class VisitOutcome(Vocab):
    FAMILY_REFERRED = "family_referred", "Family referred for a service"
    CONSEQUENCES_EXPLAINED = "consequences_explained", "Consequences explained"
    ENGAGED_WITH_TYS = "engaged_with_tys", "Young person agreed to work with TYS"
    ADVICE_TO_PARENTS = "advice_to_parents", "Advice given to parents or carers"
    SAFEGUARDING_RAISED = "safeguarding_raised", "Safeguarding concern raised"
    OTHER = "other", "Other"


# A visit in one of these closes the third-NFA prompt; the success rate is done over all of them.
VISIT_TRIED = frozenset({VisitStatus.DONE.value, VisitStatus.NO_ANSWER.value, VisitStatus.DECLINED.value})


@dataclass(slots=True, kw_only=True)
class JointVisit(Record):
    TABLE: ClassVar[str] = "joint_visits"

    person_id: str = ""
    status: str = VisitStatus.PLANNED.value
    planned_for: date | None = None
    visited_on: date | None = None  # when it was done or tried
    tys_workers: list[str] = field(default_factory=list)  # TYS staff who went (names as the team uses them)
    police_officer: str = ""  # the officer or unit who went with them
    outcomes: list[str] = field(default_factory=list)  # VisitOutcome codes
    note: str = criminal("")
    recorded_by: str = ""


class Visited(Protocol):
    """What `prompt_closed` reads of a visit: a JointVisit, or its two columns alone (the Today page's list)."""

    @property
    def status(self) -> str: ...

    @property
    def visited_on(self) -> date | None: ...


def prompt_closed(third_nfa_on: date | None, visits: Sequence[Visited]) -> bool:
    """Whether a joint visit done or tried on or after the third NFA has closed the prompt it raised.

    `third_nfa_on` None (the NFAs themselves are not on this laptop): any visit tried closes it."""
    return any(
        v.status in VISIT_TRIED
        and (third_nfa_on is None or (v.visited_on is not None and v.visited_on >= third_nfa_on))
        for v in visits
    )


def validate_visit(v: JointVisit, today: date | None = None) -> list[Problem]:
    today = today or date.today()
    problems: list[Problem] = []
    if not v.person_id:
        problems.append(Problem("person_id", "A joint home visit must be about a young person."))
    one_of(problems, "status", v.status, VisitStatus, "Visit")
    if v.status == VisitStatus.PLANNED and v.planned_for is None:
        problems.append(Problem("planned_for", "Enter the date the visit is planned for."))
    if v.status in VISIT_TRIED:
        if v.visited_on is None:
            problems.append(Problem("visited_on", "Enter the date of the visit."))
        elif v.visited_on > today + timedelta(days=1):
            problems.append(Problem("visited_on", "The visit date is in the future: record it as planned."))
        if not [w for w in v.tys_workers if w.strip()]:
            problems.append(Problem("tys_workers", "Enter who went from TYS."))
        if not v.police_officer.strip():
            problems.append(Problem("police_officer", "Enter the police officer or unit who went (a joint visit)."))
    if v.status == VisitStatus.DONE and not v.outcomes:
        problems.append(Problem("outcomes", "Choose at least one outcome of the visit."))
    for code in v.outcomes:
        one_of(problems, "outcomes", code, VisitOutcome, "Outcome")
    return problems


register_validator(JointVisit, validate_visit)
declare(RecordPolicy(JointVisit, "joint home visits", roles=STAFF, links=(Link("person_id", "people", required=True),)))
