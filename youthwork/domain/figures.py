"""The weekly figures as pure functions over plain rows: the one definition the laptop and the server both use.

Loaders (youthwork.reports.weekly for the laptop's store, youthwork.server.reports for the service's records table)
turn their storage into the small row types below with `*.from_wire` (the wire/JSON encoding both sides share), then
call `compute_weekly`. Every Figure carries the ids of the records behind it, so any number can be opened and checked.

Counting rules (the supervisor's questions, answered once):
- A session belongs to the week in which it STARTS (UK time). A session crossing midnight into the next week counts
  wholly in the week it started, hours included; we do not split hours by day, because a session is one piece of
  work signed off once and a supervisor expects to find it in one week.
- Hours of direct contact are session hours (end minus start, in real elapsed time: a session over the clock change
  is an hour shorter or longer on the wall clock), not worker-hours; "by worker" shows each worker's sessions' hours.
- Sessions delivered are the sessions started in the week that were submitted (waiting for sign-off or signed off):
  a draft, or a session returned to its worker, is not yet delivered work. Hours, young people reached and the
  headcount come from delivered sessions only; drafts are shown apart ("not yet submitted"). A safeguarding concern
  counts whatever the session's status, so none is hidden by an unsubmitted form. The status breakdown shows all.
- A young person is reached once per week however many sessions they attended. New = their first ever attendance is
  in this week; returning = attended before this week.
- A record changed after submission is still one record (sessions are counted by id). A case-note amendment
  (corrects_id set) never counts as another note.
- Referrals made = sent (not draft) in the week. Overdue = still only "sent" (not acknowledged) past the time the
  urgency allows (immediate 1 day, urgent 2 days, routine 10 days), as of the end of the week or now if sooner.
- Sections whose records this laptop or service doesn't hold yet are "not recorded yet" (value None), never zero.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from youthwork.domain.vocab import DEFAULT_AGENCIES, AgeBand, Ethnicity, Gender, SessionStatus, SessionType
from youthwork.domain.weeks import LONDON, IsoWeek

log = logging.getLogger(__name__)

NOT_RECORDED = "not recorded yet"
JOINT_VISIT_AT = 3  # youthwork.domain.nfa.JOINT_VISIT_AT; repeated so reports work without NFA records
DELIVERED = frozenset({SessionStatus.SUBMITTED.value, SessionStatus.APPROVED.value})
ACK_DUE = {"immediate": timedelta(days=1), "urgent": timedelta(days=2), "routine": timedelta(days=10)}


# ---- parsing helpers: accept wire values (str/JSON) or already-decoded ones -----------------------------------------


def _dt(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _d(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _json(value: Any, default: Any) -> Any:
    if value is None:
        return default
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return default
    return value


# ---- input rows -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: str
    team_id: str
    session_type: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    workers: tuple[str, ...]
    concern: bool
    headcounts: Mapping[str, int]
    created_by: str = ""

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> SessionRow:
        return cls(
            id=d["id"],
            team_id=d.get("team_id") or "",
            session_type=d.get("session_type") or "detached",
            status=d.get("status") or "draft",
            starts_at=_dt(d.get("starts_at")),
            ends_at=_dt(d.get("ends_at")),
            workers=tuple(_json(d.get("workers"), [])),
            concern=bool(d.get("concern")),
            headcounts={str(k): int(v) for k, v in _json(d.get("headcounts"), {}).items()},
            created_by=d.get("created_by") or "",
        )

    @property
    def hours(self) -> float:
        if self.starts_at and self.ends_at:
            return max(0.0, (self.ends_at - self.starts_at).total_seconds() / 3600)
        return 0.0

    def worked_by(self, worker_id: str) -> bool:
        return worker_id in self.workers or (not self.workers and self.created_by == worker_id)


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    id: str
    session_id: str
    person_id: str

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> AttendanceRow:
        return cls(d["id"], d.get("session_id") or "", d.get("person_id") or "")


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: str
    gender: str
    ethnicity: str | None
    date_of_birth: date | None
    estimated_age: int | None
    age_estimated_on: date | None
    created_at: datetime | None

    @classmethod
    def from_row(cls, r: Sequence[Any]) -> PersonRow:
        """From (id, gender, ethnicity, date_of_birth, estimated_age, age_estimated_on, created_at) as the store holds
        them: the fast path for thousands of people per report."""
        pid, gender, ethnicity, dob, age, since, created = r
        return cls(
            pid,
            gender or "not_known",
            ethnicity or None,
            date.fromisoformat(dob[:10]) if dob else None,
            None if age is None else int(age),
            date.fromisoformat(since[:10]) if since else None,
            _dt(created) if age is not None and not since else None,
        )

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> PersonRow:
        age = d.get("estimated_age")
        return cls(
            id=d["id"],
            gender=d.get("gender") or "not_known",
            ethnicity=d.get("ethnicity") or None,
            date_of_birth=_d(d.get("date_of_birth")),
            estimated_age=None if age in (None, "") else int(age),
            age_estimated_on=_d(d.get("age_estimated_on")),
            created_at=_dt(d.get("created_at")),
        )

    def age_on(self, day: date) -> int | None:
        # Same rule as YoungPerson.age_on.
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.estimated_age is not None:
            since = self.age_estimated_on or (self.created_at.date() if self.created_at else day)
            return self.estimated_age + max(0, (day - since).days // 365)
        return None


@dataclass(frozen=True, slots=True)
class NoteRow:
    id: str
    written_at: datetime | None
    author_id: str
    corrects_id: str | None
    team_id: str = ""

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> NoteRow:
        return cls(
            d["id"],
            _dt(d.get("written_at")),
            d.get("author_id") or d.get("created_by") or "",
            d.get("corrects_id") or None,
            d.get("team_id") or "",
        )


@dataclass(frozen=True, slots=True)
class ReferralRow:
    id: str
    team_id: str
    person_id: str
    to_agency: str
    status: str
    urgency: str
    sent_at: datetime | None
    sent_by: str

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> ReferralRow:
        return cls(
            id=d["id"],
            team_id=d.get("team_id") or "",
            person_id=d.get("person_id") or "",
            to_agency=d.get("to_agency") or "other",
            status=d.get("status") or "draft",
            urgency=d.get("urgency") or "routine",
            sent_at=_dt(d.get("sent_at")),
            sent_by=d.get("sent_by") or d.get("created_by") or "",
        )

    def overdue(self, as_of: datetime) -> bool:
        if self.status != "sent" or self.sent_at is None:
            return False
        return self.sent_at + ACK_DUE.get(self.urgency, ACK_DUE["routine"]) < as_of


@dataclass(frozen=True, slots=True)
class PlanRow:
    """A safety plan as the report needs it (whatever shape the plans module stores)."""

    id: str
    team_id: str
    person_id: str
    created_at: datetime | None
    reviews: tuple[datetime, ...]  # when each later version (a review) was agreed
    review_due: date | None
    author_id: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class NfaPromptRow:
    """A young person with three or more NFAs: a joint home visit (TYS with police) is prompted.

    `id` is the young person's id. Joint visits are not recorded yet, so every prompt counts as open."""

    id: str
    team_id: str
    person_id: str
    raised_at: datetime | None
    open: bool


