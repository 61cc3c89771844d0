"""Each young person's first attendance (migration 0030's `first_attendance`, which the reports read to tell new from
returning) stays what the registers say on every path that writes them: the session form, a draft discarded, a
session's start moved, import, a pulled page (a register before its session, a start changed by another laptop, a
tombstone), a merge and its undoing, erasure, and a random mix of all of them. Each check compares the table with the
answer worked out from scratch; removing any of the triggers fails at least one of these."""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.import_sheet import write_csv
from tests.core.conftest import FAST_KDF, PASSPHRASE
from youthwork.config import DB_FILENAME, KEYSLOTS_FILENAME
from youthwork.domain.codec import to_dict
from youthwork.domain.protocol import ServerChange
from youthwork.domain.records import Attendance, Session, YoungPerson
from youthwork.keys.slots import KeySlots
from youthwork.privacy.erasure import ErasureService
from youthwork.services import PeopleService, SessionService
from youthwork.services.importing import ImportService, mapping_named
from youthwork.services.merges import MergeService
from youthwork.store.database import Database
from youthwork.store.migrations import all_migrations
from youthwork.store.profile import Profile
from youthwork.store.settings import ROLE
from youthwork.sync.apply import apply_page

T0 = datetime(2026, 9, 1, 17, 0, tzinfo=UTC)


def worked_out(db: Database) -> dict[str, str]:
    """Each young person's first session start, from the registers themselves."""
    rows = db.query(
        "SELECT a.person_id, MIN(s.starts_at) FROM attendance a JOIN sessions s ON s.id = a.session_id"
        " WHERE s.starts_at IS NOT NULL GROUP BY a.person_id"
    )
    return {r[0]: r[1] for r in rows}


def stored(db: Database) -> dict[str, str]:
    return {r[0]: r[1] for r in db.query("SELECT person_id, starts_at FROM first_attendance")}


def first_of(profile: Profile, person_id: str) -> str | None:
    assert stored(profile.db) == worked_out(profile.db)
    return stored(profile.db).get(person_id)


def _people(profile: Profile, *names: str) -> list[YoungPerson]:
    service = PeopleService(profile)
    return [service.add(YoungPerson(first_name=n, area="Peckham")) for n in names]


def _session(profile: Profile, days: int, register: list[str]) -> Session:
    when = T0 + timedelta(days=days)
    session = Session(area="Peckham", place="Estate", starts_at=when, ends_at=when + timedelta(hours=2))
    return SessionService(profile).save_draft(session, register)


def test_the_session_form_a_moved_start_and_a_discarded_draft(profile: Profile) -> None:
    kai, ama = _people(profile, "Kai", "Ama")
    later = _session(profile, 7, [kai.id])
    assert first_of(profile, kai.id) == (T0 + timedelta(days=7)).isoformat()
    earlier = _session(profile, 0, [kai.id, ama.id])
    assert first_of(profile, kai.id) == T0.isoformat() == first_of(profile, ama.id)
    # Kai taken off the earlier register: his first is the later session again.
    SessionService(profile).save_draft(earlier, [ama.id])
    assert first_of(profile, kai.id) == (T0 + timedelta(days=7)).isoformat()
    # The later session's start moved earlier than the other: it is now everyone's first.
    later.starts_at, later.ends_at = T0 - timedelta(days=3), T0 - timedelta(days=3, hours=-2)
    SessionService(profile).save_draft(later, [kai.id, ama.id])
    assert first_of(profile, kai.id) == (T0 - timedelta(days=3)).isoformat() == first_of(profile, ama.id)
    # A draft thrown away takes its register with it.
    SessionService(profile).discard_draft(later.id)
    assert first_of(profile, kai.id) is None
    assert first_of(profile, ama.id) == T0.isoformat()


