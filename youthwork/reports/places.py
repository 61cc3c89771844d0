"""Figures about places from the laptop's store: one place's page, and the supervisors' trends across places.

Both count; neither names a young person. Weeks are UK weeks (youthwork.domain.weeks), decided from each time as it
was written: a session belongs to the week its start falls in, an NFA to the week of its date, a referral to the week
it was sent (or made, while a draft). Every query reads by an index on place_id or on the time column.

A "signal" is anything that says harm is happening at a place: a safeguarding concern raised at a session there, an
incident recorded at one, a police NFA for an arrest there, a referral whose context is there. Several signals at
one place in a short time is the "same bus route" pattern a tasking meeting wants to see.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from youthwork.domain.figures import as_datetime
from youthwork.domain.places import Deployment, Place, PlaceStance
from youthwork.domain.vocab import SessionType
from youthwork.domain.weeks import LONDON, IsoWeek
from youthwork.store.database import Database
from youthwork.store.rowcodec import codec_for

log = logging.getLogger(__name__)

# Signals at one place within PATTERN_WEEKS weeks running that make a pattern worth taking to tasking.
PATTERN_SIGNALS = 3
PATTERN_WEEKS = 4
# Session types that are outreach to where young people are (set against where the signals are).
OUTREACH_TYPES: tuple[str, ...] = (SessionType.DETACHED.value, SessionType.YOUTH_TRUCK.value)
NO_PLACE = ""  # the row for signals recorded with no place
_SESSION_COLS = "id, place_id, session_type, starts_at, ends_at, workers, headcounts, concern, incidents"


def weeks_ending(last: IsoWeek, count: int) -> list[IsoWeek]:
    """`count` weeks up to and including `last`, oldest first."""
    return [last.shifted(-i) for i in range(count - 1, -1, -1)]


def _window(weeks: Sequence[IsoWeek]) -> tuple[str, str]:
    """A text range certainly holding every instant of these weeks, whatever offset a time was written with."""
    return (weeks[0].monday - timedelta(days=1)).isoformat(), (weeks[-1].sunday + timedelta(days=2)).isoformat()


class _Weeks:
    """Consecutive weeks, and which of them (by position) a time or a date falls in, in UK time."""

    def __init__(self, weeks: Sequence[IsoWeek]) -> None:
        self.weeks = list(weeks)
        self.first = weeks[0].monday

    def _of(self, day: date) -> int | None:
        i = (day - self.first).days // 7
        return i if 0 <= i < len(self.weeks) else None

    def of_time(self, value: Any) -> int | None:
        when = as_datetime(value)
        return None if when is None else self._of(when.astimezone(LONDON).date())

    def of_date(self, value: Any) -> int | None:
        return self._of(date.fromisoformat(str(value)[:10])) if value else None


def _hours(starts_at: Any, ends_at: Any) -> float:
    a, b = as_datetime(starts_at), as_datetime(ends_at)
    return max(0.0, (b - a).total_seconds() / 3600) if a and b else 0.0


@dataclass(slots=True)
class PlaceWeek:
    """One week at one place."""

    week: IsoWeek
    sessions: int = 0
    hours: float = 0.0
    headcount: int = 0  # anonymous headcounts: young people who gave no name
    named: int = 0  # young people on the registers (a count)
    concerns: int = 0
    incidents: int = 0
    nfas: int = 0
    referrals: int = 0

    @property
    def signals(self) -> int:
        return self.concerns + self.incidents + self.nfas + self.referrals


@dataclass(frozen=True, slots=True)
class PlacePage:
    place: Place
    weeks: list[PlaceWeek]  # oldest first
    by_type: dict[str, int]  # session type -> sessions in these weeks
    by_worker: dict[str, int]  # worker id -> sessions they worked here in these weeks
    plans: dict[str, int]  # stance -> current safety plans naming the place so
    # Where the young people seen here live: home area ("" not recorded, last) -> week -> distinct young people.
    estates: dict[str, dict[IsoWeek, int]]
    estate_totals: dict[str, int]  # home area -> distinct young people seen here over all the weeks
    deployments: list[Deployment]

    def totals(self) -> PlaceWeek:
        out = PlaceWeek(self.weeks[-1].week if self.weeks else IsoWeek.current())
        for w in self.weeks:
            out.sessions += w.sessions
            out.hours += w.hours
            out.headcount += w.headcount
            out.named += w.named
            out.concerns += w.concerns
            out.incidents += w.incidents
            out.nfas += w.nfas
            out.referrals += w.referrals
        return out


def place_page(db: Database, place: Place, weeks: Sequence[IsoWeek]) -> PlacePage:
    """What happened at one place over these weeks (consecutive, oldest first)."""
    span = _Weeks(weeks)
    lo, hi = _window(weeks)
    rows = [PlaceWeek(w) for w in weeks]
    by_type: Counter[str] = Counter()
    by_worker: Counter[str] = Counter()
    session_week: dict[str, int] = {}
    for s in db.query(
        f"SELECT {_SESSION_COLS} FROM sessions WHERE place_id = ? AND starts_at >= ? AND starts_at < ?",
        (place.id, lo, hi),
    ):
        i = span.of_time(s["starts_at"])
        if i is None:
            continue
        session_week[s["id"]] = i
        row = rows[i]
        row.sessions += 1
        row.hours += _hours(s["starts_at"], s["ends_at"])
        row.headcount += sum(int(n) for n in json.loads(s["headcounts"] or "{}").values())
        row.concerns += int(bool(s["concern"]))
        row.incidents += int(bool((s["incidents"] or "").strip()))
        by_type[s["session_type"]] += 1
        for worker in json.loads(s["workers"] or "[]"):
            by_worker[str(worker)] += 1
    # Registers: counted in SQL (a busy place's year is tens of thousands of register rows), each session tagged
    # with its week's position; one young person seen twice in a week, or in two weeks, counts once for the total.
    tagged = json.dumps(session_week)
    per_area: dict[str, dict[int, int]] = defaultdict(dict)
    estate_totals: dict[str, int] = {}
    for r in db.query(
        "SELECT j.value AS wk, COALESCE(p.area, '') AS area, COUNT(*) AS seen, COUNT(DISTINCT a.person_id) AS people"
        " FROM json_each(?) j JOIN attendance a ON a.session_id = j.key LEFT JOIN people p ON p.id = a.person_id"
        " GROUP BY j.value, COALESCE(p.area, '')",
        (tagged,),
    ):
        i = int(r["wk"])
        rows[i].named += int(r["seen"])
        area = (r["area"] or "").strip()
        per_area[area][i] = per_area[area].get(i, 0) + int(r["people"])
    for r in db.query(
        "SELECT COALESCE(p.area, '') AS area, COUNT(DISTINCT a.person_id) AS people FROM json_each(?) j"
        " JOIN attendance a ON a.session_id = j.key LEFT JOIN people p ON p.id = a.person_id"
        " GROUP BY COALESCE(p.area, '')",
        (tagged,),
    ):
        area = (r["area"] or "").strip()
        estate_totals[area] = estate_totals.get(area, 0) + int(r["people"])
    for n in db.query(
        "SELECT notified_on FROM nfa_notifications WHERE place_id = ? AND notified_on >= ? AND notified_on < ?",
        (place.id, lo, hi),
    ):
        i = span.of_date(n["notified_on"])
        if i is not None:
            rows[i].nfas += 1
    for r in db.query(
        "SELECT COALESCE(sent_at, created_at) AS at FROM referrals WHERE place_id = ?"
        " AND COALESCE(sent_at, created_at) >= ? AND COALESCE(sent_at, created_at) < ?",
        (place.id, lo, hi),
    ):
        i = span.of_time(r["at"])
        if i is not None:
            rows[i].referrals += 1
    codec = codec_for(Deployment)
    deployments = [
        codec.from_row(r)
        for r in db.query(
            "SELECT * FROM deployments WHERE place_id = ? ORDER BY received_on DESC, created_at DESC", (place.id,)
        )
    ]
    return PlacePage(
        place=place,
        weeks=rows,
        by_type=dict(by_type.most_common()),
        by_worker=dict(by_worker.most_common()),
        plans=plans_naming(db, place.id),
        estates={
            area: {weeks[i]: n for i, n in sorted(per_area[area].items())}
            for area in sorted(per_area, key=lambda a: (not a, -estate_totals.get(a, 0), a))
        },
        estate_totals=estate_totals,
        deployments=deployments,  # type: ignore[arg-type]
    )


def plans_naming(db: Database, place_id: str) -> dict[str, int]:
    """How many current (agreed or reviewed) safety plans name this place as safe, and as a place to avoid."""
    rows = db.query(
        "SELECT pp.stance, COUNT(DISTINCT pp.plan_id) FROM plan_places pp JOIN safety_plans sp ON sp.id = pp.plan_id"
        " WHERE pp.place_id = ? AND pp.active = 1 AND sp.status IN ('agreed', 'reviewed') GROUP BY pp.stance",
        (place_id,),
    )
    out = {PlaceStance.SAFE.value: 0, PlaceStance.AVOID.value: 0}
    out.update({str(k): int(n) for k, n in rows})
    return out


# -- the supervisors' trends ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class TrendRow:
    """One place across the weeks: its signals week by week, and the outreach hours spent there."""

    place_id: str  # NO_PLACE for signals recorded with no place
    name: str
    kind: str
    weeks: dict[IsoWeek, PlaceWeek] = field(default_factory=dict)
    outreach_hours: dict[str, float] = field(default_factory=dict)  # session type -> hours over all the weeks

    @property
    def signals(self) -> int:
        return sum(w.signals for w in self.weeks.values())

    @property
    def hours(self) -> float:
        return sum(self.outreach_hours.values())

    def pattern(self) -> bool:
        """PATTERN_SIGNALS or more signals within any PATTERN_WEEKS weeks running: the "same bus route" signal."""
        counts = [w.signals for _, w in sorted(self.weeks.items())]
        return any(sum(counts[i : i + PATTERN_WEEKS]) >= PATTERN_SIGNALS for i in range(max(1, len(counts))))

    def unreached(self) -> bool:
        """Signals here, and no detached or youth-truck hours here in these weeks."""
        return self.signals > 0 and self.hours == 0


@dataclass(frozen=True, slots=True)
class Trends:
    weeks: list[IsoWeek]
    rows: list[TrendRow]  # places with a signal or outreach hours: patterns first, then most signals

    def totals(self) -> dict[IsoWeek, PlaceWeek]:
        out = {w: PlaceWeek(w) for w in self.weeks}
        for row in self.rows:
            for w, cell in row.weeks.items():
                t = out[w]
                t.concerns += cell.concerns
                t.incidents += cell.incidents
                t.nfas += cell.nfas
                t.referrals += cell.referrals
        return out

    def hours_share(self) -> tuple[float, float]:
        """Of all detached and youth-truck hours, the share spent at places with a signal, and the share of signals
        at places where those hours went (a team showing it goes where young people are being drawn in)."""
        hours = sum(r.hours for r in self.rows if r.place_id != NO_PLACE)
        signals = sum(r.signals for r in self.rows if r.place_id != NO_PLACE)
        at_signals = sum(r.hours for r in self.rows if r.place_id != NO_PLACE and r.signals)
        signals_reached = sum(r.signals for r in self.rows if r.place_id != NO_PLACE and r.hours)
        return (at_signals / hours if hours else 0.0, signals_reached / signals if signals else 0.0)


def trends(db: Database, weeks: Sequence[IsoWeek]) -> Trends:
    """Concerns, incidents, NFAs and referrals by place and week, with outreach hours by place."""
    span = _Weeks(weeks)
    lo, hi = _window(weeks)
    names = {r["id"]: (r["name"], r["kind"]) for r in db.query("SELECT id, name, kind FROM places")}
    outreach_marks = ",".join("?" * len(OUTREACH_TYPES))
    rows: dict[str, TrendRow] = {}
    cells: dict[str, list[PlaceWeek]] = {}

    def row(place_id: str) -> list[PlaceWeek]:
        if place_id not in rows:
            name, kind = names.get(place_id, ("No place recorded" if not place_id else "(not on this laptop)", ""))
            cells[place_id] = [PlaceWeek(w) for w in weeks]
            rows[place_id] = TrendRow(place_id, name, kind, dict(zip(weeks, cells[place_id], strict=True)))
        return cells[place_id]

    for s in db.query(
        "SELECT place_id, session_type, starts_at, ends_at, concern, incidents FROM sessions"
        " WHERE starts_at >= ? AND starts_at < ?"
        f" AND (concern = 1 OR incidents != '' OR (place_id != '' AND session_type IN ({outreach_marks})))",
        (lo, hi, *OUTREACH_TYPES),
    ):
        i = span.of_time(s["starts_at"])
        if i is None:
            continue
        concern, incident = bool(s["concern"]), bool((s["incidents"] or "").strip())
        outreach = s["session_type"] in OUTREACH_TYPES and bool(s["place_id"])
        place_id = s["place_id"] or NO_PLACE
        cell = row(place_id)[i]
        cell.concerns += int(concern)
        cell.incidents += int(incident)
        if outreach:
            hours = _hours(s["starts_at"], s["ends_at"])
            cell.hours += hours
            spent = rows[place_id].outreach_hours
            spent[s["session_type"]] = spent.get(s["session_type"], 0.0) + hours
    for n in db.query(
        "SELECT place_id, notified_on FROM nfa_notifications WHERE notified_on >= ? AND notified_on < ?", (lo, hi)
    ):
        i = span.of_date(n["notified_on"])
        if i is not None:
            row(n["place_id"] or NO_PLACE)[i].nfas += 1
    for f in db.query(
        "SELECT place_id, COALESCE(sent_at, created_at) AS at FROM referrals"
        " WHERE COALESCE(sent_at, created_at) >= ? AND COALESCE(sent_at, created_at) < ?",
        (lo, hi),
    ):
        i = span.of_time(f["at"])
        if i is not None:
            row(f["place_id"] or NO_PLACE)[i].referrals += 1
    ordered = sorted(
        rows.values(),
        key=lambda r: (r.place_id == NO_PLACE, not r.pattern(), -r.signals, -r.hours, r.name.lower()),
    )
    return Trends(list(weeks), ordered)
