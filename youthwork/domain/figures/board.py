"""The quarter's board pack as pure functions over plain rows, the one definition the laptop and the service share:
the strategy's measures, fair figures at every decision point, distance travelled and young people's voice.

Counting rules (answered once):
- A decision point counts young people once each in the quarter: reached (attended a delivered session), referred
  (a referral sent, not a draft), rated red (a RAG rating of red set), given a safety plan (a plan first agreed),
  closed with a good outcome (a closing outcome rating whose average is above their starting one), missing (a
  missing episode reported), third-NFA joint visit (a joint home visit tried: done, no answer or declined). A store
  without records of a kind says "not recorded", never zero.
- Each is broken down by ethnicity × gender and by age band (age on the quarter's first day), with a rate per 1,000
  of the borough's residents in that group (the loaded baseline) and the ratio of that rate to the rate for all
  residents (1.0: in proportion; 2.0: twice as likely as the borough as a whole). A group the baseline doesn't have
  (non-binary, not stated) has no rate, and says so.
- Distance travelled: a young person's latest outcome rating in the quarter (a review or closing one) against their
  starting rating, as the change in the average of the capabilities rated both times; by programme (the latest
  rating's).
- Check-ins are counted by the day of the session, by place and programme; nothing in them names anyone.
- Unseen girls: girls and young women reached in the quarter with an exploitation indicator (criminal or sexual
  exploitation, gang association) and neither a referral nor a safety plan, ever.
- Exports suppress small numbers: a count of 1 to 4 is shown as "fewer than 5", and its rate with it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

from youthwork.domain.figures.model import NOT_RECORDED, Figure, WeeklyReport, counted, vocab_label
from youthwork.domain.figures.rows import (
    JointVisitRow,
    PersonRow,
    PlanRow,
    RagRow,
    ReferralRow,
    WeekInput,
    as_date,
    as_datetime,
    as_json,
)
from youthwork.domain.figures.weekly import compute_weekly
from youthwork.domain.missing import InterviewStatus, offered_in_time
from youthwork.domain.vocab import (
    DEFAULT_AGENCIES,
    AgeBand,
    Ethnicity,
    Gender,
    RiskIndicator,
    SessionType,
    age_band_code,
)
from youthwork.domain.weeks import Period

SUPPRESS_BELOW = 5
FEWER_THAN_5 = "fewer than 5"
EXPLOITATION = frozenset({RiskIndicator.CCE.value, RiskIndicator.CSE.value, RiskIndicator.GANG.value})
POSITIVE_NRM = ("positive_reasonable_grounds", "positive_conclusive_grounds")
# The quarter's RAG figures a board reads (youthwork.domain.figures.rag): the spread at its end and who moved.
RAG_HEADLINE = ("rag_red", "rag_amber", "rag_green", "rag_towards_green", "rag_towards_red")
# The sections of the quarter's activity a pack shows or counts from (its headline, the reached decision point and
# measures, the Review area's chart by ethnicity): the headcount, case notes, safety plan and NFA sections would be
# worked out over the whole quarter only to go unread. The plans and joint visits the pack counts are its own inputs.
BOARD_SECTIONS = frozenset({"sessions", "people", "referrals", "rag"})
DECISION_POINTS: tuple[tuple[str, str], ...] = (
    ("reached", "Reached"),
    ("referred", "Referred"),
    ("rated_red", "Rated red"),
    ("safety_plan", "Given a safety plan"),
    ("missing", "Missing from home or care"),
    ("third_nfa", "Third-NFA joint home visit"),
    ("good_outcome", "Closed with a good outcome"),
)


_R = TypeVar("_R")
_ID = attrgetter("id")
_SENT_AT, _SET_AT, _CREATED_AT, _REPORTED_AT = (
    attrgetter("sent_at"),
    attrgetter("set_at"),
    attrgetter("created_at"),
    attrgetter("reported_at"),
)


def shown(count: int, *, suppress: bool) -> int | str:
    """A count as an export shows it: 1 to 4 become "fewer than 5" (0 is safe to show and stays)."""
    return FEWER_THAN_5 if suppress and 0 < count < SUPPRESS_BELOW else count


# ---- input rows -----------------------------------------------------------------------------------------------------


class BoardPerson(NamedTuple):
    """A young person as the pack counts them (a named tuple for speed, as PersonRow)."""

    person: PersonRow
    education_status: str = "not_known"
    risk_indicators: tuple[str, ...] = ()

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> BoardPerson:
        return cls(
            PersonRow.from_wire(d),
            d.get("education_status") or "not_known",
            tuple(as_json(d.get("risk_indicators"), []) or ()),
        )


@dataclass(frozen=True, slots=True)
class NrmRow:
    id: str
    status: str
    outcome: str
    decided_on: date | None

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> NrmRow:
        return cls(d["id"], d.get("status") or "draft", d.get("nrm_outcome") or "", as_date(d.get("nrm_decision_date")))


@dataclass(frozen=True, slots=True)
class RatingRow:
    id: str
    person_id: str
    rated_on: date | None
    stage: str
    programme: str
    scores: Mapping[str, int]

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> RatingRow:
        scores = as_json(d.get("scores"), {}) or {}
        return cls(
            d["id"],
            d.get("person_id") or "",
            as_date(d.get("rated_on")),
            d.get("stage") or "start",
            d.get("programme") or "",
            {str(k): int(v) for k, v in scores.items()},
        )


@dataclass(frozen=True, slots=True)
class CheckinRow:
    id: str
    taken_on: date | None
    place: str
    programme: str
    felt_safe: str
    someone_to_talk: str
    would_help: str

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> CheckinRow:
        return cls(
            d["id"],
            as_date(d.get("taken_on")),
            d.get("place") or "",
            d.get("programme") or "",
            d.get("felt_safe") or "",
            d.get("someone_to_talk") or "",
            d.get("would_help") or "",
        )

    @classmethod
    def from_row(cls, r: Sequence[Any]) -> CheckinRow:
        """From (id, taken_on, place, programme, felt_safe, someone_to_talk, would_help) as the store holds them,
        without a dict per row."""
        cid, taken_on, place, programme, felt_safe, someone, would_help = r
        return cls(
            cid, as_date(taken_on), place or "", programme or "", felt_safe or "", someone or "", would_help or ""
        )


@dataclass(frozen=True, slots=True)
class MissingRow:
    id: str
    team_id: str
    person_id: str
    reported_at: datetime | None
    returned_at: datetime | None
    from_care: bool

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> MissingRow:
        return cls(
            d["id"],
            d.get("team_id") or "",
            d.get("person_id") or "",
            as_datetime(d.get("reported_at")),
            as_datetime(d.get("returned_at")),
            bool(d.get("from_care")),
        )


@dataclass(frozen=True, slots=True)
class InterviewRow:
    """A return home interview: the first one recorded for an episode is the one offered."""

    id: str
    episode_id: str
    offered_at: datetime | None
    status: str
    created_at: datetime | None

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> InterviewRow:
        return cls(
            d["id"],
            d.get("episode_id") or "",
            as_datetime(d.get("offered_at")),
            d.get("status") or "",
            as_datetime(d.get("created_at")),
        )


@dataclass(frozen=True, slots=True)
class Baseline:
    id: str
    name: str
    rows: tuple[tuple[str, str, str, int], ...]  # (ethnicity, sex, age band, residents)
    # The residents by (ethnicity, sex) and by age band, added up once: a pack asks for each group of each decision
    # point, and hashing the rows to remember them cost more than the adding.
    _sums: tuple[dict[tuple[str, str], int], dict[str, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        groups: dict[tuple[str, str], int] = defaultdict(int)
        ages: dict[str, int] = defaultdict(int)
        for ethnicity, sex, band, n in self.rows:
            groups[(ethnicity, sex)] += n
            ages[band] += n
        object.__setattr__(self, "_sums", (dict(groups), dict(ages)))

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> Baseline:
        rows = as_json(d.get("rows"), []) or []
        return cls(d["id"], d.get("name") or "", tuple((str(e), str(s), str(a), int(n)) for e, s, a, n in rows))

    @property
    def total(self) -> int:
        return sum(r[3] for r in self.rows)

    def group(self, ethnicity: str, sex: str) -> int | None:
        """Residents of that ethnicity and sex (None: the baseline has no such rows)."""
        return self._sums[0].get((ethnicity, sex))

    def age(self, band: str) -> int | None:
        return self._sums[1].get(band)


@dataclass(slots=True)
class BoardInput:
    period: Period
    activity: WeeklyReport  # the quarter's activity, computed as for a week
    people: dict[str, BoardPerson] = field(default_factory=dict)  # everyone counted at any decision point
    referrals: list[ReferralRow] | None = None  # every referral sent, any time (drafts left out)
    rag: list[RagRow] | None = None
    plans: list[PlanRow] | None = None
    nrm: list[NrmRow] | None = None
    ratings: list[RatingRow] | None = None
    checkins: list[CheckinRow] | None = None
    baseline: Baseline | None = None
    missing: list[MissingRow] | None = None  # None: this store has no missing episodes yet
    interviews: list[InterviewRow] = field(default_factory=list)
    joint_visits: list[JointVisitRow] | None = None


# ---- output ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    key: str
    label: str
    ids: tuple[str, ...]  # young people
    population: int | None  # residents in the baseline; None: the baseline has no such group
    rate: float | None  # per 1,000 residents
    ratio: float | None  # against the rate for all residents

    @property
    def count(self) -> int:
        return len(self.ids)

    def to_dict(self, *, suppress: bool = False) -> dict[str, Any]:
        small = suppress and 0 < self.count < SUPPRESS_BELOW
        return {
            "key": self.key,
            "label": self.label,
            "count": shown(self.count, suppress=suppress),
            "population": self.population,
            "rate_per_1000": None if small or self.rate is None else round(self.rate, 2),
            "ratio": None if small or self.ratio is None else round(self.ratio, 2),
            "ids": [] if small else list(self.ids),
        }


@dataclass(frozen=True, slots=True)
class DecisionPoint:
    key: str
    label: str
    figure: Figure  # the headline: young people, with their ids (value None: not recorded)
    by_group: tuple[Cell, ...] = ()  # ethnicity × gender
    by_age: tuple[Cell, ...] = ()
    by_agency: tuple[Figure, ...] = ()  # referrals only: the referrals' ids by agency
    rate: float | None = None  # per 1,000 of all residents

    @property
    def recorded(self) -> bool:
        return self.figure.recorded

    def to_dict(self, *, suppress: bool = False) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "recorded": self.recorded,
            "count": None if not self.recorded else shown(len(self.figure.ids), suppress=suppress),
            "note": self.figure.note,
            "rate_per_1000": None if self.rate is None else round(self.rate, 2),
            "by_ethnicity_and_gender": [c.to_dict(suppress=suppress) for c in self.by_group],
            "by_age_band": [c.to_dict(suppress=suppress) for c in self.by_age],
            "by_agency": [_figure_dict(f, suppress) for f in self.by_agency],
        }


@dataclass(frozen=True, slots=True)
class OutcomeLine:
    programme: str
    label: str
    people: tuple[str, ...]
    rating_ids: tuple[str, ...]  # the starting and latest ratings compared
    average_change: float | None
    improved: tuple[str, ...]  # young people whose average rose
    by_capability: tuple[tuple[str, float], ...]  # (capability code, average change)


@dataclass(frozen=True, slots=True)
class VoiceLine:
    kind: str  # "place", "programme" or "all"
    key: str
    label: str
    ids: tuple[str, ...]  # check-ins
    felt_safe: int  # answered yes
    someone_to_talk: int
    would_help: tuple[tuple[str, int], ...]  # most asked first

    def to_dict(self, *, suppress: bool = False) -> dict[str, Any]:
        small = suppress and 0 < len(self.ids) < SUPPRESS_BELOW
        return {
            "kind": self.kind,
            "key": self.key,
            "label": self.label,
            "check_ins": shown(len(self.ids), suppress=suppress),
            "felt_safe_yes": None if small else self.felt_safe,
            "someone_to_talk_yes": None if small else self.someone_to_talk,
            "would_help": [] if small else [list(w) for w in self.would_help],
            "ids": [] if small else list(self.ids),
        }


@dataclass(frozen=True, slots=True)
class BoardPack:
    period: Period
    team_id: str | None
    as_of: datetime
    activity: WeeklyReport
    measures: tuple[Figure, ...]
    fair: tuple[DecisionPoint, ...]
    baseline: Baseline | None
    outcomes: tuple[OutcomeLine, ...] | None  # None: no outcome ratings on this store
    voice: tuple[VoiceLine, ...] | None
    unseen_girls: Figure
    # The measures from records beyond the BoardInput (transitions at 18, change over the period, siblings of young
    # people who offend, referral timings: youthwork.domain.figures.change and .referral_times), which each loader
    # works out by the same functions and passes to `compute_board`.
    local: tuple[Figure, ...] = ()

    def figure(self, key: str) -> Figure:
        for f in (*self.measures, *self.local):
            if f.key == key:
                return f
        return self.activity.figure(key)

    def point(self, key: str) -> DecisionPoint:
        return next(p for p in self.fair if p.key == key)

    def headline(self) -> list[Figure]:
        """The measures a board reads first, each a Figure with its records."""
        quarter = {"reached_new": "New this quarter (first ever attendance)"}
        out = []
        for k in ("sessions", "hours", "reached", "reached_new", "reached_girls", "referrals"):
            try:
                f = self.activity.figure(k)
            except KeyError:
                continue
            out.append(Figure(f.key, quarter.get(k, f.label), f.value, f.ids, f.table, f.unit, f.note))
        # The RAG spread at the quarter's end (percent of those rated in the note) and who moved over it.
        out += [f for f in self.activity.figures() if f.key in RAG_HEADLINE and f.recorded]
        return [*out, *self.measures, *self.local, self.unseen_girls]

    def to_dict(self, *, suppress: bool = False) -> dict[str, Any]:
        return {
            "quarter": self.period.label(),
            "starts": self.period.first.isoformat(),
            "ends": self.period.last.isoformat(),
            "team_id": self.team_id,
            "as_of": self.as_of.isoformat(),
            "suppressed_below": SUPPRESS_BELOW if suppress else None,
            "measures": [_figure_dict(f, suppress) for f in self.headline()],
            "baseline": None
            if self.baseline is None
            else {"id": self.baseline.id, "name": self.baseline.name, "residents": self.baseline.total},
            "fair_figures": [p.to_dict(suppress=suppress) for p in self.fair],
            "distance_travelled": None
            if self.outcomes is None
            else [
                {
                    "programme": o.programme,
                    "label": o.label,
                    "young_people": shown(len(o.people), suppress=suppress),
                    "average_change": None if o.average_change is None else round(o.average_change, 2),
                    "improved": shown(len(o.improved), suppress=suppress),
                    "by_capability": [[c, round(v, 2)] for c, v in o.by_capability],
                    "rating_ids": [] if suppress and len(o.people) < SUPPRESS_BELOW else list(o.rating_ids),
                }
                for o in self.outcomes
            ],
            "young_peoples_voice": None if self.voice is None else [v.to_dict(suppress=suppress) for v in self.voice],
        }


def _figure_dict(f: Figure, suppress: bool) -> dict[str, Any]:
    d = f.to_dict()
    if f.value is not None and f.unit != "hours" and isinstance(f.value, int) and f.table:
        small = suppress and 0 < f.value < SUPPRESS_BELOW
        d["value"] = shown(int(f.value), suppress=suppress)
        if small:
            d["ids"] = []
    return d


def not_recorded_figure(key: str, label: str, why: str) -> Figure:
    """A measure whose records this store doesn't hold: None (never zero), and why."""
    return Figure(key, label, None, (), "", note=f"{NOT_RECORDED}: {why}")