def test_an_imported_register(profile: Profile, tmp_path: Path) -> None:
    expected = write_csv(tmp_path / "register.csv", 300)
    service = ImportService(profile)
    plan = service.plan(service.read(tmp_path / "register.csv"), mapping_named(profile, "register"))
    service.run(plan)
    assert expected.imported > 0
    assert len(stored(profile.db)) == profile.db.scalar("SELECT count(DISTINCT person_id) FROM attendance") > 0
    assert stored(profile.db) == worked_out(profile.db)


def _page(profile: Profile, *changes: tuple[str, str, str, dict[str, Any], int]) -> None:
    with profile.transaction():
        apply_page(
            profile.db, [ServerChange(table=t, record_id=r, op=op, fields=f, version=v) for t, r, op, f, v in changes]
        )


def test_pulled_pages_in_any_order(profile: Profile) -> None:
    kai = YoungPerson(first_name="Kai")
    s1 = Session(area="Peckham", starts_at=T0 + timedelta(days=5))
    s2 = Session(area="Peckham", starts_at=T0 + timedelta(days=9))
    a1 = Attendance(session_id=s1.id, person_id=kai.id)
    a2 = Attendance(session_id=s2.id, person_id=kai.id)
    # The register arrives a page before its session.
    _page(profile, ("people", kai.id, "upsert", to_dict(kai), 1), ("attendance", a2.id, "upsert", to_dict(a2), 1))
    assert first_of(profile, kai.id) is None
    _page(profile, ("sessions", s2.id, "upsert", to_dict(s2), 1))
    assert first_of(profile, kai.id) == s2.starts_at.isoformat()
    _page(profile, ("sessions", s1.id, "upsert", to_dict(s1), 1), ("attendance", a1.id, "upsert", to_dict(a1), 1))
    assert first_of(profile, kai.id) == s1.starts_at.isoformat()
    # Another laptop moved the first session after the second; the same page again changes nothing.
    s1.starts_at = T0 + timedelta(days=12)
    _page(profile, ("sessions", s1.id, "upsert", to_dict(s1), 2))
    _page(profile, ("sessions", s1.id, "upsert", to_dict(s1), 2), ("attendance", a1.id, "upsert", to_dict(a1), 1))
    assert first_of(profile, kai.id) == s2.starts_at.isoformat()
    # Tombstones: the register entry, then the session.
    _page(profile, ("attendance", a2.id, "delete", {}, 3))
    assert first_of(profile, kai.id) == s1.starts_at.isoformat()
    _page(profile, ("sessions", s1.id, "delete", {}, 3))
    assert first_of(profile, kai.id) is None


def test_a_merge_and_its_undoing(profile: Profile) -> None:
    keep, dup = _people(profile, "Jason", "Jay")
    _session(profile, 10, [keep.id])
    early = _session(profile, 2, [dup.id])
    profile.outbox.acknowledge([e.change_id for e in profile.outbox.pending()])  # the registers were synced
    MergeService(profile).merge(dup.id, keep.id, {}, reason="Same lad")
    assert first_of(profile, keep.id) == early.starts_at.isoformat()
    assert first_of(profile, dup.id) is None
    # Undone on the service: the next pull brings the duplicate back with its register entry.
    moved = profile.records.select(Attendance, "session_id = ?", (early.id,))[0]
    back = to_dict(moved) | {"person_id": dup.id}
    _page(profile, ("people", dup.id, "upsert", to_dict(dup), 3), ("attendance", moved.id, "upsert", back, 3))
    assert first_of(profile, dup.id) == early.starts_at.isoformat()
    assert first_of(profile, keep.id) == (T0 + timedelta(days=10)).isoformat()


def test_erasure(profile: Profile) -> None:
    kai, ama = _people(profile, "Kai", "Ama")
    _session(profile, 0, [kai.id, ama.id])
    _session(profile, 4, [kai.id])
    profile.set_setting(ROLE, "supervisor")
    ErasureService(profile).erase(kai.id, reason="request", confirm=True)
    assert first_of(profile, kai.id) is None
    assert first_of(profile, ama.id) == T0.isoformat()
    assert profile.db.scalar("SELECT count(*) FROM first_attendance WHERE person_id = ?", (kai.id,)) == 0


