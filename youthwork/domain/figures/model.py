"""The output side of the weekly figures: a Figure (a number with the ids behind it), a Section, the WeeklyReport;
and the few helpers every section builds its figures with."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from youthwork.domain.vocab import DEFAULT_AGENCIES, Vocab
from youthwork.domain.weeks import IsoWeek

NOT_RECORDED = "not recorded yet"


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


# ---- building figures -------------------------------------------------------------------------------------------


def counted(key: str, label: str, ids: Iterable[str], table: str, **kw: Any) -> Figure:
    """A figure that counts records: its value is the number of distinct ids, listed in first-seen order."""
    ordered = tuple(dict.fromkeys(ids))
    return Figure(key, label, len(ordered), ordered, table, **kw)


def not_recorded(key: str, label: str, table: str) -> Figure:
    """A figure whose records this laptop or service doesn't hold yet: None, never zero."""
    return Figure(key, label, None, (), table, note=NOT_RECORDED)


def vocab_label(vocab: type[Vocab], code: str | None) -> str:
    """The words for a vocabulary code; an unknown code (from a newer laptop) is shown tidied, not dropped."""
    if code is None:
        return "Not recorded"
    try:
        return vocab(code).label
    except ValueError:
        return code.replace("_", " ").capitalize()


def agency_label(code: str) -> str:
    return dict(DEFAULT_AGENCIES).get(code, code)


def breakdown(
    prefix: str,
    groups: Mapping[str, list[str]],
    label_of: Callable[[str], str],
    table: str,
    order: Iterable[str] = (),
) -> tuple[Figure, ...]:
    """One counted figure per group, known codes in vocabulary order first, then any others alphabetically."""
    order = list(order)
    keys = [k for k in order if k in groups] + sorted(k for k in groups if k not in set(order))
    return tuple(counted(f"{prefix}.{k}", label_of(k), groups[k], table) for k in keys)