# ---- shared row builders for record types whose report shape is derived ----------------------------------------


def plan_row(r: dict[str, Any], reviews: Iterable[datetime]) -> PlanRow:
    """A safety plan (wire or row form) as the report sees it. Drafts are not plans yet."""
    status = r.get("status") or "draft"
    due = r.get("review_date")
    return PlanRow(
        id=r["id"],
        team_id=r.get("team_id") or "",
        person_id=r.get("person_id") or "",
        created_at=_dt(r.get("agreed_at")) if status != "draft" else None,
        reviews=tuple(reviews),
        review_due=date.fromisoformat(str(due)[:10]) if due else None,
        author_id=r.get("created_by") or "",
        active=status in ("agreed", "reviewed"),
    )


def nfa_prompts(rows: Iterable[dict[str, Any]]) -> list[NfaPromptRow]:
    """From NFA notifications (person_id, team_id, at), ordered by person and time: one prompt per person at 3+."""
    by_person: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_person.setdefault(r["person_id"], []).append(r)
    out = []
    for pid, items in by_person.items():
        if len(items) >= JOINT_VISIT_AT:
            third = items[JOINT_VISIT_AT - 1]
            at = _dt(third["at"]) if "T" in str(third["at"]) else _dt(f"{third['at']}T00:00:00+00:00")
            out.append(NfaPromptRow(pid, third.get("team_id") or "", pid, at, True))
    return out


