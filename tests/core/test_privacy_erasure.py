"""Erasure and anonymisation on the laptop: every record about the person goes, no one else's; a legal hold stops it;
the bytes are gone from every decrypted page of the file and its WAL, not only from queries."""

from __future__ import annotations

import json

import pytest
from privacy_world import OTHER_SECRETS, SUBJECT_INDEX_FORMS, SUBJECT_SECRETS, build, decrypted_bytes, without_ids

from youthwork.domain.privacy import ANONYMISED_NAME, Erasure
from youthwork.domain.records import RECORD_TYPES, YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.privacy.erasure import ErasureService, LegalHoldActive, records_about
from youthwork.security.audit import AuditFilter, AuditTrail
from youthwork.services.drafts import DraftService
from youthwork.store.profile import Profile


def _ids(profile: Profile) -> dict[str, set[str]]:
    tables = {r[0] for r in profile.db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t: {r[0] for r in profile.db.query(f"SELECT id FROM {t}")} for t in RECORD_TYPES if t in tables}


def test_records_about_finds_everything_and_only_the_subject(profile: Profile) -> None:
    w = build(profile)
    assert records_about(profile.db, w.subject.id) == w.subject_ids


def test_erase_removes_every_record_and_the_bytes(profile: Profile) -> None:
    w = build(profile)
    AuditTrail(profile).record("viewed", "people", w.subject.id, person_id=w.subject.id)
    drafts = DraftService(profile)
    drafts.save(f"note:{w.subject.id}", {"text": "Zebrawood draft"})
    drafts.save("session:new", {"register": [w.subject.id, w.others[0].id], "place": "the cage"})
    before = decrypted_bytes(profile.db_path, profile._key)
    assert all(s.encode() in before for s in SUBJECT_SECRETS)

    result = ErasureService(profile).erase(w.subject.id, reason="request", confirm=True)

    assert result.removed == {t: len(ids) for t, ids in w.subject_ids.items()}
    left = _ids(profile)
    for table, ids in w.subject_ids.items():
        assert not ids & left[table], table
    for table, ids in w.other_ids.items():
        assert ids <= left[table], table  # look-alikes untouched
    # Unsent changes about the person are gone from the outbox; the tombstone waits to go.
    pending = profile.outbox.pending(10_000)
    gone = {rid for ids in w.subject_ids.values() for rid in ids}
    assert not any(e.record_id in gone for e in pending)
    assert any(e.table == Erasure.TABLE for e in pending)
    # The draft about them is gone; the session draft keeps the other young person and the place.
    assert drafts.load(f"note:{w.subject.id}") is None
    assert drafts.load("session:new") == {"register": [w.others[0].id], "place": "the cage"}
    # Bytes: decrypt every page of the file and WAL (free pages too).
    after = decrypted_bytes(profile.db_path, profile._key)
    for secret in SUBJECT_SECRETS:
        assert secret.encode() not in after, secret
    for token in SUBJECT_INDEX_FORMS:  # and the forms the full-text index stored
        assert token.encode() not in without_ids(after), token
    assert b"Jayden" in after  # Jayden Smyth, a look-alike, is still there
    for secret in OTHER_SECRETS:
        assert secret.encode() in after, secret
    assert w.subject.id.encode() in after  # as an id in the audit trail and the tombstone only
    audit = AuditTrail(profile)
    assert audit.count(AuditFilter(action="erased", record_id=w.subject.id)) == 1
    assert audit.verify() == []
    assert ErasureService(profile).is_erased(w.subject.id)


def test_anonymise_keeps_counts_and_removes_identity(profile: Profile) -> None:
    w = build(profile)
    result = ErasureService(profile).erase(w.subject.id, mode="anonymise", reason="request", confirm=True)
    person = profile.records.get(YoungPerson, w.subject.id)
    assert person is not None
    assert (person.first_name, person.last_name, person.known_as) == ("", "", ANONYMISED_NAME)
    assert person.date_of_birth is None and person.postcode == "" and person.nhs_number == ""
    assert person.estimated_age is not None and person.area == "Andover estate"
    assert result.anonymised["attendance"] == 1
    assert "case_notes" in result.removed and "safety_plans" in result.removed
    after = decrypted_bytes(profile.db_path, profile._key)
    for secret in SUBJECT_SECRETS:
        assert secret.encode() not in after, secret
    # The blank record is queued so the server gets it too (no old values in the outbox).
    queued = [e for e in profile.outbox.pending(10_000) if e.record_id == w.subject.id]
    assert len(queued) == 1 and queued[0].fields["known_as"] == ANONYMISED_NAME
    assert "Zebrawood" not in json.dumps([e.fields for e in profile.outbox.pending(10_000)])


