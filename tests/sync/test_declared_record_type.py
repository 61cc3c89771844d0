"""A record type declared in one place (its dataclass and its policy) syncs between two laptops through the service,
with no other change: the service learns it from the declaration, the laptop's table comes from the dataclass."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import pytest
from sync_helpers import PASSWORD, Server, client_for, enrolled_profile, make_profile, start_server

from youthwork.domain.policy import POLICIES, STAFF, Link, RecordPolicy, declare
from youthwork.domain.records import RECORD_TYPES, Record, YoungPerson, criminal
from youthwork.domain.vocab import Role, TeamKind
from youthwork.server import admin
from youthwork.server.security import password_hasher
from youthwork.store.tables import create_table_sql
from youthwork.sync import device
from youthwork.sync.engine import SyncEngine
from youthwork.sync.transport import HttpTransport


@dataclass(slots=True, kw_only=True)
class MissingEpisode(Record):
    """A throwaway record type, as the next engineer might add one."""

    TABLE: ClassVar[str] = "missing_episodes_throwaway"

    person_id: str = ""
    reported_at: datetime | None = None
    found: bool = False
    where_found: str = ""
    police_reference: str = criminal("")


@pytest.fixture
def declared() -> Iterator[RecordPolicy]:
    policy = declare(
        RecordPolicy(
            MissingEpisode, "missing episodes", roles=STAFF, links=(Link("person_id", "people", required=True),)
        )
    )
    yield policy
    del POLICIES[MissingEpisode.TABLE], RECORD_TYPES[MissingEpisode.TABLE]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = start_server(tmp_path)
    yield s
    s.close()


def _partner_laptop(server: Server, directory: Path):
    with server.engine.connect() as conn, conn.begin():
        kicks = admin.add_team(conn, "Kicks", TeamKind.PARTNER)
        hasher = password_hasher(server.app.state.settings)
        admin.add_user(conn, hasher, "cal", "Cal", PASSWORD, Role.PARTNER, kicks)
    profile = make_profile(directory)
    device.enrol(profile, "http://testserver", "cal", PASSWORD, transport=HttpTransport(client=server.http))
    return profile


def _sync(server: Server, profile) -> None:
    SyncEngine(profile, client_for(server, profile)).run()


def test_a_declared_record_type_syncs_between_two_laptops(declared: RecordPolicy, server: Server, tmp_path: Path):
    a = enrolled_profile(server, tmp_path / "a", "ana")
    b = enrolled_profile(server, tmp_path / "b", "ben")
    partner = _partner_laptop(server, tmp_path / "c")
    for laptop in (a, b, partner):
        laptop.db.execute(create_table_sql(MissingEpisode))  # the migration the new type ships with
    jay = a.records.save(YoungPerson(first_name="Jay", area="Peckham", team_id=a.team_id))
    episode = a.records.save(
        MissingEpisode(
            team_id=a.team_id,
            person_id=jay.id,
            reported_at=datetime(2026, 11, 28, 22, 30, tzinfo=UTC),
            found=True,
            where_found="Bus station",
            police_reference="MP/2026/1234",
        )
    )
    _sync(server, a)
    _sync(server, b)
    got = b.records.get(MissingEpisode, episode.id)
    assert got is not None and got.where_found == "Bus station" and got.police_reference == "MP/2026/1234"
    assert server.records(MissingEpisode.TABLE)[episode.id]["found"] is True
    # Its policy holds like any other's: partner staff are not among its roles, so they get none of it.
    _sync(server, partner)
    assert partner.records.get(MissingEpisode, episode.id) is None
