"""The records behind a figure, as lines a supervisor can read and check: one query per record type, by id.

Lines carry the record id (to open it in the app) and plain descriptors: for sessions the date, type, place and
sign-off status; for young people their display name only inside the app (`names=True`), never in an export, where
the gender, age band and area stand in.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from youthwork.domain.figures import Figure, PersonRow, as_datetime
from youthwork.domain.joint_visits import VisitOutcome, VisitStatus
from youthwork.domain.missing import ReportedBy
from youthwork.domain.vocab import DEFAULT_AGENCIES, AgeBand, Gender, SessionStatus, SessionType
from youthwork.domain.weeks import LONDON
from youthwork.store.database import Database

log = logging.getLogger(__name__)

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class RecordLine:
    table: str
    id: str
    when: str  # UK date and time, or ""
    title: str
    detail: str

    def as_row(self) -> dict[str, str]:
        return {"table": self.table, "id": self.id, "when": self.when, "title": self.title, "detail": self.detail}


def _uk(value: object) -> str:
    when = as_datetime(value)
    return when.astimezone(LONDON).strftime("%a %d %b %Y %H:%M") if when else ""


def _label(vocab: type, code: str | None) -> str:
    try:
        return str(vocab(code).label)
    except ValueError:
        return str(code or "")


def _fetch(db: Database, table: str, cols: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = json.dumps(list(ids[i : i + _CHUNK]))
        for r in db.query(f"SELECT {cols} FROM {table} WHERE id IN (SELECT value FROM json_each(?))", (chunk,)):
            out[r["id"]] = dict(r)
    return out


def _has_table(db: Database, name: str) -> bool:
    return db.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)) is not None


def records_behind(db: Database, figure: Figure, *, names: bool = False, on: date | None = None) -> list[RecordLine]:
    """The records a figure counts, in the figure's order. Ids no longer on this laptop are listed as such."""
    ids = list(figure.ids)
    if not ids:
        return []
    table = figure.table
    found: dict[str, RecordLine] = {}
    if table == "sessions":
        rows = _fetch(
            db, "sessions", "id, session_type, status, starts_at, ends_at, area, place, workers, concern", ids
        )
        for sid, r in rows.items():
            start, end = as_datetime(r["starts_at"]), as_datetime(r["ends_at"])
            hours = (end - start).total_seconds() / 3600 if start and end else 0
            where = r["place"] or r["area"]
            detail = (
                f"{hours:.1f} h · {_label(SessionStatus, r['status'])} · workers {', '.join(json.loads(r['workers']))}"
            )
            if r["concern"]:
                detail += " · concern raised"
            found[sid] = RecordLine(
                "sessions", sid, _uk(start), f"{_label(SessionType, r['session_type'])}, {where}", detail
            )
    elif table == "people":
        rows = _fetch(
            db,
            "people",
            "id, first_name, last_name, known_as, gender, date_of_birth, estimated_age, age_estimated_on, created_at,"
            " ethnicity, area",
            ids,
        )
        for pid, r in rows.items():
            p = PersonRow.from_wire(r)
            band = AgeBand.for_age(p.age_on(on or date.today())).label
            name = " ".join(x for x in (r["first_name"], r["last_name"]) if x) or r["known_as"]
            title = name if names else f"Young person {pid[-6:]}"
            found[pid] = RecordLine("people", pid, "", title, f"{_label(Gender, r['gender'])} · {band} · {r['area']}")
    elif table == "referrals" and _has_table(db, "referrals"):
        agencies = dict(DEFAULT_AGENCIES)
        for rid, r in _fetch(db, "referrals", "id, to_agency, status, urgency, sent_at", ids).items():
            title = f"Referral to {agencies.get(r['to_agency'], r['to_agency'])}"
            found[rid] = RecordLine("referrals", rid, _uk(r["sent_at"]), title, f"{r['status']} · {r['urgency']}")
    elif table == "case_notes":
        for nid, r in _fetch(db, "case_notes", "id, written_at, author_id, corrects_id", ids).items():
            title = "Amendment to an earlier note" if r["corrects_id"] else "Case note"
            found[nid] = RecordLine("case_notes", nid, _uk(r["written_at"]), title, f"by {r['author_id']}")
    elif table == "safety_plans" and _has_table(db, "safety_plans"):
        for pid, r in _fetch(db, "safety_plans", "id, status, agreed_at, review_date", ids).items():
            due = str(r["review_date"] or "")[:10]
            review = f"review by {date.fromisoformat(due):%d %b %Y}" if due else "no review date"
            detail = f"{r['status']} · {review}"
            found[pid] = RecordLine("safety_plans", pid, _uk(r["agreed_at"]), "Safety plan", detail)
    elif table == "missing_episodes" and _has_table(db, "missing_episodes"):
        for eid, r in _fetch(db, "missing_episodes", "id, reported_at, returned_at, reported_by", ids).items():
            back = f"back {_uk(r['returned_at'])}" if r["returned_at"] else "still missing"
            detail = f"reported by {_label(ReportedBy, r['reported_by'])} · {back}"
            found[eid] = RecordLine("missing_episodes", eid, _uk(r["reported_at"]), "Missing episode", detail)
    elif table == "joint_visits" and _has_table(db, "joint_visits"):
        for vid, r in _fetch(db, "joint_visits", "id, status, visited_on, outcomes", ids).items():
            outcomes = ", ".join(_label(VisitOutcome, o) for o in json.loads(r["outcomes"] or "[]"))
            detail = _label(VisitStatus, r["status"]) + (f" · {outcomes}" if outcomes else "")
            found[vid] = RecordLine("joint_visits", vid, _uk(r["visited_on"]), "Joint home visit", detail)
    return [found.get(i) or RecordLine(table, i, "", "(not on this laptop)", "") for i in ids]