def test_a_random_mix_of_writes(profile: Profile) -> None:
    """Every kind of write the triggers follow, in a random order, checked after each."""
    rng = random.Random(22)
    db = profile.db
    people = [f"p{i}" for i in range(8)]
    sessions: dict[str, str | None] = {}
    registers: dict[str, tuple[str, str]] = {}
    for step in range(400):
        op = rng.choice(
            ["session", "session", "move", "start", "drop_session", "attend", "attend", "unattend", "shift"]
        )
        when = (T0 + timedelta(hours=rng.randint(0, 200))).isoformat()
        if op == "session" or not sessions:
            # Sometimes a session whose register arrived first (sync delivers them in either order).
            sid = rng.choice([f"s{step}", *(f"later{i}" for i in range(3) if f"later{i}" not in sessions)])
            start = None if rng.random() < 0.1 else when
            db.execute(
                "INSERT INTO sessions (id, created_at, updated_at, starts_at) VALUES (?, ?, ?, ?)",
                (sid, when, when, start),
            )
            sessions[sid] = start
        elif op == "start":
            sid = rng.choice(list(sessions))
            db.execute("UPDATE sessions SET starts_at = ? WHERE id = ?", (when, sid))
        elif op == "drop_session":
            db.execute("DELETE FROM sessions WHERE id = ?", (sid := rng.choice(list(sessions)),))
            del sessions[sid]
        elif op == "attend" or not registers:
            aid, sid = f"a{step}", rng.choice([*sessions, "later0", "later1", "later2"])
            db.execute(
                "INSERT INTO attendance (id, created_at, updated_at, session_id, person_id) VALUES (?, ?, ?, ?, ?)",
                (aid, when, when, sid, pid := rng.choice(people)),
            )
            registers[aid] = (sid, pid)
        elif op == "unattend":
            db.execute("DELETE FROM attendance WHERE id = ?", (aid := rng.choice(list(registers)),))
            del registers[aid]
        elif op == "move":  # to another young person (a merge), sometimes the same one
            db.execute(
                "UPDATE attendance SET person_id = ? WHERE id = ?", (rng.choice(people), rng.choice(list(registers)))
            )
        else:  # to another session
            db.execute(
                "UPDATE attendance SET session_id = ? WHERE id = ?",
                (rng.choice(list(sessions)), rng.choice(list(registers))),
            )
        assert stored(db) == worked_out(db), f"after step {step} ({op})"
    assert stored(db)


def test_the_migration_fills_it_from_the_registers_already_there(tmp_path: Path) -> None:
    directory = tmp_path / "old"
    directory.mkdir()
    key = secrets.token_bytes(32)
    slots, _ = KeySlots.new(directory / KEYSLOTS_FILENAME, key, PASSPHRASE, argon2=FAST_KDF)
    slots.save()
    old = Database.open(directory / DB_FILENAME, key, create=True, migrate=False)
    old.migrate(target=next(m.version for m in all_migrations() if m.name == "first_attendance") - 1)
    stamp = T0.isoformat()
    for sid, start in (("s1", T0 + timedelta(days=3)), ("s2", T0), ("s3", None)):
        old.execute(
            "INSERT INTO sessions (id, created_at, updated_at, starts_at) VALUES (?, ?, ?, ?)",
            (sid, stamp, stamp, start and start.isoformat()),
        )
    for aid, sid, pid in (("a1", "s1", "kai"), ("a2", "s2", "kai"), ("a3", "s1", "ama"), ("a4", "s3", "zed")):
        old.execute(
            "INSERT INTO attendance (id, created_at, updated_at, session_id, person_id) VALUES (?, ?, ?, ?, ?)",
            (aid, stamp, stamp, sid, pid),
        )
    old.close()
    with Profile.open(directory, PASSPHRASE) as profile:
        assert stored(profile.db) == {"kai": T0.isoformat(), "ama": (T0 + timedelta(days=3)).isoformat()}
