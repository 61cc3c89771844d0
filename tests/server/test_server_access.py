"""Every endpoint with every role: who may do what, and who sees which records and fields."""

from __future__ import annotations

from typing import Any

import pytest
from server_helpers import ACTORS, PASSWORD, World, change, envelope, pull_all, push

from youthwork.domain.ids import new_id
from youthwork.domain.protocol import MAX_ID
from youthwork.domain.records import MINIMUM_PERSON_FIELDS

ROLES = list(ACTORS)  # worker, worker2, supervisor (detached TYS team), igt, tys (receiving), partner, admin


def _routes(app: Any) -> set[tuple[str, str]]:
    """Every operation the service publishes, from its OpenAPI schema, plus the schema itself."""
    out = {("GET", "/api/v1/openapi.json")}
    for path, operations in app.openapi()["paths"].items():
        out |= {(method.upper(), path) for method in operations}
    return out


@pytest.fixture
def scene(world: World) -> dict[str, str]:
    """A young person and a sent referral from the detached team to the TYS team; an IGT person; a partner session."""
    c = world.client
    keys = ("person", "referral", "igt_person", "igt_note", "session", "attendance", "note", "new_face")
    ids = {k: new_id() for k in keys}
    push(
        c,
        world["worker"],
        [
            change("people", ids["person"], {"first_name": "Jay", "last_name": "O", "ethnicity": "black_african"}),
            change("case_notes", ids["note"], {"person_id": ids["person"], "text": "Seen near the shops."}),
            change(
                "referrals",
                ids["referral"],
                {
                    "person_id": ids["person"],
                    "to_team_id": world.teams["tys"],
                    "reason": "Missing episodes",
                    "lawful_basis": "public_task",
                    "status": "sent",
                },
            ),
        ],
    )
    push(
        c,
        world["igt"],
        [
            change("people", ids["igt_person"], {"first_name": "Kay", "risk_indicators": ["gang"]}),
            change(
                "case_notes", ids["igt_note"], {"person_id": ids["igt_person"], "text": "Intel", "restricted": True}
            ),
        ],
    )
    push(
        c,
        world["partner"],
        [
            change("sessions", ids["session"], {"session_type": "kicks", "area": "Peckham"}),
            # A register names only someone the team already sees: here a new face the coach quick-added.
            change("people", ids["new_face"], {"first_name": "Dee", "area": "Peckham", "estimated_age": 14}),
            change("attendance", ids["attendance"], {"session_id": ids["session"], "person_id": ids["new_face"]}),
        ],
    )
    return ids


# Expected status per role for each endpoint. "inbox step" acts on the detached team's referral to TYS.
EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("GET", "/api/v1/health"): dict.fromkeys(ROLES, 200),
    ("GET", "/api/v1/openapi.json"): dict.fromkeys(ROLES, 200),
    ("POST", "/api/v1/auth/login"): dict.fromkeys(ROLES, 200),
    ("POST", "/api/v1/sync/push"): {**dict.fromkeys(ROLES, 200), "admin": 403},
    ("POST", "/api/v1/sync/pull"): {**dict.fromkeys(ROLES, 200), "admin": 403},
    ("POST", "/api/v1/devices/wipe-confirm"): dict.fromkeys(ROLES, 409),
    ("GET", "/api/v1/referrals/inbox"): {**dict.fromkeys(ROLES, 200), "partner": 403, "admin": 403},
    ("GET", "/api/v1/referrals/teams"): {**dict.fromkeys(ROLES, 200), "admin": 403},
    ("GET", "/api/v1/team/users"): {**dict.fromkeys(ROLES, 200), "admin": 403},
    ("GET", "/api/v1/team/others"): {**dict.fromkeys(ROLES, 200), "admin": 403},
    ("GET", "/api/v1/sync/conflicts"): {**dict.fromkeys(ROLES, 200), "admin": 403},
    ("POST", "/api/v1/sync/conflicts/{conflict_id}/resolve"): {**dict.fromkeys(ROLES, 404), "admin": 403},
    ("GET", "/api/v1/reports/weekly"): {**dict.fromkeys(ROLES, 403), "supervisor": 200},
    ("GET", "/api/v1/reports/board"): {**dict.fromkeys(ROLES, 403), "supervisor": 200},
    ("POST", "/api/v1/referrals/{referral_id}/{action}"): {
        **dict.fromkeys(ROLES, 404),  # not in their inbox
        "tys": 200,
        "partner": 403,
        "admin": 403,
    },
}
NO_TOKEN = {
    ("GET", "/api/v1/health"): 200,
    ("GET", "/api/v1/openapi.json"): 200,
    ("POST", "/api/v1/auth/login"): 401,  # wrong password
}


