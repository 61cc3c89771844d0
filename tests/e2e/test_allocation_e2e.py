"""End to end, on a real `youthwork-server serve` over SQLite and PostgreSQL: a supervisor hands a leaver's caseload to
a colleague in one step and every laptop and the service agree; a worker's laptop that tries the same is refused by
the service (nothing changes there), and the supervisor names a lead worker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.records import YoungPerson
from youthwork.domain.vocab import Role
from youthwork.keys.slots import Argon2Params
from youthwork.services.allocation import AllocationService
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile
from youthwork.store.settings import ROLE
from youthwork.sync import device
from youthwork.sync.engine import rejections

PASSPHRASE = "brisk otter lantern harbour"
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("alloc"), database_url)
    server.add_team("Detached North", "detached")
    server.add_user("sue", "Detached North", role="supervisor")
    server.add_user("leah", "Detached North", name="Leah Leaver")
    server.add_user("dean", "Detached North", name="Dean Mitchell")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title(), argon2=FAST_KDF)
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    sync_once(profile)  # learns the team's workers
    return profile


def _leads(server: ServerProcess) -> dict[str, str]:
    rows = server.rows("SELECT record_id, data FROM records WHERE table_name = 'people' AND NOT deleted")
    out = {}
    for rid, data in rows:
        if isinstance(data, str):  # SQLite's JSON comes back as text
            data = json.loads(data)
        out[rid] = data.get("lead_worker_id") or ""
    return out


@pytest.mark.slow
def test_a_leavers_caseload_is_handed_over_through_the_service(tmp_path: Path, server: ServerProcess):
    leah, dean, sue = (_laptop(tmp_path, server, u) for u in ("leah", "dean", "sue"))
    try:
        people = PeopleService(leah)
        led = [people.add(YoungPerson(first_name=n, area="Peckham", lead_worker_id=leah.user_id)).id for n in "ABC"]
        sync_once(leah)
        sync_once(dean)
        sync_once(sue)

        # Dean's laptop says it is a supervisor's: the service knows better and refuses handing Leah's young people
        # to Sue (naming himself would be "I am their lead worker", which any worker may).
        forged = AllocationService(dean)
        dean.set_setting(ROLE, Role.SUPERVISOR)
        assert forged.reassign_caseload(leah.user_id, sue.user_id) == 3
        sync_once(dean)
        assert len(rejections(dean)) == 3
        assert all("Only a supervisor" in r.reason for r in rejections(dean))
        assert {pid: _leads(server)[pid] for pid in led} == dict.fromkeys(led, leah.user_id)

        # The supervisor hands Leah's young people to Dean in one step.
        assert AllocationService(sue).reassign_caseload(leah.user_id, dean.user_id) == 3
        sync_once(sue)
        assert rejections(sue) == []
        assert {pid: _leads(server)[pid] for pid in led} == dict.fromkeys(led, dean.user_id)
        sync_once(leah)
        assert {leah.records.get(YoungPerson, pid).lead_worker_id for pid in led} == {dean.user_id}

        # And names Leah again for one of them.
        AllocationService(sue).set_lead_worker(led[0], leah.user_id)
        sync_once(sue)
        assert _leads(server)[led[0]] == leah.user_id
    finally:
        for p in (leah, dean, sue):
            p.close()
