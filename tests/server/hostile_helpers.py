"""A small city for hostile-client tests: two detached teams (A, B), TYS, the IGT and a partner (Kicks), every role,
and what each team legitimately holds (people, notes, a session, a referral A -> TYS, an IGT person and intelligence).

`Snapshot` counts (and fingerprints) every table a push can write, so a test can show that a refused attack wrote
nothing. Stored push results (applied_changes) are left out: a refused change's answer is kept so a resend is harmless.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from server_helpers import World, change, push

from youthwork.domain.codec import to_dict
from youthwork.domain.ids import new_id
from youthwork.domain.privacy import GENESIS_HASH, AuditEntry, audit_hash
from youthwork.domain.vocab import Role, TeamKind
from youthwork.server import admin
from youthwork.server import schema as t

WRITTEN_TABLES = (t.records, t.change_log, t.shares, t.conflicts, t.audit_chains)

# key -> (team, role), besides the world's own actors (worker, worker2, supervisor of A; igt; tys; partner; admin).
MORE_ACTORS: dict[str, tuple[str, str]] = {
    "b_worker": ("b", Role.WORKER),
    "b_supervisor": ("b", Role.SUPERVISOR),
    "igt_supervisor": ("igt", Role.SUPERVISOR),
    "tys_supervisor": ("tys", Role.SUPERVISOR),
    "partner2": ("kicks", Role.PARTNER),
}
# Every syncing actor, by team: A is "detached".
ATTACKERS = ("worker", "supervisor", "b_worker", "b_supervisor", "igt", "igt_supervisor", "tys", "partner")


def full_person(**kw: Any) -> dict[str, Any]:
    return {
        "first_name": "Jay",
        "last_name": "Okafor",
        "known_as": "JJ",
        "area": "Peckham",
        "date_of_birth": "2010-05-01",
        "address": "1 Acorn Estate",
        "postcode": "SE15 1AA",
        "phone": "07700900123",
        "nhs_number": "943 476 5919",
        "ni_number": "AB 12 34 56 C",
        "ethnicity": "black_african",
        "risk_indicators": ["cce", "missing"],
        "nfa_count": 2,
        "looked_after": True,
        "education_status": "excluded",
        "rag": "red",
        **kw,
    }


def referral(person_id: str, to_team: str, agency: str = "tys", **kw: Any) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "to_agency": agency,
        "to_team_id": to_team,
        "reason": "Going missing, older peers picking him up from the estate.",
        "risk_indicators": ["cce"],
        "urgency": "urgent",
        "lawful_basis": "public_task",
        "shared_fields": ["last_name"],
        "status": "sent",
        **kw,
    }


def session(**kw: Any) -> dict[str, Any]:
    start = datetime.now(UTC) - timedelta(days=1)
    return {
        "session_type": "detached",
        "status": "draft",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "area": "Peckham",
        **kw,
    }


def audit_chain(team: str, user: str, n: int, device: str | None = None, start: int = 1, prev: str = GENESIS_HASH):
    device = device or new_id()
    entries = []
    for seq in range(start, start + n):
        e = AuditEntry(
            team_id=team,
            created_by=user,
            device=device,
            seq=seq,
            user_id=user,
            action="viewed",
            table_name="people",
            record_id=new_id(),
            prev_hash=prev,
        )
        e.hash = audit_hash(to_dict(e))
        prev = e.hash
        entries.append(to_dict(e))
    return entries


@dataclass
class City:
    world: World
    ids: dict[str, str]

    def __getitem__(self, key: str) -> Any:
        return self.world[key]

    def team(self, key: str) -> str:
        return self.world.teams[key]


def build_city(world: World) -> City:
    with world.engine.connect() as conn, conn.begin():
        world.teams["b"] = admin.add_team(conn, f"b-{world.suffix}", TeamKind.DETACHED)
    for key, (team, role) in MORE_ACTORS.items():
        world.add_actor(key, team, role)
    ids = {
        k: new_id()
        for k in (
            "a_person",
            "a_other",
            "a_note",
            "a_session",
            "a_attendance",
            "a_referral",
            "a_plan",
            "a_share",
            "b_person",
            "b_session",
            "igt_person",
            "igt_note",
            "igt_ref_person",
            "igt_referral",
            "partner_person",
            "partner_session",
        )
    }
    c, tys, igt = world.client, world.teams["tys"], world.teams["igt"]
    contacts = [{"name": "Childline", "number": "0800 1111", "when": "any time"}]
    results = push(
        c,
        world["worker"],
        [
            change("people", ids["a_person"], full_person()),
            change("people", ids["a_other"], full_person(first_name="Kai")),
            change("case_notes", ids["a_note"], {"person_id": ids["a_person"], "text": "Seen near the shops."}),
            change("sessions", ids["a_session"], session()),
            change("attendance", ids["a_attendance"], {"session_id": ids["a_session"], "person_id": ids["a_person"]}),
            change("referrals", ids["a_referral"], referral(ids["a_person"], tys)),
            change(
                "share_records",
                ids["a_share"],
                {
                    "person_id": ids["a_person"],
                    "referral_id": ids["a_referral"],
                    "with_agency": "tys",
                    "with_team_id": tys,
                    "shared_fields": ["first_name", "last_name"],
                    "lawful_basis": "public_task",
                },
            ),
            change(
                "safety_plans",
                ids["a_plan"],
                {"person_id": ids["a_person"], "status": "draft", "contacts": contacts},
            ),
            # A second referral, to the IGT, so the IGT legitimately sees the person and holds intelligence about them.
            change("people", ids["igt_ref_person"], full_person(first_name="Dre")),
            change(
                "referrals", ids["igt_referral"], referral(ids["igt_ref_person"], igt, agency="igt", shared_fields=[])
            ),
        ],
    )
    assert [r["reason"] for r in results if r["status"] != "applied"] == []
    results = push(
        c,
        world["igt"],
        [
            change("people", ids["igt_person"], full_person(first_name="Kay")),
            change(
                "case_notes",
                ids["igt_note"],
                {"person_id": ids["igt_ref_person"], "text": "Intel: linked to a county line.", "restricted": True},
            ),
        ],
    )
    assert [r["reason"] for r in results if r["status"] != "applied"] == []
    results = push(
        c,
        world["b_worker"],
        [
            change("people", ids["b_person"], full_person(first_name="Bo")),
            change("sessions", ids["b_session"], session()),
        ],
    )
    assert [r["reason"] for r in results if r["status"] != "applied"] == []
    results = push(
        c,
        world["partner"],
        [
            change("people", ids["partner_person"], {"first_name": "Dee", "area": "Peckham", "estimated_age": 14}),
            change("sessions", ids["partner_session"], session(session_type="kicks")),
        ],
    )
    assert [r["reason"] for r in results if r["status"] != "applied"] == []
    return City(world, ids)


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    digest: str

    @classmethod
    def take(cls, engine: sa.Engine) -> Snapshot:
        counts, h = {}, hashlib.sha256()
        with engine.connect() as conn:
            for table in WRITTEN_TABLES:
                rows = conn.execute(sa.select(table)).all()
                counts[table.name] = len(rows)
                for row in sorted(json.dumps([str(v) for v in row]) for row in rows):
                    h.update(row.encode())
        return cls(counts, h.hexdigest())


def refused(world: World, actor_key: str, changes: list[dict[str, Any]], *words: str) -> list[dict[str, Any]]:
    """Push as `actor_key`; every change must be rejected (with these words in its reason) and nothing written."""
    before = Snapshot.take(world.engine)
    results = push(world.client, world[actor_key], changes)
    for r in results:
        assert r["status"] == "rejected", (actor_key, r)
        assert r["reason"], r
        for word in words:
            assert word in r["reason"], (actor_key, r["reason"])
    after = Snapshot.take(world.engine)
    assert after == before, f"{actor_key}: a refused push wrote {before.counts} -> {after.counts}"
    return results
