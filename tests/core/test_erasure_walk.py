"""The erasure walk is read from the declarations: a record type declared in one place, linking to a young person
(and another linking to that one), is found and erased on the laptop with no other change."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import pytest

from youthwork.domain.policy import POLICIES, STAFF, Link, RecordPolicy, declare
from youthwork.domain.records import RECORD_TYPES, Record, YoungPerson
from youthwork.privacy.erasure import ErasureService, records_about
from youthwork.store.profile import Profile
from youthwork.store.tables import create_table_sql


@dataclass(slots=True, kw_only=True)
class MissingEpisode(Record):
    """A throwaway record type about a young person, as the next engineer might add one."""

    TABLE: ClassVar[str] = "missing_episodes_walk"

    person_id: str = ""
    where_found: str = ""


@dataclass(slots=True, kw_only=True)
class ReturnInterview(Record):
    """A throwaway record type hanging off the one above: about the person only through its episode."""

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


def test_a_declared_record_type_is_found_and_erased(declared: None, profile: Profile) -> None:
    for cls in (MissingEpisode, ReturnInterview):
        profile.db.execute(create_table_sql(cls))  # the migration the new type ships with
    save = profile.records.save
    jay = save(YoungPerson(first_name="Jay", area="Peckham", team_id="team-1"))
    kim = save(YoungPerson(first_name="Kim", area="Peckham", team_id="team-1"))
    episode = save(MissingEpisode(team_id="team-1", person_id=jay.id, where_found="the park"))
    interview = save(ReturnInterview(team_id="team-1", episode_id=episode.id, summary="Zebrawood"))
    other = save(MissingEpisode(team_id="team-1", person_id=kim.id, where_found="home"))
    other_interview = save(ReturnInterview(team_id="team-1", episode_id=other.id, summary="Marmoset"))

    about = records_about(profile.db, jay.id)

    assert about[MissingEpisode.TABLE] == {episode.id}
    assert about[ReturnInterview.TABLE] == {interview.id}
    ErasureService(profile).erase(jay.id, reason="request", confirm=True)
    assert profile.records.get(ReturnInterview, interview.id) is None
    assert profile.records.get(MissingEpisode, episode.id) is None
    kept = profile.records.get(ReturnInterview, other_interview.id)
    assert kept is not None and kept.episode_id == other.id  # a look-alike's records are untouched
    assert profile.records.get(MissingEpisode, other.id) is not None
