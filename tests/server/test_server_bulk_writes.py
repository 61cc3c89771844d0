"""Set-based writes: a push writes each table with one statement (or one COPY), on both databases, on each side of
the size where PostgreSQL switches from a multi-row statement to COPY and a staging table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from server_helpers import World, change, pull_all, push

from youthwork.domain.ids import new_id
from youthwork.server import bulk
from youthwork.server import schema as t


def _person(i: int) -> dict[str, Any]:
    return {"first_name": f"Bulk{i}", "known_as": f"B{i}", "area": "Peckham"}


@pytest.mark.parametrize("n", [bulk.SMALL - 1, bulk.SMALL + 10])
def test_a_batch_of_new_records_then_of_edits_lands_whole(world: World, n: int) -> None:
    c, worker = world.client, world["worker"]
    ids = [new_id() for _ in range(n)]
    results = push(c, worker, [change("people", rid, _person(i)) for i, rid in enumerate(ids)])
    assert {r["status"] for r in results} == {"applied"} and {r["version"] for r in results} == {1}
    edits = [change("people", rid, {"area": f"Nunhead {i}"}, base_version=1) for i, rid in enumerate(ids)]
    results = push(c, worker, edits)
    assert {r["status"] for r in results} == {"applied"} and {r["version"] for r in results} == {2}
    seen, _ = pull_all(c, world["worker2"])
    for i, rid in enumerate(ids):
        got = seen[("people", rid)]
        assert got["version"] == 2 and got["fields"]["area"] == f"Nunhead {i}"
        assert got["fields"]["first_name"] == f"Bulk{i}"  # the edit kept the fields it didn't send
    # The per-field versions and devices were written too: another device's edit from version 1 of a field changed
    # at version 2 is a conflict, of one it left alone is not.
    late = push(c, world["worker2"], [change("people", ids[0], {"area": "Brixton", "known_as": "Bee"}, base_version=1)])
    assert [x["field"] for x in late[0]["conflicts"]] == ["area"]


@pytest.mark.parametrize("n", [3, bulk.SMALL + 10])
def test_bulk_update_and_upsert_write_every_row(world: World, n: int) -> None:
    now = datetime.now(UTC)
    team = world.teams["detached"]
    rows = [
        {
            "table_name": "bulk_test",
            "record_id": new_id(),
            "team_id": team,
            "version": 1,
            "deleted": False,
            "data": {"n": i, "text": "tab\tnewline\nback\\slash ü"},
            "field_versions": {"n": 1},
            "field_devices": {"n": "d"},
            "updated_at": now,
        }
        for i in range(n)
    ]
    shares = [
        {"table_name": "people", "record_id": r["record_id"], "team_id": team, "source": "s", "fields": ["a"]}
        | {"created_at": now}
        for r in rows
    ]
    with world.engine.connect() as conn, conn.begin():
        bulk.bulk_insert(conn, t.records, rows)
        bulk.bulk_update(conn, t.records, [dict(r, version=2, data={"n": -r["data"]["n"]}) for r in rows])
        bulk.bulk_upsert(conn, t.shares, shares[: n // 2])
        bulk.bulk_upsert(conn, t.shares, [dict(s, fields=["a", "b"]) for s in shares])  # some there, some new
    with world.engine.connect() as conn:
        got = {
            r.record_id: r
            for r in conn.execute(
                sa.select(t.records).where(t.records.c.table_name == "bulk_test", t.records.c.team_id == team)
            )
        }
        share_fields = {
            r.record_id: r.fields
            for r in conn.execute(sa.select(t.shares).where(t.shares.c.record_id.in_([r["record_id"] for r in rows])))
        }
    assert len(got) == n
    for i, r in enumerate(rows):
        assert got[r["record_id"]].version == 2 and got[r["record_id"]].data == {"n": -i}
        assert got[r["record_id"]].field_versions == {"n": 1}
        assert share_fields[r["record_id"]] == ["a", "b"]


def test_json_text_survives_both_encoders() -> None:
    """orjson where it can; the standard library for what orjson refuses, so nothing valid is turned away."""
    assert bulk.dumps({"a": "ü\t\n", "b": [1, 2.5, None, True]}) == '{"a":"ü\\t\\n","b":[1,2.5,null,true]}'
    assert bulk.loads(bulk.dumps({"big": 2**70})) == {"big": 2**70}
    assert bulk.loads(bulk.dumps({1: "x"})) == {"1": "x"}


def _devices(world: World, rid: str) -> tuple[dict[str, int], dict[str, str]]:
    with world.engine.connect() as conn:
        row = conn.execute(
            sa.select(t.records.c.field_versions, t.records.c.field_devices).where(t.records.c.record_id == rid)
        ).one()
    return dict(row.field_versions), dict(row.field_devices)


def test_field_devices_are_kept_by_version_and_the_older_form_by_field_still_reads(world: World) -> None:
    c, worker, worker2 = world.client, world["worker"], world["worker2"]
    rid = new_id()
    push(c, worker, [change("people", rid, _person(0))])
    push(c, worker, [change("people", rid, {"area": "Nunhead"}, base_version=1)])
    versions, devices = _devices(world, rid)
    # One entry per version a field carries (a new record of ~40 fields: one, not ~40).
    assert devices == {"1": worker.device_id, "2": worker.device_id} and versions["area"] == 2
    # A second edit from the same laptop before it pulled its first (from version 1 again) is no conflict.
    again = push(c, worker, [change("people", rid, {"area": "Camberwell"}, base_version=1)])
    assert again[0]["status"] == "applied" and again[0]["conflicts"] == [], again
    versions, devices = _devices(world, rid)
    assert devices == {"1": worker.device_id, "3": worker.device_id}
    # A record written before: its devices by field. The same device's later edit of a field it set is no conflict;
    # another device's is, of that field only.
    with world.engine.connect() as conn, conn.begin():
        conn.execute(
            t.records.update()
            .where(t.records.c.record_id == rid)
            .values(field_devices={name: worker.device_id for name in versions})
        )
    own = push(c, worker, [change("people", rid, {"area": "Peckham Rye"}, base_version=1)])
    assert own[0]["status"] == "applied", own
    other = push(c, worker2, [change("people", rid, {"area": "Brixton", "known_as": "Bee"}, base_version=1)])
    assert [x["field"] for x in other[0]["conflicts"]] == ["area"]
    versions, devices = _devices(world, rid)
    # Rewritten by version, and versions no field carries any more are gone.
    assert devices == {"1": worker.device_id, "5": worker2.device_id}
    assert set(devices) == {str(v) for v in versions.values()}
