"""Accounts and devices through the public API with real device tokens: wipe-pending and revoked devices, idle
expiry, switched-off accounts, roles and passwords changed by the administrator, and login limits under concurrency.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from server_helpers import Actor, World, change, envelope, fresh_pg_database, pull_all, push

from youthwork.domain.ids import new_id
from youthwork.server import admin
from youthwork.server import schema as t

API = "/api/v1"
# The wipe handshake: how a device marked for wipe is told (pull says wipe, push says 410) and says it has wiped.
HANDSHAKE = {("POST", f"{API}/sync/pull"), ("POST", f"{API}/sync/push"), ("POST", f"{API}/devices/wipe-confirm")}
# Routes that take no device token at all.
OPEN = {("GET", f"{API}/health"), ("POST", f"{API}/auth/login")}


def table_counts(world: World) -> dict[str, int]:
    """Rows in every table of the service, and how many conflicts are settled: a refused call changes none."""
    with world.engine.connect() as conn:
        out = {
            tbl.name: conn.execute(sa.select(sa.func.count()).select_from(tbl)).scalar_one()
            for tbl in t.metadata.sorted_tables
        }
        out["conflicts settled"] = conn.execute(
            sa.select(sa.func.count()).select_from(t.conflicts).where(t.conflicts.c.resolved_at.is_not(None))
        ).scalar_one()
    return out


def routes(world: World) -> set[tuple[str, str]]:
    app = world.client.app
    return {(m.upper(), path) for path, ops in app.openapi()["paths"].items() for m in ops}  # type: ignore[attr-defined]


def team_scene(world: World) -> dict[str, Any]:
    """A conflict waiting for review on the detached team's list, and a referral sent to the TYS team."""
    c = world.client
    pid, rid = new_id(), new_id()
    push(c, world["worker"], [change("people", pid, {"first_name": "Jay", "rag": "amber"})])
    push(c, world["supervisor"], [change("people", pid, {"rag": "red"}, base_version=1)])
    (res,) = push(c, world["worker2"], [change("people", pid, {"rag": "green"}, base_version=1)])
    assert res["status"] == "conflict"
    referral = {
        "person_id": pid,
        "to_team_id": world.teams["tys"],
        "reason": "Missing episodes",
        "lawful_basis": "public_task",
        "status": "sent",
    }
    push(c, world["worker"], [change("referrals", rid, referral)])
    r = c.get(f"{API}/sync/conflicts", headers=world["supervisor"].headers)
    (conflict,) = [x for x in r.json()["conflicts"] if x["record_id"] == pid]
    return {"person": pid, "referral": rid, "conflict": conflict["id"]}


def call(world: World, scene: dict[str, Any], method: str, path: str, actor: Actor) -> Any:
    """Call a published route as `actor` with a request that would succeed for a device in good standing."""
    c, headers = world.client, actor.headers
    real = path.replace("{conflict_id}", str(scene["conflict"]))
    real = real.replace("{referral_id}", scene["referral"]).replace("{action}", "note")
    if path == f"{API}/sync/push":
        body: dict[str, Any] = envelope(changes=[change("people", new_id(), {"first_name": "A"})])
    elif path == f"{API}/sync/pull":
        body = envelope()
    elif path.endswith("/resolve"):
        body = {"chosen": "server"}
    elif path.startswith(f"{API}/referrals/{{"):
        body = {"note": "Seen at the youth club"}
    else:
        body = {}
    if method == "GET":
        params = {"team": actor.team_id, "week": "2026-W47"} if path.endswith("/weekly") else {}
        return c.get(real, headers=headers, params=params)
    return c.post(real, headers=headers, json=body)


def set_last_seen(world: World, actor: Actor, when: datetime) -> None:
    with world.engine.connect() as conn, conn.begin():
        conn.execute(t.devices.update().where(t.devices.c.id == actor.device_id).values(last_seen_at=when))


def last_seen(world: World, actor: Actor) -> datetime:
    with world.engine.connect() as conn:
        value = conn.execute(sa.select(t.devices.c.last_seen_at).where(t.devices.c.id == actor.device_id)).scalar_one()
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_a_device_marked_for_wipe_gets_nothing_but_the_wipe_handshake(world: World) -> None:
    scene = team_scene(world)
    # The same requests succeed for a device in good standing (so a 410 below is the wipe mark, not a bad request).
    for method, path in sorted(routes(world) - HANDSHAKE - OPEN):
        got = {key: call(world, scene, method, path, world[key]).status_code for key in ("supervisor", "tys")}
        assert 200 in got.values(), (path, got)
    scene = team_scene(world)  # a fresh, unsettled conflict
    wiping = [world.add_actor(f"wiping-{key}", *world_team_role(world, key)) for key in ("supervisor", "tys")]
    with world.engine.connect() as conn, conn.begin():
        for actor in wiping:
            admin.wipe_device(conn, actor.device_id)
    before = table_counts(world)
    checked = []
    for actor in wiping:
        for method, path in sorted(routes(world) - HANDSHAKE - OPEN):
            r = call(world, scene, method, path, actor)
            assert r.status_code == 410 and r.json()["code"] == "wipe_required", (actor.username, path, r.text)
            checked.append(path)
        r = call(world, scene, "POST", f"{API}/sync/push", actor)
        assert r.status_code == 410 and r.json()["code"] == "wipe_required"
        r = call(world, scene, "POST", f"{API}/sync/pull", actor)
        assert r.status_code == 200 and r.json()["wipe"] is True and r.json()["changes"] == []
    assert f"{API}/sync/conflicts" in checked and f"{API}/sync/conflicts/{{conflict_id}}/resolve" in checked
    assert table_counts(world) == before  # nothing resolved, noted or pushed
    for actor in wiping:
        r = world.client.post(f"{API}/devices/wipe-confirm", headers=actor.headers)
        assert r.status_code == 200 and r.json()["wiped"] is True