# ---- computing ------------------------------------------------------------------------------------------------------


def _in(period: Period, when: datetime | date | None) -> bool:
    if when is None:
        return False
    if isinstance(when, datetime):
        return period.contains(when)
    return period.first <= when <= period.last


def _in_period(period: Period, rows: Iterable[_R], when: Callable[[_R], datetime | None]) -> list[_R]:
    """The rows whose time falls in the period, by id: the period's bounds worked out once rather than per row (a
    quarter tests thousands)."""
    start, end = period.start.astimezone(UTC), period.end.astimezone(UTC)
    return sorted(
        (r for r in rows if (t := when(r)) is not None and start <= (t if t.tzinfo else t.replace(tzinfo=UTC)) < end),
        key=_ID,
    )


def _first_ratings(ratings: Sequence[RatingRow]) -> tuple[dict[str, RatingRow], dict[str, RatingRow]]:
    """Each young person's starting rating (their first "start", else their first) and latest rating in order."""
    ordered = sorted((r for r in ratings if r.rated_on is not None), key=lambda r: (r.rated_on, r.id))
    start: dict[str, RatingRow] = {}
    for r in ordered:
        if r.stage == "start" and r.person_id not in start:
            start[r.person_id] = r
    for r in ordered:
        start.setdefault(r.person_id, r)
    latest = {r.person_id: r for r in ordered}
    return start, latest


