"""The erasure walk is read from the declarations: a record type declared in one place, linking to a young person
(and another linking to that one), is found and erased on the laptop with no other change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import declared_types
from youthwork.domain.records import YoungPerson
from youthwork.privacy.erasure import ErasureService, records_about
from youthwork.store.profile import Profile
from youthwork.store.tables import create_table_sql


@pytest.fixture
def declared() -> Iterator[None]:
    with declared_types.declared():
        yield


def test_a_declared_record_type_is_found_and_erased(declared: None, profile: Profile) -> None:
    for cls in (declared_types.MissingEpisode, declared_types.ReturnInterview):
        profile.db.execute(create_table_sql(cls))  # the migration the new type ships with
    save = profile.records.save
    jay = save(YoungPerson(first_name="Jay", area="Peckham", team_id="team-1"))
    kim = save(YoungPerson(first_name="Kim", area="Peckham", team_id="team-1"))
    episode = save(declared_types.MissingEpisode(team_id="team-1", person_id=jay.id, where_found="the park"))
    interview = save(declared_types.ReturnInterview(team_id="team-1", episode_id=episode.id, summary="Zebrawood"))
    other = save(declared_types.MissingEpisode(team_id="team-1", person_id=kim.id, where_found="home"))
    other_interview = save(declared_types.ReturnInterview(team_id="team-1", episode_id=other.id, summary="Marmoset"))

    about = records_about(profile.db, jay.id)

    assert about[declared_types.MissingEpisode.TABLE] == {episode.id}
    assert about[declared_types.ReturnInterview.TABLE] == {interview.id}
    ErasureService(profile).erase(jay.id, reason="request", confirm=True)
    assert profile.records.get(declared_types.ReturnInterview, interview.id) is None
    assert profile.records.get(declared_types.MissingEpisode, episode.id) is None
    kept = profile.records.get(declared_types.ReturnInterview, other_interview.id)
    assert kept is not None and kept.episode_id == other.id  # a look-alike's records are untouched
    assert profile.records.get(declared_types.MissingEpisode, other.id) is not None
