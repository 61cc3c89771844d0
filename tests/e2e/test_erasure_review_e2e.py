"""End to end, a real `youthwork-server` and two laptops of different teams: Sue (detached supervisor) refers her
young person to the IGT and later erases them; Ian (IGT supervisor) had written a note of the IGT's own about them.
The note is not deleted by Sue's erasure: Ian's laptop gets an erasure request that names no one and says what the
IGT holds. Ian erases the IGT's records too: the note goes from the server and his laptop, and the request is closed
on the server in his name. A second person, kept by the IGT for a safeguarding enquiry, keeps its note."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.privacy import ErasureReview, KeepReason
from youthwork.domain.records import CaseNote, YoungPerson
from youthwork.domain.referrals import Referral
from youthwork.privacy.erasure import ErasureService
from youthwork.services.erasure_reviews import ErasureReviews
from youthwork.services.notes import NoteService
from youthwork.services.people import PeopleService
from youthwork.services.referrals import ReferralService
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e-erasure-review"), database_url)
    server.add_team("Detached North", "detached")
    server.add_team("Integrated Gangs Team", "igt")
    server.add_user("sue", "Detached North", "supervisor")
    server.add_user("ian", "Integrated Gangs Team", "supervisor")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title())
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    ReferralService(profile).set_agency_team("igt", server.teams["igt"])
    return profile


def _server_record(url: str, table: str, rid: str) -> sa.Row:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT deleted, data FROM records WHERE table_name = :t AND record_id = :r"),
                {"t": table, "r": rid},
            ).one()
    finally:
        engine.dispose()


def _refer(sue: Profile, first_name: str) -> YoungPerson:
    person = PeopleService(sue).add(YoungPerson(first_name=first_name, last_name="Smith", area="Andover estate"))
    ReferralService(sue).send(
        Referral(person_id=person.id, to_agency="igt", reason="Older boys", lawful_basis="public_task")
    )
    return person


@pytest.mark.slow
def test_another_team_decides_on_its_own_records_after_an_erasure(tmp_path: Path, server: ServerProcess) -> None:
    sue, ian = _laptop(tmp_path, server, "sue"), _laptop(tmp_path, server, "ian")
    try:
        erased, kept = _refer(sue, "Jayden"), _refer(sue, "Kai")
        sync_once(sue)
        sync_once(ian)
        notes = {p.id: NoteService(ian).add(p.id, "Seen with older boys at the station") for p in (erased, kept)}
        sync_once(ian)
        assert ErasureReviews(ian).waiting() == []

        for person in (erased, kept):
            ErasureService(sue).erase(person.id, reason="request", confirm=True)
        sync_once(sue)
        sync_once(ian)

        # Ian's own notes are still with the IGT (server and laptop); the people's records are gone from his laptop.
        for person in (erased, kept):
            assert ian.records.get(YoungPerson, person.id) is None
            assert ian.records.get(CaseNote, notes[person.id].id) is not None
            assert not _server_record(server.database_url, "case_notes", notes[person.id].id).deleted
        reviews = ErasureReviews(ian)
        waiting = {w.review.person_id: w for w in reviews.waiting()}
        assert sorted(waiting) == sorted([erased.id, kept.id])
        assert reviews.open_count() == 2
        item = waiting[erased.id]
        assert item.held == {"case_notes": 1}
        assert item.summary.startswith("A young person another team has erased (their records went on ")
        assert item.summary.endswith("your team holds 1 case note about them.")
        assert "Jayden" not in item.summary

        reviews.erase_ours(item.id)
        reviews.keep_ours(waiting[kept.id].id, KeepReason.SAFEGUARDING)
        assert ian.records.get(CaseNote, notes[erased.id].id) is None
        sync_once(ian)
        sync_once(sue)
        sync_once(ian)

        gone = _server_record(server.database_url, "case_notes", notes[erased.id].id)
        assert gone.deleted
        assert not _server_record(server.database_url, "case_notes", notes[kept.id].id).deleted
        assert ian.records.get(CaseNote, notes[kept.id].id) is not None
        for person, decision, reason in ((erased, "erased", ""), (kept, "kept", "safeguarding")):
            review_id = waiting[person.id].id
            data = _server_record(server.database_url, "erasure_reviews", review_id).data
            data = data if isinstance(data, dict) else json.loads(data)
            assert (data["status"], data["decision"], data["keep_reason"]) == ("done", decision, reason)
            assert data["reviewed_by"] == ian.user_id
            local = ian.records.get(ErasureReview, review_id)
            assert local is not None and local.status == "done"
        assert reviews.waiting() == [] and reviews.open_count() == 0
        assert ian.outbox.count() == 0
    finally:
        sue.close()
        ian.close()
