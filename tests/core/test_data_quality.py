"""The supervisor's data-quality counts, hand-counted on a small store, and the records behind each."""

from __future__ import annotations

from datetime import UTC, date, datetime

from youthwork.domain.records import YoungPerson
from youthwork.services.data_quality import DataQuality, Issue
from youthwork.services.merges import MergeService
from youthwork.store.profile import Profile

TODAY = date(2026, 12, 1)


def _add(profile: Profile, first: str, **kw) -> YoungPerson:
    kw.setdefault("created_at", datetime(2026, 11, 1, tzinfo=UTC))
    return profile.records.save(YoungPerson(first_name=first, area=kw.pop("area", "Peckham"), **kw))


def test_counts_and_the_records_behind_them(profile: Profile) -> None:
    born = date(2010, 3, 4)
    a = _add(profile, "Amira", date_of_birth=born, ethnicity="black_african")  # nothing to fix
    b = _add(profile, "Bo", date_of_birth=born, ethnicity="not_stated")  # ethnicity not stated
    c = _add(profile, "Jay", estimated_age=15, age_estimated_on=TODAY, incomplete=True)  # no DOB, none, quick-add
    d = _add(profile, "Jay", estimated_age=14, age_estimated_on=TODAY, ethnicity="white_british")  # no DOB; dup of c
    _add(profile, "Left", active=False)  # not worked with now: not counted
    counts = {q.issue: (q.count, q.of) for q in DataQuality(profile).counts(TODAY)}
    assert counts == {
        Issue.NO_DATE_OF_BIRTH: (2, 4),
        Issue.ETHNICITY_NOT_STATED: (2, 4),
        Issue.QUICK_ADDS: (1, 4),
        Issue.DUPLICATES: (1, 4),
        Issue.MERGES: (0, 4),
    }
    quality = DataQuality(profile)
    assert [r.person_id for r in quality.rows(Issue.NO_DATE_OF_BIRTH, TODAY)] == [c.id, d.id]
    assert {r.person_id for r in quality.rows(Issue.ETHNICITY_NOT_STATED, TODAY)} == {b.id, c.id}
    quick = quality.rows(Issue.QUICK_ADDS, TODAY)
    assert [(r.person_id, r.detail) for r in quick] == [(c.id, "Peckham, about 15, added 30 days ago")]
    (pair,) = quality.rows(Issue.DUPLICATES, TODAY)
    assert {pair.person_id, pair.other_id} == {c.id, d.id} and "estate" in pair.detail
    assert a.id not in {r.person_id for issue in Issue for r in quality.rows(issue, TODAY)}
    # Fixed by a merge: the pair goes, the merge is listed (to undo), the counts follow.
    MergeService(profile).merge(pair.other_id, pair.person_id, {}, reason="Same lad")
    after = {q.issue: q.count for q in quality.counts(TODAY)}
    assert after[Issue.DUPLICATES] == 0 and after[Issue.MERGES] == 1 and after[Issue.NO_DATE_OF_BIRTH] == 1
    (merge,) = quality.rows(Issue.MERGES, TODAY)
    assert merge.person_id == pair.person_id and merge.merge_id
    assert (
        next(q for q in quality.counts(TODAY) if q.issue is Issue.ETHNICITY_NOT_STATED).percent == 67
    )  # Bo and Jay of 3