def _call(world: World, scene: dict[str, str], method: str, path: str, key: str | None) -> int:
    c = world.client
    headers = world[key].headers if key else {}
    if path == "/api/v1/auth/login":
        username = world[key].username if key else "nobody"
        body = {"username": username, "password": PASSWORD if key else "wrong-password", "device_name": "laptop"}
        return c.post(path, json=body).status_code
    if path == "/api/v1/sync/push":
        pid = new_id()
        return c.post(
            path, headers=headers, json=envelope(changes=[change("people", pid, {"first_name": "A"})])
        ).status_code
    if path == "/api/v1/sync/pull":
        return c.post(path, headers=headers, json=envelope()).status_code
    if path == "/api/v1/referrals/{referral_id}/{action}":
        real = f"/api/v1/referrals/{scene['referral']}/note"
        return c.post(real, headers=headers, json={"note": "Seen"}).status_code
    if path == "/api/v1/sync/conflicts/{conflict_id}/resolve":
        return c.post(
            f"/api/v1/sync/conflicts/{MAX_ID}/resolve", headers=headers, json={"chosen": "server"}
        ).status_code
    if path == "/api/v1/reports/weekly":
        params = {"team": world.teams["detached"], "week": "2026-W47"}
        return c.get(path, headers=headers, params=params).status_code
    if path == "/api/v1/reports/board":
        params = {"team": world.teams["detached"], "quarter": "2026-Q3"}
        return c.get(path, headers=headers, params=params).status_code
    if method == "GET":
        return c.get(path, headers=headers).status_code
    return c.post(path, headers=headers).status_code


def test_every_endpoint_with_every_role(world: World, scene: dict[str, str], app: Any) -> None:
    published = _routes(app)
    assert not published - set(EXPECTED), "a route was added: add it to the access matrix"
    failures = []
    for (method, path), by_role in EXPECTED.items():
        if (method, path) not in published:
            continue
        for key in ROLES:
            got = _call(world, scene, method, path, key)
            if got != by_role[key]:
                failures.append(f"{key} {method} {path}: {got} (expected {by_role[key]})")
        got = _call(world, scene, method, path, None)
        if got != NO_TOKEN.get((method, path), 401):
            failures.append(f"no token {method} {path}: {got}")
    assert not failures, "\n".join(failures)


# Who sees which record after a full pull: role -> set of scene keys visible.
VISIBLE = {
    "worker": {"person", "note", "referral"},
    "supervisor": {"person", "note", "referral"},
    "igt": {"igt_person", "igt_note"},
    "tys": {"person", "referral"},
    "partner": {"new_face", "session", "attendance"},
}


def test_what_each_role_sees(world: World, scene: dict[str, str]) -> None:
    by_id = {v: k for k, v in scene.items()}
    for key, expected in VISIBLE.items():
        seen, _ = pull_all(world.client, world[key])
        visible = {by_id[rid] for (_table, rid) in seen if rid in by_id}
        assert visible == expected, key
        person = seen.get(("people", scene["person"]), {}).get("fields", {})
        if key in ("worker", "supervisor"):
            assert person["ethnicity"] == "black_african" and person["last_name"] == "O"
        elif key == "tys":
            assert "ethnicity" not in person and "last_name" not in person and person["first_name"] == "Jay"
        elif key == "partner":
            assert set(seen[("people", scene["new_face"])]["fields"]) == {*MINIMUM_PERSON_FIELDS, "age_band"}
