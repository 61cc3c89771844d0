"""Who in a sheet is already recorded: the seam where an import asks for duplicate candidates.

`DuplicateFinder` is what the importer needs; `NameAndBirthFinder` answers it from one read of the people table,
fast enough for 20,000 rows, in two strengths. `candidates`: the same first and last name and date of birth (with no
date of birth, the same names on the same estate): sure enough to join the row to them rather than add anyone.
`may_be`: the merge area's own test (`youthwork.domain.duplicates`: the same first name or nickname, estate and age
band, or phone), not sure enough to join: the row is added and the worker told it may be someone already recorded,
whom the merge view then offers to merge.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Protocol

from youthwork.domain.duplicates import MatchReason, name_keys, phone_key, reasons
from youthwork.domain.records import YoungPerson
from youthwork.store.database import Database


class DuplicateFinder(Protocol):
    def candidates(self, person: YoungPerson) -> list[str]:
        """Ids of young people already recorded who may be this one, likeliest first."""
        ...

    def may_be(self, person: YoungPerson) -> list[tuple[str, tuple[MatchReason, ...]]]:
        """Young people already recorded who might be this one (to merge later), with why."""
        ...

    def add(self, person: YoungPerson) -> None:
        """`person` has just been recorded (by this import): later rows may match them too."""
        ...


def _key(first: str, last: str) -> tuple[str, str]:
    return " ".join(first.lower().split()), " ".join(last.lower().split())


class NameAndBirthFinder:
    def __init__(self, db: Database, today: date | None = None) -> None:
        self._today = today or date.today()
        self._by_birth: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self._by_area: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        # For the merge test: a light copy of each record, bucketed by name and by phone.
        self._by_name: dict[tuple[str, str], list[YoungPerson]] = defaultdict(list)
        self._by_phone: dict[str, list[YoungPerson]] = defaultdict(list)
        for r in db.query(
            "SELECT id, first_name, last_name, known_as, date_of_birth, estimated_age, age_estimated_on, area, phone,"
            " created_at FROM people"
        ):
            self._note(r["id"], r["first_name"] or r["known_as"], r["last_name"], r["date_of_birth"], r["area"])
            created = datetime.fromisoformat(r["created_at"])
            self._bucket(
                YoungPerson(
                    id=r["id"],
                    created_at=created,
                    updated_at=created,
                    first_name=r["first_name"],
                    known_as=r["known_as"],
                    date_of_birth=date.fromisoformat(r["date_of_birth"]) if r["date_of_birth"] else None,
                    estimated_age=r["estimated_age"],
                    age_estimated_on=date.fromisoformat(r["age_estimated_on"]) if r["age_estimated_on"] else None,
                    area=r["area"],
                    phone=r["phone"],
                )
            )

    def _bucket(self, p: YoungPerson) -> None:
        area = p.area.strip().casefold()
        for name in name_keys(p):
            self._by_name[(name, area)].append(p)
        if phone := phone_key(p.phone):
            self._by_phone[phone].append(p)

    def may_be(self, person: YoungPerson) -> list[tuple[str, tuple[MatchReason, ...]]]:
        area = person.area.strip().casefold()
        near = {p.id: p for name in name_keys(person) for p in self._by_name.get((name, area), ())}
        if phone := phone_key(person.phone):
            near.update((p.id, p) for p in self._by_phone.get(phone, ()))
        out = []
        for other in near.values():
            why = reasons(person, other, self._today)
            if why:
                out.append((other.id, why))
        return out

    def _note(self, pid: str, first: str, last: str, born: str | None, area: str) -> None:
        name = _key(first, last)
        if born:
            self._by_birth[(*name, born)].append(pid)
        self._by_area[(*name, area.strip().lower())].append(pid)

    def candidates(self, person: YoungPerson) -> list[str]:
        name = _key(person.first_name or person.known_as, person.last_name)
        if person.date_of_birth is not None:
            return list(self._by_birth.get((*name, person.date_of_birth.isoformat()), ()))
        if not name[1] and not person.area.strip():
            return []  # a first name alone is too little to call anyone the same person
        return list(self._by_area.get((*name, person.area.strip().lower()), ()))

    def add(self, person: YoungPerson) -> None:
        born = person.date_of_birth.isoformat() if person.date_of_birth else None
        self._note(person.id, person.first_name or person.known_as, person.last_name, born, person.area)
        # Not bucketed for `may_be`: a sheet's own people are many on one estate with common first names, and two
        # of them are not offered as one by the import (the merge view finds such pairs afterwards).


def why_words(why: tuple[MatchReason, ...]) -> str:
    """The merge test's reasons, as a sentence part ("same phone number")."""
    return " and ".join(r.label.lower() for r in why)
