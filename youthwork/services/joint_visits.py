"""Third-NFA joint home visits: plan one, record it done or tried, and say whose prompt is still open."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from youthwork.domain.joint_visits import JointVisit, VisitStatus, prompt_closed
from youthwork.domain.nfa import JOINT_VISIT_AT, NfaNotification
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class VisitDue:
    person: YoungPerson
    planned: JointVisit | None  # a visit planned and not yet recorded


class JointVisitService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records

    def record(
        self,
        person_id: str,
        status: str,
        *,
        visit_id: str | None = None,
        planned_for: date | None = None,
        visited_on: date | None = None,
        tys_workers: Sequence[str] = (),
        police_officer: str = "",
        outcomes: Sequence[str] = (),
        note: str = "",
    ) -> JointVisit:
        """A new visit, or (`visit_id`) a planned one recorded as done, no answer or declined."""
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        visit = self._repo.get(JointVisit, visit_id) if visit_id else None
        if visit_id and (visit is None or visit.person_id != person_id):
            raise ValidationError([Problem("status", "That planned visit is not on this laptop.")])
        if visit is None:
            visit = JointVisit(
                person_id=person_id, created_by=self._profile.user_id, team_id=person.team_id or self._profile.team_id
            )
        visit.status = status
        visit.planned_for = planned_for or visit.planned_for
        visit.visited_on = visited_on if status != VisitStatus.PLANNED else None
        visit.tys_workers = [w.strip() for w in tys_workers if w.strip()]
        visit.police_officer = police_officer.strip()
        visit.outcomes = list(dict.fromkeys(outcomes))
        visit.note = note.strip()
        visit.recorded_by = self._profile.user_id
        check(visit)
        saved = self._repo.save(visit)
        log.info("joint home visit recorded (%s)", status)
        return saved

    def for_person(self, person_id: str) -> list[JointVisit]:
        return self._repo.select(
            JointVisit, "person_id = ?", (person_id,), order="coalesce(visited_on, planned_for) DESC, id"
        )

    def prompt_open(self, person: YoungPerson) -> bool:
        """Three or more NFAs, and no joint visit done or tried since the third."""
        if person.nfa_count < JOINT_VISIT_AT:
            return False
        return not prompt_closed(self._third_nfa_on(person.id), self.for_person(person.id))

    def due(self) -> list[VisitDue]:
        """Young people whose third-NFA prompt is open (the Today page), most NFAs first."""
        people = self._repo.select(YoungPerson, "nfa_count >= ?", (JOINT_VISIT_AT,), order="nfa_count DESC, id")
        # Each person's NFAs and visits in one query per 500 people, not two per person (a second on Today at 100,000).
        nfas: dict[str, list[NfaNotification]] = {}
        visits: dict[str, list[JointVisit]] = {}
        ids = [p.id for p in people]
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            in_chunk = f"person_id IN ({marks})"
            for n in self._repo.select(NfaNotification, in_chunk, chunk, order="notified_on, created_at"):
                nfas.setdefault(n.person_id, []).append(n)
            for v in self._repo.select(JointVisit, in_chunk, chunk, order="coalesce(visited_on, planned_for) DESC, id"):
                visits.setdefault(v.person_id, []).append(v)
        out = []
        for p in people:
            mine, theirs = visits.get(p.id, []), nfas.get(p.id, [])
            third = theirs[JOINT_VISIT_AT - 1].notified_on if len(theirs) >= JOINT_VISIT_AT else None
            if not prompt_closed(third, mine):
                planned = [v for v in mine if v.status == VisitStatus.PLANNED]
                out.append(VisitDue(p, planned[0] if planned else None))
        return out

    def _third_nfa_on(self, person_id: str) -> date | None:
        nfas = self._repo.select(
            NfaNotification, "person_id = ?", (person_id,), order="notified_on, created_at", limit=JOINT_VISIT_AT
        )
        return nfas[JOINT_VISIT_AT - 1].notified_on if len(nfas) >= JOINT_VISIT_AT else None
