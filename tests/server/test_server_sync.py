"""Push and pull: merge, conflicts, idempotency, tombstones, pages, versions and clocks, bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from server_helpers import World, change, envelope, pull_all, push, push_while_polling

from youthwork.domain.ids import new_id
from youthwork.server import admin
from youthwork.server import schema as t
from youthwork.server.auth import authenticate
from youthwork.server.pull import pull


def person(**fields):
    return {"first_name": "Jay", "known_as": "J", "area": "Peckham", **fields}


def count(world: World, table) -> int:
    with world.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_push_then_pull_round_trip(world: World) -> None:
    c = world.client
    pid = new_id()
    (res,) = push(c, world["worker"], [change("people", pid, person(rag="amber"))])
    assert res["status"] == "applied" and res["version"] == 1
    seen, _ = pull_all(c, world["worker2"])
    got = seen[("people", pid)]
    assert got["op"] == "upsert" and got["version"] == 1
    assert got["fields"]["first_name"] == "Jay" and got["fields"]["team_id"] == world.teams["detached"]
    assert got["fields"]["created_by"] == world["worker"].user_id


def test_resend_returns_stored_result_and_changes_nothing(world: World) -> None:
    c = world.client
    pid = new_id()
    batch = [change("people", pid, person()), change("nope", pid, {}), change("people", pid, {"known_as": "JJ"})]
    first = push(c, world["worker"], batch)
    logged = count(world, t.change_log)
    again = push(c, world["worker"], batch)
    assert again == first
    assert count(world, t.change_log) == logged
    seen, _ = pull_all(c, world["worker"])
    assert seen[("people", pid)]["version"] == 2


def test_ordinary_conflict_later_arrival_wins_and_loser_is_kept(world: World) -> None:
    c = world.client
    pid = new_id()
    push(c, world["worker"], [change("people", pid, person())])
    push(c, world["worker"], [change("people", pid, {"area": "Camberwell"}, base_version=1)])
    (res,) = push(c, world["worker2"], [change("people", pid, {"area": "Nunhead"}, base_version=1)])
    assert res["status"] == "conflict" and res["version"] == 3
    (conflict,) = res["conflicts"]
    assert conflict == {"field": "area", "server_value": "Camberwell", "incoming_value": "Nunhead", "kept": "incoming"}
    seen, _ = pull_all(c, world["worker"])
    assert seen[("people", pid)]["fields"]["area"] == "Nunhead"
    with world.engine.connect() as conn:
        row = conn.execute(sa.select(t.conflicts).where(t.conflicts.c.record_id == pid)).one()
    assert (row.server_value, row.kept, row.status) == ("Camberwell", "incoming", "kept")


def test_safety_critical_conflict_keeps_server_value_and_queues_incoming(world: World) -> None:
    c = world.client
    pid = new_id()
    push(c, world["worker"], [change("people", pid, person(rag="amber"))])
    push(c, world["supervisor"], [change("people", pid, {"rag": "red"}, base_version=1)])
    (res,) = push(c, world["worker2"], [change("people", pid, {"rag": "green", "area": "Nunhead"}, base_version=1)])
    assert res["status"] == "conflict"
    assert res["conflicts"] == [{"field": "rag", "server_value": "red", "incoming_value": "green", "kept": "server"}]
    seen, _ = pull_all(c, world["worker"])
    fields = seen[("people", pid)]["fields"]
    assert fields["rag"] == "red" and fields["area"] == "Nunhead"
    with world.engine.connect() as conn:
        row = conn.execute(sa.select(t.conflicts).where(t.conflicts.c.record_id == pid)).one()
    assert (row.incoming_value, row.status) == ("green", "review")


def test_no_conflict_for_untouched_fields_or_own_earlier_edit(world: World) -> None:
    c = world.client
    pid = new_id()
    push(c, world["worker"], [change("people", pid, person())])
    push(c, world["worker2"], [change("people", pid, {"area": "Nunhead"}, base_version=1)])
    (res,) = push(c, world["worker"], [change("people", pid, {"known_as": "Jaybird"}, base_version=1)])
    assert res["status"] == "applied"
    # A device's second edit, sent before it heard back about the first, doesn't conflict with itself.
    (res,) = push(c, world["worker"], [change("people", pid, {"known_as": "Jay-J"}, base_version=1)])
    assert res["status"] == "applied" and res["conflicts"] == []


def test_bad_change_is_rejected_alone(world: World) -> None:
    c = world.client
    good1, good2 = new_id(), new_id()
    results = push(
        c,
        world["worker"],
        [
            change("people", good1, person()),
            change("people", new_id(), person(shoe_size=9)),
            change("people", new_id(), person(estimated_age="fourteen")),
            change("people", new_id(), person(postcode="not a postcode")),
            change("people", "not-a-uuid", person()),
            change("people", new_id(), person(first_name="", known_as="")),
            change("people", new_id(), person(first_name="nul\x00")),
            change("unicorns", new_id(), {}),
            change("people", good2, person()),
        ],
    )
    statuses = [r["status"] for r in results]
    assert statuses == ["applied"] + ["rejected"] * 7 + ["applied"]
    reasons = [r["reason"] for r in results[1:-1]]
    assert "shoe_size" in reasons[0]
    assert "whole number" in reasons[1]
    assert "postcode" in reasons[2]
    assert "first name" in reasons[4]
    seen, _ = pull_all(c, world["worker"])
    people = {rid for (table, rid) in seen if table == "people"}
    assert {good1, good2} <= people and len(people) == 2


def test_append_only_records_refuse_updates_and_deletes(world: World) -> None:
    c = world.client
    pid, nid = new_id(), new_id()
    note = {"person_id": pid, "text": "Seen at the cage, seemed low.", "author_id": world["worker"].user_id}
    push(c, world["worker"], [change("people", pid, person()), change("case_notes", nid, note)])
    (same,) = push(c, world["worker"], [change("case_notes", nid, note)])
    assert same["status"] == "applied"  # re-sending the same facts is harmless
    (edit,) = push(c, world["worker"], [change("case_notes", nid, {"text": "rewritten"}, base_version=1)])
    assert edit["status"] == "rejected" and "can't be changed" in edit["reason"]
    (gone,) = push(c, world["worker"], [change("case_notes", nid, {}, op="delete", base_version=1)])
    assert gone["status"] == "rejected"


def test_delete_travels_as_tombstone_and_never_comes_back(world: World) -> None:
    c = world.client
    pid = new_id()
    push(c, world["worker"], [change("people", pid, person())])
    _, cursor = pull_all(c, world["worker2"])
    (res,) = push(c, world["worker"], [change("people", pid, {}, op="delete", base_version=1)])
    assert res["status"] == "applied" and res["version"] == 2
    seen, _ = pull_all(c, world["worker2"], cursor)
    assert seen[("people", pid)] == {"table": "people", "record_id": pid, "op": "delete", "fields": {}, "version": 2}
    (late,) = push(c, world["worker2"], [change("people", pid, {"area": "Brixton"}, base_version=1)])
    assert late["status"] == "rejected" and "deleted" in late["reason"]


def test_pages_follow_the_cursor_without_gaps(world: World) -> None:
    c = world.client
    ids = [new_id() for _ in range(25)]
    push(c, world["worker"], [change("people", pid, person()) for pid in ids])
    seen_in_pages: list[str] = []
    cursor = None
    while True:
        r = c.post("/api/v1/sync/pull", headers=world["worker"].headers, json=envelope(cursor=cursor, limit=7))
        body = r.json()
        seen_in_pages += [ch["record_id"] for ch in body["changes"]]
        assert len(body["changes"]) <= 7
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    assert seen_in_pages == ids  # commit order
    r = c.post("/api/v1/sync/pull", headers=world["worker"].headers, json=envelope(cursor=cursor))
    assert r.json()["changes"] == [] and r.json()["cursor"] == cursor


def test_versions_and_clock_are_checked(world: World) -> None:
    c, h = world.client, world["worker"].headers
    r = c.post("/api/v1/sync/pull", headers=h, json=envelope(protocol_version=0))
    assert r.status_code == 426 and r.json()["code"] == "client_too_old"
    r = c.post("/api/v1/sync/push", headers=h, json=envelope(schema_version=0, changes=[]))
    assert r.status_code == 426
    r = c.post("/api/v1/sync/pull", headers=h, json=envelope(protocol_version=99))
    assert r.status_code == 400 and r.json()["code"] == "server_too_old"
    ahead = (datetime.now(UTC) + timedelta(minutes=30)).isoformat()
    r = c.post(
        "/api/v1/sync/push", headers=h, json=envelope(device_time=ahead, changes=[change("people", new_id(), person())])
    )
    assert r.status_code == 400 and r.json()["code"] == "clock_ahead"
    behind = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    r = c.post("/api/v1/sync/pull", headers=h, json=envelope(device_time=behind))
    assert r.status_code == 200  # a slow clock is fine: the server's sequence decides
    r = c.post("/api/v1/sync/pull", headers=h, json=envelope(cursor="garbage"))
    assert r.status_code == 400 and r.json()["code"] == "bad_cursor"


def test_revoked_unknown_and_expired_credentials_get_401(world: World) -> None:
    c = world.client
    r = c.post("/api/v1/sync/pull", headers={"Authorization": "Bearer ywd_nonsense"}, json=envelope())
    assert r.status_code == 401 and r.json()["code"] == "invalid_token"
    r = c.post("/api/v1/sync/pull", json=envelope())
    assert r.status_code == 401 and r.json()["code"] == "not_signed_in"
    worker = world["worker"]
    with world.engine.connect() as conn, conn.begin():
        admin.revoke_device(conn, worker.device_id)
    r = c.post("/api/v1/sync/pull", headers=worker.headers, json=envelope())
    assert r.status_code == 401 and r.json()["code"] == "device_revoked"
    assert "withdrawn" in r.json()["message"]
    other = world["worker2"]
    with world.engine.connect() as conn, conn.begin():
        conn.execute(
            t.devices.update()
            .where(t.devices.c.id == other.device_id)
            .values(last_seen_at=datetime.now(UTC) - timedelta(days=365))
        )
    r = c.post("/api/v1/sync/pull", headers=other.headers, json=envelope())
    assert r.status_code == 401 and r.json()["code"] == "token_expired"


def test_device_marked_for_wipe_is_told_then_shut_out(world: World) -> None:
    c, worker = world.client, world["worker"]
    pid = new_id()
    with world.engine.connect() as conn, conn.begin():
        admin.wipe_device(conn, worker.device_id)
    r = c.post("/api/v1/sync/pull", headers=worker.headers, json=envelope())
    assert r.status_code == 200 and r.json()["wipe"] is True and r.json()["changes"] == []
    r = c.post("/api/v1/sync/push", headers=worker.headers, json=envelope(changes=[change("people", pid, person())]))
    assert r.status_code == 410 and r.json()["code"] == "wipe_required"
    r = c.post("/api/v1/devices/wipe-confirm", headers=worker.headers)
    assert r.status_code == 200 and r.json() == {"device_id": worker.device_id, "wiped": True}
    r = c.post("/api/v1/sync/pull", headers=worker.headers, json=envelope())
    assert r.status_code == 401
    r = c.post("/api/v1/devices/wipe-confirm", headers=world["worker2"].headers)
    assert r.status_code == 409
    with world.engine.connect() as conn:
        states = {d.id: d.state for d in admin.list_devices(conn)}
    assert states[worker.device_id] == "wiped"


def test_malformed_requests_are_4xx_with_error_body(world: World) -> None:
    c, h = world.client, {**world["worker"].headers, "Content-Type": "application/json"}
    before = (count(world, t.records), count(world, t.change_log), count(world, t.applied_changes))
    for body in (
        b"{not json",
        b"[]",
        b'{"protocol_version": "one"}',
        b"null",
        '{"x": "\udc80"}'.encode("utf-8", "surrogatepass"),
    ):
        r = c.post("/api/v1/sync/push", headers=h, content=body)
        assert 400 <= r.status_code < 500, (body, r.status_code)
        assert set(r.json()) == {"code", "message"}
    too_many = [change("people", new_id(), person()) for _ in range(501)]
    r = c.post("/api/v1/sync/push", headers=h, json=envelope(changes=too_many))
    assert r.status_code == 422
    r = c.post("/api/v1/sync/push", headers=h, content=b"x" * (9 * 1024 * 1024))
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    r = c.get("/api/v1/nowhere")
    assert r.status_code == 404 and r.json()["code"] == "not_found"

    def chunks():  # no Content-Length: the limit is enforced as the body streams in
        for _ in range(10):
            yield b"x" * (1024 * 1024)

    r = c.post("/api/v1/sync/push", headers=h, content=chunks())
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    # Nothing was written by any of them.
    assert (count(world, t.records), count(world, t.change_log), count(world, t.applied_changes)) == before


def test_login_rate_limit_and_wrong_password(world: World) -> None:
    c = world.client
    username = world["worker"].username
    for _ in range(5):
        r = c.post("/api/v1/auth/login", json={"username": username, "password": "wrong", "device_name": "x"})
        assert r.status_code == 401 and r.json()["code"] == "wrong_credentials"
    r = c.post("/api/v1/auth/login", json={"username": username, "password": "wrong", "device_name": "x"})
    assert r.status_code == 429 and "Wait" in r.json()["message"]
    r = c.post("/api/v1/auth/login", json={"username": "nobody-at-all", "password": "x", "device_name": "x"})
    assert r.status_code == 401 and r.json()["code"] == "wrong_credentials"
    with world.engine.connect() as conn:
        keys = conn.execute(sa.select(t.login_attempts.c.username_key)).scalars().all()
    assert username not in keys and all(len(k) == 64 for k in keys)  # hashed, never the username


def test_tokens_are_stored_hashed(world: World) -> None:
    with world.engine.connect() as conn:
        hashes = conn.execute(sa.select(t.devices.c.token_hash)).scalars().all()
    assert world["worker"].token not in hashes and len(hashes) >= len(world.actors)


def test_concurrent_pushes_all_land_and_a_polling_reader_misses_none(world: World, app: Any) -> None:
    """Both backends: devices pushing at once from several threads, a reader pulling all the while."""
    engine, settings = app.state.engine, app.state.settings
    callers = [authenticate(engine, settings, f"Bearer {world[k].token}") for k in ("worker", "worker2", "supervisor")]
    reader = callers[0]
    _, cursor, _ = pull(engine, reader, None, 5000)
    run = push_while_polling(engine, callers, reader, cursor, rounds=8, batch=4, page=7)
    sent, seen, errors = run.sent, run.seen, run.errors
    assert not errors, errors
    assert len(sent) == 3 * 8 * 4 and set(sent) <= seen
