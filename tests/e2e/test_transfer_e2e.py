"""End to end, on a real `youthwork-server serve` over SQLite and PostgreSQL, with laptops of two teams: a supervisor
moves a young person to another team with a handover note; the receiving supervisor sees it waiting (only who it is
and the note) and accepts it; then the receiving team's laptops hold the young person and what went with them, and
the sending team's laptops keep only the minimum and their own case note, and hear no later change. A forged
acceptance from the sending team's own laptop is refused by the service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.records import CaseNote, RagRating, YoungPerson
from youthwork.domain.safety_plans import SafetyPlan
from youthwork.domain.transfers import PersonTransfer, TransferStatus
from youthwork.keys.slots import Argon2Params
from youthwork.services.notes import NoteService
from youthwork.services.people import PeopleService
from youthwork.services.plans import PlanService
from youthwork.services.transfers import TransferService
from youthwork.store.profile import Profile
from youthwork.sync import device
from youthwork.sync.engine import rejections

PASSPHRASE = "brisk otter lantern harbour"
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("transfer"), database_url)
    server.add_team("Detached North", "detached")
    server.add_team("Detached East", "tys")
    server.add_user("sue", "Detached North", role="supervisor")
    server.add_user("amy", "Detached North")
    server.add_user("tom", "Detached East", role="supervisor")
    server.add_user("tina", "Detached East")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title(), argon2=FAST_KDF)
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    sync_once(profile)
    return profile


def _owner(server: ServerProcess, table: str, rid: str) -> str:
    rows = server.rows(f"SELECT team_id, data FROM records WHERE table_name = '{table}' AND record_id = '{rid}'")
    return str(rows[0][0])


def _data(server: ServerProcess, table: str, rid: str) -> dict:
    rows = server.rows(f"SELECT data FROM records WHERE table_name = '{table}' AND record_id = '{rid}'")
    data = rows[0][0]
    return json.loads(data) if isinstance(data, str) else dict(data)


@pytest.mark.slow
def test_a_young_person_moves_to_another_team_with_what_goes(tmp_path: Path, server: ServerProcess) -> None:
    amy, sue, tom, tina = (_laptop(tmp_path, server, u) for u in ("amy", "sue", "tom", "tina"))
    try:
        people = PeopleService(amy)
        jay = people.add(YoungPerson(first_name="Jay", last_name="Okafor", area="Peckham", phone="07700900123"))
        people.set_rag(jay.id, "amber", "Seen with older boys by the station.")
        plans = PlanService(amy)
        plan = plans.new_plan(jay.id)
        plan.risks_triggers = "Older boys at the station after school."
        plan = plans.save(plan)
        note = NoteService(amy).add(jay.id, "Talked about college; mum moving north.")
        sync_once(amy)
        sync_once(sue)
        for laptop in (sue, tom):
            assert TransferService(laptop).fetch_teams()  # each knows the other team by name
        assert "Detached East" in TransferService(sue).teams().values()

        # Sue proposes the move; Tom sees it waiting, with who it is and the note, and nothing more.
        moves = TransferService(sue)
        east = next(tid for tid, name in moves.teams().items() if name == "Detached East")
        move = moves.propose(jay.id, east, "Moving north with mum in January. Amy sees him Tuesdays.")
        sync_once(sue)
        sync_once(tom)
        waiting = TransferService(tom).incoming()
        assert [m.id for m in waiting] == [move.id]
        assert TransferService(tom).person_name(waiting[0]) == "Jay"  # the minimum: no surname yet
        assert tom.records.get(YoungPerson, jay.id).phone == ""  # type: ignore[union-attr]
        assert tom.records.select(SafetyPlan, "person_id = ?", (jay.id,)) == []

        # A forged acceptance from the sending team's own laptop is refused by the service.
        forged = sue.records.get(PersonTransfer, move.id)
        assert forged is not None
        forged.status, forged.answered_by = TransferStatus.ACCEPTED.value, sue.user_id
        sue.records.save(forged)
        sync_once(sue)
        assert any("Only the receiving team" in r.reason for r in rejections(sue))
        assert _owner(server, "people", jay.id) == sue.team_id
        assert _data(server, PersonTransfer.TABLE, move.id)["status"] == "proposed"

        TransferService(tom).accept(move.id)
        sync_once(tom)
        assert _owner(server, "people", jay.id) == east
        assert _owner(server, "safety_plans", plan.id) == east
        assert _owner(server, "case_notes", note.id) != east  # the sending team's case note stays
        answered = _data(server, PersonTransfer.TABLE, move.id)
        assert (answered["proposed_by"], answered["answered_by"]) == (sue.user_id, tom.user_id)

        # The receiving team's laptops get the young person and what went with them at their next pull.
        sync_once(tina)
        held = tina.records.get(YoungPerson, jay.id)
        assert held is not None and held.phone == "07700900123" and held.team_id == east
        assert [p.id for p in tina.records.select(SafetyPlan, "person_id = ?", (jay.id,))] == [plan.id]
        assert len(tina.records.select(RagRating, "person_id = ?", (jay.id,))) == 1
        assert tina.records.select(CaseNote, "person_id = ?", (jay.id,)) == []

        # The sending team's laptops keep the minimum and their own case note; what went has left them.
        for laptop in (amy, sue):
            sync_once(laptop)
            kept = laptop.records.get(YoungPerson, jay.id)
            assert kept is not None and kept.first_name == "Jay" and kept.phone == "" and kept.team_id == east
            assert kept.rag is None and not kept.active
            assert laptop.records.select(SafetyPlan, "person_id = ?", (jay.id,)) == []
            assert laptop.records.select(RagRating, "person_id = ?", (jay.id,)) == []
            assert [n.id for n in laptop.records.select(CaseNote, "person_id = ?", (jay.id,))] == [note.id]

        # Later changes reach the receiving team, never the sending team's laptops (past the minimum).
        tina_jay = tina.records.get(YoungPerson, jay.id)
        assert tina_jay is not None
        tina_jay.phone = "07700900999"
        PeopleService(tina).update(tina_jay)
        sync_once(tina)
        sync_once(amy)
        assert amy.records.get(YoungPerson, jay.id).phone == ""  # type: ignore[union-attr]
        sync_once(tom)
        assert tom.records.get(YoungPerson, jay.id).phone == "07700900999"  # type: ignore[union-attr]
    finally:
        for laptop in (amy, sue, tom, tina):
            laptop.close()
