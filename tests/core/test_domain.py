from datetime import UTC, date, datetime, timedelta

import pytest

from youthwork.domain import CaseNote, Session, ValidationError, YoungPerson, check, from_dict, to_dict
from youthwork.domain.ids import is_id, new_id
from youthwork.domain.validation import nhs_number_valid, validate_session
from youthwork.domain.vocab import AgeBand, Sensitivity


def test_ids_are_uuid7_and_time_ordered():
    ids = [new_id() for _ in range(1000)]
    assert all(is_id(i) and i[14] == "7" for i in ids)
    assert len(set(ids)) == 1000
    assert ids == sorted(ids), "ids made in sequence must sort in the order they were made"


def test_record_round_trips_through_its_encoding():
    p = YoungPerson(first_name="Jay", date_of_birth=date(2011, 3, 4), risk_indicators=["cce"], team_id="t")
    assert from_dict(YoungPerson, to_dict(p)) == p


def test_sensitive_fields_are_marked():
    marked = YoungPerson.restricted_fields()
    assert marked["ethnicity"] == Sensitivity.SPECIAL
    assert marked["nfa_count"] == Sensitivity.CRIMINAL
    assert "first_name" not in marked
    assert "rag" in YoungPerson.safety_critical_fields()


@pytest.mark.parametrize(
    ("person", "field"),
    [
        (YoungPerson(first_name="   "), "first_name"),
        (YoungPerson(first_name="A", date_of_birth=date.today() + timedelta(days=1)), "date_of_birth"),
        (YoungPerson(first_name="A", postcode="NOT A CODE"), "postcode"),
        (YoungPerson(first_name="A", nhs_number="1234567890"), "nhs_number"),
    ],
)
def test_invalid_people_are_refused_with_the_field(person, field):
    with pytest.raises(ValidationError) as err:
        check(person)
    assert [p.field for p in err.value.problems] == [field]


def test_nhs_check_digit():
    assert nhs_number_valid("943 476 5919")
    assert not nhs_number_valid("943 476 5918")


def test_session_end_before_start_is_refused():
    start = datetime(2026, 11, 2, 18, tzinfo=UTC)
    s = Session(starts_at=start, ends_at=start - timedelta(hours=1), area="Peckham")
    assert [p.field for p in validate_session(s)] == ["ends_at"]


def test_empty_register_without_headcount_is_refused_on_submit():
    start = datetime(2026, 11, 2, 18, tzinfo=UTC)
    s = Session(starts_at=start, ends_at=start + timedelta(hours=2), area="Peckham")
    assert [p.field for p in validate_session(s, register_size=0)] == ["register"]
    s.headcounts = {"male/14_15": 3}
    assert validate_session(s, register_size=0) == []


def test_note_must_have_text():
    with pytest.raises(ValidationError, match="empty"):
        check(CaseNote(person_id=new_id(), text=" "))


def test_age_bands():
    assert AgeBand.for_age(14) == AgeBand.A14_15
    assert AgeBand.for_age(None) == AgeBand.NOT_KNOWN
    assert AgeBand.for_age(30) == AgeBand.OVER_24
