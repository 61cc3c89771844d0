"""Data quality for a supervisor: the records that need fixing, counted, each count opening onto its records.

- no date of birth (an estimated age is not enough for transitions at 18 or a subject access request);
- ethnicity not stated (the rate, for the board's equality figures);
- quick-adds never completed (a name and a guess from a register);
- possible duplicates (youthwork.domain.duplicates), each pair opening onto the merge;
- recent merges, each undoable while the service allows it.
Only young people still worked with (`active`) count: a record closed long ago is fixed by retention, not by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from youthwork.domain.duplicates import candidate_pairs
from youthwork.domain.merges import MergeStatus, PersonMerge
from youthwork.domain.records import YoungPerson
from youthwork.domain.vocab import Ethnicity, Vocab
from youthwork.store.profile import Profile


class Issue(Vocab):
    NO_DATE_OF_BIRTH = "no_date_of_birth", "No date of birth"
    ETHNICITY_NOT_STATED = "ethnicity_not_stated", "Ethnicity not stated"
    QUICK_ADDS = "quick_adds", "Quick-adds never completed"
    DUPLICATES = "duplicates", "Possible duplicates"
    MERGES = "merges", "Recent merges"


# How each issue is fixed: opening the young person's profile, or the merge of the pair.
FIX: dict[Issue, str] = {
    Issue.NO_DATE_OF_BIRTH: "Open the profile and add the date of birth.",
    Issue.ETHNICITY_NOT_STATED: "Open the profile and ask how they describe their ethnicity.",
    Issue.QUICK_ADDS: "Open the profile and complete their details.",
    Issue.DUPLICATES: "Open the merge: compare the two records and keep one.",
    Issue.MERGES: "Undo a merge made in error (within 14 days, while nothing new was recorded).",
}


@dataclass(frozen=True, slots=True)
class QualityCount:
    issue: Issue
    count: int
    of: int  # young people counted (active)

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.of) if self.of else 0


@dataclass(frozen=True, slots=True)
class QualityRow:
    person_id: str
    name: str
    detail: str
    other_id: str = ""  # the second record of a duplicate pair (the one usually merged away)
    merge_id: str = ""


def _added(p: YoungPerson, today: date) -> str:
    days = (today - p.created_at.date()).days
    return "added today" if days <= 0 else f"added {days} day{'s' if days != 1 else ''} ago"


class DataQuality:
    def __init__(self, profile: Profile) -> None:
        self._repo = profile.records

    def _active(self) -> list[YoungPerson]:
        return self._repo.select(YoungPerson, "active = 1", order="first_name COLLATE NOCASE, last_name, id")

    def counts(self, today: date | None = None) -> list[QualityCount]:
        today = today or date.today()
        people = self._active()
        merges = self._recent_merges()
        return [
            QualityCount(Issue.NO_DATE_OF_BIRTH, sum(p.date_of_birth is None for p in people), len(people)),
            QualityCount(Issue.ETHNICITY_NOT_STATED, sum(_not_stated(p) for p in people), len(people)),
            QualityCount(Issue.QUICK_ADDS, sum(p.incomplete for p in people), len(people)),
            QualityCount(Issue.DUPLICATES, len(candidate_pairs(people, today)), len(people)),
            QualityCount(Issue.MERGES, len(merges), len(people)),
        ]

    def rows(self, issue: Issue | str, today: date | None = None) -> list[QualityRow]:
        """The records behind one count, in name order (pairs: oldest record first)."""
        today = today or date.today()
        issue = Issue(issue)
        people = self._active()
        if issue is Issue.DUPLICATES:
            by_id = {p.id: p for p in people}
            out = []
            for c in candidate_pairs(people, today):
                keep, dup = by_id[c.first], by_id[c.second]
                why = "; ".join(r.label.lower() for r in c.reasons)
                out.append(QualityRow(keep.id, f"{keep.display_name} and {dup.display_name}", why, other_id=dup.id))
            return out
        if issue is Issue.MERGES:
            return [
                QualityRow(m.into_person_id, self._name(m.into_person_id), _merge_detail(m), merge_id=m.id)
                for m in self._recent_merges()
            ]
        checks: dict[Issue, Callable[[YoungPerson], bool]] = {
            Issue.NO_DATE_OF_BIRTH: lambda p: p.date_of_birth is None,
            Issue.ETHNICITY_NOT_STATED: _not_stated,
            Issue.QUICK_ADDS: lambda p: p.incomplete,
        }
        keep_if = checks[issue]
        return [QualityRow(p.id, p.display_name, _detail(p, today)) for p in people if keep_if(p)]

    def _recent_merges(self) -> list[PersonMerge]:
        return self._repo.select(PersonMerge, "status = ?", (MergeStatus.MERGED.value,), order="merged_at DESC, id")

    def _name(self, person_id: str) -> str:
        person = self._repo.get(YoungPerson, person_id)
        return person.display_name if person else "(not on this laptop)"


def _not_stated(p: YoungPerson) -> bool:
    return p.ethnicity in (None, "", Ethnicity.NOT_STATED.value)


def _detail(p: YoungPerson, today: date) -> str:
    age = p.age_on(today)
    bits = [p.area or "no area", f"about {age}" if age is not None and p.date_of_birth is None else ""]
    return ", ".join(b for b in [*bits, _added(p, today)] if b)


def _merge_detail(m: PersonMerge) -> str:
    chosen = len(m.kept)
    return f"merged on {m.merged_at:%d %b %Y}, {chosen} detail{'s' if chosen != 1 else ''} taken from the duplicate"
