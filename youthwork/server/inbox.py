"""The referral inbox of a receiving team (TYS, IGT): list what was sent to the team and answer it step by step.

Each step is a ReferralEvent written through the same path as a pushed change, so it is validated, moves the
referral's status, and syncs back to the referring team like any other change.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from youthwork.domain.codec import to_dict
from youthwork.domain.ids import new_id
from youthwork.domain.protocol import Change
from youthwork.domain.records import utc_now
from youthwork.domain.referrals import Referral, ReferralAction, ReferralEvent, ReferralStatus, validate_referral_event
from youthwork.server import schema as t
from youthwork.server import scope
from youthwork.server.auth import Caller
from youthwork.server.errors import ApiError
from youthwork.server.models import InboxActionRequest, InboxActionResult, InboxEvent, InboxReferral
from youthwork.server.pull import shared_fields
from youthwork.server.push import push

log = logging.getLogger(__name__)


def check_inbox_caller(caller: Caller) -> None:
    if caller.role not in scope.INBOX_ROLES:
        raise ApiError(403, "not_receiving_team", "Only staff of a receiving team can work its referral inbox.")


def _referral_rows(conn: sa.Connection, caller: Caller, referral_id: str | None = None) -> list[sa.Row[Any]]:
    r = t.records
    query = (
        sa.select(r, t.teams.c.name.label("from_team_name"))
        .join(t.teams, t.teams.c.id == r.c.team_id)
        .where(
            r.c.table_name == Referral.TABLE,
            r.c.deleted.is_(False),
            r.c.data["to_team_id"].as_string() == caller.team_id,
            r.c.data["status"].as_string() != ReferralStatus.DRAFT.value,
        )
    )
    if referral_id is not None:
        query = query.where(r.c.record_id == referral_id)
    return list(conn.execute(query.order_by(r.c.record_id)).all())


def list_inbox(engine: sa.Engine, caller: Caller, status: str | None = None) -> list[InboxReferral]:
    check_inbox_caller(caller)
    with engine.connect() as conn:
        rows = [row for row in _referral_rows(conn, caller) if status is None or row.data.get("status") == status]
        ids = [row.record_id for row in rows]
        events = _events(conn, ids)
        people = _people(conn, caller, [row.data.get("person_id", "") for row in rows])
    return [_summary(caller, row, events.get(row.record_id, []), people) for row in rows]


def _events(conn: sa.Connection, referral_ids: list[str]) -> dict[str, list[InboxEvent]]:
    out: dict[str, list[InboxEvent]] = {}
    r = t.records
    for i in range(0, len(referral_ids), 500):
        rows = conn.execute(
            sa.select(r.c.data).where(
                r.c.table_name == ReferralEvent.TABLE,
                r.c.data["referral_id"].as_string().in_(referral_ids[i : i + 500]),
            )
        )
        for (data,) in rows:
            event = InboxEvent(**{k: data.get(k) or "" for k in InboxEvent.model_fields})
            out.setdefault(data["referral_id"], []).append(event)
    for events in out.values():
        events.sort(key=lambda e: (e.at, e.id))
    return out


def _people(conn: sa.Connection, caller: Caller, person_ids: list[str]) -> dict[str, dict[str, Any]]:
    ids = sorted({p for p in person_ids if p})
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        shared = shared_fields(conn, caller.team_id, chunk)
        for row in conn.execute(
            sa.select(t.records).where(
                t.records.c.table_name == scope.PEOPLE, t.records.c.record_id.in_(chunk), t.records.c.deleted.is_(False)
            )
        ):
            visible = scope.view(caller, scope.PEOPLE, row.data, row.team_id, shared.get(row.record_id))
            if visible is not None:
                out[row.record_id] = visible
    return out


def _summary(
    caller: Caller, row: sa.Row[Any], events: list[InboxEvent], people: dict[str, dict[str, Any]]
) -> InboxReferral:
    data = scope.view(caller, Referral.TABLE, row.data, row.team_id, None) or {}
    return InboxReferral(
        id=row.record_id,
        version=row.version,
        from_team_id=row.team_id,
        from_team_name=row.from_team_name,
        to_agency=data.get("to_agency", ""),
        status=data.get("status", ""),
        urgency=data.get("urgency", ""),
        reason=data.get("reason", ""),
        risk_indicators=data.get("risk_indicators", []),
        lawful_basis=data.get("lawful_basis"),
        sent_at=data.get("sent_at"),
        person=people.get(row.data.get("person_id", ""), {}),
        events=events,
    )


def act(
    engine: sa.Engine, caller: Caller, referral_id: str, action: ReferralAction, body: InboxActionRequest
) -> InboxActionResult:
    """Record one step on a referral sent to the caller's team."""
    check_inbox_caller(caller)
    with engine.connect() as conn:
        if not _referral_rows(conn, caller, referral_id):
            raise ApiError(404, "referral_not_found", "There is no referral with that id in your team's inbox.")
    event = ReferralEvent(
        team_id=caller.team_id,
        created_by=caller.user_id,
        referral_id=referral_id,
        action=action.value,
        by_user_id=caller.user_id,
        at=utc_now(),
        reason=body.reason.strip(),
        outcome=body.outcome.strip(),
        allocated_to=body.allocated_to.strip(),
        note=body.note.strip(),
    )
    problems = validate_referral_event(event)
    if problems:
        # 400, not 422: the request has the shape the schema gives; this action needs a field the others don't.
        raise ApiError(400, "invalid_step", " ".join(p.message for p in problems))
    change = Change(change_id=f"inbox-{new_id()}", table=ReferralEvent.TABLE, record_id=event.id, fields=to_dict(event))
    (result,) = push(engine, caller, [change])
    if result.status == "rejected":
        raise ApiError(409, "step_not_possible", result.reason or "That step isn't possible now.")
    with engine.connect() as conn:
        (row,) = _referral_rows(conn, caller, referral_id)
    log.info("referral %s: %s by user %s", referral_id, action.value, caller.user_id)
    return InboxActionResult(
        referral_id=referral_id, event_id=event.id, status=row.data.get("status", ""), version=row.version
    )
