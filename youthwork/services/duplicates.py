"""The duplicate candidates on this laptop: every pair of young people who may be one person, for the merge screen,
the data-quality view and an import (the rules are youthwork.domain.duplicates)."""

from __future__ import annotations

from datetime import date

from youthwork.domain.duplicates import Candidate, candidate_pairs, matches_for
from youthwork.domain.records import YoungPerson
from youthwork.store.profile import Profile


class DuplicateFinder:
    def __init__(self, profile: Profile) -> None:
        self._repo = profile.records

    def _people(self) -> list[YoungPerson]:
        return self._repo.select(YoungPerson, "active = 1")

    def candidates(self, today: date | None = None) -> list[Candidate]:
        """Every pair of this team's active young people who may be one person."""
        return candidate_pairs(self._people(), today)

    def matches_for(self, person: YoungPerson, today: date | None = None) -> list[Candidate]:
        """Records already here that may be `person` (who need not be saved yet: an import row)."""
        return matches_for(person, (p for p in self._people() if p.id != person.id), today)
