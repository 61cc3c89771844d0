"""The duplicate candidates a supervisor is offered (youthwork.domain.duplicates), counted by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

from youthwork.domain.duplicates import MatchReason, candidate_pairs, matches_for, phone_key, reasons
from youthwork.domain.records import YoungPerson

TODAY = date(2026, 12, 1)


def _p(pid: str, first: str = "", known_as: str = "", area: str = "", age: int | None = None, **kw) -> YoungPerson:
    return YoungPerson(
        id=pid,
        first_name=first,
        known_as=known_as,
        area=area,
        estimated_age=age,
        age_estimated_on=TODAY if age is not None else None,
        created_at=datetime(2026, 1, int(pid[-1]) + 1, tzinfo=UTC),
        **kw,
    )


def test_a_quick_add_matches_the_full_record_by_nickname_estate_and_age_band():
    full = _p("p1", "Jason", known_as="Jay", area="Peckham", date_of_birth=date(2011, 5, 2))  # 15
    quick = _p("p2", "jay", area="Peckham", age=14)  # 14: the same band (14-15)
    assert reasons(full, quick, TODAY) == (MatchReason.NAME_AREA_AGE,)


def test_another_estate_or_age_band_is_not_a_match():
    jay = _p("p1", "Jay", area="Peckham", age=15)
    assert reasons(jay, _p("p2", "Jay", area="Brixton", age=15), TODAY) == ()
    assert reasons(jay, _p("p3", "Jay", area="Peckham", age=17), TODAY) == ()
    assert reasons(jay, _p("p4", "Jay", area="Peckham"), TODAY) == ()  # no age: no band to share


def test_a_shared_phone_number_matches_whatever_the_names():
    a = _p("p1", "Amira", phone="+44 7700 900123")
    b = _p("p2", "Mimi", phone="07700 900123")
    assert reasons(a, b, TODAY) == (MatchReason.PHONE,)
    assert phone_key("123") == ""  # too short to mean anything
    assert reasons(_p("p3", phone="123"), _p("p4", phone="123"), TODAY) == ()


def test_candidate_pairs_lists_each_pair_once_oldest_first_with_both_reasons():
    people = [
        _p("p3", "Jay", area="Peckham", age=15, phone="07700900123"),
        _p("p1", "Jason", known_as="Jay", area="Peckham", age=14, phone="07700 900 123"),
        _p("p2", "Jay", area="Peckham", age=15),
        _p("p4", "Kofi", area="Peckham", age=15),
    ]
    pairs = {(c.first, c.second): c.reasons for c in candidate_pairs(people, TODAY)}
    assert pairs == {
        ("p1", "p2"): (MatchReason.NAME_AREA_AGE,),
        ("p1", "p3"): (MatchReason.NAME_AREA_AGE, MatchReason.PHONE),
        ("p2", "p3"): (MatchReason.NAME_AREA_AGE,),
    }


def test_matches_for_one_incoming_record():
    existing = [_p("p1", "Jay", area="Peckham", age=15), _p("p2", "Kofi", area="Peckham", age=15)]
    incoming = _p("p5", "JAY", area="peckham", age=15)
    assert [(c.first, c.second) for c in matches_for(incoming, existing, TODAY)] == [("p1", "p5")]


def test_the_laptop_finder_reads_the_store(profile):
    from youthwork.services.duplicates import DuplicateFinder

    jay = profile.records.save(_p("p1", "Jay", area="Peckham", age=15))
    profile.records.save(_p("p2", "Jay", area="Peckham", age=15))
    profile.records.save(_p("p3", "Jay", area="Peckham", age=15, active=False))  # left: not offered
    finder = DuplicateFinder(profile)
    assert [(c.first, c.second) for c in finder.candidates(TODAY)] == [("p1", "p2")]
    assert [c.second for c in finder.matches_for(jay, TODAY)] == ["p2"]
