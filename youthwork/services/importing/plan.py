"""Working out what a sheet would do, row by row, before anything is written: the preview and the dry run are this
plan, and the import writes exactly it.

Each row is added (a new young person, and a line on a session's register when the sheet has sessions), matched (to
a young person already recorded, who is not added again), refused (with its reason), or already imported (its row
key is in the ledger). Rows are grouped into units that must be written together: a session and its whole register,
or one young person.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any, Generic, TypeVar

from youthwork.domain.errors import ShownError
from youthwork.domain.records import Attendance, Record, Session, YoungPerson, utc_now
from youthwork.domain.validation import validate_person, validate_session
from youthwork.domain.vocab import SessionStatus
from youthwork.domain.weeks import LONDON
from youthwork.services.importing import cells
from youthwork.services.importing.mapping import PERSON_NAME_TARGETS, SESSION_TARGETS, Mapping
from youthwork.services.importing.matching import DuplicateFinder, why_words
from youthwork.services.importing.sheet import Cell, Sheet, SheetRow

__all__ = ["ImportPlan", "Outcome", "RowResult", "Unit", "make_plan"]

T = TypeVar("T")

ENCODING_REASON = (
    "This row has characters that aren't UTF-8 (it was perhaps pasted from another program). Save the file as "
    "“CSV UTF-8”, or if the whole file came from an old Windows program, import it as Windows (--encoding cp1252)."
)


class Outcome(StrEnum):
    ADDED = "added"
    MATCHED = "matched"
    REFUSED = "refused"
    DONE = "done"  # imported before: by a run that stopped, or from an earlier copy of the file


OUTCOME_WORDS = {
    Outcome.ADDED: "Will be added",
    Outcome.MATCHED: "Already recorded",
    Outcome.REFUSED: "Not imported",
    Outcome.DONE: "Imported before",
}


@dataclass(slots=True)
class RowResult:
    row: int
    outcome: Outcome
    reasons: list[str] = field(default_factory=list)
    name: str = ""  # for the preview only; never stored
    person_id: str = ""
    key: str = ""

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


@dataclass(slots=True)
class Unit:
    """Records and rows written in one go: a session with its register, or one young person."""

    rows: list[RowResult] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


@dataclass(slots=True)
class ImportPlan:
    sheet: Sheet
    mapping: Mapping
    rows: list[RowResult]
    units: list[Unit]
    unknown_columns: list[str]
    has_sessions: bool

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    def refused(self) -> list[RowResult]:
        return [r for r in self.rows if r.outcome == Outcome.REFUSED]

    @property
    def new_people(self) -> int:
        return sum(1 for u in self.units for r in u.records if isinstance(r, YoungPerson))

    @property
    def new_register_lines(self) -> int:
        return sum(1 for u in self.units for r in u.records if isinstance(r, Attendance))

    @property
    def new_sessions(self) -> int:
        return sum(1 for u in self.units for r in u.records if isinstance(r, Session))


class NoNameColumn(ShownError):
    """The sheet has no column the mapping says holds a name."""


@dataclass(slots=True)
class _Parsed:
    person: YoungPerson
    person_key: tuple[str, ...]
    session_key: tuple[str, ...] | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str = ""
    area: str = ""
    session_type: str = ""


@dataclass(slots=True)
class _PlannedPerson:
    id: str
    first_row: int
    record: YoungPerson | None = None  # None: already recorded
    unit: int = -1  # the earliest unit that needs the new record
    matched: bool = False  # recorded before this file (not by an earlier run of it)


@dataclass(slots=True)
class _PlannedSession:
    id: str
    unit: int
    problems: list[str]
    register: dict[str, int] = field(default_factory=dict)  # person id -> sheet row
    locked: bool = False


# The ledger's key text, exactly as json.dumps(..., ensure_ascii=False) writes it (keys already in the ledger must
# still match); one encoder, as json.dumps with an option builds a new one on every call.
_KEY_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _row_key(values: dict[str, str]) -> str:
    return hashlib.sha256(_KEY_ENCODER.encode(sorted(values.items())).encode()).hexdigest()


class _Remembered(Generic[T]):
    """A cell reader that remembers what each distinct cell gave. A sheet repeats its session dates, times, genders
    and yes/no answers row after row (and a register its dates of birth), so each distinct value is read once. A
    cell that can't be read is not remembered: its problem is raised again, in the same words, for every row."""

    __slots__ = ("_read", "_seen")

    def __init__(self, read: Callable[[Cell], T]) -> None:
        self._read = read
        self._seen: dict[tuple[type, Cell], T] = {}

    def __call__(self, cell: Cell) -> T:
        key = (type(cell), cell)  # 1, 1.0 and True are equal keys, but not the same cell
        try:
            return self._seen[key]
        except KeyError:
            value = self._seen[key] = self._read(cell)
            return value


