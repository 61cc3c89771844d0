"""End to end, on SQLite and PostgreSQL: a real `youthwork-server serve` process on loopback, real encrypted profiles
and the real sync engine follow the transition at 18.

A detached worker's laptop lists a red-rated young person turning 18 in two months (the prompt); the worker plans
the handover, a referral of kind transition to the IGT; the IGT's laptop receives it after sync and takes it through
its steps (accepted, a transitions worker allocated, the handover meeting, handed over); after sync the worker's list
shows every step done (the step closes it) and the quarter's board counts them as handed over before 18 (the figure).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import ReferralAction, ReferralStatus
from youthwork.domain.weeks import Period
from youthwork.reports.board import board_summary
from youthwork.services.people import PeopleService
from youthwork.services.referrals import ReferralService, fetch_receiving_teams
from youthwork.services.transitions import TransitionService, birthday
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e-transitions"), database_url)
    server.add_team("Detached North", "detached")
    server.add_team("Integrated Gangs Team", "igt")
    server.add_user("sam", "Detached North")
    server.add_user("priya", "Integrated Gangs Team")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title())
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    assert fetch_receiving_teams(profile) == {"igt": server.teams["igt"]}
    return profile


@pytest.mark.slow
def test_a_handover_at_18_from_the_list_to_handed_over(tmp_path: Path, server: ServerProcess) -> None:
    sam, priya = _laptop(tmp_path, server, "sam"), _laptop(tmp_path, server, "priya")
    try:
        turns = date.today() + timedelta(days=60)
        tyrese = PeopleService(sam).add(
            YoungPerson(first_name="Tyrese", last_name="Cole", date_of_birth=birthday(turns, -18), rag="red")
        )
        # The prompt: he is on the transitions list, no handover yet.
        (row,) = TransitionService(sam).due()
        assert (row.person.id, row.turns_18_on, row.why, row.planned) == (tyrese.id, turns, ("Red",), False)
        handover = TransitionService(sam).plan_handover(
            tyrese.id, turns - timedelta(days=14), "Turning 18 and still drawn into county lines", "public_task"
        )
        sync_once(sam)
        sync_once(priya)
        igt = ReferralService(priya)
        (item,) = igt.inbox()
        assert (item.referral.id, item.referral.kind, item.referral.handover_on) == (
            handover.id,
            "transition",
            turns - timedelta(days=14),
        )
        # The steps, on the IGT's laptop.
        igt.step(handover.id, ReferralAction.ACKNOWLEDGE)
        igt.step(handover.id, ReferralAction.ACCEPT, note="For the 18-24 transitions service")
        igt.step(handover.id, ReferralAction.ALLOCATE, allocated_to=priya.user_id)
        igt.step(handover.id, ReferralAction.HANDOVER_MEETING, note="Met Tyrese and Sam at the youth centre")
        igt.step(handover.id, ReferralAction.CLOSE, outcome="Handed over: weekly sessions with the transitions worker")
        sync_once(priya)
        sync_once(sam)
        (row,) = TransitionService(sam).due()
        assert row.planned and row.handover is not None and row.handover.status == ReferralStatus.CLOSED
        assert [done for _, done in row.steps] == [True] * 5
        # The figure: in the quarter he turns 18, he counts as handed over before his birthday.
        quarter = Period.quarter(turns.year, (turns.month - 1) // 3 + 1)
        board = board_summary(sam.db, quarter)
        assert board.figure("turned_18").ids == (tyrese.id,)
        assert board.figure("transition_before_18").ids == (tyrese.id,)
    finally:
        sam.close()
        priya.close()
