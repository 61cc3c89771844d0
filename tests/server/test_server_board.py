"""GET /reports/board: the quarter's board pack from the service's records equals the app's from its store, every
figure, for the hand-counted quarter of tests/board_fixture.py pushed through sync (the laptop's store holds what the
supervisor's pull gives it, steps applied); supervisors of the team only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from board_fixture import QUARTER, board_records
from server_helpers import World, change, pull_all, push

from youthwork.domain.codec import from_dict, to_dict
from youthwork.domain.figures.board import FEWER_THAN_5
from youthwork.domain.policy import POLICIES
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
    for pack in (server, app):
        got = {m["key"]: m for m in pack["measures"]}

        def ids(key: str, got: dict = got) -> set[str]:
            return set(got[key]["ids"])

        def named(*keys: str) -> set[str]:
            return {ID[k] for k in keys}

        assert ids("turned_18") == named("H", "J", "K") and ids("transition_before_18") == named("H")
        assert (
            ids("neet_at_start") == named("D") and ids("neet_at_end") == set() and ids("no_longer_neet") == named("D")
        )
        assert ids("employment_at_end") == ids("became_employment") == named("D")
        assert ids("looked_after_at_end") == ids("became_looked_after") == named("A")
        assert ids("excluded_at_start") == ids("excluded_at_end") == named("H") and ids("became_excluded") == set()
        assert ids("siblings_of_offending") == named("E", "M")
        assert ids("mh_first_appointment") == named("P") and ids("mh_first_appointment_later") == named("Q")
        assert got["mh_waiting"]["value"] == 0
        decided = got["referral_decision_days"]
        assert decided["value"] == 11.0 and set(decided["ids"]) == named("R6", "R7", "R8")
        assert ids("referrals_passed_on") == named("R8")
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
