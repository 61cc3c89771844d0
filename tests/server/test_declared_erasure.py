"""The service's erasure walk is read from the declarations (SQLite and PostgreSQL): a record type declared in one
place, linking to a young person (and another linking to that one), is erased on the server with no other change."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import pytest
from server_helpers import World, change, pull_all, push

from youthwork.domain.codec import to_dict
from youthwork.domain.ids import new_id
from youthwork.domain.policy import POLICIES, STAFF, Link, RecordPolicy, declare
from youthwork.domain.privacy import Erasure
from youthwork.domain.records import RECORD_TYPES, Record


@dataclass(slots=True, kw_only=True)
class MissingEpisode(Record):
    """A throwaway record type about a young person, as the next engineer might add one."""

    TABLE: ClassVar[str] = "missing_episodes_walk"

    person_id: str = ""
    where_found: str = ""


@dataclass(slots=True, kw_only=True)
class ReturnInterview(Record):
    """A throwaway record type about the person only through its episode."""

    TABLE: ClassVar[str] = "return_interviews_walk"

    episode_id: str = ""
    summary: str = ""


@pytest.fixture
def declared() -> Iterator[None]:
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
    yield
    for cls in (MissingEpisode, ReturnInterview):
        del POLICIES[cls.TABLE], RECORD_TYPES[cls.TABLE]


def test_a_declared_record_type_is_erased_on_the_server(declared: None, world: World) -> None:
    c = world.client
    team = world.teams["detached"]
    jay, kim, episode, interview, other, other_interview = (new_id() for _ in range(6))
    results = push(
        c,
        world["worker"],
        [
            change("people", jay, {"first_name": "Jay", "area": "Peckham"}),
            change("people", kim, {"first_name": "Kim", "area": "Peckham"}),
            change(MissingEpisode.TABLE, episode, {"person_id": jay, "where_found": "the park"}),
            change(ReturnInterview.TABLE, interview, {"episode_id": episode, "summary": "Zebrawood"}),
            change(MissingEpisode.TABLE, other, {"person_id": kim, "where_found": "home"}),
            change(ReturnInterview.TABLE, other_interview, {"episode_id": other, "summary": "Marmoset"}),
        ],
    )
    assert all(r["status"] == "applied" for r in results), results
    erasure = to_dict(Erasure(team_id=team, person_id=jay, reason="request"))
    results = push(c, world["supervisor"], [change("erasures", erasure["id"], erasure)])
    assert results[0]["status"] == "applied", results

    seen, _ = pull_all(c, world["worker2"])
    for key in ((MissingEpisode.TABLE, episode), (ReturnInterview.TABLE, interview)):
        assert seen[key]["op"] == "delete", key
    for key in ((MissingEpisode.TABLE, other), (ReturnInterview.TABLE, other_interview)):
        assert seen[key]["op"] == "upsert", key
