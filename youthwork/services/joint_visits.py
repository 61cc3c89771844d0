"""Third-NFA joint home visits: plan one, record it done or tried, and say whose prompt is still open."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from youthwork.domain.joint_visits import JointVisit, VisitStatus, prompt_closed
from youthwork.domain.nfa import JOINT_VISIT_AT, NfaNotification
from youthwork.domain.records import YoungPerson, display_name
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)


class _Visit(NamedTuple):
    """A visit's columns that decide whether it closed a prompt (youthwork.domain.joint_visits.Visited)."""

    id: str
    status: str
    visited_on: date | None


@dataclass(frozen=True, slots=True)
class VisitDue:
    person_id: str
    person_name: str
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
        db = self._profile.db
        # Their names, not their whole records (a whole record decoded each was half a second of Today at 100,000
        # young people, 4,917 of them with three NFAs or more), from the index on the count, which holds only them
        # (migrations 0033, 0034). SQLite reads a partial index only for a WHERE that implies the index's own: the
        # condition is written as the index has it, not left to a bound value.
        at_least = f"nfa_count >= {int(JOINT_VISIT_AT)}"
        people = db.query(
            f"SELECT id, first_name, last_name, known_as FROM people WHERE {at_least} ORDER BY nfa_count DESC, id"
        )
        # Their NFAs and visits: few, so read by a join on the young person rather than looked up for each.
        holders = f"JOIN people p ON p.id = x.person_id AND p.{at_least}"
        nfas: dict[str, list[date | None]] = {}
        for pid, on in db.query(
            f"SELECT x.person_id, x.notified_on FROM nfa_notifications x {holders} ORDER BY x.notified_on, x.created_at"
        ):
            nfas.setdefault(pid, []).append(date.fromisoformat(on[:10]) if on else None)
        visits: dict[str, list[_Visit]] = {}
        for vid, pid, status, on in db.query(
            f"SELECT x.id, x.person_id, x.status, x.visited_on FROM joint_visits x {holders}"
            " ORDER BY coalesce(x.visited_on, x.planned_for) DESC, x.id"
        ):
            visits.setdefault(pid, []).append(_Visit(vid, status or "", date.fromisoformat(on[:10]) if on else None))
        due: list[tuple[str, str, str | None]] = []
        for pid, first, last, known_as in people:
            mine, theirs = visits.get(pid, []), nfas.get(pid, [])
            third = theirs[JOINT_VISIT_AT - 1] if len(theirs) >= JOINT_VISIT_AT else None
            if not prompt_closed(third, mine):
                planned = next((v.id for v in mine if v.status == VisitStatus.PLANNED), None)
                due.append((pid, display_name(first or "", last or "", known_as or ""), planned))
        # Only the planned visits handed back are read whole (one per young person at most).
        wanted = json.dumps([planned for *_, planned in due if planned])
        whole = {v.id: v for v in self._repo.select(JointVisit, "id IN (SELECT value FROM json_each(?))", (wanted,))}
        return [VisitDue(pid, name, whole.get(planned) if planned else None) for pid, name, planned in due]

    def _third_nfa_on(self, person_id: str) -> date | None:
        nfas = self._repo.select(
            NfaNotification, "person_id = ?", (person_id,), order="notified_on, created_at", limit=JOINT_VISIT_AT
        )
        return nfas[JOINT_VISIT_AT - 1].notified_on if len(nfas) >= JOINT_VISIT_AT else None