def _change(start: RatingRow, later: RatingRow) -> tuple[float, dict[str, int]] | None:
    both = [c for c in start.scores if c in later.scores]
    if not both:
        return None
    per = {c: later.scores[c] - start.scores[c] for c in both}
    return sum(per.values()) / len(both), per


def _good_outcomes(inp: BoardInput) -> list[str] | None:
    if inp.ratings is None:
        return None
    start, _ = _first_ratings(inp.ratings)
    out = []
    for r in sorted(inp.ratings, key=lambda r: (r.rated_on or date.min, r.id)):
        s = start.get(r.person_id)
        if r.stage == "closing" and _in(inp.period, r.rated_on) and s is not None and s.id != r.id:
            ch = _change(s, r)
            if ch is not None and ch[0] > 0:
                out.append(r.person_id)
    return out


def decision_ids(inp: BoardInput) -> dict[str, list[str] | None]:
    """The young people at each decision point in the quarter (None: not recorded on this store)."""
    p = inp.period
    return {
        "reached": list(inp.activity.figure("reached").ids),
        "referred": None if inp.referrals is None else [r.person_id for r in _in_period(p, inp.referrals, _SENT_AT)],
        "rated_red": None
        if inp.rag is None
        else [r.person_id for r in _in_period(p, (r for r in inp.rag if r.rating == "red"), _SET_AT)],
        "safety_plan": None if inp.plans is None else [x.person_id for x in _in_period(p, inp.plans, _CREATED_AT)],
        "missing": None if inp.missing is None else [m.person_id for m in _in_period(p, inp.missing, _REPORTED_AT)],
        "third_nfa": None
        if inp.joint_visits is None
        else [v.person_id for v in sorted(inp.joint_visits, key=lambda v: v.id) if v.tried and _in(p, v.visited_on)],
        "good_outcome": _good_outcomes(inp),
    }


