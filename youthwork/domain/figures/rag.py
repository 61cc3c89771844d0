"""RAG that reports: the spread of red, amber and green (the strategy's "36%, 42%, 21%") and who moved over a period.

Counting rules:
- A young person's rating at a moment is the latest rating in their history set before it (a safety-critical field:
  a conflict's held value is not in the history until reviewed). Someone never rated is not in the spread.
- The spread is of the young people rated by the end of the period, each once; percentages are of them, rounded to
  whole numbers (so they may add to 99 or 101, as the strategy's do).
- Moved towards green: rated at the start of the period and, at its end, on a greener rating (red -> amber, amber ->
  green, red -> green); towards red the other way. Rated for the first time in the period: "newly rated", not moved.
- Ratings count for the team that set them (the team on the rating record).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from youthwork.domain.figures.model import Figure, Section, counted, not_recorded
from youthwork.domain.figures.rows import RagRow

RAG_ORDER = ("red", "amber", "green")  # towards green is up this list
_RANK = {r: i for i, r in enumerate(RAG_ORDER)}


def ratings_at(rows: Iterable[RagRow], moment: datetime) -> dict[str, str]:
    """Each young person's rating just before `moment` (person id -> red/amber/green): the latest by (time, id)."""
    # In UTC, as the ratings are: comparing two times in the same zone is several times quicker than across zones
    # (a week's start is in UK time), and it is asked once per rating in the history (60,000 at 100,000 young
    # people). Unpacked rather than read by attribute, for the same reason.
    moment = moment.astimezone(UTC)
    latest: dict[str, tuple[datetime, str, str]] = {}
    for rid, _team, pid, rating, at in rows:
        if at is None or at >= moment or rating not in _RANK:
            continue
        key = (at, rid, rating)
        if pid not in latest or key > latest[pid]:
            latest[pid] = key
    return {pid: v[2] for pid, v in latest.items()}


@dataclass(frozen=True, slots=True)
class RagChange:
    spread: dict[str, tuple[str, ...]]  # rating -> person ids at the end, sorted
    towards_green: tuple[str, ...]
    towards_red: tuple[str, ...]
    newly_rated: tuple[str, ...]

    @property
    def rated(self) -> int:
        return sum(len(v) for v in self.spread.values())

    def percent(self, rating: str) -> int:
        return round(100 * len(self.spread[rating]) / self.rated) if self.rated else 0


def rag_change(rows: Iterable[RagRow], start: datetime, end: datetime, team_id: str | None = None) -> RagChange:
    """The spread at `end` and the movement between `start` and `end`."""
    mine = list(rows) if team_id is None else [r for r in rows if r.team_id == team_id]
    before, after = ratings_at(mine, start), ratings_at(mine, end)
    by_rating: dict[str, list[str]] = {rating: [] for rating in RAG_ORDER}
    for p, r in after.items():
        by_rating[r].append(p)
    spread = {rating: tuple(sorted(ids)) for rating, ids in by_rating.items()}
    green = sorted(p for p, r in after.items() if p in before and _RANK[r] > _RANK[before[p]])
    red = sorted(p for p, r in after.items() if p in before and _RANK[r] < _RANK[before[p]])
    new = sorted(p for p in after if p not in before)
    return RagChange(spread, tuple(green), tuple(red), tuple(new))


def rag_figures(change: RagChange, prefix: str = "rag") -> tuple[Figure, ...]:
    """The spread (count and percent of those rated) and the movement, as figures with their young people's ids."""
    out = []
    for rating in RAG_ORDER:
        ids = change.spread[rating]
        out.append(
            counted(
                f"{prefix}_{rating}",
                f"Rated {rating}",
                ids,
                "people",
                unit="people",
                note=f"{change.percent(rating)}% of the {change.rated} rated",
            )
        )
    out += [
        counted(f"{prefix}_towards_green", "Moved towards green", change.towards_green, "people"),
        counted(f"{prefix}_towards_red", "Moved towards red", change.towards_red, "people"),
        counted(f"{prefix}_newly_rated", "Rated for the first time", change.newly_rated, "people"),
    ]
    return tuple(out)


def rag_section(rows: list[RagRow] | None, start: datetime, end: datetime, team_id: str | None) -> Section:
    """The week's RAG spread at its end and who moved during it."""
    if rows is None:
        return Section("rag", "RAG ratings", (not_recorded("rag_red", "RAG spread", "rag_ratings"),))
    return Section("rag", "RAG ratings", rag_figures(rag_change(rows, start, end, team_id)))
