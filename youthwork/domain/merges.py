"""Merging two records of one young person: the merge is itself a synced record, applied on the service and on every
laptop, and undone within `UNDO_DAYS` while nothing new has been recorded about either.

The survivor (`into_person_id`) takes the values the worker chose for each field that differed (`kept`). Every record
that names the merged-away person (`from_person_id`) by a declared link into young people's records then names the
survivor: the links come from the declarations (`youthwork.domain.privacy.person_links`), so a record type added
later is carried with no change here. The service keeps what it needs to undo the merge on the record itself: the
merged-away record as it was (`snapshot`), the survivor's values the merge replaced (`before`) and each record it
re-pointed (`moved`, "table:id:field").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from youthwork.domain.policy import META_FIELDS, STAFF, SUPERVISORS, Link, Merges, Must, RecordPolicy, declare
from youthwork.domain.records import Record, YoungPerson, special, utc_now
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab

UNDO_DAYS = 14
# Fields of a young person's record a merge never takes from the merged-away one: who and what the record is.
NOT_CHOSEN: frozenset[str] = META_FIELDS | {"id"}


class MergeStatus(Vocab):
    MERGED = "merged", "Merged"
    UNDONE = "undone", "Merge undone"


@dataclass(slots=True, kw_only=True)
class PersonMerge(Record):
    TABLE: ClassVar[str] = "person_merges"

    from_person_id: str = ""  # the duplicate, merged away
    into_person_id: str = ""  # the record that stays
    kept: dict[str, Any] = special(factory=dict)  # field -> the value chosen for the survivor (wire form)
    reason: str = ""  # why (a worker must say; a supervisor may)
    merged_by: str = ""
    merged_at: datetime = field(default_factory=utc_now)
    status: str = MergeStatus.MERGED.value
    undone_by: str = ""
    undone_at: datetime | None = None
    # Filled by the service as it carries the merge out, so it can be undone.
    applied_at: datetime | None = None
    snapshot: dict[str, Any] = special(factory=dict)
    before: dict[str, Any] = special(factory=dict)
    moved: list[str] = field(default_factory=list)

    def undo_until(self) -> datetime:
        return (self.applied_at or self.merged_at) + timedelta(days=UNDO_DAYS)


def differing_fields(a: YoungPerson, b: YoungPerson) -> list[str]:
    """The fields a worker chooses between: where the two records say different things."""
    return [n for n in YoungPerson.field_names() if n not in NOT_CHOSEN and getattr(a, n) != getattr(b, n)]


def validate_merge(m: PersonMerge) -> list[Problem]:
    problems: list[Problem] = []
    if not m.from_person_id or not m.into_person_id:
        problems.append(Problem("into_person_id", "Choose the two records to merge."))
    elif m.from_person_id == m.into_person_id:
        problems.append(Problem("into_person_id", "A record can't be merged into itself."))
    one_of(problems, "status", m.status, MergeStatus, "Merge")
    unknown = sorted(set(m.kept) - (set(YoungPerson.field_names()) - NOT_CHOSEN))
    if unknown:
        problems.append(Problem("kept", f"A merge can't choose these details: {', '.join(unknown)}."))
    if len(m.reason) > 500:
        problems.append(Problem("reason", "Keep the reason under 500 characters."))
    return problems


register_validator(PersonMerge, validate_merge)
declare(
    RecordPolicy(
        PersonMerge,
        "merges of duplicate records",
        roles=STAFF,
        # A team merges only two young people it holds (own) on the service.
        links=(
            Link("from_person_id", "people", Must.OWN, required=True),
            Link("into_person_id", "people", Must.OWN, required=True),
        ),
        person_field="into_person_id",
        merges=Merges(roles_without_reason=SUPERVISORS, undo_days=UNDO_DAYS),
    )
)