def people_wanted(inp: BoardInput) -> set[str]:
    """Whose details the pack needs (loaders read only these)."""
    return {pid for ids in decision_ids(inp).values() if ids for pid in ids}


_NOT_RECORDED_WHY = {
    "missing": "no missing episodes on this store",
    "third_nfa": "no joint home visits on this store",
    "referred": "no referrals on this store",
    "rated_red": "no RAG ratings on this store",
    "safety_plan": "no safety plans on this store",
    "good_outcome": "no outcome ratings on this store",
}


def _rate(count: int, population: int | None) -> float | None:
    return None if not population else 1000 * count / population


def _cells(
    groups: Mapping[str, list[str]],
    labels: Mapping[str, str],
    populations: Mapping[str, int | None],
    base: float | None,
) -> tuple[Cell, ...]:
    """One cell per group; each group lists distinct young people (a decision point counts each once)."""
    out = []
    order = {k: i for i, k in enumerate(labels)}
    for key in sorted(groups, key=lambda k: (order.get(k, len(labels)), k)):
        ids = tuple(groups[key])
        pop = populations.get(key)
        rate = _rate(len(ids), pop)
        out.append(Cell(key, labels.get(key, key), ids, pop, rate, None if rate is None or not base else rate / base))
    return tuple(out)


