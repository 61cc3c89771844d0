"""GET /reports/board: the quarter's board pack from the service's records equals the app's from its store, for the
hand-counted quarter of tests/board_fixture.py pushed through sync; supervisors of the team only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from board_fixture import QUARTER, board_records
from server_helpers import World, change, push

from youthwork.domain.codec import to_dict
from youthwork.domain.figures.board import FEWER_THAN_5
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
    _, recs, supervisors = board_records(team, worker.user_id)
    _push(world, worker, recs)
    _push(world, supervisor, supervisors)

    r = world.client.get("/api/v1/reports/board", params={"team": team, "quarter": QUARTER}, headers=supervisor.headers)
    assert r.status_code == 200, r.text
    server = r.json()
    profile, _ = Profile.create(tmp_path / "p", "correct horse battery")
    try:
        profile.records.bulk_insert(recs + supervisors)
        app = board_summary(profile.db, Period.parse_quarter(QUARTER), team_id=team, now=datetime.now(UTC)).to_dict()
    finally:
        profile.close()
    for part in ("measures", "fair_figures", "distance_travelled", "young_peoples_voice", "baseline"):
        assert server[part] == app[part], part
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
