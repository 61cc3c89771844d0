"""Family and household links on a young person's profile: add, change, remove, and list both ways (a sibling
recorded on one profile shows on the other's)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from youthwork.domain.family import BETWEEN_YOUNG_PEOPLE, Relation, Relationship
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FamilyMember:
    """One person in a young person's family, as their profile shows them."""

    relationship: Relationship
    relation_label: str  # what they are to the young person whose profile this is
    name: str
    other_person_id: str  # the young person on our records, if they are one ("" for a parent or carer)


class FamilyService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records

    def add(self, link: Relationship) -> Relationship:
        person = self._repo.get(YoungPerson, link.person_id)
        if person is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        if link.other_person_id and self._repo.get(YoungPerson, link.other_person_id) is None:
            raise ValidationError([Problem("other_person_id", "That young person is not on our records.")])
        link.team_id = link.team_id or person.team_id or self._profile.team_id
        link.created_by = link.created_by or self._profile.user_id
        for name in ("name", "phone", "email", "address"):
            setattr(link, name, getattr(link, name).strip())
        check(link)
        if link.other_person_id and self._linked(link.person_id, link.other_person_id):
            raise ValidationError([Problem("other_person_id", "They are already linked as family.")])
        return self._repo.save(link)

    def update(self, link: Relationship) -> Relationship:
        if self._repo.get(Relationship, link.id) is None:
            raise ValidationError([Problem("id", "That family link is no longer on this laptop.")])
        check(link)
        return self._repo.save(link)

    def remove(self, link_id: str) -> None:
        self._repo.delete(Relationship, link_id)

    def _linked(self, a: str, b: str) -> bool:
        return bool(
            self._repo.count(
                Relationship,
                "(person_id = ? AND other_person_id = ?) OR (person_id = ? AND other_person_id = ?)",
                (a, b, b, a),
            )
        )

    def for_person(self, person_id: str) -> list[FamilyMember]:
        """Their family: links recorded on their profile, and siblings who recorded them on theirs. A link to a
        young person not on this laptop (not held, or erased) shows nothing of them."""
        out: list[FamilyMember] = []
        labels = dict(Relation.choices())
        for r in self._repo.select(Relationship, "person_id = ?", (person_id,), order="created_at, id"):
            name = r.name
            if r.other_person_id:
                other = self._repo.get(YoungPerson, r.other_person_id)
                if other is None:
                    continue
                name = other.display_name
            out.append(FamilyMember(r, labels.get(r.relation, r.relation), name, r.other_person_id))
        for r in self._repo.select(Relationship, "other_person_id = ?", (person_id,), order="created_at, id"):
            if r.relation not in BETWEEN_YOUNG_PEOPLE:
                continue
            other = self._repo.get(YoungPerson, r.person_id)
            if other is not None:
                out.append(FamilyMember(r, labels.get(r.relation, r.relation), other.display_name, r.person_id))
        return out