def _group_labels() -> dict[str, str]:
    return {f"{e.value}/{g.value}": f"{e.label}, {g.label.lower()}" for e in Ethnicity for g in Gender}


_NOT_STATED, _NOT_KNOWN, _FEMALE = Ethnicity.NOT_STATED.value, Gender.NOT_KNOWN.value, Gender.FEMALE.value


def _group_keys(inp: BoardInput, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Each young person's ethnicity/gender group and age band on the quarter's first day, worked out once for all
    the decision points (most people are at several; a quarter reaches thousands)."""
    day, people = inp.period.first, inp.people
    unknown = (f"{_NOT_STATED}/{_NOT_KNOWN}", age_band_code(None))
    out = _reached_keys(inp.activity)
    for pid in ids:
        if pid in out:
            continue
        bp = people.get(pid)
        if bp is None:
            out[pid] = unknown
            continue
        p = bp.person
        out[pid] = (f"{p.ethnicity or _NOT_STATED}/{p.gender}", age_band_code(p.age_on(day)))
    return out


def _reached_keys(activity: WeeklyReport) -> dict[str, tuple[str, str]]:
    """The group and age band of the young people reached, as the activity's people section sorted them by gender,
    age band and ethnicity: the same young people on the same day (a period's `monday` is its first day), so they
    are not worked out twice (most of a pack's people are the reached)."""
    section = next((s for s in activity.sections if s.key == "people"), None)
    if section is None:
        return {}
    parts = dict(section.breakdowns)

    def codes(title: str, prefix: str) -> Iterable[tuple[str, tuple[str, ...]]]:
        return ((f.key.removeprefix(prefix), f.ids) for f in parts.get(title, ()))

    gender = {pid: code for code, ids in codes("By gender", "reached_by_gender.") for pid in ids}
    band = {pid: code for code, ids in codes("By age band", "reached_by_age.") for pid in ids}
    out: dict[str, tuple[str, str]] = {}
    for ethnicity, ids in codes("By ethnicity", "reached_by_ethnicity."):
        for pid in ids:
            out[pid] = (f"{ethnicity}/{gender[pid]}", band[pid])
    return out


def _decision_point(
    key: str, label: str, ids: list[str] | None, inp: BoardInput, keys: Mapping[str, tuple[str, str]]
) -> DecisionPoint:
    """`keys`: `_group_keys` of (at least) everyone in `ids`."""
    if ids is None:
        return DecisionPoint(key, label, not_recorded_figure(f"fair.{key}", label, _NOT_RECORDED_WHY.get(key, "")))
    people = tuple(dict.fromkeys(ids))
    fig = Figure(f"fair.{key}", label, len(people), people, "people")
    b = inp.baseline
    base = None if b is None or not b.total else _rate(len(people), b.total)
    by_group: dict[str, list[str]] = defaultdict(list)
    by_age: dict[str, list[str]] = defaultdict(list)
    for pid in people:
        group, band = keys[pid]
        by_group[group].append(pid)
        by_age[band].append(pid)
    group_pop: dict[str, int | None] = {}
    age_pop: dict[str, int | None] = {}
    if b is not None:
        group_pop = {k: b.group(*k.split("/", 1)) for k in by_group}
        age_pop = {k: b.age(k) for k in by_age}
    agencies: tuple[Figure, ...] = ()
    if key == "referred" and inp.referrals is not None:
        by_agency: dict[str, list[str]] = defaultdict(list)
        for r in _in_period(inp.period, inp.referrals, _SENT_AT):
            by_agency[r.to_agency].append(r.id)
        agencies = tuple(
            counted(f"fair.referred.agency.{a}", dict(DEFAULT_AGENCIES).get(a, a), by_agency[a], "referrals")
            for a in sorted(by_agency)
        )
    return DecisionPoint(
        key,
        label,
        fig,
        _cells(by_group, _group_labels(), group_pop, base),
        _cells(by_age, {a.value: a.label for a in AgeBand}, age_pop, base),
        agencies,
        base,
    )


def _outcomes(inp: BoardInput, programme_label: Any) -> tuple[OutcomeLine, ...] | None:
    if inp.ratings is None:
        return None
    start, _ = _first_ratings(inp.ratings)
    latest_in: dict[str, RatingRow] = {}
    for r in sorted(inp.ratings, key=lambda r: (r.rated_on or date.min, r.id)):
        if _in(inp.period, r.rated_on) and r.stage != "start":
            latest_in[r.person_id] = r
    by_prog: dict[str, list[tuple[str, RatingRow, RatingRow, float, dict[str, int]]]] = defaultdict(list)
    for pid, later in sorted(latest_in.items()):
        s = start.get(pid)
        if s is None or s.id == later.id or (ch := _change(s, later)) is None:
            continue
        by_prog[later.programme or s.programme].append((pid, s, later, ch[0], ch[1]))
    lines = []
    for prog in sorted(by_prog):
        rows = by_prog[prog]
        caps: dict[str, list[int]] = defaultdict(list)
        for *_, per in rows:
            for c, v in per.items():
                caps[c].append(v)
        lines.append(
            OutcomeLine(
                prog,
                programme_label(prog),
                tuple(r[0] for r in rows),
                tuple(i for r in rows for i in (r[1].id, r[2].id)),
                sum(r[3] for r in rows) / len(rows),
                tuple(r[0] for r in rows if r[3] > 0),
                tuple((c, sum(v) / len(v)) for c, v in sorted(caps.items())),
            )
        )
    return tuple(lines)


def _voice(inp: BoardInput, place_label: Any, programme_label: Any) -> tuple[VoiceLine, ...] | None:
    if inp.checkins is None:
        return None
    rows = sorted((c for c in inp.checkins if _in(inp.period, c.taken_on)), key=lambda c: c.id)

    def line(kind: str, key: str, label: str, items: list[CheckinRow]) -> VoiceLine:
        helps = Counter(c.would_help for c in items if c.would_help)
        return VoiceLine(
            kind,
            key,
            label,
            tuple(c.id for c in items),
            sum(c.felt_safe == "yes" for c in items),
            sum(c.someone_to_talk == "yes" for c in items),
            tuple(sorted(helps.items(), key=lambda kv: (-kv[1], kv[0]))),
        )

    out = [line("all", "all", "All check-ins", rows)]
    for kind, attr, label_of in (("place", "place", place_label), ("programme", "programme", programme_label)):
        groups: dict[str, list[CheckinRow]] = defaultdict(list)
        for c in rows:
            groups[getattr(c, attr)].append(c)
        out += [line(kind, k, label_of(k) if k else "Not said", groups[k]) for k in sorted(groups)]
    return tuple(out)


def _measures(inp: BoardInput) -> list[Figure]:
    neet, missing = [], []
    people = inp.people
    for pid in inp.activity.figure("reached").ids:  # one pass over the (many) young people reached
        if (bp := people.get(pid)) is not None:
            if bp.education_status == "neet":
                neet.append(pid)
            if "missing" in bp.risk_indicators:
                missing.append(pid)
    out = [
        counted("neet", "Young people reached who are NEET", neet, "people", note="education status recorded as NEET"),
        counted(
            "missing",
            "Young people reached with missing episodes flagged",
            missing,
            "people",
            note="risk indicator on their record",
        ),
        *_missing_measures(inp),
    ]
    if inp.nrm is not None:
        decided = [
            r
            for r in sorted(inp.nrm, key=lambda r: r.id)
            if r.outcome in POSITIVE_NRM and _in(inp.period, r.decided_on)
        ]
        out += [
            counted(
                "nrm_positive",
                "Positive NRM decisions with a safety plan started",
                [r.id for r in decided],
                "safety_plans",
            ),
            counted(
                "nrm_plans_agreed",
                "… of which the safety plan is agreed",
                [r.id for r in decided if r.status in ("agreed", "reviewed", "closed")],
                "safety_plans",
            ),
        ]
    else:
        out.append(
            not_recorded_figure(
                "nrm_plans_agreed", "Safety plans after positive NRM decisions", "no safety plans on this store"
            )
        )
    if inp.checkins is not None:
        out.append(
            counted(
                "check_ins",
                "Young people's check-ins after sessions",
                [c.id for c in sorted(inp.checkins, key=lambda c: c.id) if _in(inp.period, c.taken_on)],
                "session_checkins",
                note="no names shown here",
            )
        )
    else:
        out.append(
            not_recorded_figure("check_ins", "Young people's check-ins after sessions", "no check-ins on this store")
        )
    out += [
        not_recorded_figure(
            "first_time_entrants", "First-time entrants to youth justice", "youth justice outcomes are held by the YOS"
        ),
        not_recorded_figure("reoffending", "Re-offending", "youth justice outcomes are held by the YOS"),
        not_recorded_figure("knife_victims", "Knife-crime victims under 25", "not recorded in youthwork"),
    ]
    return out


def _missing_measures(inp: BoardInput) -> list[Figure]:
    """Missing episodes reported in the quarter, the young people they were about (from home, from care), and the
    return home interviews offered within 72 hours of a return in the quarter (and of those, done)."""
    if inp.missing is None:
        why = "no missing episodes on this store"
        return [
            not_recorded_figure("missing_episodes", "Missing episodes", why),
            not_recorded_figure("rhi_within_72h", "Return home interviews offered within 72 hours", why),
        ]
    offered: dict[str, InterviewRow] = {}
    for i in sorted(inp.interviews, key=lambda i: (i.created_at or datetime.min.replace(tzinfo=UTC), i.id)):
        offered.setdefault(i.episode_id, i)
    episodes = sorted(inp.missing, key=lambda m: m.id)
    reported = [e for e in episodes if _in(inp.period, e.reported_at)]
    people = sorted({e.person_id for e in reported})
    from_care = sorted({e.person_id for e in reported if e.from_care})
    returned = [e for e in episodes if _in(inp.period, e.returned_at)]
    in_time = [e.id for e in returned if e.id in offered and offered_in_time(e.returned_at, offered[e.id].offered_at)]
    done = [e for e in in_time if offered[e].status == InterviewStatus.DONE]
    return [
        counted("missing_episodes", "Missing episodes reported", [e.id for e in reported], "missing_episodes"),
        counted("missing_people", "Young people reported missing", people, "people"),
        counted("missing_from_care", "… of whom missing from care", from_care, "people"),
        counted("missing_returned", "Returns from a missing episode", [e.id for e in returned], "missing_episodes"),
        counted(
            "rhi_within_72h",
            "Return home interviews offered within 72 hours",
            in_time,
            "missing_episodes",
            note="of the returns in the period",
        ),
        counted("rhi_done", "… of which the interview was done", done, "missing_episodes"),
    ]


def unseen_girls(inp: BoardInput) -> Figure:
    referred = {r.person_id for r in inp.referrals or ()}
    planned = {p.person_id for p in inp.plans or ()}
    people = inp.people
    ids = [
        pid
        for pid in inp.activity.figure("reached").ids
        if (bp := people.get(pid)) is not None
        and bp.risk_indicators  # most have none: the cheapest test first
        and not EXPLOITATION.isdisjoint(bp.risk_indicators)
        and bp.person.gender == _FEMALE
        and pid not in referred
        and pid not in planned
    ]
    return counted(
        "unseen_girls",
        "Girls seen with exploitation indicators and no referral or plan",
        ids,
        "people",
        note="criminal or sexual exploitation or gang association flagged; no referral or safety plan ever",
    )


def compute_board(
    inp: BoardInput,
    *,
    team_id: str | None = None,
    now: datetime,
    place_label: Any = None,
    programme_label: Any = None,
    local: Sequence[Figure] = (),
) -> BoardPack:
    """The quarter's board pack from its rows (people filled for `people_wanted(inp)`)."""
    place_label = place_label or (lambda k: k.replace("_", " ").title())
    programme_label = programme_label or (lambda k: vocab_label(SessionType, k) if k else "Not said")
    ids = decision_ids(inp)
    keys = _group_keys(inp, (pid for people in ids.values() if people for pid in people))
    return BoardPack(
        inp.period,
        team_id,
        now,
        inp.activity,
        tuple(_measures(inp)),
        tuple(_decision_point(k, label, ids[k], inp, keys) for k, label in DECISION_POINTS),
        inp.baseline,
        _outcomes(inp, programme_label),
        _voice(inp, place_label, programme_label),
        unseen_girls(inp),
        tuple(local),
    )


def board_activity(data: WeekInput, *, team_id: str | None, now: datetime) -> WeeklyReport:
    """The quarter's activity as a pack reads it (`data.week` the quarter): the laptop and the service both call this,
    so their packs count the same sections the same way."""
    return compute_weekly(data, team_id=team_id, now=now, sections=BOARD_SECTIONS)


def latest_baseline(rows: Iterable[Baseline]) -> Baseline | None:
    """The baseline to use: the one most recently loaded (ids are time-ordered)."""
    ordered = sorted(rows, key=lambda b: b.id)
    return ordered[-1] if ordered else None