# ---- output ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: str
    value: float | int | None  # None: the data is not recorded yet (never shown as zero)
    ids: tuple[str, ...] = ()
    table: str = ""  # the record type the ids name
    unit: str = ""
    note: str = ""

    @property
    def recorded(self) -> bool:
        return self.value is not None

    def display(self) -> str:
        if self.value is None:
            return NOT_RECORDED
        if self.unit == "hours":
            return f"{self.value:.1f}"
        return f"{int(self.value):,}" if float(self.value).is_integer() else f"{self.value:.1f}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "table": self.table,
            "ids": list(self.ids),
            **({"note": self.note} if self.note else {}),
        }


def _fig(key: str, label: str, ids: Iterable[str], table: str, **kw: Any) -> Figure:
    ordered = tuple(dict.fromkeys(ids))
    return Figure(key, label, len(ordered), ordered, table, **kw)


def _missing(key: str, label: str, table: str) -> Figure:
    return Figure(key, label, None, (), table, note=NOT_RECORDED)


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    figures: tuple[Figure, ...]  # headline figures
    breakdowns: tuple[tuple[str, tuple[Figure, ...]], ...] = ()  # (title, parts): chartable


@dataclass(frozen=True, slots=True)
class WeeklyReport:
    week: IsoWeek
    team_id: str | None
    worker_id: str | None
    sections: tuple[Section, ...]
    as_of: datetime

    def figures(self) -> list[Figure]:
        out: list[Figure] = []
        for s in self.sections:
            out.extend(s.figures)
            for _, parts in s.breakdowns:
                out.extend(parts)
        return out

    def figure(self, key: str) -> Figure:
        for f in self.figures():
            if f.key == key:
                return f
        raise KeyError(key)

    def values(self) -> dict[str, float | int | None]:
        return {f.key: f.value for f in self.figures()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": str(self.week),
            "starts": self.week.start.isoformat(),
            "ends": self.week.end.isoformat(),
            "hours_in_week": self.week.hours,
            "team_id": self.team_id,
            "worker_id": self.worker_id,
            "as_of": self.as_of.isoformat(),
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "figures": [f.to_dict() for f in s.figures],
                    "breakdowns": [{"title": t, "parts": [f.to_dict() for f in parts]} for t, parts in s.breakdowns],
                }
                for s in self.sections
            ],
        }


@dataclass(slots=True)
class WeekInput:
    """Everything one week's figures are computed from. Lists may hold records outside the week (they are filtered)."""

    week: IsoWeek
    sessions: list[SessionRow]
    attendance: list[AttendanceRow]
    people: dict[str, PersonRow]
    # People known to have attended some session that started before the earliest session in `sessions`.
    seen_before: set[str] = field(default_factory=set)
    notes: list[NoteRow] = field(default_factory=list)
    waiting_signoff: list[SessionRow] = field(default_factory=list)  # every submitted session, any week
    referrals: list[ReferralRow] | None = None  # None: this store has no referrals yet
    plans: list[PlanRow] | None = None
    nfa_prompts: list[NfaPromptRow] | None = None


def _label(vocab: Any, code: str | None) -> str:
    if code is None:
        return "Not recorded"
    try:
        return vocab(code).label
    except ValueError:
        return code.replace("_", " ").capitalize()


def _agency_label(code: str) -> str:
    return dict(DEFAULT_AGENCIES).get(code, code)


def _parts(prefix: str, groups: Mapping[str, list[str]], label_of: Any, table: str, order: Iterable[str] = ()) -> tuple:
    keys = [k for k in order if k in groups] + sorted(k for k in groups if k not in set(order))
    return tuple(_fig(f"{prefix}.{k}", label_of(k), groups[k], table) for k in keys)


