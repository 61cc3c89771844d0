"""Police "no further action" (NFA) notifications: criminal-offence data, counted per young person.

Three or more NFAs call for a joint home visit by TYS with the police. Each notification is its own append-only record;
`YoungPerson.nfa_count` is kept in step with how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from youthwork.domain.policy import STAFF, Link, RecordPolicy, declare
from youthwork.domain.records import Record, criminal
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab

# The store's index on the NFA count holds only young people with this many (migration 0034 says 3 in its SQL).
JOINT_VISIT_AT = 3


class OffenceCategory(Vocab):
    VIOLENCE = "violence", "Violence against the person"
    ROBBERY = "robbery", "Robbery"
    WEAPON = "weapon", "Possession of a weapon"
    DRUGS = "drugs", "Drug offences"
    THEFT = "theft", "Theft or handling"
    CRIMINAL_DAMAGE = "criminal_damage", "Criminal damage or arson"
    PUBLIC_ORDER = "public_order", "Public order"
    SEXUAL = "sexual", "Sexual offences"
    VEHICLE = "vehicle", "Vehicle offences"
    OTHER = "other", "Other"


@dataclass(slots=True, kw_only=True)
class NfaNotification(Record):
    TABLE: ClassVar[str] = "nfa_notifications"
    APPEND_ONLY: ClassVar[bool] = True

    person_id: str = ""
    notified_on: date | None = None
    offence_category: str = criminal("")
    source: str = ""  # who told us, e.g. the police officer or unit
    note: str = criminal("")
    recorded_by: str = ""
    place_id: str = ""  # where the arrest happened, a place of the team's


def validate_nfa(n: NfaNotification, today: date | None = None) -> list[Problem]:
    today = today or date.today()
    problems: list[Problem] = []
    if not n.person_id:
        problems.append(Problem("person_id", "An NFA must be about a young person."))
    if n.notified_on is None:
        problems.append(Problem("notified_on", "Enter the date of the NFA."))
    elif n.notified_on > today + timedelta(days=1):
        problems.append(Problem("notified_on", "The NFA date is in the future."))
    if not n.offence_category:
        problems.append(Problem("offence_category", "Choose the offence category."))
    else:
        one_of(problems, "offence_category", n.offence_category, OffenceCategory, "Offence category")
    return problems


register_validator(NfaNotification, validate_nfa)
declare(
    RecordPolicy(
        NfaNotification,
        "police NFA notifications",
        roles=STAFF,
        links=(Link("person_id", "people", required=True), Link("place_id", "places")),
    )
)
