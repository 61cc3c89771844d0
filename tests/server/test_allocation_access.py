"""Lead workers on the service (the declared `Allocated` part of young people's records): a supervisor names or
changes the lead worker, a worker only names themself or steps down, and the lead worker is always someone in the
owning team. Refused changes say why and write nothing."""

from __future__ import annotations

import pytest
from hostile_helpers import City, build_city, full_person, refused
from server_helpers import World, change, push

from youthwork.domain.ids import new_id
from youthwork.server import schema as t


@pytest.fixture
def city(world: World) -> City:
    return build_city(world)


def _lead(w: World, person_id: str) -> str:
    with w.engine.connect() as conn:
        row = conn.execute(t.records.select().where(t.records.c.record_id == person_id)).one()
    return str(row.data.get("lead_worker_id") or "")


def _person(w: World, lead: str) -> str:
    pid = new_id()
    assert [
        r["status"] for r in push(w.client, w["worker"], [change("people", pid, full_person(lead_worker_id=lead))])
    ] == ["applied"]
    return pid


def test_a_team_names_any_of_its_workers_when_adding_someone_but_never_another_teams(city: City) -> None:
    w = city.world
    pid = _person(w, w["worker2"].user_id)  # the team adding someone names any of its workers
    assert _lead(w, pid) == w["worker2"].user_id
    other = new_id()
    refused(w, "worker", [change("people", other, full_person(lead_worker_id=w["b_worker"].user_id))], "own team")


def test_only_a_supervisor_changes_the_lead_worker_to_someone_else(city: City) -> None:
    w = city.world
    pid = _person(w, w["worker"].user_id)
    # A worker can't hand their young person to a colleague, nor take them from the colleague to give to a third.
    refused(
        w, "worker", [change("people", pid, {"lead_worker_id": w["worker2"].user_id}, base_version=1)], "supervisor"
    )
    refused(w, "worker2", [change("people", pid, {"lead_worker_id": ""}, base_version=1)], "supervisor")
    # Another team can't set it at all, nor can a supervisor name another team's worker.
    refused(w, "b_supervisor", [change("people", pid, {"lead_worker_id": w["b_worker"].user_id}, base_version=1)])
    refused(
        w, "supervisor", [change("people", pid, {"lead_worker_id": w["b_worker"].user_id}, base_version=1)], "own team"
    )
    refused(w, "supervisor", [change("people", pid, {"lead_worker_id": new_id()}, base_version=1)], "own team")
    # The supervisor names a colleague; a worker names themself ("I am their lead worker") and steps down, as before.
    ok = push(
        w.client, w["supervisor"], [change("people", pid, {"lead_worker_id": w["worker2"].user_id}, base_version=1)]
    )
    assert [r["status"] for r in ok] == ["applied"] and _lead(w, pid) == w["worker2"].user_id
    ok = push(w.client, w["worker"], [change("people", pid, {"lead_worker_id": w["worker"].user_id}, base_version=2)])
    assert [r["status"] for r in ok] == ["applied"] and _lead(w, pid) == w["worker"].user_id
    ok = push(w.client, w["worker"], [change("people", pid, {"lead_worker_id": ""}, base_version=3)])
    assert [r["status"] for r in ok] == ["applied"] and _lead(w, pid) == ""


def test_a_leaver_closed_account_is_not_named(city: City) -> None:
    w = city.world
    pid = _person(w, "")
    with w.engine.begin() as conn:
        conn.execute(t.users.update().where(t.users.c.id == w["worker2"].user_id).values(active=False))
    refused(
        w, "supervisor", [change("people", pid, {"lead_worker_id": w["worker2"].user_id}, base_version=1)], "closed"
    )
