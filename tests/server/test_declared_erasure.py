"""The service's erasure walk is read from the declarations (SQLite and PostgreSQL): a record type declared in one
place, linking to a young person (and another linking to that one), is erased on the server with no other change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from server_helpers import World, change, pull_all, push

from tests import declared_types
from youthwork.domain.codec import to_dict
from youthwork.domain.ids import new_id
from youthwork.domain.privacy import Erasure


@pytest.fixture
def declared() -> Iterator[None]:
    with declared_types.declared():
        yield


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
            change(declared_types.MissingEpisode.TABLE, episode, {"person_id": jay, "where_found": "the park"}),
            change(declared_types.ReturnInterview.TABLE, interview, {"episode_id": episode, "summary": "Zebrawood"}),
            change(declared_types.MissingEpisode.TABLE, other, {"person_id": kim, "where_found": "home"}),
            change(declared_types.ReturnInterview.TABLE, other_interview, {"episode_id": other, "summary": "Marmoset"}),
        ],
    )
    assert all(r["status"] == "applied" for r in results), results
    erasure = to_dict(Erasure(team_id=team, person_id=jay, reason="request"))
    results = push(c, world["supervisor"], [change("erasures", erasure["id"], erasure)])
    assert results[0]["status"] == "applied", results

    seen, _ = pull_all(c, world["worker2"])
    for key in ((declared_types.MissingEpisode.TABLE, episode), (declared_types.ReturnInterview.TABLE, interview)):
        assert seen[key]["op"] == "delete", key
    for key in ((declared_types.MissingEpisode.TABLE, other), (declared_types.ReturnInterview.TABLE, other_interview)):
        assert seen[key]["op"] == "upsert", key
