"""Only a supervisor signs off or returns a session, and never one they worked: the server holds the rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server_helpers import World, change, pull_all, push

from youthwork.domain.ids import new_id


def _session(world: World, worker_key: str) -> dict:
    start = datetime.now(UTC) - timedelta(days=1)
    return {
        "session_type": "detached",
        "status": "submitted",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "area": "Peckham",
        "workers": [world[worker_key].user_id],
        "headcounts": {"male/14_15": 3},
    }


def test_a_worker_cannot_sign_off_but_a_supervisor_can(world: World) -> None:
    c = world.client
    sid = new_id()
    (made,) = push(c, world["worker"], [change("sessions", sid, _session(world, "worker"))])
    assert made["status"] == "applied"
    sign_off = {
        "status": "approved",
        "reviewed_by": world["worker2"].user_id,
        "reviewed_at": datetime.now(UTC).isoformat(),
    }

    (res,) = push(c, world["worker2"], [change("sessions", sid, sign_off, base_version=made["version"])])
    assert res["status"] == "rejected" and "Only a supervisor" in res["reason"]
    (res,) = push(c, world["worker2"], [change("sessions", sid, {"status": "returned"}, base_version=made["version"])])
    assert res["status"] == "rejected"

    sign_off["reviewed_by"] = world["supervisor"].user_id
    (res,) = push(c, world["supervisor"], [change("sessions", sid, sign_off, base_version=made["version"])])
    assert res["status"] == "applied"
    seen, _ = pull_all(c, world["worker"])
    assert seen[("sessions", sid)]["fields"]["status"] == "approved"


def test_a_supervisor_cannot_sign_off_a_session_they_worked(world: World) -> None:
    c = world.client
    sid = new_id()
    (made,) = push(c, world["supervisor"], [change("sessions", sid, _session(world, "supervisor"))])
    (res,) = push(
        c, world["supervisor"], [change("sessions", sid, {"status": "approved"}, base_version=made["version"])]
    )
    assert res["status"] == "rejected" and "another supervisor" in res["reason"]


def test_a_worker_may_still_amend_and_resubmit(world: World) -> None:
    c = world.client
    sid = new_id()
    (made,) = push(c, world["worker"], [change("sessions", sid, _session(world, "worker"))])
    amend = {"narrative": "Added what Jay said about the park.", "review_comment": "Amended after sign-off: detail"}
    (res,) = push(c, world["worker"], [change("sessions", sid, amend, base_version=made["version"])])
    assert res["status"] == "applied"


def test_team_users_lists_the_callers_own_team_only(world: World) -> None:
    """What a laptop's "who worked this session" list is filled from: ids and names of the caller's team."""
    r = world.client.get("/api/v1/team/users", headers=world["worker"].headers)
    assert r.status_code == 200, r.text
    users = r.json()["users"]
    ids = {u["id"] for u in users}
    assert {world["worker"].user_id, world["worker2"].user_id, world["supervisor"].user_id} <= ids
    assert world["igt"].user_id not in ids and world["tys"].user_id not in ids  # another team's staff: never
    assert all(set(u) == {"id", "name", "role"} for u in users)  # no usernames
    assert world.client.get("/api/v1/team/users").status_code == 401