def world_team_role(world: World, key: str) -> tuple[str, str]:
    actor = world[key]
    team = next(name for name, team_id in world.teams.items() if team_id == actor.team_id)
    return team, actor.role


def test_revoke_after_wipe_ends_the_token(world: World) -> None:
    worker = world["worker"]
    with world.engine.connect() as conn, conn.begin():
        admin.wipe_device(conn, worker.device_id)
    r = world.client.post(f"{API}/sync/pull", headers=worker.headers, json=envelope())
    assert r.status_code == 200 and r.json()["wipe"] is True
    with world.engine.connect() as conn, conn.begin():
        assert admin.revoke_device(conn, worker.device_id) == "wipe pending"
    before = table_counts(world)
    for path in (f"{API}/sync/pull", f"{API}/sync/push", f"{API}/devices/wipe-confirm"):
        body = envelope(changes=[]) if path.endswith("push") else envelope()
        r = world.client.post(path, headers=worker.headers, json=body)
        assert r.status_code == 401 and r.json()["code"] == "device_revoked", path
    assert table_counts(world) == before
    with world.engine.connect() as conn:
        assert {d.id: d.state for d in admin.list_devices(conn)}[worker.device_id] == "revoked"
        # A revoked device can't be reached any more, so it can't be told to wipe: said plainly, nothing changed.
        try:
            admin.wipe_device(conn, worker.device_id)
        except admin.AdminError as e:
            assert "revoked" in str(e)
        else:
            raise AssertionError("wipe-device on a revoked device was accepted")


def test_calls_of_a_wipe_pending_or_revoked_device_do_not_keep_it_alive(world: World) -> None:
    c = world.client
    wiping, revoked, good = world["worker"], world["worker2"], world["supervisor"]
    long_ago = datetime.now(UTC) - timedelta(days=30)
    for actor in (wiping, revoked, good):
        set_last_seen(world, actor, long_ago)
    with world.engine.connect() as conn, conn.begin():
        admin.wipe_device(conn, wiping.device_id)
        admin.revoke_device(conn, revoked.device_id)
    for actor in (wiping, revoked, good):
        for _ in range(3):
            c.post(f"{API}/sync/pull", headers=actor.headers, json=envelope())
            c.get(f"{API}/sync/conflicts", headers=actor.headers)
    assert last_seen(world, wiping) == long_ago
    assert last_seen(world, revoked) == long_ago
    assert last_seen(world, good) > long_ago  # the control: a device in good standing is touched
    # Past the idle limit a device in good standing must sign in again; a lost laptop is still told to wipe.
    for actor in (wiping, good):
        set_last_seen(world, actor, datetime.now(UTC) - timedelta(days=365))
    r = c.post(f"{API}/sync/pull", headers=good.headers, json=envelope())
    assert r.status_code == 401 and r.json()["code"] == "token_expired"
    r = c.post(f"{API}/sync/pull", headers=wiping.headers, json=envelope())
    assert r.status_code == 200 and r.json()["wipe"] is True


def test_pull_still_works_for_devices_in_good_standing(world: World) -> None:
    pid = new_id()
    push(world.client, world["worker"], [change("people", pid, {"first_name": "Jo"})])
    seen, _ = pull_all(world.client, world["worker2"])
    assert ("people", pid) in seen


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_migration_frees_devices_marked_for_wipe_from_the_old_revocation(backend: str, tmp_path: Any) -> None:
    """Before 0002 a wipe also set revoked_at: such a device must still get its wipe instruction after the upgrade,
    and a device revoked by hand stays revoked. Old unkeyed login attempts are deleted."""
    from alembic import command

    from youthwork.server import db
    from youthwork.server.settings import Settings

    if backend == "sqlite":
        url, drop = f"sqlite:///{tmp_path / 'm.sqlite3'}", None
    else:
        url, drop = fresh_pg_database()
    engine = db.make_engine(Settings(database_url=url))
    try:
        with engine.connect() as conn:
            command.upgrade(db._alembic_config(conn), "0001")
            conn.commit()
        now = datetime.now(UTC)
        with engine.connect() as conn, conn.begin():
            team = admin.add_team(conn, "Migrated team", "detached")
            user = admin.add_user(conn, None, "mig", "Mig", "", "worker", team, password_hash="x")  # type: ignore[arg-type]
            for dev, wipe, revoked in (
                ("wiping", now, now),
                ("revoked", None, now),
                ("both", now, now - timedelta(days=1)),
            ):
                conn.execute(
                    t.devices.insert().values(
                        id=dev,
                        user_id=user,
                        name=dev,
                        token_hash=dev,
                        created_at=now,
                        last_seen_at=now,
                        wipe_requested_at=wipe,
                        revoked_at=revoked,
                    )
                )
            conn.execute(t.login_attempts.insert().values(username_key="k", address_key="a", success=False, at=now))
        db.migrate(engine)
        with engine.connect() as conn:
            states = {d.id: d.state for d in admin.list_devices(conn)}
            attempts = conn.execute(sa.select(sa.func.count()).select_from(t.login_attempts)).scalar_one()
        assert states == {"wiping": "wipe pending", "revoked": "revoked", "both": "revoked"}
        assert attempts == 0
    finally:
        engine.dispose()
        if drop:
            drop()
