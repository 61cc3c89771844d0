"""End to end, on SQLite and PostgreSQL: a real `youthwork-server` process, real encrypted laptops, the real sync.

A detached worker adds a place and records a session there while offline; after sync a colleague sees the place and
which session was held there. A Kicks coach (partner staff, in their own team) records places and headcounts the same
way and sees them after sync, and sees none of the detached team's places or sessions: no relation reaches them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.places import Place, PlaceKind
from youthwork.domain.records import Session
from youthwork.services.places import PlaceService
from youthwork.services.sessions import SessionService
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"
START = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("places"), database_url)
    server.add_team("Detached North", "detached")
    server.add_team("Kicks", "partner")
    server.add_user("sam", "Detached North")
    server.add_user("alex", "Detached North")
    server.add_user("cal", "Kicks", role="partner")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title())
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    return profile


def _session_at(profile: Profile, place: Place, headcounts: dict[str, int]) -> Session:
    s = Session(
        session_type="detached",
        area=place.name,
        place_id=place.id,
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        workers=[profile.user_id],
        headcounts=headcounts,
    )
    return SessionService(profile).save_draft(s, [])


@pytest.mark.slow
def test_places_recorded_offline_reach_a_colleague_and_a_partner_coach_sees_their_own(
    tmp_path: Path, server: ServerProcess
) -> None:
    sam, alex, cal = (_laptop(tmp_path, server, u) for u in ("sam", "alex", "cal"))
    try:
        # Offline: nothing is sent until sync.
        cage = PlaceService(sam).save(Place(name="Sumner Road cage", kind=PlaceKind.CAGE, ward="Peckham"))
        session = _session_at(sam, cage, {"male/14_15": 4, "female/14_15": 2})
        assert server.count("SELECT COUNT(*) FROM records WHERE table_name = 'places'") == 0

        sync_once(sam)
        sync_once(alex)
        seen = PlaceService(alex).get(cage.id)
        assert seen is not None and (seen.name, seen.kind, seen.ward) == ("Sumner Road cage", "cage", "Peckham")
        got = SessionService(alex).get(session.id)
        assert got is not None and got.place_id == cage.id and got.headcount_total == 6

        # A Kicks coach: their own pitch and its headcounts go both ways; the detached team's do not reach them.
        pitch = PlaceService(cal).save(Place(name="Kennington Park pitch", kind=PlaceKind.CAGE))
        kicks_session = _session_at(cal, pitch, {"male/10_13": 9})
        sync_once(cal)
        cal2 = _laptop(tmp_path / "second", server, "cal")
        try:
            sync_once(cal2)
            assert [p.name for p in PlaceService(cal2).all()] == ["Kennington Park pitch"]
            assert SessionService(cal2).get(kicks_session.id).headcounts == {"male/10_13": 9}
            assert PlaceService(cal2).get(cage.id) is None
            assert SessionService(cal2).get(session.id) is None
        finally:
            cal2.close()
    finally:
        for p in (sam, alex, cal):
            p.close()
