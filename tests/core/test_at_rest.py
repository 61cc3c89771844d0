"""What a lost laptop gives away: nothing readable. Synthetic records, real files, byte search."""

from __future__ import annotations

from youthwork.demo_data import generate
from youthwork.domain import CaseNote, Session, YoungPerson
from youthwork.store.database import SQLITE_HEADER


def _secrets_in(profile) -> set[bytes]:
    texts: set[str] = set()
    for p in profile.records.select(YoungPerson):
        texts.update((p.first_name, p.last_name, p.known_as, p.postcode, p.address, p.phone, p.area))
    for n in profile.records.select(CaseNote):
        texts.add(n.text)
        texts.update(n.text.split())
    for s in profile.records.select(Session):
        texts.update((s.narrative, s.place, s.concern_details))
    # Short strings (Kai, Ali) turn up by chance in a megabyte of ciphertext; five bytes do not.
    return {t.encode() for t in texts if t and len(t.encode()) >= 5}


def test_no_header_and_no_record_text_in_the_files(profile, profile_dir):
    counts = generate(profile, people=400, weeks=4, seed=7)
    assert counts["people"] == 400 and counts["case_notes"] > 10
    needles = _secrets_in(profile)
    assert len(needles) > 300
    db = profile_dir / "youthwork.db"
    wal = profile_dir / "youthwork.db-wal"
    assert wal.exists() and wal.stat().st_size > 0  # checked while open, so the WAL holds recent pages
    for path in (db, wal):
        data = path.read_bytes()
        assert not data.startswith(SQLITE_HEADER)
        leaked = [n for n in needles if n in data]
        assert not leaked, f"{path.name} leaks {leaked[:5]}"
    keyslots = (profile_dir / "keyslots.json").read_bytes()
    assert not [n for n in needles if n in keyslots]


def test_demo_data_is_deterministic_and_valid(tmp_path):
    from datetime import date

    from tests.core.conftest import FAST_KDF, PASSPHRASE
    from youthwork.domain.validation import problems_with
    from youthwork.store.profile import Profile

    seen = []
    for n in (1, 2):
        with Profile.create(tmp_path / f"p{n}", PASSPHRASE, argon2=FAST_KDF)[0] as p:
            generate(p, people=150, weeks=3, seed=42, today=date(2026, 3, 2))
            people = p.records.select(YoungPerson, order="id")
            sessions = p.records.select(Session, order="id")
            assert {s.session_type for s in sessions} >= {"detached", "kicks", "youth_truck", "one_to_one"}
            for record in [*people, *sessions]:
                assert problems_with(record) == [], record
            seen.append([(x.id, x.first_name, x.postcode) for x in people])
    assert seen[0] == seen[1]
