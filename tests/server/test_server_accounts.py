"""Accounts and devices through the public API with real device tokens: wipe-pending and revoked devices, idle
expiry, switched-off accounts, roles and passwords changed by the administrator, and login limits under concurrency.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from server_helpers import PASSWORD, Actor, World, change, envelope, fresh_pg_database, login, pull_all, push

from youthwork.domain.ids import new_id
from youthwork.server import admin
from youthwork.server import schema as t
from youthwork.server.cli import main as cli_main
from youthwork.server.security import keyed_digest

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
        if path.endswith("/board"):
            params = {"team": actor.team_id, "quarter": "2026-Q3"}
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


def test_revoke_after_wipe_ends_the_token(
    world: World, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    worker = world["worker"]
    code, out, _ = run_cli(world, database_url, monkeypatch, capsys, "wipe-device", worker.device_id)
    assert code == 0 and "wipe itself at its next contact" in out
    r = world.client.post(f"{API}/sync/pull", headers=worker.headers, json=envelope())
    assert r.status_code == 200 and r.json()["wipe"] is True
    code, out, _ = run_cli(world, database_url, monkeypatch, capsys, "revoke-device", worker.device_id)
    assert code == 0 and out == (
        f"Device {worker.device_id} can no longer sync. It had not yet wiped itself, and now can't be told to.\n"
    )
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


def _attempts_of(world: World, username: str) -> list[Any]:
    gate = world.client.app.state.login_gate  # type: ignore[attr-defined]
    with world.engine.connect() as conn:
        return conn.execute(
            sa.select(t.login_attempts).where(t.login_attempts.c.username_key == gate.user_key(username))
        ).all()


def _concurrent_logins(world: World, username: str, password: str, n: int) -> list[int]:
    barrier = threading.Barrier(n)

    def one(_: int) -> int:
        barrier.wait()
        body = {"username": username, "password": password, "device_name": "laptop"}
        return world.client.post(f"{API}/auth/login", json=body).status_code

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


@pytest.mark.parametrize("who", ["known", "unknown"])
def test_twenty_concurrent_wrong_passwords_check_at_most_the_limit(world: World, who: str) -> None:
    limit = world.client.app.state.settings.login_max_failures  # type: ignore[attr-defined]
    username = world["worker"].username if who == "known" else f"nobody-{world.suffix}"
    devices_before = table_counts(world)["devices"]
    statuses = _concurrent_logins(world, username, "wrong password!", 20)
    checked = statuses.count(401)
    assert checked <= limit and statuses.count(429) == 20 - checked, statuses
    assert checked >= 1  # the first ones were checked
    failures = [a for a in _attempts_of(world, username) if not a.success]
    assert len(failures) == checked  # every checked password was counted, and nothing else
    # Now even the right password waits for the window to pass (and no device was enrolled meanwhile).
    r = world.client.post(
        f"{API}/auth/login", json={"username": username, "password": PASSWORD, "device_name": "laptop"}
    )
    assert r.status_code == 429 and r.json()["code"] == "too_many_attempts"
    assert table_counts(world)["devices"] == devices_before


def test_login_attempts_keep_only_keyed_hashes(world: World) -> None:
    username = world["worker2"].username
    world.client.post(f"{API}/auth/login", json={"username": username, "password": "nope nope", "device_name": "x"})
    rows = _attempts_of(world, username)
    assert [r.success for r in rows] == [True, False]  # the fixture's sign-in, then this one
    plain = {hashlib.sha256(v.encode()).hexdigest() for v in (username, username.lower(), "testclient")}
    with world.engine.connect() as conn:
        stored = conn.execute(sa.select(t.login_attempts.c.username_key, t.login_attempts.c.address_key)).all()
    assert not plain & {k for row in stored for k in row}
    secret = world.client.app.state.login_gate.secret  # type: ignore[attr-defined]
    assert rows[0].username_key == keyed_digest(secret, "username", username.lower())
    assert rows[0].address_key == keyed_digest(secret, "address", "testclient")
    assert keyed_digest(b"another secret" * 3, "username", username.lower()) != rows[0].username_key


def test_the_server_secret_is_made_once_owner_only_and_shared_by_processes_starting_at_once(tmp_path: Any) -> None:
    from youthwork.server.security import SecretError, server_secret
    from youthwork.server.settings import Settings

    path = tmp_path / "service" / "server-secret.key"
    settings = Settings(database_url="sqlite://", secret_key_file=str(path))
    with ThreadPoolExecutor(8) as pool:
        secrets_made = set(pool.map(lambda _: server_secret(settings), range(8)))
    assert len(secrets_made) == 1 and len(next(iter(secrets_made))) == 64
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["server-secret.key"]  # no temporary files left
    assert server_secret(settings) in secrets_made  # read again, not remade
    given = Settings(database_url="sqlite://", secret_key="s" * 40, secret_key_file=str(tmp_path / "unused"))
    assert server_secret(given) == b"s" * 40 and not (tmp_path / "unused").exists()
    with pytest.raises(SecretError, match="at least 32"):
        server_secret(Settings(database_url="sqlite://", secret_key="short", secret_key_file=str(path)))
    path.write_text("too short\n")
    with pytest.raises(SecretError, match="delete it"):
        server_secret(settings)


def _cli_env(world: World, password: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOUTHWORK_")}
    env["YOUTHWORK_SECRET_KEY"] = world.client.app.state.settings.secret_key  # type: ignore[attr-defined]
    env["YOUTHWORK_ARGON2_TIME_COST"], env["YOUTHWORK_ARGON2_MEMORY_KIB"] = "1", "1024"
    if password is not None:
        env["YOUTHWORK_PASSWORD"] = password
    return env


def server_cli(world: World, database_url: str, *args: str, password: str | None = None) -> Any:
    """`youthwork-server ARGS` as a real process on the module's database."""
    return subprocess.run(
        [sys.executable, "-m", "youthwork.server.cli", "--database-url", database_url, *args],
        env=_cli_env(world, password),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def run_cli(
    world: World, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any, *args: str, password: str = ""
) -> tuple[int, str, str]:
    """The same CLI in this process (quicker, same code path as the console script)."""
    for key, value in _cli_env(world, password or None).items():
        if key.startswith("YOUTHWORK_"):
            monkeypatch.setenv(key, value)
    if not password:
        monkeypatch.delenv("YOUTHWORK_PASSWORD", raising=False)
    code = cli_main(["--database-url", database_url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_switched_off_account_is_refused_on_every_device_at_once(world: World, database_url: str) -> None:
    c, first = world.client, world["worker"]
    second = login(c, first.username)  # the same worker on a second laptop
    for device in (first, second):
        assert c.post(f"{API}/sync/pull", headers=device.headers, json=envelope()).status_code == 200
    r = server_cli(world, database_url, "disable-user", first.username.upper())  # usernames ignore case
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        f"{first.username} is switched off: refused on all 2 of their device(s) from the next request. "
        f"`enable-user {first.username}` switches them back on.\n"
    )
    before = table_counts(world)
    for device in (first, second):
        for path, body in (
            (f"{API}/sync/pull", envelope()),
            (f"{API}/sync/push", envelope(changes=[change("people", new_id(), {"first_name": "A"})])),
        ):
            r = c.post(path, headers=device.headers, json=body)
            assert r.status_code == 401 and r.json()["code"] == "account_disabled", (path, r.text)
        r = c.get(f"{API}/sync/conflicts", headers=device.headers)
        assert r.status_code == 401
    r = c.post(f"{API}/auth/login", json={"username": first.username, "password": PASSWORD, "device_name": "x"})
    assert r.status_code == 401
    after = table_counts(world)
    assert after["login_attempts"] == before["login_attempts"] + 1
    assert {k: v for k, v in after.items() if k != "login_attempts"} == {
        k: v for k, v in before.items() if k != "login_attempts"
    }
    r = server_cli(world, database_url, "disable-user", first.username)
    assert r.returncode == 0 and "already switched off" in r.stdout
    listed = [
        line for line in server_cli(world, database_url, "list-devices").stdout.splitlines() if first.username in line
    ]
    assert len(listed) == 2 and all("account off" in line for line in listed)
    r = server_cli(world, database_url, "enable-user", first.user_id)  # a user id works too
    assert r.returncode == 0 and "switched on again" in r.stdout and "2 device(s)" in r.stdout
    for device in (first, second):
        assert c.post(f"{API}/sync/pull", headers=device.headers, json=envelope()).status_code == 200
    r = server_cli(world, database_url, "disable-user", "no-such-user")
    assert r.returncode == 1 and r.stderr == "error: There is no user called 'no-such-user'.\n"


def test_set_role_takes_effect_on_the_next_request(
    world: World, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    c, worker = world.client, world["worker2"]
    params = {"team": worker.team_id, "week": "2026-W47"}
    assert c.get(f"{API}/reports/weekly", headers=worker.headers, params=params).status_code == 403
    code, out, _ = run_cli(world, database_url, monkeypatch, capsys, "set-role", worker.username, "supervisor")
    assert (
        code == 0
        and out == f"{worker.username} is now supervisor (was worker), on all their devices from the next request.\n"
    )
    assert c.get(f"{API}/reports/weekly", headers=worker.headers, params=params).status_code == 200
    code, out, _ = run_cli(world, database_url, monkeypatch, capsys, "set-role", worker.username, "admin")
    assert code == 0
    r = c.post(f"{API}/sync/pull", headers=worker.headers, json=envelope())
    assert r.status_code == 403 and r.json()["code"] == "role_cannot_sync"
    assert c.get(f"{API}/reports/weekly", headers=worker.headers, params=params).status_code == 403
    before = table_counts(world)
    code, _, err = run_cli(world, database_url, monkeypatch, capsys, "set-role", worker.username, "partner")
    assert code == 1 and err == "error: Partner staff must belong to a partner team.\n"
    code, _, err = run_cli(world, database_url, monkeypatch, capsys, "set-role", world["partner"].username, "worker")
    assert code == 1 and "partner role" in err
    assert table_counts(world) == before
    code, out, _ = run_cli(world, database_url, monkeypatch, capsys, "set-role", worker.username, "admin")
    assert code == 0 and "already admin: nothing changed" in out


def test_reset_password_lets_a_locked_out_user_in_and_can_end_their_devices(
    world: World, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    c, sup = world.client, world["supervisor"]
    limit = c.app.state.settings.login_max_failures  # type: ignore[attr-defined]
    wrong = {"username": sup.username, "password": "not it at all", "device_name": "x"}
    assert [c.post(f"{API}/auth/login", json=wrong).status_code for _ in range(limit + 1)][-1] == 429
    code, _, err = run_cli(world, database_url, monkeypatch, capsys, "reset-password", sup.username, password="short")
    assert code == 1 and "at least 10" in err
    new = "a brand new passphrase"
    code, out, _ = run_cli(world, database_url, monkeypatch, capsys, "reset-password", sup.username, password=new)
    assert code == 0 and out == f"{sup.username} has a new password; failed sign-ins so far are forgotten.\n"
    old = {"username": sup.username, "password": PASSWORD, "device_name": "x"}
    assert c.post(f"{API}/auth/login", json=old).status_code == 401
    assert c.post(f"{API}/auth/login", json={**old, "password": new}).status_code == 200
    assert c.post(f"{API}/sync/pull", headers=sup.headers, json=envelope()).status_code == 200  # devices kept
    code, out, _ = run_cli(
        world, database_url, monkeypatch, capsys, "reset-password", sup.username, "--revoke-devices", password=new
    )
    assert code == 0 and "Every device of theirs must sign in again." in out
    r = c.post(f"{API}/sync/pull", headers=sup.headers, json=envelope())
    assert r.status_code == 401 and r.json()["code"] == "device_revoked"