def compute_weekly(
    data: WeekInput,
    *,
    team_id: str | None = None,
    worker_id: str | None = None,
    now: datetime | None = None,
    names: Mapping[str, str] | None = None,
) -> WeeklyReport:
    """The week at a glance for a team (team_id) or one worker (worker_id), or everything given (both None)."""
    week = data.week
    now = now or datetime.now(UTC)
    as_of = min(now, week.end.astimezone(UTC))
    names = names or {}

    def mine(s: SessionRow) -> bool:
        return (team_id is None or s.team_id == team_id) and (worker_id is None or s.worked_by(worker_id))

    # Inputs come in storage order, which differs between the laptop and the service: sort so ids list the same.
    far = datetime.max.replace(tzinfo=UTC)
    data.waiting_signoff = sorted(data.waiting_signoff, key=lambda s: (s.starts_at or far, s.id))
    data.notes = sorted(data.notes, key=lambda n: (n.written_at or far, n.id))
    if data.referrals is not None:
        data.referrals = sorted(data.referrals, key=lambda r: (r.sent_at or far, r.id))
    if data.plans is not None:
        data.plans = sorted(data.plans, key=lambda p: p.id)
    if data.nfa_prompts is not None:
        data.nfa_prompts = sorted(data.nfa_prompts, key=lambda p: p.id)
    by_id = {s.id: s for s in data.sessions}
    recorded = sorted(
        (s for s in data.sessions if week.contains(s.starts_at) and mine(s)), key=lambda s: (s.starts_at, s.id)
    )
    in_week = [s for s in recorded if s.status in DELIVERED]
    not_submitted = [s.id for s in recorded if s.status not in DELIVERED]
    week_ids = {s.id for s in in_week}
    sids = [s.id for s in in_week]

    # -- sessions and hours
    by_type: dict[str, list[str]] = defaultdict(list)
    by_status: dict[str, list[str]] = defaultdict(list)
    by_worker: dict[str, list[str]] = defaultdict(list)
    hours_by_worker: Counter[str] = Counter()
    for s in recorded:
        by_status[s.status].append(s.id)
    for s in in_week:
        by_type[s.session_type].append(s.id)
        for w in s.workers or (s.created_by,):
            if worker_id is None or w == worker_id:
                by_worker[w].append(s.id)
                hours_by_worker[w] += s.hours
    total_hours = round(sum(s.hours for s in in_week), 2)
    concerns = [s.id for s in recorded if s.concern]
    sessions = Section(
        "sessions",
        "Sessions and hours",
        (
            _fig("sessions", "Sessions delivered", sids, "sessions"),
            Figure("hours", "Hours of direct contact", total_hours, tuple(sids), "sessions", unit="hours"),
            _fig("concerns", "Safeguarding concerns raised", concerns, "sessions"),
            _fig(
                "sessions_not_submitted",
                "Not yet submitted",
                not_submitted,
                "sessions",
                note="drafts and sessions returned to their worker: not counted as delivered",
            ),
        ),
        (
            (
                "By type",
                _parts(
                    "sessions_by_type",
                    by_type,
                    lambda k: _label(SessionType, k),
                    "sessions",
                    [t.value for t in SessionType],
                ),
            ),
            ("By worker", _parts("sessions_by_worker", by_worker, lambda k: names.get(k, k), "sessions")),
            (
                "Hours by worker",
                tuple(
                    Figure(
                        f"hours_by_worker.{w}",
                        names.get(w, w),
                        round(hours_by_worker[w], 2),
                        tuple(by_worker[w]),
                        "sessions",
                        unit="hours",
                    )
                    for w in sorted(by_worker)
                ),
            ),
            (
                "By sign-off status",
                _parts(
                    "sessions_by_status",
                    by_status,
                    lambda k: _label(SessionStatus, k),
                    "sessions",
                    [s.value for s in SessionStatus],
                ),
            ),
        ),
    )

    # -- young people reached
    earlier = set(data.seen_before)
    reached_att: dict[str, str] = {}
    for a in data.attendance:
        s = by_id.get(a.session_id)
        if s is None or s.starts_at is None:
            continue
        if s.starts_at < week.start:
            earlier.add(a.person_id)
        elif a.session_id in week_ids:
            reached_att.setdefault(a.person_id, a.id)
    reached = sorted(reached_att)
    new = [p for p in reached if p not in earlier]
    returning = [p for p in reached if p in earlier]
    gender: dict[str, list[str]] = defaultdict(list)
    age: dict[str, list[str]] = defaultdict(list)
    ethnicity: dict[str, list[str]] = defaultdict(list)
    for pid in reached:
        p = data.people.get(pid)
        gender[p.gender if p else "not_known"].append(pid)
        age[AgeBand.for_age(p.age_on(week.monday) if p else None).value].append(pid)
        ethnicity[(p.ethnicity if p else None) or "not_stated"].append(pid)
    people = Section(
        "people",
        "Young people reached",
        (
            _fig("reached", "Young people reached (named)", reached, "people"),
            _fig("reached_new", "New this week", new, "people"),
            _fig("reached_returning", "Returning", returning, "people"),
            _fig("reached_girls", "Girls and young women reached", gender.get("female", []), "people"),
        ),
        (
            (
                "By gender",
                _parts("reached_by_gender", gender, lambda k: _label(Gender, k), "people", [g.value for g in Gender]),
            ),
            (
                "By age band",
                _parts("reached_by_age", age, lambda k: _label(AgeBand, k), "people", [a.value for a in AgeBand]),
            ),
            (
                "By ethnicity",
                _parts(
                    "reached_by_ethnicity",
                    ethnicity,
                    lambda k: _label(Ethnicity, k),
                    "people",
                    [e.value for e in Ethnicity],
                ),
            ),
        ),
    )

    # -- anonymous headcounts (people who gave no name), from the sessions' headcount grids
    hc_gender: Counter[str] = Counter()
    hc_age: Counter[str] = Counter()
    hc_gender_ids: dict[str, list[str]] = defaultdict(list)
    hc_age_ids: dict[str, list[str]] = defaultdict(list)
    hc_ids: list[str] = []
    for s in in_week:
        for key, n in s.headcounts.items():
            if n <= 0:
                continue
            g, _, a = key.partition("/")
            hc_gender[g or "not_known"] += n
            hc_age[a or "not_known"] += n
            hc_gender_ids[g or "not_known"].append(s.id)
            hc_age_ids[a or "not_known"].append(s.id)
            hc_ids.append(s.id)
    headcount = Section(
        "headcount",
        "Anonymous headcounts",
        (
            Figure(
                "headcount",
                "Anonymous headcount",
                sum(hc_gender.values()),
                tuple(dict.fromkeys(hc_ids)),
                "sessions",
                note="people counted at sessions without a name",
            ),
        ),
        (
            (
                "By gender",
                tuple(
                    Figure(
                        f"headcount_by_gender.{g}",
                        _label(Gender, g),
                        hc_gender[g],
                        tuple(dict.fromkeys(hc_gender_ids[g])),
                        "sessions",
                    )
                    for g in [x.value for x in Gender] + sorted(set(hc_gender) - {x.value for x in Gender})
                    if g in hc_gender
                ),
            ),
            (
                "By age band",
                tuple(
                    Figure(
                        f"headcount_by_age.{a}",
                        _label(AgeBand, a),
                        hc_age[a],
                        tuple(dict.fromkeys(hc_age_ids[a])),
                        "sessions",
                    )
                    for a in [x.value for x in AgeBand] + sorted(set(hc_age) - {x.value for x in AgeBand})
                    if a in hc_age
                ),
            ),
        ),
    )

    # -- case notes (an amendment is not another note)
    def note_mine(n: NoteRow) -> bool:
        return (team_id is None or n.team_id == team_id) and (worker_id is None or n.author_id == worker_id)

    week_notes = [n for n in data.notes if week.contains(n.written_at) and note_mine(n)]
    recording = Section(
        "recording",
        "Recording and sign-off",
        (
            _fig("case_notes", "Case notes written", [n.id for n in week_notes if not n.corrects_id], "case_notes"),
            _fig(
                "case_notes_amended",
                "Case-note amendments",
                [n.id for n in week_notes if n.corrects_id],
                "case_notes",
                note="corrections added; not counted as new notes",
            ),
            _fig(
                "waiting_signoff",
                "Sessions waiting for sign-off",
                [
                    s.id
                    for s in data.waiting_signoff
                    if s.status == SessionStatus.SUBMITTED
                    and mine(s)
                    and (s.starts_at is None or s.starts_at < week.end)
                ],
                "sessions",
                note="submitted and not yet signed off, up to the end of the week",
            ),
        ),
    )

    sections = [sessions, people, headcount, recording, _referrals(data, week, as_of, team_id, worker_id)]
    sections.append(_plans(data, week, as_of, team_id, worker_id))
    sections.append(_nfa(data, week, team_id, worker_id))
    return WeeklyReport(week, team_id, worker_id, tuple(sections), as_of)


