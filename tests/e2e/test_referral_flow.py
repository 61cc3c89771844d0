"""End to end: a real `youthwork-server serve` process on loopback, real encrypted profiles and the real sync engine.

A detached worker agrees a safety plan and refers a young person to the IGT while offline; after sync the IGT user's
inbox shows it; they acknowledge, accept, allocate and close; each step reaches the worker after sync. Two workers who
agree changes to the same plan offline both keep their versions, and the fork is shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral, ReferralAction, ReferralStatus
from youthwork.services.people import PeopleService
from youthwork.services.plans import PlanService
from youthwork.services.referrals import ReferralService, fetch_receiving_teams
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e"))
    server.add_team("Detached North", "detached")
    server.add_team("Integrated Gangs Team", "igt")
    for username, team in (("sam", "Detached North"), ("alex", "Detached North"), ("priya", "Integrated Gangs Team")):
        server.add_user(username, team)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title())
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    # The laptop learns which team on the service receives IGT referrals.
    assert fetch_receiving_teams(profile) == {"igt": server.teams["igt"]}
    return profile


@pytest.mark.slow
def test_referral_to_the_igt_from_offline_referral_to_closed(tmp_path: Path, server: ServerProcess) -> None:
    sam = _laptop(tmp_path, server, "sam")
    priya = _laptop(tmp_path, server, "priya")
    try:
        # Offline on the estate: add him, agree a plan, refer him to the IGT.
        person = PeopleService(sam).add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))
        plans = PlanService(sam)
        plan = plans.new_plan(person.id)
        plan.risks_triggers = "Older boys asking him to carry packages out of London"
        plan.review_date = date.today() + timedelta(days=28)
        plans.agree(plan)
        sam_refs = ReferralService(sam)
        referral = sam_refs.send(
            Referral(
                person_id=person.id,
                to_agency="igt",
                reason="Asked to carry packages out of London by older boys",
                risk_indicators=["cce"],
                urgency="urgent",
                lawful_basis="consent",
                consent_given_by="young_person",
                shared_fields=["last_name"],
            )
        )
        assert sam_refs.get(referral.id).waiting_to_sync
        assert ReferralService(priya).inbox() == []

        sync_once(sam)
        assert not sam_refs.get(referral.id).waiting_to_sync

        sync_once(priya)
        priya_refs = ReferralService(priya)
        (item,) = priya_refs.inbox()
        assert item.referral.id == referral.id and item.status == ReferralStatus.SENT
        assert item.referral.reason.startswith("Asked to carry packages")
        # The IGT sees what was shared (the minimum and his last name), not the rest of his record.
        shared = priya.records.get(YoungPerson, person.id)
        assert shared is not None and shared.last_name == "Mensah" and shared.address == ""
        assert PlanService(priya).for_person(person.id) == []  # the plan stays with the detached team

        priya_refs.step(referral.id, ReferralAction.ACKNOWLEDGE)
        priya_refs.step(referral.id, ReferralAction.ACCEPT, note="Meets the IGT threshold")
        sync_once(priya)
        sync_once(sam)
        view = sam_refs.get(referral.id)
        assert view.status == ReferralStatus.ACCEPTED and view.referral.status == ReferralStatus.ACCEPTED
        assert [e.action for e in view.events] == ["acknowledge", "accept"]

        priya_refs.step(referral.id, ReferralAction.ALLOCATE, allocated_to=priya.user_id)
        priya_refs.step(referral.id, ReferralAction.CLOSE, outcome="Mentoring for 12 weeks; no longer carrying")
        sync_once(priya)
        sync_once(sam)
        view = sam_refs.get(referral.id)
        assert view.status == ReferralStatus.CLOSED
        assert view.referral.outcome == "Mentoring for 12 weeks; no longer carrying"
        assert [e.action for e in view.events] == ["acknowledge", "accept", "allocate", "close"]

        # A decline needs a reason, and the reason reaches the referrer. This one is sent from a laptop that doesn't
        # know the service's teams: the service sends it to its one IGT team.
        sam.set_setting("referrals.agency_teams", {})
        second = sam_refs.send(
            Referral(person_id=person.id, to_agency="igt", reason="Seen with a knife", lawful_basis="vital_interests")
        )
        assert second.to_team_id == ""
        sync_once(sam)
        assert sam_refs.get(second.id).referral.to_team_id == server.teams["igt"]
        sync_once(priya)
        assert second.id in {v.referral.id for v in priya_refs.inbox()}
        with pytest.raises(Exception, match="reason"):
            priya_refs.step(second.id, ReferralAction.DECLINE)
        priya_refs.step(second.id, ReferralAction.DECLINE, reason="Already open to the IGT under the first referral")
        sync_once(priya)
        sync_once(sam)
        view = sam_refs.get(second.id)
        assert view.status == ReferralStatus.DECLINED and view.events[-1].reason.startswith("Already open")
    finally:
        sam.close()
        priya.close()


@pytest.mark.slow
def test_two_workers_agree_the_same_plan_offline_both_versions_survive(tmp_path: Path, server: ServerProcess) -> None:
    sam = _laptop(tmp_path, server, "sam")
    alex = _laptop(tmp_path, server, "alex")
    try:
        person = PeopleService(sam).add(YoungPerson(first_name="Jade", area="Acorn Estate"))
        plan = PlanService(sam).new_plan(person.id)
        plan.review_date = date.today() + timedelta(days=14)
        first = PlanService(sam).agree(plan)
        sync_once(sam)
        sync_once(alex)
        # Both offline: each agrees a change with her.
        mine = PlanService(sam).get(plan.id)
        mine.safe_places = "The library on the high street"
        sam_version = PlanService(sam).agree(mine, "Reviewed at the youth centre")
        theirs = PlanService(alex).get(plan.id)
        theirs.safe_places = "Her nan's flat"
        alex_version = PlanService(alex).agree(theirs, "Reviewed on the estate")
        sync_once(sam)
        sync_once(alex)
        sync_once(sam)
        for laptop in (sam, alex):
            service = PlanService(laptop)
            assert {v.id for v in service.versions(plan.id)} == {first.id, sam_version.id, alex_version.id}
            (conflict,) = service.conflicts(plan.id)
            assert conflict.based_on_version_id == first.id
            assert {v.safe_places for v in conflict.versions} == {"The library on the high street", "Her nan's flat"}
    finally:
        sam.close()
        alex.close()
