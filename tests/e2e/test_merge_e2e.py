"""End to end, on a real `youthwork-server serve` over SQLite and PostgreSQL: two laptops offline, one merges Jay's
quick-add (A) into his full record (B) while the other edits A and puts A on a register. After sync both laptops and
the service hold one young person with every attendance, note and edit, and the detail both changed in the conflicts
list. Then the merge is undone: both records come back as they were."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.merges import PersonMerge
from youthwork.domain.records import Attendance, CaseNote, Session, YoungPerson
from youthwork.keys.slots import Argon2Params
from youthwork.services.merges import FROM, MergeService
from youthwork.services.notes import NoteService
from youthwork.services.people import PeopleService
from youthwork.services.sessions import SessionService
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "brisk otter lantern harbour"
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("merge"), database_url)
    server.add_team("Detached North", "detached")
    for suffix in ("", "2"):
        server.add_user(f"sue{suffix}", "Detached North", role="supervisor")
        server.add_user(f"sam{suffix}", "Detached North")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title(), argon2=FAST_KDF)
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    return profile


def _session(profile: Profile, people: list[str], hours_ago: int) -> Session:
    start = datetime.now(UTC) - timedelta(hours=hours_ago)
    session = Session(area="Peckham", place="Burgess Park", starts_at=start, ends_at=start + timedelta(hours=2))
    return SessionService(profile).save_draft(session, people)


def _live_people(server: ServerProcess) -> set[str]:
    return {r[0] for r in server.rows("SELECT record_id FROM records WHERE table_name = 'people' AND NOT deleted")}


@pytest.mark.slow
def test_merge_offline_on_one_laptop_while_the_other_edits_the_duplicate(tmp_path: Path, server: ServerProcess):
    sue, sam = _laptop(tmp_path, server, "sue"), _laptop(tmp_path, server, "sam")
    try:
        people = PeopleService(sue)
        keep = people.add(
            YoungPerson(first_name="Jason", last_name="Okoro", known_as="Jay", area="Peckham", phone="07700 900123")
        )
        dup = people.quick_add("Jay", "Peckham", 15)
        first = _session(sue, [keep.id], hours_ago=72)
        second = _session(sue, [dup.id], hours_ago=48)
        NoteService(sue).add(dup.id, "Said he plays football on Tuesdays.")
        sync_once(sue)
        sync_once(sam)
        assert sam.records.get(YoungPerson, dup.id) is not None

        # Both offline. Sue merges the quick-add into Jason's record, keeping the quick-add's age estimate.
        merges = MergeService(sue)
        side = merges.compare(dup.id, keep.id)
        values = {f.name: (f.from_value, f.into_value) for f in side.fields}
        assert {"first_name", "last_name", "known_as", "phone", "estimated_age"} <= set(values)
        assert values["estimated_age"] == (15, None)
        merge = merges.merge(dup.id, keep.id, {"estimated_age": FROM}, reason="Same lad: the quick-add from Tuesday")
        assert sue.records.get(YoungPerson, dup.id) is None  # gone from Sue's laptop at once
        # Sam, meanwhile, edits the quick-add (a phone number that differs from Jason's) and puts it on a register.
        on_sam = sam.records.get(YoungPerson, dup.id)
        assert on_sam is not None
        on_sam.phone, on_sam.school = "07700 900999", "Harris Academy Peckham"
        PeopleService(sam).update(on_sam)
        third = _session(sam, [dup.id], hours_ago=24)
        sam_note = NoteService(sam).add(dup.id, "Asked about the boxing club.")

        sync_once(sue)
        sync_once(sam)
        sync_once(sue)

        # The service: one young person, with every register entry, note and edit.
        live = _live_people(server)
        assert keep.id in live and dup.id not in live
        attendance = server.rows(
            "SELECT record_id FROM records WHERE table_name = 'attendance' AND NOT deleted"
            f" AND CAST(data AS TEXT) LIKE '%{keep.id}%'"
        )
        assert len(attendance) == 3
        # Only the audit trail still names the duplicate (its entries are hash-chained evidence of what was done).
        naming = server.rows(
            f'SELECT DISTINCT table_name FROM records WHERE CAST(data AS TEXT) LIKE \'%"person_id": "{dup.id}"%\''
        )
        assert naming == [("audit_log",)]
        for laptop in (sue, sam):
            assert laptop.records.get(YoungPerson, dup.id) is None
            jay = laptop.records.get(YoungPerson, keep.id)
            assert jay is not None
            assert (jay.first_name, jay.estimated_age, jay.school) == ("Jason", 15, "Harris Academy Peckham")
            assert jay.phone == "07700 900999"  # the later edit stands; Jason's number waits in the conflicts list
            sessions = {s.id for s in SessionService(laptop).for_person(keep.id)}
            assert sessions == {first.id, second.id, third.id}
            notes = {n.text for n in NoteService(laptop).for_person(keep.id)}
            assert notes == {"Said he plays football on Tuesdays.", "Asked about the boxing club."}
            assert laptop.records.count(Attendance, "person_id = ?", (dup.id,)) == 0
            assert laptop.records.count(CaseNote, "person_id = ?", (dup.id,)) == 0
        conflicts = server.rows("SELECT record_id, field, server_value, incoming_value, kept FROM conflicts")
        assert len(conflicts) == 1
        record_id, field, server_value, incoming_value, kept = conflicts[0]
        assert (record_id, field, kept) == (keep.id, "phone", "incoming")
        assert "07700 900123" in str(server_value) and "07700 900999" in str(incoming_value)
        client = device.client_for(sue)
        try:
            assert [(c.record_id, c.field) for c in client.conflicts()] == [(keep.id, "phone")]
        finally:
            client.transport.close()  # type: ignore[attr-defined]
        assert sam_note.person_id == dup.id  # written against the duplicate, carried to the survivor

        # Something new was recorded after the merge (Sam's edit), so it can't be undone now.
        assert MergeService(sue).why_not_undo(sue.records.get(type(merge), merge.id)) is None
        MergeService(sue).undo(merge.id)
        sync_once(sue)
        rejected = sue.db.query("SELECT value FROM sync_state WHERE key LIKE 'rejected:%'")
        assert rejected and "since the merge" in rejected[0][0]
    finally:
        sue.close()
        sam.close()


@pytest.mark.slow
def test_a_merge_undone_while_nothing_new_was_recorded_puts_both_records_back(tmp_path: Path, server: ServerProcess):
    sue, sam = _laptop(tmp_path, server, "sue2"), _laptop(tmp_path, server, "sam2")
    try:
        people = PeopleService(sue)
        keep = people.add(YoungPerson(first_name="Amira", area="Brixton", estimated_age=14))
        dup = people.quick_add("Amira", "Brixton", 14)
        session = _session(sue, [dup.id], hours_ago=30)
        sync_once(sue)
        merge = MergeService(sue).merge(dup.id, keep.id, {}, reason="")  # a supervisor needs no reason
        sync_once(sue)
        sync_once(sam)
        assert sam.records.get(YoungPerson, dup.id) is None
        assert {s.id for s in SessionService(sam).for_person(keep.id)} == {session.id}

        MergeService(sue).undo(merge.id)
        sync_once(sue)
        sync_once(sam)
        undone = sam.records.get(PersonMerge, merge.id)
        assert undone is not None and undone.status == "undone" and undone.undone_at is not None
        assert undone.merged_by == undone.undone_by == sue.user_id
        for laptop in (sue, sam):
            back = laptop.records.get(YoungPerson, dup.id)
            assert back is not None and back.incomplete
            assert {s.id for s in SessionService(laptop).for_person(dup.id)} == {session.id}
            assert SessionService(laptop).for_person(keep.id) == []
        assert dup.id in _live_people(server)
    finally:
        sue.close()
        sam.close()
