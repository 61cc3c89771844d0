"""Peer groups on the service (SQLite and PostgreSQL), pushed by a hostile client: groups and memberships never
leave the owning team and partner staff have none of them; a group's pack reaches another team only by an explicit
share to a team that receives; a membership past its review date is erased on the service and refused back."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hostile_helpers import City, build_city, refused
from server_helpers import World, change, pull_all, push

from youthwork.domain.ids import new_id
from youthwork.server import schema as t

GROUP_TABLES = {"peer_groups", "group_memberships", "context_plans", "context_plan_versions"}


@pytest.fixture
def city(world: World) -> City:
    return build_city(world)


def _membership(group_id: str, person_id: str, role: str = "affected", **kw: Any) -> dict[str, Any]:
    today = date.today()
    return {
        "group_id": group_id,
        "person_id": person_id,
        "recorded_on": (today - timedelta(days=3)).isoformat(),
        "review_date": (today + timedelta(days=60)).isoformat(),
        "source": "seen at the cage",
        "confidence": "seen",
        "role": role,
        **kw,
    }


def _group_world(city: City) -> dict[str, str]:
    w = city.world
    ids = {k: new_id() for k in ("group", "m1", "m2", "plan", "version")}
    plan = {
        "group_id": ids["group"],
        "status": "agreed",
        "concern": "Older men drive up to the cage after dark",
        "partners": [{"name": "Brenchley Housing", "kind": "housing", "responsible_for": "the cage lighting"}],
        "actions": [{"action": "Fix the lights", "who": "Brenchley Housing", "by_when": "2027-01-15"}],
        "review_date": (date.today() + timedelta(days=30)).isoformat(),
        "current_version_id": ids["version"],
    }
    version = {k: v for k, v in plan.items() if k in ("concern", "partners", "actions", "review_date")}
    results = push(
        w.client,
        w["worker"],
        [
            change("peer_groups", ids["group"], {"label": "Thursday cage lot", "description": "Meet after school"}),
            change("group_memberships", ids["m1"], _membership(ids["group"], city.ids["a_person"], "affected")),
            change("group_memberships", ids["m2"], _membership(ids["group"], city.ids["a_other"], "causing_harm")),
            change("context_plans", ids["plan"], plan),
            change("context_plan_versions", ids["version"], {"plan_id": ids["plan"], "status": "agreed", **version}),
        ],
    )
    assert [r["reason"] for r in results if r["status"] != "applied"] == []
    return ids


def test_a_colleague_sees_the_group_and_no_one_outside_the_team_or_partner_staff_does(city: City) -> None:
    w = city.world
    ids = _group_world(city)
    for key in ("worker2", "supervisor"):
        seen, _ = pull_all(w.client, w[key])
        assert {tbl for tbl, rid in seen if rid in ids.values()} == GROUP_TABLES, key
        assert seen[("group_memberships", ids["m2"])]["fields"]["role"] == "causing_harm"
    for key in ("partner", "partner2", "b_worker", "b_supervisor", "tys", "igt"):
        seen, _ = pull_all(w.client, w[key])
        assert not {tbl for tbl, _rid in seen} & (GROUP_TABLES | {"group_shares"}), key


def test_partner_staff_and_other_teams_cannot_write_groups_or_memberships(city: City) -> None:
    w = city.world
    ids = _group_world(city)
    for key in ("partner", "partner2"):
        refused(w, key, [change("peer_groups", new_id(), {"label": "Kicks lot"})], "Your role can't")
        refused(w, key, [change("group_memberships", new_id(), _membership(ids["group"], city.ids["a_person"]))])
    # Another team can't add to A's group, nor link A's young person to a group of its own, nor change A's group.
    refused(w, "b_worker", [change("group_memberships", new_id(), _membership(ids["group"], city.ids["b_person"]))])
    b_group = new_id()
    (ok,) = push(w.client, w["b_worker"], [change("peer_groups", b_group, {"label": "Bus stop lot"})])
    assert ok["status"] == "applied", ok
    refused(w, "b_worker", [change("group_memberships", new_id(), _membership(b_group, city.ids["a_person"]))])
    refused(w, "b_worker", [change("peer_groups", ids["group"], {"label": "Renamed"}, base_version=1)], "another team")


def test_a_membership_must_say_its_role_and_a_group_is_never_called_a_gang(city: City) -> None:
    w = city.world
    ids = _group_world(city)
    refused(w, "worker", [change("peer_groups", new_id(), {"label": "Peckham Gang"})], "gang")
    refused(w, "worker", [change("group_memberships", new_id(), _membership(ids["group"], city.ids["a_person"], ""))])
    far = (date.today() + timedelta(days=400)).isoformat()
    refused(
        w,
        "worker",
        [change("group_memberships", new_id(), _membership(ids["group"], city.ids["a_person"], review_date=far))],
        "six months",
    )


def test_a_lapsed_membership_is_refused_and_erased_on_the_service(city: City) -> None:
    w = city.world
    ids = _group_world(city)
    gone = (date.today() - timedelta(days=1)).isoformat()
    old = (date.today() - timedelta(days=100)).isoformat()
    refused(
        w,
        "worker",
        [
            change(
                "group_memberships",
                new_id(),
                _membership(ids["group"], city.ids["a_person"], recorded_on=old, review_date=gone),
            )
        ],
        "lapsed",
    )
    _, cursor = pull_all(w.client, w["worker2"])
    # Time passes: m1's review date goes by on the service (its stored record, as six months on).
    with w.engine.connect() as conn, conn.begin():
        row = conn.execute(
            sa.select(t.records.c.data).where(
                t.records.c.table_name == "group_memberships", t.records.c.record_id == ids["m1"]
            )
        ).one()
        data = dict(row.data, recorded_on=old, review_date=gone, own_account="Quokka-own-words")
        conn.execute(
            t.records.update()
            .where(t.records.c.table_name == "group_memberships", t.records.c.record_id == ids["m1"])
            .values(data=data)
        )
    # Any push at all (here another team's) erases it on the service.
    push(w.client, w["b_worker"], [])
    with w.engine.connect() as conn:
        rec = conn.execute(
            sa.select(t.records).where(
                t.records.c.table_name == "group_memberships", t.records.c.record_id == ids["m1"]
            )
        ).one()
        assert rec.deleted and rec.data == {"id": ids["m1"], "team_id": w["worker"].team_id}
        dumped = " ".join(str(r) for r in conn.execute(sa.select(t.records.c.data)).all())
        assert "Quokka-own-words" not in dumped
    seen, _ = pull_all(w.client, w["worker2"], cursor)
    assert seen[("group_memberships", ids["m1"])]["op"] == "delete"
    assert ("group_memberships", ids["m2"]) not in seen  # the other one stands
    # A laptop that still had it can't bring it back.
    refused(w, "worker", [change("group_memberships", ids["m1"], {"source": "again"}, base_version=1)])


def test_a_pack_is_shared_only_explicitly_to_a_team_that_receives(city: City) -> None:
    w = city.world
    ids = _group_world(city)
    share = {"group_id": ids["group"], "reason": "Context conference", "pack_text": "Thursday cage lot: 2 young people"}
    refused(
        w, "worker", [change("group_shares", new_id(), {**share, "to_agency": "tys", "to_team_id": city.team("b")})]
    )
    refused(
        w, "worker", [change("group_shares", new_id(), {**share, "to_agency": "tys", "to_team_id": city.team("igt")})]
    )
    refused(
        w,
        "worker",
        [change("group_shares", new_id(), {**share, "to_agency": "kicks", "to_team_id": city.team("kicks")})],
    )
    refused(
        w, "b_worker", [change("group_shares", new_id(), {**share, "to_agency": "tys", "to_team_id": city.team("tys")})]
    )
    refused(
        w, "partner", [change("group_shares", new_id(), {**share, "to_agency": "tys", "to_team_id": city.team("tys")})]
    )
    sid = new_id()
    (ok,) = push(
        w.client,
        w["worker"],
        [change("group_shares", sid, {**share, "to_agency": "tys", "to_team_id": city.team("tys")})],
    )
    assert ok["status"] == "applied", ok
    seen, _ = pull_all(w.client, w["tys"])
    assert seen[("group_shares", sid)]["fields"]["pack_text"] == share["pack_text"]
    assert not {tbl for tbl, _rid in seen} & GROUP_TABLES  # the pack, never the group or who is in it
    for key in ("igt", "b_worker", "partner"):
        seen, _ = pull_all(w.client, w[key])
        assert ("group_shares", sid) not in seen, key
