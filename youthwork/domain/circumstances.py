"""A young person's circumstances with dates: education (NEET, excluded, alternative provision...), looked-after,
a child in need or child protection plan, risk indicators and address.

The profile holds each one's current value; every change the profile makes also writes a `CircumstanceChange`, so
"NEET since March" can be said, the board can compare the start of a quarter with its end, and the chronology shows
the change. Append-only: a wrong entry is put right by a later one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from youthwork.domain.policy import STAFF, Link, RecordPolicy, declare
from youthwork.domain.records import Record, YoungPerson, criminal, special
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import EducationStatus, RiskIndicator, SocialCare, Vocab


class Circumstance(Vocab):
    EDUCATION = "education", "Education, employment or training"
    LOOKED_AFTER = "looked_after", "Looked-after child"
    SEND = "send", "Special educational needs (SEND / EHCP)"
    SOCIAL_CARE = "social_care", "Child in need or protection plan"
    RISK_INDICATORS = "risk_indicators", "Risk indicators"
    ADDRESS = "address", "Address"


# Which value field each circumstance's value goes in: looked-after and social care are special category data,
# risk indicators criminal-offence data (as on the profile); education and address are ordinary.
SPECIAL_CIRCUMSTANCES = frozenset(
    {Circumstance.LOOKED_AFTER.value, Circumstance.SEND.value, Circumstance.SOCIAL_CARE.value}
)
CRIMINAL_CIRCUMSTANCES = frozenset({Circumstance.RISK_INDICATORS.value})


@dataclass(slots=True, kw_only=True)
class CircumstanceChange(Record):
    """From `from_date`, this circumstance of this young person was `value` (as the profile holds it)."""

    TABLE: ClassVar[str] = "circumstance_changes"
    APPEND_ONLY: ClassVar[bool] = True

    person_id: str = ""
    what: str = ""
    value: str = ""  # education status code, or the address and postcode
    special_value: str = special("")  # looked-after or SEND ("yes"/"no"), social care code
    criminal_value: str = criminal("")  # risk indicators, as a JSON list of codes
    from_date: date | None = None
    recorded_by: str = ""

    @property
    def shown_value(self) -> str:
        """The value, wherever it is held."""
        return self.special_value or self.criminal_value or self.value


def current_values(person: YoungPerson) -> dict[str, str]:
    """Each circumstance's value on the profile, in the form a change holds it."""
    address = ", ".join(x for x in (person.address.strip(), person.postcode.strip()) if x)
    return {
        Circumstance.EDUCATION.value: person.education_status or "not_known",
        Circumstance.LOOKED_AFTER.value: "yes" if person.looked_after else "no",
        Circumstance.SEND.value: "yes" if person.send_ehcp else "no",
        Circumstance.SOCIAL_CARE.value: person.social_care or SocialCare.NONE.value,
        Circumstance.RISK_INDICATORS.value: json.dumps(sorted(person.risk_indicators or [])),
        Circumstance.ADDRESS.value: address,
    }


# What a circumstance holds before anything is recorded: a new profile writes only what differs from it.
UNRECORDED = {
    Circumstance.EDUCATION.value: "not_known",
    Circumstance.LOOKED_AFTER.value: "no",
    Circumstance.SEND.value: "no",
    Circumstance.SOCIAL_CARE.value: SocialCare.NONE.value,
    Circumstance.RISK_INDICATORS.value: "[]",
    Circumstance.ADDRESS.value: "",
}


def changes_between(
    before: YoungPerson | None, after: YoungPerson, from_date: date, recorded_by: str
) -> list[CircumstanceChange]:
    """The changes to record when a profile goes from `before` (None: newly added) to `after`."""
    old = current_values(before) if before is not None else UNRECORDED
    out = []
    for what, value in current_values(after).items():
        if value == old[what]:
            continue
        change = CircumstanceChange(
            person_id=after.id,
            what=what,
            from_date=from_date,
            recorded_by=recorded_by,
            created_by=recorded_by,
            team_id=after.team_id,
        )
        if what in SPECIAL_CIRCUMSTANCES:
            change.special_value = value
        elif what in CRIMINAL_CIRCUMSTANCES:
            change.criminal_value = value
        else:
            change.value = value
        out.append(change)
    return out


def value_on(changes: Iterable[CircumstanceChange], what: str, day: date) -> str | None:
    """The value a circumstance had on `day` (None: nothing recorded by then).

    A change says "from this date on, this value": of the changes in force by `day`, the one recorded last wins, so a
    change dated back ("NEET since March", typed today) overrides what was recorded earlier for the days after it,
    and the latest change recorded is always the profile's value."""
    best: CircumstanceChange | None = None
    for c in changes:
        if c.what != what or c.from_date is None or c.from_date > day:
            continue
        if best is None or (c.created_at, c.id) > (best.created_at, best.id):
            best = c
    return None if best is None else best.shown_value


def since(changes: Iterable[CircumstanceChange], what: str, value: str, today: date | None = None) -> date | None:
    """Since when the circumstance has held `value` without a break, up to today (None: it doesn't hold it now, or
    nothing is recorded). "NEET since 3 March"."""
    mine = [c for c in changes if c.what == what and c.from_date is not None]
    today = today or date.today()
    days = sorted({c.from_date for c in mine if c.from_date is not None and c.from_date <= today}, reverse=True)
    if value_on(mine, what, today) != value:
        return None
    start: date | None = None
    for day in days:  # the value changes only on these days: walk back while it held
        if value_on(mine, what, day) != value:
            break
        start = day
    return start


def _label(vocab: type[Vocab], code: str) -> str:
    try:
        return vocab(code).label
    except ValueError:  # a code from a newer laptop: shown tidied, not dropped
        return code.replace("_", " ").capitalize()


def describe(what: str, value: str) -> str:
    """A circumstance's value in a youth worker's words ("NEET", "Child protection plan", "none recorded")."""
    if what == Circumstance.EDUCATION:
        return _label(EducationStatus, value)
    if what == Circumstance.LOOKED_AFTER:
        return "Looked after" if value == "yes" else "Not looked after"
    if what == Circumstance.SEND:
        return "SEND / EHCP" if value == "yes" else "No SEND / EHCP"
    if what == Circumstance.SOCIAL_CARE:
        return _label(SocialCare, value)
    if what == Circumstance.RISK_INDICATORS:
        try:
            codes = json.loads(value or "[]")
        except ValueError:
            codes = []
        return ", ".join(_label(RiskIndicator, str(c)) for c in codes) or "None recorded"
    return value or "No address recorded"


def validate_change(c: CircumstanceChange, today: date | None = None) -> list[Problem]:
    today = today or date.today()
    problems: list[Problem] = []
    if not c.person_id:
        problems.append(Problem("person_id", "A change of circumstances must be about a young person."))
    if not c.what:
        problems.append(Problem("what", "Say which circumstance changed."))
    else:
        one_of(problems, "what", c.what, Circumstance, "Circumstance")
    if c.from_date is None:
        problems.append(Problem("from_date", "Enter the date it changed."))
    elif c.from_date > today + timedelta(days=1):
        problems.append(Problem("from_date", "The date it changed is in the future."))
    return problems


register_validator(CircumstanceChange, validate_change)
declare(
    RecordPolicy(
        CircumstanceChange,
        "changes of circumstances",
        roles=STAFF,
        links=(Link("person_id", "people", required=True),),
    )
)
