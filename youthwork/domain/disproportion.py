"""Who gets linked to peer groups, set against the young people the team reaches: ethnicity × gender.

The Gangs Matrix drew in a disproportionate number of young Black men. A supervisor sees, beside the group list, each
ethnic group (the census's top level, so small numbers still mean something) and gender: how many young people are
linked to any group, how many the team reaches, each as a share of its total, and the ratio of the two shares. A
ratio of `FLAG_RATIO` or more, from at least `FLAG_MINIMUM` linked young people, is flagged for the supervisor to
look at: a question to ask, not a finding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from youthwork.domain.vocab import Ethnicity, Gender

FLAG_RATIO = 1.5
FLAG_MINIMUM = 2
NOT_RECORDED = "Not recorded"


@dataclass(frozen=True, slots=True)
class Cell:
    ethnic_group: str
    gender: str
    linked: int
    reached: int
    linked_share: float  # of everyone linked, 0..1
    reached_share: float  # of everyone reached, 0..1
    ratio: float | None  # linked_share / reached_share (None: nobody of them reached)
    flagged: bool


def ethnic_group(code: str | None) -> str:
    try:
        return Ethnicity(code).group if code else NOT_RECORDED
    except ValueError:
        return NOT_RECORDED


def gender_label(code: str | None) -> str:
    try:
        return Gender(code or "not_known").label
    except ValueError:
        return Gender.NOT_KNOWN.label


def monitor(
    linked: Iterable[tuple[str | None, str | None]], reached: Iterable[tuple[str | None, str | None]]
) -> list[Cell]:
    """Cells for each (ethnicity, gender) of young people linked and reached; each person counted once per list.

    `linked` and `reached` are (ethnicity code, gender code) per young person. Cells come in a fixed order (ethnic
    group, then gender), never sorted by how many are linked: this is a check on the team, not a ranking.
    """
    a = Counter((ethnic_group(e), gender_label(g)) for e, g in linked)
    b = Counter((ethnic_group(e), gender_label(g)) for e, g in reached)
    total_a, total_b = sum(a.values()), sum(b.values())
    out = []
    for key in sorted(set(a) | set(b)):
        la, rb = a.get(key, 0), b.get(key, 0)
        share_a = la / total_a if total_a else 0.0
        share_b = rb / total_b if total_b else 0.0
        ratio = share_a / share_b if share_b else None
        flagged = la >= FLAG_MINIMUM and (ratio is None or ratio >= FLAG_RATIO)
        out.append(Cell(key[0], key[1], la, rb, share_a, share_b, ratio, flagged))
    return out