def _referrals(data: WeekInput, week: IsoWeek, as_of: datetime, team_id: str | None, worker_id: str | None) -> Section:
    if data.referrals is None:
        return Section(
            "referrals",
            "Referrals",
            (
                _missing("referrals", "Referrals made", "referrals"),
                _missing("referrals_overdue", "Referrals overdue (not acknowledged)", "referrals"),
            ),
        )
    rows = [
        r
        for r in data.referrals
        if (team_id is None or r.team_id == team_id) and (worker_id is None or r.sent_by == worker_id)
    ]
    made = [r for r in rows if r.status != "draft" and week.contains(r.sent_at)]
    by_agency: dict[str, list[str]] = defaultdict(list)
    by_status: dict[str, list[str]] = defaultdict(list)
    for r in made:
        by_agency[r.to_agency].append(r.id)
        by_status[r.status].append(r.id)
    overdue = [r.id for r in rows if r.overdue(as_of)]
    from youthwork.domain.referrals import ReferralStatus

    return Section(
        "referrals",
        "Referrals",
        (
            _fig("referrals", "Referrals made", [r.id for r in made], "referrals"),
            _fig(
                "referrals_overdue",
                "Referrals overdue (not acknowledged)",
                overdue,
                "referrals",
                note="any week: sent and not acknowledged in time for their urgency",
            ),
        ),
        (
            (
                "By agency",
                _parts("referrals_by_agency", by_agency, _agency_label, "referrals", [c for c, _ in DEFAULT_AGENCIES]),
            ),
            (
                "By status now",
                _parts(
                    "referrals_by_status",
                    by_status,
                    lambda k: _label(ReferralStatus, k),
                    "referrals",
                    [s.value for s in ReferralStatus],
                ),
            ),
        ),
    )


