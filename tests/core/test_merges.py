"""Merging on the laptop: the duplicate's records name the survivor at once (every declared person link, a type added
later too), the survivor's subject access export holds both histories, and erasing the survivor erases the merge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from declared_types import MissingEpisode, declared

from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import Attendance, CaseNote, RagRating, Session, YoungPerson
from youthwork.privacy.erasure import ErasureService
from youthwork.privacy.subject_access import SubjectAccess
from youthwork.security.audit import AuditTrail
from youthwork.services.merges import FROM, INTO, MergeRefused, MergeService
from youthwork.services.notes import NoteService
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile
from youthwork.store.settings import ROLE
from youthwork.store.tables import create_table_sql


def _pair(profile: Profile) -> tuple[YoungPerson, YoungPerson]:
    people = PeopleService(profile)
    keep = people.add(YoungPerson(first_name="Jason", known_as="Jay", area="Peckham", phone="07700900123"))
    dup = people.quick_add("Jay", "Peckham", 15)
    return keep, dup


def test_merge_re_points_every_record_here_and_keeps_the_chosen_values(profile: Profile) -> None:
    keep, dup = _pair(profile)
    session = profile.records.save(Session(area="Peckham", starts_at=datetime.now(UTC) - timedelta(hours=3)))
    profile.records.save(Attendance(session_id=session.id, person_id=dup.id))
    NoteService(profile).add(dup.id, "Plays football on Tuesdays.")
    PeopleService(profile).set_rag(dup.id, "amber", "Out late")
    AuditTrail(profile).record(AuditAction.VIEWED, "people", dup.id, person_id=dup.id)
    merges = MergeService(profile)
    side = merges.compare(dup.id, keep.id)
    assert {f.name for f in side.fields} >= {"first_name", "known_as", "phone", "estimated_age", "rag"}
    merge = merges.merge(dup.id, keep.id, {"estimated_age": FROM, "rag": FROM, "phone": INTO}, reason="Same lad")
    assert profile.records.get(YoungPerson, dup.id) is None
    jay = profile.records.get(YoungPerson, keep.id)
    assert jay is not None and (jay.first_name, jay.estimated_age, jay.rag, jay.phone) == (
        "Jason",
        15,
        "amber",
        "07700900123",
    )
    for cls in (Attendance, CaseNote, RagRating):
        assert profile.records.count(cls, "person_id = ?", (dup.id,)) == 0
        assert profile.records.count(cls, "person_id = ?", (keep.id,)) == 1
    # Only the merge record went to the outbox (the service carries the rest out, and sends it back).
    queued = {r[0] for r in profile.db.query("SELECT DISTINCT tbl FROM outbox")}
    assert "person_merges" in queued
    assert merge.kept == {"estimated_age": 15, "rag": "amber"}
    assert [m.id for m in merges.merges_into(keep.id)] == [merge.id]

    # The survivor's subject access export: both histories, and what the duplicate's record said.
    data = SubjectAccess(profile).collect(keep.id)["subject_access_export"]["sections"]
    assert [n["text"] for n in data["case_notes"]] == ["Plays football on Tuesdays."]
    assert data["person_merges"][0]["from_person_id"] == dup.id
    assert any(e["record_id"] == dup.id and e["action"] == "viewed" for e in data["audit_log"])

    # Erasing the survivor erases the merge with them (it holds the duplicate's details).
    profile.set_setting(ROLE, "supervisor")
    ErasureService(profile).erase(keep.id, reason="request", confirm=True)
    assert profile.db.scalar("SELECT count(*) FROM person_merges") == 0


def test_a_worker_gives_a_reason_and_can_only_choose_fields_that_differ(profile: Profile) -> None:
    keep, dup = _pair(profile)
    profile.set_setting(ROLE, "worker")
    merges = MergeService(profile)
    with pytest.raises(MergeRefused, match="Say why"):
        merges.merge(dup.id, keep.id, {})
    with pytest.raises(MergeRefused, match="which record"):
        merges.merge(dup.id, keep.id, {"area": FROM}, reason="Same")  # the same on both
    with pytest.raises(MergeRefused, match="two different"):
        merges.merge(dup.id, dup.id, {}, reason="Same")


def test_a_record_type_declared_later_is_carried_too(profile: Profile) -> None:
    with declared():
        profile.db.execute(create_table_sql(MissingEpisode))
        keep, dup = _pair(profile)
        episode = profile.records.save(MissingEpisode(person_id=dup.id, where_found="Bus station"))
        MergeService(profile).merge(dup.id, keep.id, {}, reason="Same")
        got = profile.records.get(MissingEpisode, episode.id)
        assert got is not None and got.person_id == keep.id


def test_merges_made_elsewhere_are_carried_out_on_what_only_this_laptop_holds(profile: Profile) -> None:
    from youthwork.domain.merges import PersonMerge

    keep, dup = _pair(profile)
    note = NoteService(profile).add(dup.id, "Written offline.")
    profile.db.execute(
        "INSERT INTO person_merges (id, created_at, updated_at, from_person_id, into_person_id, merged_at)"
        " VALUES ('m1', '2026-12-01T10:00:00+00:00', '2026-12-01T10:00:00+00:00', ?, ?, '2026-12-01T10:00:00+00:00')",
        (dup.id, keep.id),
    )
    assert MergeService(profile).apply_incoming() == 2  # the note, and the duplicate's record leaving
    got = profile.records.get(CaseNote, note.id)
    assert got is not None and got.person_id == keep.id
    assert profile.records.get(YoungPerson, dup.id) is None
    assert profile.records.get(PersonMerge, "m1") is not None
