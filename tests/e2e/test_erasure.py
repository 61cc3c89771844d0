"""End to end: a supervisor erases a young person; after sync the person is gone from the server's rows and from every
laptop that held them (the team's, and the IGT's that received a referral), bytes searched in every decrypted page.
A look-alike stays everywhere. A note written offline about the person on another laptop is refused by the server
and erased there too. The audit trail reaches the supervisor's laptop with its chains whole."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from privacy_world import decrypted_bytes
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral
from youthwork.domain.vocab import ConsentGivenBy, LawfulBasis
from youthwork.privacy.consent import ConsentService
from youthwork.privacy.erasure import ErasureService
from youthwork.privacy.need_to_know import NeedToKnow
from youthwork.security.audit import AuditTrail
from youthwork.services.notes import NoteService
from youthwork.services.people import PeopleService
from youthwork.services.referrals import ReferralService
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"
SECRETS = ("Zebrawood", "07700900111", "Quokkanote", "Offlineokapi")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e-erasure"), database_url)
    server.add_team("Detached North", "detached")
    server.add_team("Integrated Gangs Team", "igt")
    for username, team, role in (
        ("sam", "Detached North", "worker"),
        ("alex", "Detached North", "worker"),
        ("sue", "Detached North", "supervisor"),
        ("priya", "Integrated Gangs Team", "worker"),
    ):
        server.add_user(username, team, role)
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


def _server_rows(url: str) -> str:
    engine = sa.create_engine(url)
    out = []
    try:
        with engine.connect() as conn:
            for name in sa.inspect(conn).get_table_names():
                for row in conn.execute(sa.text(f'SELECT * FROM "{name}"')):
                    out.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    finally:
        engine.dispose()
    return "\n".join(out)


@pytest.mark.slow
def test_erased_person_is_gone_from_every_laptop_and_the_server(tmp_path: Path, server: ServerProcess) -> None:
    sam, alex, sue, priya = (_laptop(tmp_path, server, u) for u in ("sam", "alex", "sue", "priya"))
    try:
        people = PeopleService(sam)
        subject = people.add(
            YoungPerson(
                first_name="Jayden",
                last_name="Smith",
                area="Andover estate",
                address="12 Zebrawood Court",
                phone="07700900111",
                ethnicity="black_caribbean",
            )
        )
        lookalike = people.add(
            YoungPerson(first_name="Jaydon", last_name="Smith", area="Andover estate", address="3 Xylophonic House")
        )
        NoteService(sam).add(subject.id, "Quokkanote: worried about older boys")
        NoteService(sam).add(lookalike.id, "Marmosetnote")
        ConsentService(sam).record(
            subject.id,
            LawfulBasis.CONSENT,
            given_by=ConsentGivenBy.YOUNG_PERSON,
            consent_date=subject.created_at.date(),
        )
        NeedToKnow(sam).reveal(subject, "safeguarding")
        ReferralService(sam).send(
            Referral(
                person_id=subject.id,
                to_agency="igt",
                reason="Quokkanote concerns",
                lawful_basis="consent",
                consent_given_by="young_person",
                shared_fields=["last_name", "phone"],
            )
        )
        sync_once(sam)
        for laptop in (alex, priya, sue):
            sync_once(laptop)
        assert alex.records.get(YoungPerson, subject.id) is not None
        assert priya.records.get(YoungPerson, subject.id).phone == "07700900111"
        # Offline, Alex writes a note about him that has not gone anywhere yet.
        NoteService(alex).add(subject.id, "Offlineokapi seen at the shops")

        ErasureService(sue).erase(subject.id, reason="request", confirm=True)
        sync_once(sue)
        for laptop in (sam, alex, priya):
            sync_once(laptop)
        sync_once(sue)

        rows = _server_rows(server.database_url)
        for secret in SECRETS:
            assert secret not in rows, secret
        assert "Xylophonic" in rows and "Marmosetnote" in rows
        # The server's SQLite file too, byte for byte: secure_delete zeroes freed content; old WAL frames go at the
        # next checkpoint (SQLite runs one every 1,000 pages; an operator can force it, as here). (On PostgreSQL the
        # rows above are what is checked: freed tuples go at the next VACUUM, an operator's schedule.)
        if server.db is not None:
            with sqlite3.connect(server.db) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            wal = Path(f"{server.db}-wal")
            raw_server = server.db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
            for secret in SECRETS:
                assert secret.encode() not in raw_server, secret
            assert b"Xylophonic" in raw_server
        for name, laptop in (("sam", sam), ("alex", alex), ("sue", sue), ("priya", priya)):
            assert laptop.records.get(YoungPerson, subject.id) is None, name
            assert ErasureService(laptop).is_erased(subject.id), name
            raw = decrypted_bytes(laptop.db_path, laptop._key)
            for secret in SECRETS:
                assert secret.encode() not in raw, (name, secret)
        for laptop in (sam, alex):
            assert b"Xylophonic" in decrypted_bytes(laptop.db_path, laptop._key)
        assert alex.outbox.count() == 0  # the refused note is not waiting to be sent again

        # The supervisor's laptop holds the team's audit trail, from every device, chains whole.
        audit = AuditTrail(sue)
        actions = {e.action for e in audit.search()}
        assert {"break_glass", "consent", "erased"} <= actions
        assert len({e.device for e in audit.search()}) >= 2
        assert audit.verify() == []
    finally:
        for laptop in (sam, alex, sue, priya):
            laptop.close()


@pytest.mark.slow
def test_anonymised_person_keeps_counts_everywhere_without_refused_changes(
    tmp_path: Path, server: ServerProcess
) -> None:
    from youthwork.domain.privacy import ANONYMISED_NAME
    from youthwork.domain.records import Attendance, RagRating, Session
    from youthwork.sync.engine import rejections

    sam, sue = (_laptop(tmp_path, server, u) for u in ("sam", "sue"))
    try:
        person = PeopleService(sam).add(
            YoungPerson(first_name="Kai", last_name="Mensah", area="Andover estate", phone="07700900555")
        )
        session = sam.records.save(Session(team_id=sam.team_id, session_type="detached", area="Andover estate"))
        att = sam.records.save(Attendance(team_id=sam.team_id, session_id=session.id, person_id=person.id))
        rag = sam.records.save(RagRating(team_id=sam.team_id, person_id=person.id, rating="amber", reason="Brisk"))
        NoteService(sam).add(person.id, "Okapinote about Kai")
        sync_once(sam)
        sync_once(sue)
        ErasureService(sue).erase(person.id, mode="anonymise", reason="request", confirm=True)
        sync_once(sue)
        sync_once(sam)
        assert rejections(sue) == [] and rejections(sam) == []
        for laptop in (sam, sue):
            kept = laptop.records.get(YoungPerson, person.id)
            assert kept is not None and kept.known_as == ANONYMISED_NAME and kept.first_name == "" and kept.phone == ""
            assert laptop.records.get(Attendance, att.id) is not None  # still counts in the session's figures
            assert laptop.records.get(RagRating, rag.id).reason == ""  # the rating stays, the words go
            raw = decrypted_bytes(laptop.db_path, laptop._key)
            for secret in ("Mensah", "07700900555", "Okapinote", "Brisk"):
                assert secret.encode() not in raw, secret
    finally:
        for laptop in (sam, sue):
            laptop.close()
