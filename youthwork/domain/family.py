"""Family and household ("think family"): a young person's siblings on the team's records, and their parents or
carers with contact details, who holds parental responsibility and what each may be told.

One record per link, about `person_id`. A sibling the team holds is named by `other_person_id`: the service accepts it
only from a team that sees that young person (a declared link), so a relationship never reveals someone the team does
not hold, and the record is erased with either young person. A parent or carer is a name and contact details on the
record itself (not a young person of ours). Partner staff (Kicks) are not among its roles: they never see a carer's
contact details, nor that the relationship exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from youthwork.domain.policy import STAFF, Link, RecordPolicy, declare
from youthwork.domain.records import Record
from youthwork.domain.validation import EMAIL, Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab


class Relation(Vocab):
    """What the other person is to the young person."""

    SIBLING = "sibling", "Brother or sister"
    HALF_SIBLING = "half_sibling", "Half-brother or half-sister"
    STEP_SIBLING = "step_sibling", "Stepbrother or stepsister"
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    GRANDPARENT = "grandparent", "Grandparent"
    FOSTER_CARER = "foster_carer", "Foster carer"
    KINSHIP_CARER = "kinship_carer", "Kinship carer (family or friend)"
    RESIDENTIAL = "residential", "Children's home key worker"
    SOCIAL_WORKER = "social_worker", "Social worker"
    OTHER = "other", "Other"


# Relations a young person on the team's records can have to this one.
BETWEEN_YOUNG_PEOPLE = frozenset({Relation.SIBLING.value, Relation.HALF_SIBLING.value, Relation.STEP_SIBLING.value})


class MayBeTold(Vocab):
    """What the young person (or the worker's judgement, where they are not competent) allows this person to be told."""

    ANYTHING = "anything", "About our work with them"
    SAFETY = "safety", "Only about their safety"
    NOTHING = "nothing", "Nothing: do not contact"


@dataclass(slots=True, kw_only=True)
class Relationship(Record):
    TABLE: ClassVar[str] = "relationships"

    person_id: str = ""
    relation: str = ""
    other_person_id: str = ""  # a sibling on the team's records; blank for a parent or carer
    name: str = ""  # a parent or carer (or a sibling not on the records)
    phone: str = ""
    email: str = ""
    address: str = ""
    parental_responsibility: bool = False
    lives_with: bool = False
    may_be_told: str = MayBeTold.SAFETY.value


def validate_relationship(r: Relationship) -> list[Problem]:
    problems: list[Problem] = []
    if not r.person_id:
        problems.append(Problem("person_id", "A family link must be about a young person."))
    if not r.relation:
        problems.append(Problem("relation", "Choose who they are to the young person."))
    else:
        one_of(problems, "relation", r.relation, Relation, "Relationship")
    one_of(problems, "may_be_told", r.may_be_told, MayBeTold, "What they may be told")
    if r.other_person_id:
        if r.other_person_id == r.person_id:
            problems.append(Problem("other_person_id", "A young person can't be their own brother or sister."))
        elif r.relation and r.relation not in BETWEEN_YOUNG_PEOPLE:
            problems.append(Problem("relation", "Only a brother or sister can be another young person on our records."))
    elif not r.name.strip():
        problems.append(Problem("name", "Enter their name, or choose the young person on our records."))
    if r.email and not EMAIL.match(r.email.strip()):
        problems.append(Problem("email", "That doesn't look like an email address."))
    return problems


register_validator(Relationship, validate_relationship)
declare(
    RecordPolicy(
        Relationship,
        "family and household links",
        roles=STAFF,
        links=(Link("person_id", "people", required=True), Link("other_person_id", "people")),
    )
)