def test_legal_hold_stops_erasure(profile: Profile) -> None:
    w = build(profile)
    erasure = ErasureService(profile)
    hold = erasure.place_hold(w.subject.id, "Crown Court case T2026/0113")
    with pytest.raises(LegalHoldActive) as e:
        erasure.erase(w.subject.id, confirm=True)
    assert "legal hold" in str(e.value)
    assert profile.records.get(YoungPerson, w.subject.id) is not None
    erasure.lift_hold(hold.id)
    erasure.erase(w.subject.id, confirm=True)
    assert profile.records.get(YoungPerson, w.subject.id) is None


def test_erasure_needs_confirmation(profile: Profile) -> None:
    w = build(profile)
    with pytest.raises(ValidationError) as e:
        ErasureService(profile).erase(w.subject.id)
    assert "Confirm" in str(e.value)
    assert profile.records.get(YoungPerson, w.subject.id) is not None


def test_incoming_erasure_is_applied_once(profile: Profile) -> None:
    """A tombstone that arrives by sync erases what only this laptop held."""
    w = build(profile)
    tomb = Erasure(team_id="team-1", person_id=w.subject.id, mode="erase", reason="request")
    with profile.transaction():
        profile.db.execute(
            "INSERT INTO erasures (id, team_id, created_by, created_at, updated_at, person_id, mode, reason,"
            " requested_by, confirmed_by, at, _server_version) VALUES (?, ?, '', ?, ?, ?, 'erase', 'request', '', '',"
            " ?, 7)",
            (tomb.id, "team-1", tomb.created_at.isoformat(), tomb.updated_at.isoformat(), w.subject.id, "2026-11-01"),
        )
    service = ErasureService(profile)
    assert service.apply_incoming() == 1
    assert service.apply_incoming() == 0
    assert profile.records.get(YoungPerson, w.subject.id) is None
    after = decrypted_bytes(profile.db_path, profile._key)
    assert not any(s.encode() in after for s in SUBJECT_SECRETS)


def test_backups_beside_the_store_follow_the_same_rule(profile: Profile) -> None:
    w = build(profile)
    backup = profile.db.backup("before-v99")
    assert SUBJECT_SECRETS[0].encode() in decrypted_bytes(backup, profile._key)
    ErasureService(profile).erase(w.subject.id, confirm=True)
    raw = decrypted_bytes(backup, profile._key)
    for secret in SUBJECT_SECRETS:
        assert secret.encode() not in raw, secret
    assert OTHER_SECRETS[0].encode() in raw


def test_a_wipe_blocked_by_another_connection_is_finished_at_the_next_sync(profile: Profile, profile_dir) -> None:
    from youthwork.privacy.erasure import WIPE_PENDING

    w = build(profile)
    # The app's background sync has its own connection (passphrase as in tests/core/conftest.py).
    other = Profile.open(profile_dir, "correct horse battery")
    try:
        other.db.execute("BEGIN")
        other.db.query("SELECT count(*) FROM people")  # a read in progress pins the WAL
        service = ErasureService(profile)
        service.erase(w.subject.id, confirm=True)
        assert profile.get_setting(WIPE_PENDING) is True
        assert profile.records.get(YoungPerson, w.subject.id) is None  # the rows are gone at once
        other.db.execute("COMMIT")
    finally:
        other.close()
    assert service.apply_incoming() == 0  # what the sync engine calls after every pull
    assert profile.get_setting(WIPE_PENDING) is False
    after = decrypted_bytes(profile.db_path, profile._key)
    for secret in SUBJECT_SECRETS:
        assert secret.encode() not in after, secret
