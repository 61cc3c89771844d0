"""Police "no further action" notifications: record them and keep the young person's NFA count in step."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from youthwork.domain.nfa import JOINT_VISIT_AT, NfaNotification
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NfaRecorded:
    notification: NfaNotification
    count: int
    joint_visit_due: bool  # this NFA brought the count to the threshold: prompt a joint home visit with the police


class NfaService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records

    def record(
        self,
        person_id: str,
        notified_on: date | None,
        offence_category: str,
        source: str = "",
        note: str = "",
        place_id: str = "",
    ) -> NfaRecorded:
        """`place_id`: where the arrest happened, one of the team's places (counted on the place's page)."""
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        by = self._profile.user_id
        nfa = NfaNotification(
            person_id=person_id,
            notified_on=notified_on,
            offence_category=offence_category,
            source=source.strip(),
            note=note.strip(),
            place_id=place_id,
            recorded_by=by,
            created_by=by,
            team_id=person.team_id or self._profile.team_id,
        )
        check(nfa)
        with self._profile.transaction():
            self._repo.save(nfa)
            count = self._repo.count(NfaNotification, "person_id = ?", (person_id,))
            before = person.nfa_count
            # Never lower a count that arrived by sync from records this laptop can't see.
            person.nfa_count = max(count, before + 1)
            self._repo.save(person)
        due = before < JOINT_VISIT_AT <= person.nfa_count
        if due:
            log.info("NFA threshold reached: joint home visit prompted")
        return NfaRecorded(nfa, person.nfa_count, due)

    def for_person(self, person_id: str) -> list[NfaNotification]:
        return self._repo.select(NfaNotification, "person_id = ?", (person_id,), order="notified_on, created_at")
