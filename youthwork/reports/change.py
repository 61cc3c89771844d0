"""Change over a period from the dated circumstances (youthwork.domain.circumstances): how many young people were
NEET, excluded, in alternative provision, looked after, or on a child in need or protection plan on the first day
and on the last, and who became so or stopped being so. Every figure carries its young people's ids.

A young person counts by their dated history alone: someone whose circumstances were never recorded as changed
(records from before the history was kept) is not counted, never guessed from today's profile.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from youthwork.domain.circumstances import Circumstance, CircumstanceChange, value_on
from youthwork.domain.family import BETWEEN_YOUNG_PEOPLE
from youthwork.domain.figures import Figure, RagRow
from youthwork.domain.figures.model import counted
from youthwork.domain.figures.rag import ratings_at
from youthwork.domain.vocab import EducationStatus, SocialCare
from youthwork.domain.weeks import Period
from youthwork.store.database import Database
from youthwork.store.rowcodec import codec_for

log = logging.getLogger(__name__)

# (key, words, circumstance, the values that count)
MEASURED: tuple[tuple[str, str, Circumstance, frozenset[str]], ...] = (
    ("neet", "NEET", Circumstance.EDUCATION, frozenset({EducationStatus.NEET.value})),
    ("excluded", "excluded from school", Circumstance.EDUCATION, frozenset({EducationStatus.EXCLUDED.value})),
    (
        "alternative_provision",
        "in alternative provision",
        Circumstance.EDUCATION,
        frozenset({EducationStatus.ALTERNATIVE_PROVISION.value}),
    ),
    ("employment", "in employment", Circumstance.EDUCATION, frozenset({EducationStatus.EMPLOYMENT.value})),
    ("looked_after", "looked after", Circumstance.LOOKED_AFTER, frozenset({"yes"})),
    ("send", "with SEND or an EHCP", Circumstance.SEND, frozenset({"yes"})),
    ("child_in_need", "on a child in need plan", Circumstance.SOCIAL_CARE, frozenset({SocialCare.CHILD_IN_NEED.value})),
    (
        "child_protection",
        "on a child protection plan",
        Circumstance.SOCIAL_CARE,
        frozenset({SocialCare.CHILD_PROTECTION.value}),
    ),
)


def load_changes(db: Database, team_id: str | None = None) -> dict[str, list[CircumstanceChange]]:
    """Every dated change, by young person (the team's, when given)."""
    codec = codec_for(CircumstanceChange)
    sql = "SELECT * FROM circumstance_changes" + (" WHERE team_id = ?" if team_id else "")
    out: dict[str, list[CircumstanceChange]] = {}
    for row in db.query(sql, (team_id,) if team_id else ()):
        change: CircumstanceChange = codec.from_row(row)  # type: ignore[assignment]
        out.setdefault(change.person_id, []).append(change)
    return out


def change_figures(by_person: dict[str, list[CircumstanceChange]], period: Period) -> list[Figure]:
    """For each measured circumstance: at the start, at the end, became, stopped."""
    out: list[Figure] = []
    for key, words, what, values in MEASURED:
        start = _holding(by_person, what, values, period, first=True)
        end = _holding(by_person, what, values, period, first=False)
        out += [
            counted(f"{key}_at_start", f"Young people {words} on {period.first:%d/%m/%Y}", sorted(start), "people"),
            counted(f"{key}_at_end", f"Young people {words} on {period.last:%d/%m/%Y}", sorted(end), "people"),
            counted(f"became_{key}", f"… became {words} in the period", sorted(end - start), "people"),
            counted(f"no_longer_{key}", f"… no longer {words}", sorted(start - end), "people"),
        ]
    return out


def _holding(
    by_person: dict[str, list[CircumstanceChange]],
    what: Circumstance,
    values: Iterable[str],
    period: Period,
    *,
    first: bool,
) -> set[str]:
    day = period.first if first else period.last
    wanted = set(values)
    return {pid for pid, changes in by_person.items() if value_on(changes, what.value, day) in wanted}


def circumstance_measures(db: Database, period: Period, team_id: str | None = None) -> list[Figure]:
    return change_figures(load_changes(db, team_id), period)


def siblings_of_offending(db: Database, period: Period, team_id: str | None = None) -> Figure:
    """Brothers and sisters (linked on the Family tab) of young people who offend, as the strategies target them for
    mentoring: offending is a police NFA by the period's last day, or a red RAG rating ("still offending") at its
    end."""
    team = " AND team_id = ?" if team_id else ""
    params: tuple[str, ...] = (team_id,) if team_id else ()
    offending = {
        r[0]
        for r in db.query(
            f"SELECT person_id FROM nfa_notifications WHERE notified_on <= ?{team}", (period.last.isoformat(), *params)
        )
    }
    rows = [
        RagRow.from_wire(dict(r))
        for r in db.query(f"SELECT id, team_id, person_id, rating, set_at FROM rag_ratings WHERE 1 = 1{team}", params)
    ]
    offending |= {p for p, rating in ratings_at(rows, period.end).items() if rating == "red"}
    siblings: set[str] = set()
    kinds = tuple(sorted(BETWEEN_YOUNG_PEOPLE))
    marks = ",".join("?" * len(kinds))
    for a, b in db.query(
        "SELECT person_id, other_person_id FROM relationships"
        f" WHERE other_person_id != '' AND relation IN ({marks}){team}",
        (*kinds, *params),
    ):
        if a in offending:
            siblings.add(b)
        if b in offending:
            siblings.add(a)
    return counted(
        "siblings_of_offending",
        "Brothers and sisters of young people who offend",
        sorted(siblings),
        "people",
        note="linked as family to a young person with a police NFA or rated red",
    )
