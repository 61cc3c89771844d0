"""Retention: exactly the young people past the schedule (six years after last contact by default) are listed and,
once a supervisor confirms, erased; recent contact, a legal hold or a longer schedule keeps a record."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from youthwork.domain.records import Attendance, CaseNote, Session, YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.privacy.erasure import ErasureService
from youthwork.privacy.retention import DEFAULT_YEARS, RetentionService, add_years
from youthwork.store.profile import Profile

TODAY = date(2026, 11, 21)


def _at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, tzinfo=UTC)


def _person(profile: Profile, name: str, created: datetime) -> YoungPerson:
    return profile.records.save(YoungPerson(team_id="team-1", first_name=name, created_at=created, updated_at=created))


def test_add_years_handles_leap_day() -> None:
    assert add_years(date(2020, 2, 29), 6) == date(2026, 2, 28)
    assert add_years(date(2019, 5, 1), DEFAULT_YEARS) == date(2025, 5, 1)


def test_retention_erases_exactly_the_expired(profile: Profile) -> None:
    save = profile.records.save
    old = _person(profile, "Old", _at(2015, 1, 1))  # no contact since 2015: expired
    just = _person(profile, "Just", _at(2020, 11, 21))  # six years exactly today: expired
    almost = _person(profile, "Almost", _at(2020, 11, 22))  # one day short: kept
    seen = _person(profile, "Seen", _at(2014, 1, 1))  # old record, but attended a session in 2024: kept
    noted = _person(profile, "Noted", _at(2014, 1, 1))  # old record, note written in 2023: kept
    held = _person(profile, "Held", _at(2013, 1, 1))  # expired but under a legal hold: listed, not erased
    session = save(Session(team_id="team-1", starts_at=_at(2024, 6, 1), ends_at=_at(2024, 6, 1).replace(hour=14)))
    save(Attendance(team_id="team-1", session_id=session.id, person_id=seen.id, created_at=_at(2024, 6, 1)))
    old_session = save(Session(team_id="team-1", starts_at=_at(2016, 3, 1), ends_at=_at(2016, 3, 1).replace(hour=14)))
    old_att = save(Attendance(team_id="team-1", session_id=old_session.id, person_id=old.id))
    save(CaseNote(team_id="team-1", person_id=noted.id, text="in touch", created_at=_at(2023, 2, 1)))
    ErasureService(profile).place_hold(held.id, "Inquiry reference 42")

    retention = RetentionService(profile)
    due = retention.review_list(TODAY)
    assert {d.person_id for d in due} == {old.id, just.id, held.id}
    by_id = {d.person_id: d for d in due}
    assert by_id[old.id].last_contact == date(2016, 3, 1)  # the session they attended, not the record's creation
    assert by_id[just.id].expired_on == TODAY
    assert by_id[held.id].on_hold and not by_id[old.id].on_hold

    erased = retention.confirm([d.person_id for d in due], TODAY)
    assert set(erased) == {old.id, just.id}
    remaining = {r[0] for r in profile.db.query("SELECT id FROM people")}
    assert remaining == {almost.id, seen.id, noted.id, held.id}
    assert profile.records.get(Attendance, old_att.id) is None
    assert profile.records.get(Session, old_session.id) is not None  # the session stays; only their entry goes
    assert {d.person_id for d in retention.review_list(TODAY)} == {held.id}


def test_confirm_skips_anyone_seen_since_the_list_was_made(profile: Profile) -> None:
    old = _person(profile, "Old", _at(2015, 1, 1))
    retention = RetentionService(profile)
    due = retention.review_list(TODAY)
    assert [d.person_id for d in due] == [old.id]
    profile.records.save(CaseNote(team_id="team-1", person_id=old.id, text="back in touch today"))
    assert retention.confirm([old.id], TODAY) == []
    assert profile.records.get(YoungPerson, old.id) is not None


def test_schedule_is_configurable(profile: Profile) -> None:
    p = _person(profile, "Eight", _at(2018, 6, 1))
    retention = RetentionService(profile)
    assert [d.person_id for d in retention.review_list(TODAY)] == [p.id]
    retention.set_years(10)
    assert retention.years == 10
    assert retention.review_list(TODAY) == []
    with pytest.raises(ValidationError):
        retention.set_years(0)
