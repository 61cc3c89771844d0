"""The audit trail: entries chain per device; altering, deleting or reordering a row is detected."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from youthwork.domain.privacy import GENESIS_HASH, AuditAction, AuditEntry
from youthwork.domain.records import utc_now
from youthwork.security.audit import AuditFilter, AuditTrail
from youthwork.store.errors import ReadOnlyRecord
from youthwork.store.profile import Profile


def _fill(profile: Profile, n: int = 5) -> AuditTrail:
    audit = AuditTrail(profile)
    for i in range(n):
        audit.record(AuditAction.VIEWED, "people", f"p{i}", person_id=f"p{i}")
    return audit


def test_entries_chain_and_verify(profile: Profile) -> None:
    audit = _fill(profile)
    entries = sorted(audit.search(), key=lambda e: e.seq)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert audit.verify() == []
    # Each entry is queued for the server like any record.
    assert sum(e.table == "audit_log" for e in profile.outbox.pending()) == 5


def test_altered_row_is_detected(profile: Profile) -> None:
    audit = _fill(profile)
    profile.db.execute("UPDATE audit_log SET action = 'changed' WHERE seq = 3")
    problems = audit.verify()
    assert [p.seq for p in problems] == [3]
    assert "altered" in problems[0].message


# Bookkeeping every record carries, not part of the chain: `at` and `user_id` are the audited when and who.
NOT_HASHED = {"hash", "created_by", "created_at", "updated_at"}
TAMPERED = {"seq": 99, "at": "2020-01-01T00:00:00+00:00"}


@pytest.mark.parametrize("column", [f for f in AuditEntry.field_names() if f not in NOT_HASHED])
def test_changing_any_hashed_field_is_detected(profile: Profile, column: str) -> None:
    audit = _fill(profile)
    profile.db.execute(f"UPDATE audit_log SET {column} = ? WHERE seq = 3", (TAMPERED.get(column, "tampered"),))
    problems = audit.verify()
    assert problems, f"changing {column} went unnoticed"
    assert {p.seq for p in problems} & {3, 4, 99}, problems


def test_altered_row_with_recomputed_hash_breaks_the_next_link(profile: Profile) -> None:
    from youthwork.domain.codec import to_dict
    from youthwork.domain.privacy import audit_hash

    audit = _fill(profile)
    entry = next(e for e in audit.search() if e.seq == 2)
    entry.user_id = "someone-else"
    new_hash = audit_hash(to_dict(entry))
    profile.db.execute("UPDATE audit_log SET user_id = ?, hash = ? WHERE seq = 2", ("someone-else", new_hash))
    problems = audit.verify()
    assert [p.seq for p in problems] == [3]
    assert "does not follow" in problems[0].message


def test_deleted_row_is_detected(profile: Profile) -> None:
    audit = _fill(profile)
    profile.db.execute("DELETE FROM audit_log WHERE seq = 2")
    messages = [str(p) for p in audit.verify()]
    assert any("entry 2" in m and "missing" in m for m in messages)


def test_deleted_newest_rows_are_detected(profile: Profile) -> None:
    audit = _fill(profile)
    profile.db.execute("DELETE FROM audit_log WHERE seq >= 4")
    assert any("newest" in str(p) for p in audit.verify())
    profile.db.execute("DELETE FROM audit_log")
    assert any("All audit entries" in str(p) for p in audit.verify())


def test_reordered_rows_are_detected(profile: Profile) -> None:
    audit = _fill(profile)
    # Swap the places of entries 2 and 3 in the chain.
    profile.db.execute("UPDATE audit_log SET seq = -1 WHERE seq = 2")
    profile.db.execute("UPDATE audit_log SET seq = 2 WHERE seq = 3")
    profile.db.execute("UPDATE audit_log SET seq = 3 WHERE seq = -1")
    assert audit.verify() != []


def test_entries_cannot_be_changed_through_the_repository(profile: Profile) -> None:
    audit = _fill(profile, 1)
    entry = audit.search()[0]
    entry.action = AuditAction.CHANGED.value
    with pytest.raises(ReadOnlyRecord):
        profile.records.save(entry)
    with pytest.raises(ReadOnlyRecord):
        profile.records.delete(AuditEntry, entry.id)


def test_filters(profile: Profile) -> None:
    audit = AuditTrail(profile)
    audit.record(AuditAction.VIEWED, "people", "p1", person_id="p1", user_id="u1")
    audit.record(AuditAction.BREAK_GLASS, "people", "p1", person_id="p1", reason="safeguarding", user_id="u2")
    audit.record(AuditAction.EXPORTED, "people", "p2", person_id="p2", user_id="u2")
    audit.record(AuditAction.CHANGED, "case_notes", "n1", person_id="p2", user_id="u1")
    assert {e.record_id for e in audit.search(AuditFilter(user_id="u2"))} == {"p1", "p2"}
    assert [e.reason for e in audit.search(AuditFilter(action="break_glass"))] == ["safeguarding"]
    assert {e.record_id for e in audit.search(AuditFilter(record_id="p2"))} == {"p2", "n1"}
    assert audit.count(AuditFilter(since=utc_now() + timedelta(minutes=1))) == 0
    assert audit.count(AuditFilter(until=utc_now() + timedelta(minutes=1))) == 4
    assert audit.users() == ["u1", "u2"]
    assert audit.verify() == []


def test_changing_a_young_person_is_audited(profile: Profile) -> None:
    from youthwork.domain.records import YoungPerson
    from youthwork.services.people import PeopleService

    people = PeopleService(profile)
    person = people.add(YoungPerson(first_name="Amara", area="Elthorne"))
    person.phone = "07700900123"
    people.update(person)
    (entry,) = AuditTrail(profile).search(AuditFilter(action="changed"))
    assert (entry.table_name, entry.record_id, entry.person_id) == ("people", person.id, person.id)
    assert "07700900123" not in str(entry)  # ids and codes only
