"""Outcomes and distance travelled: a young person's social and emotional capabilities, rated with them at the start
and at each review, so the change over time can be shown on their profile and counted by programme.

The framework is the organisation's to choose or adjust (the `outcomes.framework` setting); the default is the seven
capabilities of the Framework of Outcomes for Young People (Young Foundation / Centre for Youth Impact). Each rating
keeps the capability codes it was scored on, so a changed framework never rewrites what was agreed with someone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar

from youthwork.domain.policy import STAFF, Link, RecordPolicy, declare
from youthwork.domain.records import Record
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab

SCALE = (1, 5)  # 1: not yet, 5: a real strength (the young person's own view, talked through with them)


class RatingStage(Vocab):
    START = "start", "Starting point"
    REVIEW = "review", "Review"
    CLOSING = "closing", "Closing review (work ending)"


@dataclass(frozen=True, slots=True)
class Framework:
    code: str
    name: str
    capabilities: tuple[tuple[str, str], ...]  # (code, words a young person recognises)

    def label(self, code: str) -> str:
        return dict(self.capabilities).get(code, code.replace("_", " ").capitalize())

    def to_setting(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "capabilities": [list(c) for c in self.capabilities]}

    @classmethod
    def from_setting(cls, value: Mapping[str, Any] | None) -> Framework:
        """The organisation's framework from its setting; an empty or unreadable one is the default."""
        if not value or not value.get("capabilities"):
            return FOYP
        caps = tuple((str(c[0]), str(c[1])) for c in value["capabilities"] if len(c) >= 2 and str(c[0]).strip())
        return cls(str(value.get("code") or "custom"), str(value.get("name") or "Our outcomes"), caps) if caps else FOYP


FOYP = Framework(
    "foyp",
    "Framework of Outcomes for Young People",
    (
        ("communication", "Communication"),
        ("confidence_agency", "Confidence and agency"),
        ("planning_problem_solving", "Planning and problem solving"),
        ("relationships_leadership", "Relationships and leadership"),
        ("creativity", "Creativity"),
        ("resilience_determination", "Resilience and determination"),
        ("managing_feelings", "Managing feelings"),
    ),
)


@dataclass(slots=True, kw_only=True)
class OutcomeRating(Record):
    TABLE: ClassVar[str] = "outcome_ratings"
    APPEND_ONLY: ClassVar[bool] = True  # a rating is what was agreed on the day; a correction is a new rating

    person_id: str = ""
    rated_on: date | None = None
    stage: str = RatingStage.START.value
    programme: str = ""  # the session type the work is part of (kicks, detached, one_to_one...)
    framework: str = FOYP.code
    scores: dict[str, int] = field(default_factory=dict)  # capability code -> 1..5
    rated_by: str = ""
    note: str = ""


def validate_rating(r: OutcomeRating, today: date | None = None) -> list[Problem]:
    today = today or date.today()
    problems: list[Problem] = []
    if not r.person_id:
        problems.append(Problem("person_id", "A rating must be about a young person."))
    if r.rated_on is None:
        problems.append(Problem("rated_on", "Enter the date you rated it together."))
    elif r.rated_on > today + timedelta(days=1):
        problems.append(Problem("rated_on", "The rating date is in the future."))
    one_of(problems, "stage", r.stage, RatingStage, "Stage")
    if not r.scores:
        problems.append(Problem("scores", "Rate at least one capability."))
    lo, hi = SCALE
    for code, value in r.scores.items():
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            problems.append(Problem("scores", f"“{code}” must be rated from {lo} to {hi}."))
            break
    return problems


register_validator(OutcomeRating, validate_rating)
declare(
    RecordPolicy(
        OutcomeRating,
        "outcome ratings",
        roles=STAFF,
        links=(Link("person_id", "people", required=True),),
        # Distance travelled still counts for the programme once the young person is anonymised.
        anonymised_keeps=frozenset({"person_id", "rated_on", "stage", "programme", "framework", "scores"}),
    )
)
