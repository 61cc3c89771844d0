"""End to end, on SQLite and PostgreSQL: a real `youthwork-server` process, real encrypted laptops, the real sync.

Issue 19, item 3: a detached worker refers a young person to CAMHS, which has no team on the service. The referral is
overdue until the worker records that CAMHS acknowledged it (and who told them); then the decision, the first
appointment and the outcome. The service moves the referral's status; the board counts the first appointment within 4
weeks and the days to a decision, and the supervisor's synced laptop and the service's board pack agree on every
figure. Item 7: TYS records a referral that came from a school, about a young person it adds itself; it is overdue in
TYS's list until acknowledged, counts as received from outside, and reaches no other team.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_process import PASSWORD, ServerProcess, sync_once

from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral, ReferralAction, ReferralStatus
from youthwork.domain.validation import ValidationError
from youthwork.domain.weeks import IsoWeek, Period
from youthwork.reports.board import board_summary
from youthwork.reports.weekly import weekly_report
from youthwork.services.people import PeopleService
from youthwork.services.referrals import ReferralService, fetch_receiving_teams
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "correct horse battery"
TOLD = "Duty clinician, by phone"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("e2e"), database_url)
    server.add_team("Detached North", "detached")
    server.add_team("Targeted Youth Support", "tys")
    server.add_user("sam", "Detached North")
    server.add_user("sue", "Detached North", role="supervisor")
    server.add_user("tess", "Targeted Youth Support", role="receiving")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _laptop(tmp_path: Path, server: ServerProcess, username: str) -> Profile:
    profile, _ = Profile.create(tmp_path / username, PASSPHRASE, worker_name=username.title())
    device.enrol(profile, server.url, username, PASSWORD, device_name=f"{username}'s laptop")
    fetch_receiving_teams(profile)
    return profile


@pytest.mark.slow
def test_a_camhs_referral_is_closed_by_the_referrer_and_counted(tmp_path: Path, server: ServerProcess) -> None:
    sam = _laptop(tmp_path, server, "sam")
    tess = _laptop(tmp_path, server, "tess")
    try:
        person = PeopleService(sam).add(YoungPerson(first_name="Mia", last_name="Osei", area="Acorn Estate"))
        refs = ReferralService(sam)
        referral = refs.send(
            Referral(
                person_id=person.id,
                to_agency="camhs",
                reason="Low mood, not sleeping, stopped coming to the club",
                lawful_basis="consent",
                consent_given_by="young_person",
            )
        )
        sync_once(sam)
        assert referral.to_team_id == "" and refs.get(referral.id).referral.to_team_id == ""
        sent = refs.get(referral.id).referral.sent_at
        assert sent is not None
        # Eleven days on with no answer: overdue (routine: 10 days), on Today and in the week's figures.
        later = sent + timedelta(days=11)
        assert [v.referral.id for v in refs.overdue(as_of=later)] == [referral.id]
        week = IsoWeek.containing(later.date())
        assert weekly_report(sam.db, week, now=later).figure("referrals_overdue").ids == (referral.id,)

        # TYS can't answer for CAMHS; the worker must say who told them.
        with pytest.raises(ValidationError, match="who at the agency"):
            refs.step(referral.id, ReferralAction.ACKNOWLEDGE)
        refs.step(referral.id, ReferralAction.ACKNOWLEDGE, told_by=TOLD)
        assert refs.overdue(as_of=later) == []
        sync_once(sam)
        assert refs.get(referral.id).referral.status == ReferralStatus.ACKNOWLEDGED  # the service moved it
        assert weekly_report(sam.db, week, now=later).figure("referrals_overdue").ids == ()
        sync_once(tess)
        assert tess.records.get(Referral, referral.id) is None  # nothing of it reached TYS

        appointment = sent.date() + timedelta(days=20)
        refs.step(referral.id, ReferralAction.ACCEPT, told_by=TOLD)
        refs.step(referral.id, ReferralAction.APPOINTMENT, told_by=TOLD, first_appointment_on=appointment)
        refs.step(referral.id, ReferralAction.CLOSE, told_by="Letter from CAMHS", outcome="Six sessions of CBT")
        sync_once(sam)
        view = refs.get(referral.id)
        assert view.status == ReferralStatus.CLOSED and view.referral.status == ReferralStatus.CLOSED
        assert view.referral.first_appointment_on == appointment and view.referral.outcome == "Six sessions of CBT"
        assert [e.action for e in view.events] == ["acknowledge", "accept", "appointment", "close"]

        # The board, hand-counted: one young person seen within 4 weeks (20 days); one referral decided.
        period = Period(sent.date(), sent.date() + timedelta(days=40))
        board = board_summary(sam.db, period, now=sent + timedelta(days=41))
        assert board.figure("mh_first_appointment").ids == (person.id,)
        assert board.figure("mh_first_appointment_later").ids == ()
        assert board.figure("referral_decision_days").ids == (referral.id,)
        assert board.figure("referrals_passed_on").value == 0

        # The supervisor's laptop and the service give the same quarter's pack, every figure.
        sue = _laptop(tmp_path, server, "sue")
        try:
            sync_once(sue)
            quarter = f"{sent.year}-Q{(sent.month - 1) // 3 + 1}"
            team = sue.db.query("SELECT team_id FROM people WHERE id = ?", (person.id,))[0][0]
            app = board_summary(sue.db, Period.parse_quarter(quarter), team_id=team).to_dict()
        finally:
            sue.close()
        service = _service_board(server, "sue", quarter)
        assert service["team_id"] == team
        assert service["measures"] == app["measures"] and service["fair_figures"] == app["fair_figures"]
        assert "mh_first_appointment" in {m["key"] for m in service["measures"]}
    finally:
        sam.close()
        tess.close()


def _service_board(server: ServerProcess, username: str, quarter: str) -> dict[str, Any]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        login = c.post(
            "/api/v1/auth/login", json={"username": username, "password": PASSWORD, "device_name": "report"}
        ).json()
        r = c.get(
            "/api/v1/reports/board",
            params={"team": login["team_id"], "quarter": quarter},
            headers={"Authorization": f"Bearer {login['device_token']}"},
        )
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.slow
def test_a_referral_from_a_school_follows_the_same_steps(tmp_path: Path, server: ServerProcess) -> None:
    sam = _laptop(tmp_path, server, "sam")
    tess = _laptop(tmp_path, server, "tess")
    try:
        kid = PeopleService(tess).add(YoungPerson(first_name="Leon", area="Highbury"))
        refs = ReferralService(tess)
        arrived = date.today() - timedelta(days=12)
        referral = refs.record_incoming(
            Referral(
                person_id=kid.id,
                from_source="school",
                from_name="Highbury Grove, head of year 9",
                received_on=arrived,
                reason="Excluded twice this term; seen with older boys after school",
                lawful_basis="public_task",
            )
        )
        assert referral.to_team_id == tess.team_id and referral.to_agency == "tys"
        sync_once(tess)
        assert referral.id in [v.referral.id for v in refs.inbox()]
        now = datetime.now(UTC)
        # Twelve days since it arrived (routine: 10): overdue until acknowledged.
        assert [v.referral.id for v in refs.overdue(as_of=now)] == [referral.id]
        week = IsoWeek.containing(datetime.combine(arrived, datetime.min.time()).date())
        figures = weekly_report(tess.db, week, now=now)
        assert figures.figure("referrals_received").ids == (referral.id,)
        assert referral.id not in figures.figure("referrals").ids  # received, not made

        refs.step(referral.id, ReferralAction.ACKNOWLEDGE)
        refs.step(referral.id, ReferralAction.ACCEPT, note="Meets the TYS threshold")
        sync_once(tess)
        assert refs.overdue(as_of=now) == []
        assert refs.get(referral.id).referral.status == ReferralStatus.ACCEPTED
        period = Period(arrived, date.today())
        assert board_summary(tess.db, period, now=now).figure("referral_decision_days").ids == (referral.id,)
        # Need-to-know: the detached team never receives it or the young person.
        sync_once(sam)
        assert sam.records.get(Referral, referral.id) is None and sam.records.get(YoungPerson, kid.id) is None
    finally:
        sam.close()
        tess.close()
