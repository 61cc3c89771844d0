"""GET /reports/board: the quarter's board pack from the service's records equals the app's from its store, every
figure, for the hand-counted quarter of tests/board_fixture.py pushed through sync (the laptop's store holds what the
supervisor's pull gives it, steps applied); supervisors of the team only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from board_fixture import QUARTER, board_records, further_measures_expected, further_measures_got
from server_helpers import World, change, pull_all, push

from youthwork.domain.codec import from_dict, to_dict
from youthwork.domain.figures.board import FEWER_THAN_5
from youthwork.domain.ids import new_id
from youthwork.domain.policy import POLICIES
from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral, ReferralEvent
from youthwork.domain.weeks import Period
from youthwork.reports.board import board_summary
from youthwork.store.profile import Profile


def _push(world: World, actor, recs) -> None:
    changes = [change(r.TABLE, r.id, {k: v for k, v in to_dict(r).items() if k != "id"}) for r in recs]
    results = push(world.client, actor, changes)
    assert [(c["table"], r["reason"]) for c, r in zip(changes, results, strict=True) if r["status"] != "applied"] == []


def test_service_board_pack_equals_the_apps(world: World, tmp_path: Path) -> None:
    worker, supervisor = world["worker"], world["supervisor"]
    team = worker.team_id
    ID, recs, supervisors = board_records(team, worker.user_id)
    _push(world, worker, recs)
    _push(world, supervisor, supervisors)
    # The supervisor's laptop holds what a pull gives it: the referrals as their steps left them (accepted, passed
    # on, the first appointment copied).
    pulled, _ = pull_all(world.client, supervisor)
    synced = [from_dict(POLICIES[table].cls, {**c["fields"], "id": rid}) for (table, rid), c in pulled.items()]
    assert {r.TABLE for r in synced} >= {r.TABLE for r in recs + supervisors}

    r = world.client.get("/api/v1/reports/board", params={"team": team, "quarter": QUARTER}, headers=supervisor.headers)
    assert r.status_code == 200, r.text
    server = r.json()
    profile, _ = Profile.create(tmp_path / "p", "correct horse battery")
    try:
        profile.records.bulk_insert(synced)
        app = board_summary(profile.db, Period.parse_quarter(QUARTER), team_id=team, now=datetime.now(UTC)).to_dict()
    finally:
        profile.close()
    assert server.keys() == app.keys()
    for part in ("measures", "fair_figures", "distance_travelled", "young_peoples_voice", "baseline"):
        assert server[part] == app[part], part

    # The measures from records beyond the pack's input, hand-counted in tests/board_fixture.py, on both.
    expected = further_measures_expected(ID)
    assert further_measures_got(server["measures"], expected) == expected
    assert further_measures_got(app["measures"], expected) == expected
    fair = {p["key"]: p for p in server["fair_figures"]}
    assert fair["reached"]["count"] == 6 and fair["reached"]["rate_per_1000"] == 1.5
    assert fair["referred"]["count"] == 3 and fair["rated_red"]["count"] == 2 and fair["good_outcome"]["count"] == 1
    assert {c["key"]: c["ratio"] for c in fair["reached"]["by_age_band"]} == {"14_15": 1.67, "16_17": 0.56}
    assert fair["third_nfa"]["count"] == 1 and fair["missing"]["count"] == 2

    shared = world.client.get(
        "/api/v1/reports/board",
        params={"team": team, "quarter": QUARTER, "suppress": "true"},
        headers=supervisor.headers,
    ).json()
    boys = next(c for c in shared["fair_figures"][0]["by_ethnicity_and_gender"] if c["key"] == "black_caribbean/male")
    assert boys["count"] == FEWER_THAN_5 and boys["ids"] == []


def test_board_pack_for_supervisors_of_the_team_only(world: World) -> None:
    team = world["worker"].team_id
    get = world.client.get
    params = {"team": team, "quarter": QUARTER}
    assert get("/api/v1/reports/board", params=params, headers=world["worker"].headers).status_code == 403
    assert get("/api/v1/reports/board", params=params, headers=world["admin"].headers).status_code == 403
    other = {"team": world["igt"].team_id, "quarter": QUARTER}
    assert get("/api/v1/reports/board", params=other, headers=world["supervisor"].headers).status_code == 403
    bad = get("/api/v1/reports/board", params={"team": team, "quarter": "summer"}, headers=world["supervisor"].headers)
    assert bad.status_code == 400 and "2026-Q3" in bad.json()["message"]
    assert get("/api/v1/reports/board", params=params).status_code == 401


def test_days_to_a_decision_count_the_receiving_teams_step(world: World, tmp_path: Path) -> None:
    """A referral to a team on the service is decided by that team: its step is the receiving team's record, and the
    sending team's pack counts it as the sending team's laptop does (the pull gives it the step)."""
    worker, supervisor, tys = world["worker"], world["supervisor"], world["tys"]
    team = worker.team_id
    person = YoungPerson(id=new_id(), team_id=team, first_name="Dee", gender="female", created_by=worker.user_id)
    referral = Referral(
        id=new_id(),
        team_id=team,
        person_id=person.id,
        to_agency="tys",
        to_team_id=tys.team_id,
        status="sent",
        sent_at=datetime(2026, 8, 1, 9, tzinfo=UTC),
        sent_by=worker.user_id,
        created_by=worker.user_id,
        reason="Worried about them",
        urgency="routine",
        lawful_basis="public_task",
    )
    _push(world, worker, [person, referral])
    accepted = ReferralEvent(
        id=new_id(),
        team_id=tys.team_id,
        referral_id=referral.id,
        action="accept",
        by_user_id=tys.user_id,
        at=datetime(2026, 8, 6, 9, tzinfo=UTC),
        created_by=tys.user_id,
    )
    _push(world, tys, [accepted])

    r = world.client.get("/api/v1/reports/board", params={"team": team, "quarter": QUARTER}, headers=supervisor.headers)
    assert r.status_code == 200, r.text
    server = {m["key"]: m for m in r.json()["measures"]}
    assert server["referral_decision_days"]["value"] == 5.0
    assert server["referral_decision_days"]["ids"] == [referral.id]

    pulled, _ = pull_all(world.client, supervisor)
    assert ("referral_events", accepted.id) in pulled
    profile, _ = Profile.create(tmp_path / "p", "correct horse battery")
    try:
        profile.records.bulk_insert(
            from_dict(POLICIES[table].cls, {**c["fields"], "id": rid}) for (table, rid), c in pulled.items()
        )
        app = board_summary(profile.db, Period.parse_quarter(QUARTER), team_id=team, now=datetime.now(UTC)).to_dict()
    finally:
        profile.close()
    assert r.json()["measures"] == app["measures"]
