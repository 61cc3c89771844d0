"""Two throwaway record types, declared the way the next engineer would add one, for the tests that show a declaration
is all a new type needs: one about a young person, and one about them only through the first."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

from youthwork.domain.policy import POLICIES, STAFF, Link, RecordPolicy, declare
from youthwork.domain.records import RECORD_TYPES, Record


@dataclass(slots=True, kw_only=True)
class MissingEpisode(Record):
    """About a young person."""

    TABLE: ClassVar[str] = "missing_episodes_walk"

    person_id: str = ""
    where_found: str = ""


@dataclass(slots=True, kw_only=True)
class ReturnInterview(Record):
    """About the person only through its episode."""

    TABLE: ClassVar[str] = "return_interviews_walk"

    episode_id: str = ""
    summary: str = ""


@contextmanager
def declared() -> Iterator[None]:
    """Both types declared for the block, and gone from the registries afterwards."""
    declare(RecordPolicy(MissingEpisode, "missing episodes", roles=STAFF, links=(Link("person_id", "people"),)))
    declare(
        RecordPolicy(
            ReturnInterview,
            "return interviews",
            roles=STAFF,
            person_field=None,
            links=(Link("episode_id", MissingEpisode.TABLE),),
        )
    )
    try:
        yield
    finally:
        for cls in (MissingEpisode, ReturnInterview):
            POLICIES.pop(cls.TABLE, None)
            RECORD_TYPES.pop(cls.TABLE, None)
