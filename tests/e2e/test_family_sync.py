"""End to end, on SQLite and PostgreSQL: family and household links through a real `youthwork-server` process.

Sam records that Jay and Mia (both on the team's records) are brother and sister, and Jay's mum with her phone number,
parental responsibility and what she may be told. After sync Alex sees the family on both profiles. The IGT, which
received a referral about Jay, sees Jay but none of his family; a Kicks coach sees nothing. The IGT's forged link from
Jay to Mia (whom the IGT does not hold) is refused by the service. Erasing Mia takes the sibling link from the service
and from every laptop, and Jay's mum stays on Jay's profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.family import Relationship
from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral
from youthwork.privacy.erasure import ErasureService
from youthwork.services.family import FamilyService
from youthwork.services.people import PeopleService
from youthwork.services.referrals import ReferralService
from youthwork.store.profile import Profile
from youthwork.sync import device
from youthwork.sync.engine import rejections

PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e-family"), database_url)
    server.add_team("Detached North", "detached")
    server.add_team("Integrated Gangs Team", "igt")
    server.add_team("Kicks", "partner")
    for username, team, role in (
        ("sam", "Detached North", "worker"),
        ("alex", "Detached North", "worker"),
        ("sue", "Detached North", "supervisor"),
        ("priya", "Integrated Gangs Team", "worker"),
        ("cal", "Kicks", "partner"),
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


def _family(profile: Profile, person_id: str) -> set[tuple[str, str]]:
    return {(m.relation_label, m.name) for m in FamilyService(profile).for_person(person_id)}


def _on_server(server: ServerProcess) -> int:
    return server.count("SELECT count(*) FROM records WHERE table_name = 'relationships' AND deleted = false")


@pytest.mark.slow
def test_family_links_sync_respect_need_to_know_and_go_with_erasure(tmp_path: Path, server: ServerProcess) -> None:
    sam, alex, sue, priya, cal = (_laptop(tmp_path, server, u) for u in ("sam", "alex", "sue", "priya", "cal"))
    try:
        people, family = PeopleService(sam), FamilyService(sam)
        jay = people.add(YoungPerson(first_name="Jay", last_name="Okafor", area="Peckham"))
        mia = people.add(YoungPerson(first_name="Mia", last_name="Okafor", area="Peckham"))
        family.add(Relationship(person_id=jay.id, relation="sibling", other_person_id=mia.id))
        mum = family.add(
            Relationship(
                person_id=jay.id,
                relation="mother",
                name="Grace Okafor",
                phone="07700900321",
                parental_responsibility=True,
                lives_with=True,
                may_be_told="safety",
            )
        )
        ReferralService(sam).send(
            Referral(
                person_id=jay.id,
                to_agency="igt",
                reason="Older boys asking him to carry",
                lawful_basis="public_task",
                shared_fields=["last_name"],
            )
        )
        sync_once(sam)
        assert _on_server(server) == 2

        for laptop in (alex, sue, priya, cal):
            sync_once(laptop)
        assert _family(alex, jay.id) == {("Brother or sister", "Mia Okafor"), ("Mother", "Grace Okafor")}
        assert _family(alex, mia.id) == {("Brother or sister", "Jay Okafor")}  # shown from her side too
        got = alex.records.get(Relationship, mum.id)
        assert got is not None and got.phone == "07700900321" and got.parental_responsibility

        # The IGT holds Jay through the referral, and none of his family; partner staff hold nothing.
        assert priya.records.get(YoungPerson, jay.id) is not None
        assert priya.records.count(Relationship) == 0 and priya.records.get(YoungPerson, mia.id) is None
        assert cal.records.count(Relationship) == 0

        # A link to a young person the IGT does not hold is refused by the service (written past the laptop's check).
        forged = priya.records.save(
            Relationship(team_id=priya.team_id, person_id=jay.id, relation="sibling", other_person_id=mia.id)
        )
        sync_once(priya)
        assert [r for r in rejections(priya) if r.record_id == forged.id]
        assert _on_server(server) == 2

        ErasureService(sue).erase(mia.id, reason="request", confirm=True)
        sync_once(sue)
        for laptop in (sam, alex):
            sync_once(laptop)
        assert _on_server(server) == 1
        for laptop in (sam, alex):
            assert _family(laptop, jay.id) == {("Mother", "Grace Okafor")}
    finally:
        for p in (sam, alex, sue, priya, cal):
            p.close()
