"""The board pack's measures of change and family, as pure functions over plain rows: the one definition the laptop
(youthwork.reports.change and youthwork.reports.board, from its store) and the service (youthwork.server.reports,
from its records) share.

- **Change over the period** from the dated circumstances (youthwork.domain.circumstances): how many young people
  were NEET, excluded, in alternative provision, looked after, or on a child in need or protection plan on the first
  day and on the last, and who became so or stopped being so. A young person counts by their dated history alone:
  someone whose circumstances were never recorded as changed is not counted, never guessed from today's profile.
- **Brothers and sisters of young people who offend** (linked on the Family tab): offending is a police NFA by the
  period's last day, or a red RAG rating ("still offending") at its end.
- **Transitions at 18**: young people who turned 18 in the period and were red or amber (their current RAG) or open
  to TYS (the transitions list's rule), and of them those whose handover to the transitions service was sent before
  their birthday (no cliff edge).

Every figure carries its young people's ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from youthwork.domain.circumstances import Circumstance, CircumstanceChange, value_on
from youthwork.domain.family import BETWEEN_YOUNG_PEOPLE
from youthwork.domain.figures.model import Figure, counted
from youthwork.domain.figures.rag import ratings_at
from youthwork.domain.figures.rows import RagRow, as_date, as_datetime
from youthwork.domain.referrals import SHARING_STATUSES
from youthwork.domain.vocab import EducationStatus, SocialCare
from youthwork.domain.weeks import LONDON, Period

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

TURNED_18 = "Young people who turned 18 (red, amber or open to TYS)"


def by_person(changes: Iterable[CircumstanceChange]) -> dict[str, list[CircumstanceChange]]:
    out: dict[str, list[CircumstanceChange]] = {}
    for change in changes:
        out.setdefault(change.person_id, []).append(change)
    return out


def change_figures(by_person: Mapping[str, Sequence[CircumstanceChange]], period: Period) -> list[Figure]:
    """For each measured circumstance: at the start, at the end, became, stopped."""
    out: list[Figure] = []
    for key, words, what, values in MEASURED:
        start = _holding(by_person, what, values, period.first)
        end = _holding(by_person, what, values, period.last)
        out += [
            counted(f"{key}_at_start", f"Young people {words} on {period.first:%d/%m/%Y}", sorted(start), "people"),
            counted(f"{key}_at_end", f"Young people {words} on {period.last:%d/%m/%Y}", sorted(end), "people"),
            counted(f"became_{key}", f"… became {words} in the period", sorted(end - start), "people"),
            counted(f"no_longer_{key}", f"… no longer {words}", sorted(start - end), "people"),
        ]
    return out


def _holding(
    by_person: Mapping[str, Sequence[CircumstanceChange]], what: Circumstance, values: Iterable[str], day: date
) -> set[str]:
    wanted = set(values)
    return {pid for pid, changes in by_person.items() if value_on(changes, what.value, day) in wanted}


@dataclass(frozen=True, slots=True)
class NfaRow:
    person_id: str
    notified_on: date | None

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> NfaRow:
        return cls(d.get("person_id") or "", as_date(d.get("notified_on")))


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A family link: `other_person_id` is another young person on the records, or blank (a parent or carer)."""

    person_id: str
    other_person_id: str
    relation: str

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> LinkRow:
        return cls(d.get("person_id") or "", d.get("other_person_id") or "", d.get("relation") or "")


def siblings_figure(period: Period, nfa: Iterable[NfaRow], rag: Iterable[RagRow], links: Iterable[LinkRow]) -> Figure:
    """Brothers and sisters of young people who offend, as the strategies target them for mentoring."""
    offending = {n.person_id for n in nfa if n.notified_on is not None and n.notified_on <= period.last}
    offending |= {p for p, rating in ratings_at(rag, period.end).items() if rating == "red"}
    siblings: set[str] = set()
    for link in links:
        if not link.other_person_id or link.relation not in BETWEEN_YOUNG_PEOPLE:
            continue
        if link.person_id in offending:
            siblings.add(link.other_person_id)
        if link.other_person_id in offending:
            siblings.add(link.person_id)
    return counted(
        "siblings_of_offending",
        "Brothers and sisters of young people who offend",
        sorted(siblings),
        "people",
        note="linked as family to a young person with a police NFA or rated red",
    )


@dataclass(frozen=True, slots=True)
class TransitionPerson:
    id: str
    date_of_birth: date | None
    rag: str

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> TransitionPerson:
        return cls(d["id"], as_date(d.get("date_of_birth")), d.get("rag") or "")


@dataclass(frozen=True, slots=True)
class TransitionReferral:
    person_id: str
    to_agency: str
    kind: str
    status: str
    sent_at: datetime | None

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> TransitionReferral:
        return cls(
            d.get("person_id") or "",
            d.get("to_agency") or "",
            d.get("kind") or "",
            d.get("status") or "draft",
            as_datetime(d.get("sent_at")),
        )


def born_between(period: Period) -> tuple[date, date]:
    """The dates of birth of those who turn 18 in the period (loaders read only these)."""
    return years_before(period.first, 18), years_before(period.last, 18)


def transition_figures(
    period: Period, people: Iterable[TransitionPerson], referrals: Iterable[TransitionReferral]
) -> list[Figure]:
    """`referrals`: the young people's referrals (drafts are left out here)."""
    lo, hi = born_between(period)
    mine: dict[str, list[TransitionReferral]] = {}
    for r in referrals:
        if r.status != "draft":
            mine.setdefault(r.person_id, []).append(r)
    turned, handed = [], []
    for p in sorted(people, key=lambda p: p.id):
        if p.date_of_birth is None or not lo <= p.date_of_birth <= hi:
            continue
        turns = years_before(p.date_of_birth, -18)
        if not period.first <= turns <= period.last:
            continue
        theirs = mine.get(p.id, [])
        open_tys = any(r.to_agency == "tys" and r.status in SHARING_STATUSES for r in theirs)
        if p.rag not in ("red", "amber") and not open_tys:
            continue
        turned.append(p.id)
        before = [r.sent_at for r in theirs if r.kind == "transition" and r.status != "declined"]
        if any(when is not None and when.astimezone(LONDON).date() < turns for when in before):
            handed.append(p.id)
    return [
        Figure("turned_18", TURNED_18, len(turned), tuple(turned), "people", note="date of birth recorded"),
        Figure(
            "transition_before_18",
            "… of whom a handover to the transitions service was planned before their birthday",
            len(handed),
            tuple(handed),
            "people",
        ),
    ]


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 3, 1)
