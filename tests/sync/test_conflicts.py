"""The conflicts list and its resolution, end to end through the server app: the reviewer's choice syncs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_helpers import Server, client_for, enrolled_profile, start_server

from youthwork.domain.records import YoungPerson
from youthwork.domain.vocab import Role
from youthwork.sync.conflicts import describe, resolve
from youthwork.sync.engine import SyncEngine
from youthwork.sync.errors import ServerRefused


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = start_server(tmp_path)
    yield s
    s.close()


def sync(server: Server, profile) -> None:
    SyncEngine(profile, client_for(server, profile)).run()


def test_supervisor_chooses_the_waiting_value_and_everyone_gets_it(server: Server, tmp_path: Path) -> None:
    a = enrolled_profile(server, tmp_path / "a", "ana")
    b = enrolled_profile(server, tmp_path / "b", "ben")
    sup = enrolled_profile(server, tmp_path / "s", "sue", Role.SUPERVISOR)
    jay = a.records.save(YoungPerson(first_name="Jay", rag="amber", area="Peckham", team_id=a.team_id))
    for p in (a, b, sup):
        sync(server, p)
    for profile, rag, area in ((a, "red", "Camberwell"), (b, "green", "Nunhead")):
        p = profile.records.get(YoungPerson, jay.id)
        p.rag, p.area = rag, area
        profile.records.save(p)
    sync(server, a)
    sync(server, b)
    sync(server, sup)

    client = client_for(server, sup)
    items = client.conflicts()
    assert {(i.field, i.kept) for i in items} == {("rag", "server"), ("area", "incoming")}  # updated_at is not listed
    views = {v.item.field: v for v in describe(sup, items)}
    assert views["rag"].record_label == "Jay" and views["rag"].waiting_for_review
    assert (views["rag"].item.server_value, views["rag"].item.incoming_value) == ("red", "green")
    assert views["rag"].current_value == "red"

    assert resolve(sup, client, views["rag"].item, "incoming") is True  # green was waiting: now chosen
    assert resolve(sup, client, views["area"].item, "incoming") is False  # Nunhead already stands
    assert client.conflicts() == []
    sync(server, sup)
    for p in (a, b):
        sync(server, p)
        got = p.records.get(YoungPerson, jay.id)
        assert (got.rag, got.area) == ("green", "Nunhead")
    assert server.records()[jay.id]["rag"] == "green"
    assert resolve(sup, client, views["rag"].item, "incoming") is False  # repeating it is harmless


def test_another_teams_conflict_is_not_found(server: Server, tmp_path: Path) -> None:
    a = enrolled_profile(server, tmp_path / "a", "ana")
    client = client_for(server, a)
    with pytest.raises(ServerRefused, match="isn't on this team's list") as info:
        client.resolve_conflict(12345, "server")
    assert info.value.status == 404