@dataclass(slots=True)
class _Context:
    mapping: Mapping
    team_id: str
    user_id: str
    today: date
    session_type: str
    date_of_birth: _Remembered[date | None] = field(init=False)
    age: _Remembered[int | None] = field(init=False)
    gender: _Remembered[str] = field(init=False)
    ethnicity: _Remembered[str | None] = field(init=False)
    attended: _Remembered[bool] = field(init=False)
    session_date: _Remembered[date | None] = field(init=False)
    start_time: _Remembered[time | None] = field(init=False)
    end_time: _Remembered[time | None] = field(init=False)
    of_session_type: _Remembered[str] = field(init=False)
    # (day, start, end) -> when the session starts and ends, in UTC, and the same as ISO text for its key
    times: dict[tuple[date, time, time], tuple[datetime, datetime, str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        today, default_type = self.today, self.session_type
        self.date_of_birth = _Remembered(lambda v: cells.a_date(v, "date of birth", today=today))
        self.age = _Remembered(cells.an_age)
        self.gender = _Remembered(cells.a_gender)
        self.ethnicity = _Remembered(cells.an_ethnicity)
        self.attended = _Remembered(cells.yes_no)
        self.session_date = _Remembered(lambda v: cells.a_date(v, "session date", today=today))
        self.start_time = _Remembered(lambda v: cells.a_time(v, "start time"))
        self.end_time = _Remembered(lambda v: cells.a_time(v, "end time"))
        self.of_session_type = _Remembered(lambda v: cells.a_session_type(v, default_type))

    def session_times(self, day: date, start: time, end: time) -> tuple[datetime, datetime, str, str]:
        found = self.times.get((day, start, end))
        if found is None:
            starts_at = _at(day, start)
            ends_at = _at(day if end > start else date.fromordinal(day.toordinal() + 1), end)
            found = self.times[(day, start, end)] = (starts_at, ends_at, starts_at.isoformat(), ends_at.isoformat())
        return found


def make_plan(
    sheet: Sheet,
    mapping: Mapping,
    *,
    finder: DuplicateFinder,
    done_keys: set[str],
    made_here: set[str],
    existing_session: Callable[[datetime, str, str], tuple[str, bool, set[str]] | None],
    team_id: str,
    user_id: str,
    add_duplicates: bool = False,
    session_type: str = "detached",
    today: date | None = None,
) -> ImportPlan:
    """`done_keys`: row keys already imported; `made_here`: people an earlier run of this file added;
    `existing_session(starts_at, place, area)`: a session already recorded there then, as (id, signed off, register)."""
    today = today or date.today()
    columns: list[tuple[int, str]] = []
    unknown: list[str] = []
    for i, heading in enumerate(sheet.headings):
        target = mapping.target_of(heading)
        if target is None:
            if heading:
                unknown.append(heading)
        elif target != "ignore":
            columns.append((i, target))
    targets = {t for _, t in columns}
    if not targets & PERSON_NAME_TARGETS:
        raise NoNameColumn(
            f"None of the columns holds a name for the mapping “{mapping.label}”. Choose another mapping, "
            "or say which column is the name."
        )
    has_sessions = bool(targets & SESSION_TARGETS)
    ctx = _Context(mapping, team_id, user_id, today, session_type)
    results: list[RowResult] = []
    units: list[Unit] = []
    seen_keys: dict[str, int] = {}
    people: dict[tuple[str, ...], _PlannedPerson] = {}
    sessions: dict[tuple[str, ...], _PlannedSession] = {}
    for sheet_row in sheet.rows:
        result = RowResult(sheet_row.number, Outcome.REFUSED)
        results.append(result)
        if sheet_row.bad_encoding:
            result.reasons.append(ENCODING_REASON)
            continue
        values = _values(sheet_row, columns)
        texts = {t: cells.text(v) for t, v in values.items()}
        result.name = _shown_name(texts)
        result.key = key = _row_key(texts)
        if key in seen_keys:
            result.reasons.append(f"It is the same as row {seen_keys[key]}, so it was left out.")
            continue
        seen_keys[key] = sheet_row.number
        if key in done_keys:
            result.outcome = Outcome.DONE
            continue
        parsed = _parse(values, texts, ctx, result, has_sessions)
        if parsed is None:
            continue
        result.name = parsed.person.display_name
        planned = people.get(parsed.person_key)
        if planned is not None and not has_sessions:
            result.reasons.append(
                f"It is the same young person as row {planned.first_row} (same name and "
                f"{'date of birth' if parsed.person.date_of_birth else 'area'}), so it was left out."
            )
            continue
        if planned is None:
            planned = _resolve_person(parsed.person, finder, made_here, add_duplicates, sheet_row.number, result)
            people[parsed.person_key] = planned
        elif planned.matched:
            result.outcome = Outcome.MATCHED
            result.reasons.append(f"Joined to the young person already recorded, as in row {planned.first_row}.")
        result.person_id = planned.id
        if result.outcome == Outcome.REFUSED:
            result.outcome = Outcome.ADDED
        if parsed.session_key is None:
            unit = Unit([result])
            units.append(unit)
            if planned.record is not None and planned.unit < 0:
                planned.unit = len(units) - 1
            continue
        session = sessions.get(parsed.session_key)
        if session is None:
            session = _plan_session(parsed, ctx, existing_session, units)
            sessions[parsed.session_key] = session
        if session.problems or session.locked:
            result.outcome = Outcome.REFUSED
            result.reasons.append(
                "That session has been signed off, so its register can't change: ask your supervisor."
                if session.locked
                else " ".join(session.problems)
            )
            continue
        if planned.id in session.register:
            earlier = session.register[planned.id]
            result.outcome = Outcome.REFUSED
            result.reasons.append(
                f"They are already on this session's register (row {earlier})."
                if earlier
                else "They are already on this session's register in youthwork."
            )
            continue
        session.register[planned.id] = sheet_row.number
        unit = units[session.unit]
        unit.rows.append(result)
        unit.records.append(
            Attendance(session_id=session.id, person_id=planned.id, team_id=team_id, created_by=user_id)
        )
        if planned.record is not None and (planned.unit < 0 or session.unit < planned.unit):
            planned.unit = session.unit
    for planned in people.values():
        if planned.record is not None and planned.unit >= 0:
            units[planned.unit].records.insert(0, planned.record)
    return ImportPlan(sheet, mapping, results, [u for u in units if u.rows], unknown, has_sessions)


def _shown_name(texts: dict[str, str]) -> str:
    """The row's name as typed, for the preview (so a refused row can be found in the sheet)."""
    parts = [texts.get(t, "") for t in ("first_name", "last_name")]
    return " ".join(p for p in parts if p) or texts.get("full_name", "") or texts.get("known_as", "")


def _values(row: SheetRow, columns: list[tuple[int, str]]) -> dict[str, Cell]:
    out: dict[str, Cell] = {}
    for i, target in columns:
        value = row.cells[i] if i < len(row.cells) else None
        if isinstance(value, str):
            value = value.strip()
        if target in out and out[target] not in (None, ""):
            continue  # two headings for one field (Surname and Last Name): the first filled wins
        out[target] = value
    return out


def _parse(
    values: dict[str, Cell], txt: dict[str, str], ctx: _Context, result: RowResult, has_sessions: bool
) -> _Parsed | None:
    problems = result.reasons
    first, last = txt.get("first_name", ""), txt.get("last_name", "")
    if not (first or last) and txt.get("full_name"):
        first, _, last = txt["full_name"].partition(" ")
    person = YoungPerson(
        first_name=first.strip(),
        last_name=last.strip(),
        known_as=txt.get("known_as", ""),
        postcode=txt.get("postcode", "").upper(),
        area=txt.get("area", ""),
        address=txt.get("address", ""),
        phone=txt.get("phone", ""),
        email=txt.get("email", ""),
        school=txt.get("school", ""),
        team_id=ctx.team_id,
        created_by=ctx.user_id,
    )
    session_day: date | None = None
    start = end = None
    attended = True
    # Each mapped cell read, or why it can't be: the rest of the row is still checked.
    readers: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
        ("date_of_birth", "date_of_birth", ctx.date_of_birth),
        ("age", "estimated_age", ctx.age),
        ("gender", "gender", ctx.gender),
        ("ethnicity", "ethnicity", ctx.ethnicity),
    )
    for column, attribute, read in readers:
        if column in values:
            try:
                setattr(person, attribute, read(values[column]))
            except cells.CellProblem as e:
                problems.append(str(e))
    if has_sessions:
        try:
            attended = ctx.attended(values.get("attended"))
            session_day = ctx.session_date(values.get("session_date"))
            start = ctx.start_time(values.get("start_time"))
            end = ctx.end_time(values.get("end_time"))
        except cells.CellProblem as e:
            problems.append(str(e))
        if attended and not problems:
            if session_day is None:
                problems.append("There is no session date.")
            if start is None or end is None:
                problems.append("The session's start and end times are missing.")
    if person.estimated_age is not None and person.date_of_birth is None:
        person.age_estimated_on = session_day or ctx.today
    if person.date_of_birth is None and person.estimated_age is None:
        person.incomplete = True
    if problems:
        return None
    place = txt.get("place", "")
    if not person.area and place:
        person.area = place  # met there: the estate or place they are known from
    for p in validate_person(person, today=ctx.today):
        problems.append(p.message)
    if problems:
        return None
    born = person.date_of_birth.isoformat() if person.date_of_birth else ""
    name_key = (person.first_name or person.known_as).lower(), person.last_name.lower()
    parsed = _Parsed(person, (*name_key, born) if born else (*name_key, "@", person.area.lower()))
    if has_sessions and attended and session_day is not None and start is not None and end is not None:
        parsed.starts_at, parsed.ends_at, starts_text, ends_text = ctx.session_times(session_day, start, end)
        parsed.place, parsed.area = place, txt.get("area", "")
        try:
            parsed.session_type = ctx.of_session_type(values.get("session_type"))
        except cells.CellProblem as e:
            problems.append(str(e))
            return None
        parsed.session_key = (starts_text, ends_text, place.lower(), parsed.area.lower(), parsed.session_type)
    return parsed


def _at(day: date, at: time) -> datetime:
    return datetime.combine(day, at, LONDON).astimezone(UTC)


def _resolve_person(
    person: YoungPerson,
    finder: DuplicateFinder,
    made_here: set[str],
    add_duplicates: bool,
    row: int,
    result: RowResult,
) -> _PlannedPerson:
    candidates = finder.candidates(person)
    ours = [c for c in candidates if c in made_here]
    if ours:  # added by an earlier run of this same file, which stopped part way
        return _PlannedPerson(ours[0], row)
    if candidates and not add_duplicates:
        result.outcome = Outcome.MATCHED
        result.reasons.append(
            "A young person with the same name and "
            f"{'date of birth' if person.date_of_birth else 'area'} is already recorded: this row is joined to "
            "them, not added again. If they are two different people, import again with matches added as new."
        )
        return _PlannedPerson(candidates[0], row, matched=True)
    if candidates:
        result.reasons.append(
            "Added as new, though someone with the same name is already recorded: check both in Young people "
            "and merge them if they are the same person."
        )
    else:
        maybe = finder.may_be(person)
        if maybe:
            result.reasons.append(
                f"Added, but they may be a young person already recorded ({why_words(maybe[0][1])}): they will be "
                "offered to merge if they are the same person."
            )
    finder.add(person)
    return _PlannedPerson(person.id, row, person)


def _plan_session(
    parsed: _Parsed,
    ctx: _Context,
    existing_session: Callable[[datetime, str, str], tuple[str, bool, set[str]] | None],
    units: list[Unit],
) -> _PlannedSession:
    assert parsed.starts_at is not None and parsed.ends_at is not None
    units.append(Unit())
    index = len(units) - 1
    found = existing_session(parsed.starts_at, parsed.place, parsed.area)
    if found is not None:
        sid, locked, register = found
        return _PlannedSession(sid, index, [], {pid: 0 for pid in register}, locked)
    session = Session(
        session_type=parsed.session_type,
        status=SessionStatus.SUBMITTED.value,
        starts_at=parsed.starts_at,
        ends_at=parsed.ends_at,
        area=parsed.area,
        place=parsed.place,
        workers=[ctx.user_id] if ctx.user_id else [],
        narrative=f"Imported from a register sheet ({ctx.mapping.label}).",
        submitted_at=utc_now(),
        team_id=ctx.team_id,
        created_by=ctx.user_id,
    )
    problems = [p.message for p in validate_session(session)]
    if not problems:
        units[index].records.append(session)
    return _PlannedSession(session.id, index, problems)
