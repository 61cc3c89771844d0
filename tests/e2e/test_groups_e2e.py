"""End to end (a real `youthwork-server serve`, SQLite and PostgreSQL, real encrypted laptops): a worker records a
peer group with two memberships (one affected, one causing harm) and a context plan while offline; after sync a
colleague sees them all and a Kicks coach sees none of it. A membership whose review date passes is erased on the
service and, after sync, on every laptop (bytes searched in every decrypted page)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from privacy_world import decrypted_bytes
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.context_plans import ContextPlan
from youthwork.domain.groups import GroupMembership, PeerGroup
from youthwork.domain.records import YoungPerson
from youthwork.server import schema as t
from youthwork.services.context_plans import ContextPlanService
from youthwork.services.groups import GroupService
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"
GROUP_TABLES = ("peer_groups", "group_memberships", "context_plans", "context_plan_versions", "group_shares")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e-groups"), database_url)
    server.add_team("Detached North", "detached")
    server.add_team("Kicks Peckham", "partner")
    for username, team, role in (
        ("sam", "Detached North", "worker"),
        ("alex", "Detached North", "worker"),
        ("cal", "Kicks Peckham", "partner"),
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
    return profile


def _count(profile: Profile, table: str) -> int:
    return int(profile.db.scalar(f"SELECT COUNT(*) FROM {table}"))


@pytest.mark.slow
def test_a_group_recorded_offline_reaches_a_colleague_never_a_coach_and_lapses_everywhere(
    tmp_path: Path, server: ServerProcess
) -> None:
    sam, alex, cal = (_laptop(tmp_path, server, u) for u in ("sam", "alex", "cal"))
    try:
        # Offline at the cage: two young people, a group, one affected and one causing harm, and a context plan.
        people = PeopleService(sam)
        kai = people.add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))
        dre = people.add(YoungPerson(first_name="Dre", last_name="Lawson", area="Brenchley Gardens"))
        groups = GroupService(sam)
        group = groups.save_group(PeerGroup(label="Thursday cage lot", description="Meet after school"))
        affected = groups.add_member(
            group.id,
            kai.id,
            role="affected",
            confidence="seen",
            source="seen at the cage",
            own_account="Quokka says he only goes for football",
            review_date=date.today() + timedelta(days=40),
        )
        harm = groups.add_member(group.id, dre.id, role="causing_harm", confidence="reported", source="school DSL")
        plans = ContextPlanService(sam)
        plan = plans.new_for_group(group.id)
        plan.concern = "Older men drive up to the cage after dark"
        plan.partners = [{"name": "Brenchley Housing", "kind": "housing", "responsible_for": "the cage lighting"}]
        plan.actions = [{"action": "Fix the floodlights", "who": "Brenchley Housing", "by_when": ""}]
        plan.review_date = date.today() + timedelta(days=28)
        plans.agree(plan)
        assert _count(alex, "peer_groups") == 0

        sync_once(sam)
        sync_once(alex)
        sync_once(cal)
        seen = GroupService(alex)
        (summary,) = seen.groups()
        assert (summary.group.label, summary.members) == ("Thursday cage lot", 2)
        page = seen.open(group.id)
        assert sorted((m.name, m.membership.role) for m in page.members) == [
            ("Dre Lawson", "causing_harm"),
            ("Kai Mensah", "affected"),
        ]
        (alex_plan,) = ContextPlanService(alex).for_group(group.id)
        assert alex_plan.status == "agreed" and alex_plan.partners[0]["name"] == "Brenchley Housing"
        assert len(ContextPlanService(alex).versions(alex_plan.id)) == 1
        # The coach: nothing of the group, its members or its plan reached the laptop.
        for table in GROUP_TABLES:
            assert _count(cal, table) == 0, table
        assert b"Thursday cage lot" not in decrypted_bytes(cal.db_path, cal._key)

        # Six months on: the affected membership's review date has passed on the service (its stored record).
        gone = (date.today() - timedelta(days=1)).isoformat()
        old = (date.today() - timedelta(days=100)).isoformat()
        engine = sa.create_engine(server.database_url, poolclass=NullPool)
        row = (t.records.c.table_name == "group_memberships") & (t.records.c.record_id == affected.id)
        try:
            with engine.begin() as conn:
                data = dict(conn.execute(sa.select(t.records.c.data).where(row)).scalar_one())
                data.update(recorded_on=old, review_date=gone)
                conn.execute(t.records.update().where(row).values(data=data))
        finally:
            engine.dispose()
        sync_once(alex)  # a push (even with nothing to send) erases it on the service; the pull brings the delete
        sync_once(sam)
        for laptop in (sam, alex):
            assert laptop.records.get(GroupMembership, affected.id) is None
            assert laptop.records.get(GroupMembership, harm.id) is not None
            assert b"Quokka says he only" not in decrypted_bytes(laptop.db_path, laptop._key)
        assert (
            server.count("SELECT COUNT(*) FROM records WHERE table_name = 'group_memberships' AND deleted = false") == 1
        )
        engine = sa.create_engine(server.database_url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                assert conn.execute(sa.select(t.records.c.data).where(row)).scalar_one() == {
                    "id": affected.id,
                    "team_id": group.team_id,
                }
        finally:
            engine.dispose()
        assert ContextPlan.TABLE  # the plan stays: it is about the context, not a child
        assert len(ContextPlanService(sam).for_group(group.id)) == 1
    finally:
        for p in (sam, alex, cal):
            p.close()
