"""Allocation on the laptop (a real encrypted profile): who may name or change a lead worker, and a leaver's caseload
handed over in one transaction with each change in the outbox."""

from __future__ import annotations

import pytest

from youthwork.domain.records import YoungPerson
from youthwork.domain.vocab import Role
from youthwork.services.allocation import AllocationRefused, AllocationService
from youthwork.services.people import PeopleService
from youthwork.store.settings import ROLE, WORKER_NAMES


@pytest.fixture
def alloc(profile):
    profile.set_setting(WORKER_NAMES, {"worker-1": "Sam Worker", "w-leah": "Leah Leaver", "w-dean": "Dean Mitchell"})
    return AllocationService(profile)


def _add(profile, name: str, lead: str) -> YoungPerson:
    return PeopleService(profile).add(YoungPerson(first_name=name, area="Peckham", lead_worker_id=lead))


def _people_changes(profile) -> int:
    return profile.db.scalar("SELECT count(*) FROM outbox WHERE tbl = 'people'")


def test_a_worker_names_only_themself_a_supervisor_names_anyone_in_the_team(profile, alloc):
    jay = _add(profile, "Jay", "w-leah")
    with pytest.raises(AllocationRefused, match="Only a supervisor"):
        alloc.set_lead_worker(jay.id, "w-dean")
    assert alloc.set_lead_worker(jay.id, "worker-1").lead_worker_id == "worker-1"  # "I am their lead worker"
    assert alloc.set_lead_worker(jay.id, "").lead_worker_id == ""  # stepping down
    profile.set_setting(ROLE, Role.SUPERVISOR)
    assert alloc.set_lead_worker(jay.id, "w-dean").lead_worker_id == "w-dean"
    with pytest.raises(AllocationRefused, match="own team"):
        alloc.set_lead_worker(jay.id, "someone-else")
    assert profile.records.get(YoungPerson, jay.id).lead_worker_id == "w-dean"


def test_a_leavers_caseload_moves_in_one_step(profile, alloc):
    led = [_add(profile, n, "w-leah") for n in ("Jay", "Ruby", "Kofi")]
    other = _add(profile, "Amir", "w-dean")
    with pytest.raises(AllocationRefused, match="Only a supervisor"):
        alloc.reassign_caseload("w-leah", "w-dean")
    profile.set_setting(ROLE, Role.SUPERVISOR)
    with pytest.raises(AllocationRefused, match="different worker"):
        alloc.reassign_caseload("w-leah", "w-leah")
    with pytest.raises(AllocationRefused, match="own team"):
        alloc.reassign_caseload("w-leah", "nobody")
    pending = _people_changes(profile)
    assert alloc.reassign_caseload("w-leah", "w-dean") == 3
    assert alloc.caseload("w-leah") == []
    assert {p.id for p in alloc.caseload("w-dean")} == {p.id for p in led} | {other.id}
    assert _people_changes(profile) == pending + 3  # each young person's new lead worker goes to the service


def test_a_handover_that_fails_half_way_changes_no_one(profile, alloc, monkeypatch):
    led = [_add(profile, n, "w-leah") for n in ("Jay", "Ruby")]
    profile.set_setting(ROLE, Role.SUPERVISOR)
    real_save = profile.records.save
    calls = []

    def failing_save(record):
        calls.append(record.id)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(record)

    monkeypatch.setattr(profile.records, "save", failing_save)
    with pytest.raises(OSError):
        alloc.reassign_caseload("w-leah", "w-dean")
    monkeypatch.undo()
    assert {p.id for p in alloc.caseload("w-leah")} == {p.id for p in led}
