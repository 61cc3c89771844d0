"""Who might be the same young person twice: the candidates a supervisor is offered to merge (and an import checks).

Two records are candidates when they share a first name or nickname (either way round, ignoring case) on the same
estate in the same age band, or a phone number (its digits, a leading +44 read as 0). A quick-add from a register
("Jay, about 15, Peckham") is the usual duplicate, so the estimated age counts as much as a date of birth.
Pure functions over `YoungPerson`s: the laptop's finder (`youthwork.services.duplicates`) feeds them its store, an
import feeds them the rows it is about to add.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from youthwork.domain.records import YoungPerson
from youthwork.domain.vocab import AgeBand, Vocab

_NOT_DIGIT = re.compile(r"\D+")
MIN_PHONE_DIGITS = 10  # shorter is a typing slip or an extension, never a match on its own


class MatchReason(Vocab):
    NAME_AREA_AGE = "name_area_age", "Same name or nickname, estate and age band"
    PHONE = "phone", "Same phone number"


@dataclass(frozen=True, slots=True)
class Candidate:
    """Two records that may be one young person; `first` is the older record (the one usually kept)."""

    first: str
    second: str
    reasons: tuple[MatchReason, ...]


def phone_key(phone: str) -> str:
    """The digits of a UK phone number as dialled at home ("+44 7700 900123" and "07700900123" agree)."""
    digits = _NOT_DIGIT.sub("", phone or "")
    if digits.startswith("44") and len(digits) >= 12:
        digits = "0" + digits[2:]
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def name_keys(p: YoungPerson) -> frozenset[str]:
    return frozenset(n.strip().casefold() for n in (p.first_name, p.known_as) if n.strip())


def _band(p: YoungPerson, today: date) -> str:
    return AgeBand.for_age(p.age_on(today)).value


def _estate_keys(p: YoungPerson, today: date) -> set[tuple[str, str, str]]:
    """(name, estate, age band) for each name the record goes by; none without an estate or a known age."""
    area, band = p.area.strip().casefold(), _band(p, today)
    if not area or band == AgeBand.NOT_KNOWN:
        return set()
    return {(name, area, band) for name in name_keys(p)}


def reasons(a: YoungPerson, b: YoungPerson, today: date | None = None) -> tuple[MatchReason, ...]:
    """Why two records may be the same young person (empty: no reason to think so)."""
    today = today or date.today()
    out = []
    if a.id != b.id and _estate_keys(a, today) & _estate_keys(b, today):
        out.append(MatchReason.NAME_AREA_AGE)
    if a.id != b.id and phone_key(a.phone) and phone_key(a.phone) == phone_key(b.phone):
        out.append(MatchReason.PHONE)
    return tuple(out)


def matches_for(person: YoungPerson, others: Iterable[YoungPerson], today: date | None = None) -> list[Candidate]:
    """The records in `others` that may be `person` (an import row against the store, say)."""
    today = today or date.today()
    found = []
    for other in others:
        why = reasons(person, other, today)
        if why:
            older, newer = sorted((person, other), key=lambda p: (p.created_at, p.id))
            found.append(Candidate(older.id, newer.id, why))
    return found


def candidate_pairs(people: Iterable[YoungPerson], today: date | None = None) -> list[Candidate]:
    """Every pair among `people` that may be one young person, each pair once, oldest record first.

    Grouped by key rather than compared pair by pair, so 100,000 records cost one pass.
    """
    today = today or date.today()
    groups: dict[tuple[str, ...], list[YoungPerson]] = defaultdict(list)
    for p in people:
        for key in _estate_keys(p, today):
            groups[("name", *key)].append(p)
        if phone := phone_key(p.phone):
            groups[("phone", phone)].append(p)
    pairs: dict[tuple[str, str], set[MatchReason]] = defaultdict(set)
    for group, members in groups.items():
        reason = MatchReason.PHONE if group[0] == "phone" else MatchReason.NAME_AREA_AGE
        ordered = sorted({m.id: m for m in members}.values(), key=lambda m: (m.created_at, m.id))
        for i, older in enumerate(ordered):
            for newer in ordered[i + 1 :]:
                pairs[(older.id, newer.id)].add(reason)
    out = [Candidate(a, b, tuple(r for r in MatchReason if r in why)) for (a, b), why in pairs.items()]
    return sorted(out, key=lambda c: (c.first, c.second))