def _plans(data: WeekInput, week: IsoWeek, as_of: datetime, team_id: str | None, worker_id: str | None) -> Section:
    if data.plans is None:
        return Section(
            "plans",
            "Safety plans",
            (
                _missing("plans_created", "Safety plans created", "safety_plans"),
                _missing("plans_reviewed", "Safety plans reviewed", "safety_plans"),
                _missing("plans_overdue", "Safety plans overdue for review", "safety_plans"),
            ),
        )
    rows = [
        p
        for p in data.plans
        if (team_id is None or p.team_id == team_id) and (worker_id is None or p.author_id == worker_id)
    ]
    due_by = as_of.astimezone(LONDON).date()
    return Section(
        "plans",
        "Safety plans",
        (
            _fig(
                "plans_created",
                "Safety plans created",
                [p.id for p in rows if week.contains(p.created_at)],
                "safety_plans",
            ),
            _fig(
                "plans_reviewed",
                "Safety plans reviewed",
                [p.id for p in rows if any(week.contains(r) for r in p.reviews)],
                "safety_plans",
            ),
            _fig(
                "plans_overdue",
                "Safety plans overdue for review",
                [p.id for p in rows if p.active and p.review_due is not None and p.review_due < due_by],
                "safety_plans",
                note="review date passed, as of the end of the week",
            ),
        ),
    )


def _nfa(data: WeekInput, week: IsoWeek, team_id: str | None, worker_id: str | None) -> Section:
    if data.nfa_prompts is None:
        return Section("nfa", "No Further Action", (_missing("nfa_prompts_open", "Third-NFA prompts open", "nfa"),))
    rows = [
        p
        for p in data.nfa_prompts
        if p.open and (team_id is None or p.team_id == team_id) and (p.raised_at is None or p.raised_at < week.end)
    ]
    return Section(
        "nfa",
        "No Further Action",
        (
            _fig(
                "nfa_prompts_open",
                "Third-NFA prompts open (joint home visit due)",
                [p.id for p in rows],
                "people",
                note="young people with three or more NFAs; joint visits are not recorded yet",
            ),
        ),
    )
