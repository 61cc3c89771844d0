"""Privacy on the central service (SQLite and PostgreSQL): hidden fields never go over the wire to a role without the
right; an erasure pushed by a supervisor removes every record about the person from the server's rows and reaches
every team that had one; audit entries are accepted append-only and their chains verified."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from hostile_helpers import audit_chain
from server_helpers import World, change, envelope, pull_all, push

from youthwork.domain.codec import to_dict
from youthwork.domain.ids import new_id
from youthwork.domain.privacy import Erasure
from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral
from youthwork.server import cli as server_cli
from youthwork.server import schema as t
from youthwork.server.privacy import verify_audit

SECRETS = ("Zebrawood Court", "07700900111", "Quokkanote", "ZZ9 9ZZ")
OTHER = ("Xylophonic House", "Marmosetnote")


def _person(**kw: Any) -> dict[str, Any]:
    return {
        "first_name": "Jayden",
        "last_name": "Smith",
        "known_as": "Jay",
        "area": "Andover estate",
        "date_of_birth": "2010-03-04",
        "address": "12 Zebrawood Court",
        "postcode": "ZZ9 9ZZ",
        "phone": "07700900111",
        "ethnicity": "mixed_white_black_caribbean",
        "risk_indicators": ["weapon", "cse"],
        "nfa_count": 3,
        "send_ehcp": True,
        "looked_after": True,
        **kw,
    }


def _applied(results: list[dict[str, Any]]) -> None:
    assert all(r["status"] == "applied" for r in results), results


def _pull_text(world: World, key: str) -> str:
    r = world.client.post("/api/v1/sync/pull", headers=world[key].headers, json=envelope(cursor=None, limit=5000))
    assert r.status_code == 200, r.text
    assert not r.json()["has_more"]
    return r.text


def test_partner_never_receives_hidden_fields_on_the_wire(world: World) -> None:
    c = world.client
    pid, sid, aid, rid, nid = (new_id() for _ in range(5))
    # (other tests search the server's rows for the default address and phone, so this one uses others)
    _applied(push(c, world["worker"], [change("people", pid, _person(address="1 Elm Row", phone="", postcode=""))]))
    kicks = world.teams["kicks"]
    referral = {
        "person_id": pid,
        "to_agency": "st_giles",
        "to_team_id": kicks,
        "reason": "Football and mentoring",
        "risk_indicators": ["weapon"],
        "lawful_basis": "public_task",
        "shared_fields": ["last_name", "ethnicity", "send_ehcp", "looked_after"],
        "status": "sent",
    }
    nfa = {"person_id": pid, "notified_on": "2026-09-01", "offence_category": "weapon", "source": "police"}
    _applied(push(c, world["worker"], [change("referrals", rid, referral), change("nfa_notifications", nid, nfa)]))
    # Now the partner sees the young person (the minimum), it may put them on a register of its own.
    _applied(
        push(
            c,
            world["partner"],
            [
                change("sessions", sid, {"session_type": "kicks", "status": "draft", "area": "Andover estate"}),
                change("attendance", aid, {"session_id": sid, "person_id": pid}),
            ],
        )
    )

    wire = _pull_text(world, "partner")
    body = json.loads(wire)
    seen = {(ch["table"], ch["record_id"]) for ch in body["changes"]}
    assert ("people", pid) in seen and ("referrals", rid) in seen  # the partner does get the record...
    hidden = set(YoungPerson.restricted_fields()) | set(Referral.restricted_fields()) | {"offence_category"}
    for name in hidden:
        assert f'"{name}"' not in wire, name  # ...but no hidden field, not even by name
    for value in ('"mixed_white_black_caribbean"', '"weapon"', '"cse"'):
        assert value not in wire, value
    # Control: the same record to a worker of the owning team carries them.
    own = _pull_text(world, "supervisor")
    assert '"ethnicity"' in own and "mixed_white_black_caribbean" in own and '"weapon"' in own


def _rows_text(engine: sa.Engine) -> str:
    """Every row of every server table that holds record content, as text."""
    out = []
    with engine.connect() as conn:
        for table in (t.records, t.change_log, t.shares, t.conflicts, t.applied_changes):
            for row in conn.execute(sa.select(table)):
                out.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(out)


def _erasure(person_id: str, team: str, **kw: Any) -> dict[str, Any]:
    e = Erasure(team_id=team, person_id=person_id, reason="request", **kw)
    return to_dict(e)


def _erase(person_id: str, team: str, **kw: Any) -> dict[str, Any]:
    e = _erasure(person_id, team, **kw)
    return change("erasures", e["id"], e)


def test_erasure_is_carried_out_on_the_server(world: World) -> None:
    c = world.client
    team = world.teams["detached"]
    pid, other, note, onote, ref, sid, aid, consent = (new_id() for _ in range(8))
    _applied(
        push(
            c,
            world["worker"],
            [
                change("people", pid, _person()),
                change(
                    "people", other, _person(first_name="Jaydon", address="3 Xylophonic House", phone="", postcode="")
                ),
                change("case_notes", note, {"person_id": pid, "text": "Quokkanote: talked about Zebrawood Court"}),
                change("case_notes", onote, {"person_id": other, "text": "Marmosetnote"}),
                change(
                    "consent_events",
                    consent,
                    {"person_id": pid, "kind": "recorded", "lawful_basis": "public_task"},
                ),
            ],
        )
    )
    referral = {
        "person_id": pid,
        "to_agency": "tys",
        "to_team_id": world.teams["tys"],
        "reason": "Quokkanote risk",
        "lawful_basis": "public_task",
        "shared_fields": ["phone", "address"],
        "status": "sent",
    }
    _applied(push(c, world["worker"], [change("referrals", ref, referral)]))
    _applied(
        push(
            c,
            world["worker"],
            [
                change("sessions", sid, {"session_type": "detached", "status": "draft"}),
                change("attendance", aid, {"session_id": sid, "person_id": pid}),
            ],
        )
    )
    # Two workers edit the phone from the same version: the losing value is kept in conflicts.
    first = push(c, world["worker"], [change("people", pid, {"phone": "07700900222"}, base_version=1)])
    second = push(c, world["worker2"], [change("people", pid, {"phone": "07700900333"}, base_version=1)])
    assert second[0]["status"] == "conflict", (first, second)
    tys_before, tys_cursor = pull_all(c, world["tys"])
    assert ("people", pid) in tys_before

    erasure = _erasure(pid, team)
    refused = push(c, world["worker"], [change("erasures", erasure["id"], erasure)])
    assert refused[0]["status"] == "rejected" and "supervisor" in refused[0]["reason"]
    _applied(push(c, world["supervisor"], [change("erasures", erasure["id"], erasure)]))

    rows = _rows_text(world.engine)
    for secret in (*SECRETS, "07700900222", "07700900333"):
        assert secret not in rows, [line[:300] for line in rows.splitlines() if secret in line]
    for kept in OTHER:
        assert kept in rows, kept
    # The receiving team gets deletions and the tombstone; the owning team too.
    for key, cursor in (("tys", tys_cursor),):
        seen, _ = pull_all(c, world[key], cursor)
        assert seen[("people", pid)]["op"] == "delete", key
        assert seen[("erasures", erasure["id"])]["fields"]["person_id"] == pid, key
    seen, _ = pull_all(c, world["worker2"])
    for key in (("people", pid), ("case_notes", note), ("referrals", ref), ("consent_events", consent)):
        assert seen[key]["op"] == "delete", key
    assert seen[("people", other)]["op"] == "upsert"
    # Nothing about the person can come back.
    late = push(
        c,
        world["worker2"],
        [
            change("case_notes", new_id(), {"person_id": pid, "text": "written offline"}),
            change("people", pid, {"phone": "07700900444"}, base_version=3),
        ],
    )
    assert [r["status"] for r in late] == ["rejected", "rejected"]
    assert "erased" in late[0]["reason"]


def test_anonymisation_on_the_server_keeps_counts(world: World) -> None:
    c = world.client
    team = world.teams["detached"]
    pid, note, sid, aid = (new_id() for _ in range(4))
    _applied(
        push(
            c,
            world["worker"],
            [
                change("people", pid, _person()),
                change("case_notes", note, {"person_id": pid, "text": "Quokkanote"}),
                change("sessions", sid, {"session_type": "detached", "status": "draft"}),
                change("attendance", aid, {"session_id": sid, "person_id": pid}),
            ],
        )
    )
    _applied(push(c, world["supervisor"], [_erase(pid, team, mode="anonymise")]))
    seen, _ = pull_all(c, world["worker2"])
    person = seen[("people", pid)]["fields"]
    assert person["first_name"] == "" and person["known_as"] == "Anonymised" and person["phone"] == ""
    assert person["area"] == "Andover estate"
    assert seen[("attendance", aid)]["op"] == "upsert"
    assert seen[("case_notes", note)]["op"] == "delete"
    rows = _rows_text(world.engine)
    for secret in SECRETS:
        assert secret not in rows, secret


def test_legal_hold_stops_erasure_on_the_server(world: World) -> None:
    c = world.client
    team = world.teams["detached"]
    pid, hold = new_id(), new_id()
    _applied(
        push(
            c,
            world["worker"],
            [
                change("people", pid, _person()),
                change("legal_holds", hold, {"person_id": pid, "reason": "Court case 42", "placed_at": _now()}),
            ],
        )
    )
    refused = push(c, world["supervisor"], [_erase(pid, team)])
    assert refused[0]["status"] == "rejected" and "legal hold" in refused[0]["reason"]
    _applied(push(c, world["worker"], [change("legal_holds", hold, {"lifted_at": _now()}, base_version=1)]))
    _applied(push(c, world["supervisor"], [_erase(pid, team)]))


def _now() -> str:
    return datetime.now(UTC).isoformat()


def test_audit_entries_sync_append_only_and_chains_verify(world: World, database_url: str, capsys: Any) -> None:
    c = world.client
    team = world.teams["detached"]
    entries = audit_chain(team, world["worker"].user_id, 3)
    _applied(push(c, world["worker"], [change("audit_log", e["id"], e) for e in entries]))
    partner_entries = audit_chain(world.teams["kicks"], world["partner"].user_id, 1)
    _applied(push(c, world["partner"], [change("audit_log", e["id"], e) for e in partner_entries]))
    altered = dict(entries[1], action="exported")
    refused = push(c, world["worker"], [change("audit_log", altered["id"], altered)])
    assert refused[0]["status"] == "rejected"
    with world.engine.connect() as conn:
        assert verify_audit(conn, team) == []
    assert server_cli.main(["--database-url", database_url, "verify-audit", "--team", team]) == 0
    assert "whole" in capsys.readouterr().out
    seen, _ = pull_all(c, world["supervisor"])
    assert {e["id"] for e in entries} <= {rid for (tbl, rid) in seen if tbl == "audit_log"}
    seen, _ = pull_all(c, world["partner"])
    assert not {e["id"] for e in entries} & {rid for (tbl, rid) in seen if tbl == "audit_log"}
    # Someone with database access rewrites entry 2: the chain says so.
    with world.engine.connect() as conn, conn.begin():
        conn.execute(
            t.records.update()
            .where(t.records.c.table_name == "audit_log", t.records.c.record_id == entries[1]["id"])
            .values(data=altered)
        )
    with world.engine.connect() as conn:
        problems = verify_audit(conn, team)
    assert [p.seq for p in problems] == [2] and "altered" in problems[0].message
    assert server_cli.main(["--database-url", database_url, "verify-audit", "--team", team]) == 1
    captured = capsys.readouterr()
    assert "was altered" in captured.out and "tampered" in captured.err


def test_nothing_about_the_person_is_accepted_later_in_the_same_push(world: World) -> None:
    c = world.client
    pid = new_id()
    _applied(push(c, world["worker"], [change("people", pid, _person(address="", phone="", postcode=""))]))
    results = push(
        c,
        world["supervisor"],
        [
            _erase(pid, world.teams["detached"]),
            change("case_notes", new_id(), {"person_id": pid, "text": "after the erasure"}),
        ],
    )
    assert [r["status"] for r in results] == ["applied", "rejected"]
