"""Places as records on the laptop: added, kept unique by name, and the free text from before offered to confirm."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from youthwork.domain.places import Place, PlaceKind, validate_place
from youthwork.domain.records import Session
from youthwork.domain.validation import ValidationError
from youthwork.domain.vocab import SessionStatus
from youthwork.services.places import PlaceService, guess_kind
from youthwork.services.sessions import SessionService

START = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)


def _session(profile, area: str, place: str = "", status: str = SessionStatus.DRAFT) -> Session:
    s = Session(area=area, place=place, starts_at=START, ends_at=START + timedelta(hours=2), status=status)
    s.team_id = profile.team_id
    return profile.records.save(s)


def test_a_place_needs_a_name_and_a_known_kind():
    assert {p.field for p in validate_place(Place(name="", kind="castle"))} == {"name", "kind"}
    assert validate_place(Place(name="Burgess Park", kind=PlaceKind.PARK)) == []
    assert {p.field for p in validate_place(Place(name="Cage", kind="cage", latitude=51.48))} == {"latitude"}
    assert {p.field for p in validate_place(Place(name="Cage", kind="cage", boundary=[[51.4, -0.1]]))} == {"boundary"}


def test_two_places_of_the_same_name_are_refused(profile):
    places = PlaceService(profile)
    places.save(Place(name="Brandon  Estate", kind=PlaceKind.ESTATE))
    assert [p.name for p in places.all()] == ["Brandon Estate"]
    with pytest.raises(ValidationError, match="already a place called"):
        places.save(Place(name="brandon estate", kind=PlaceKind.ESTATE))


def test_a_session_names_its_place_by_id(profile):
    place = PlaceService(profile).save(Place(name="Sumner Road cage", kind=PlaceKind.CAGE))
    s = Session(area="Peckham", place_id=place.id, starts_at=START, ends_at=START + timedelta(hours=2))
    saved = SessionService(profile).save_draft(s, [])
    assert SessionService(profile).get(saved.id).place_id == place.id


def test_free_text_is_offered_as_places_to_confirm_not_converted(profile):
    for _ in range(3):
        _session(profile, "North Peckham Estate")
    _session(profile, "Peckham", place="Sumner Road cage")
    _session(profile, "north peckham estate ")
    signed_off = _session(profile, "North Peckham Estate", status=SessionStatus.APPROVED)
    places = PlaceService(profile)
    # Nothing is made until a worker confirms: the suggestions are only suggestions.
    suggested = places.suggestions()
    assert [(s.text.lower(), s.sessions, s.kind) for s in suggested] == [
        ("north peckham estate", 5, "estate"),
        ("sumner road cage", 1, "cage"),
    ]
    assert places.all() == []
    place, linked = places.confirm(suggested[0].text, "North Peckham Estate", PlaceKind.ESTATE, ward="Peckham")
    assert linked == 4  # the signed-off session is fixed and keeps its free text
    assert profile.records.get(Session, signed_off.id).place_id == ""
    assert profile.records.count(Session, "place_id = ?", (place.id,)) == 4
    # Confirmed: no longer offered, though one signed-off session still carries the text.
    assert [s.text for s in places.suggestions()] == ["Sumner Road cage"]


def test_kinds_are_guessed_from_the_words():
    assert guess_kind("Peckham Rye station") == "transport"
    assert guess_kind("Chicken shop on Rye Lane") == "shop"
    assert guess_kind("Somewhere") == "other"


def test_current_safety_plans_name_places_as_safe_or_to_avoid(profile):
    from youthwork.domain.records import YoungPerson
    from youthwork.services.people import PeopleService
    from youthwork.services.plans import PlanService

    places = PlaceService(profile)
    station = places.save(Place(name="Peckham Rye station", kind=PlaceKind.TRANSPORT))
    club = places.save(Place(name="Damilola Taylor Centre", kind=PlaceKind.YOUTH_VENUE))
    plans = PlanService(profile)
    ids = []
    for name in ("Kai", "Amara", "Leon"):
        person = PeopleService(profile).add(YoungPerson(first_name=name, area="Peckham"))
        plan = plans.new_plan(person.id)
        plan.risks_triggers = "Older boys at the station"
        plan.review_date = date.today() + timedelta(days=28)
        plans.agree(plan)
        ids.append(plan.id)
    draft = plans.save(plans.new_plan(PeopleService(profile).add(YoungPerson(first_name="Mo", area="Peckham")).id))
    places.name_on_plan(draft.id, station.id, "avoid")  # a draft is not a current plan
    places.name_on_plan(ids[0], station.id, "avoid")
    places.name_on_plan(ids[1], station.id, "avoid", note="after dark")
    places.name_on_plan(ids[1], station.id, "avoid")  # again: changes it, not a second entry
    places.name_on_plan(ids[2], station.id, "safe")
    places.name_on_plan(ids[2], club.id, "safe")
    assert places.plans_naming(station.id) == {"safe": 1, "avoid": 2}
    plans.close(ids[0], "Moved out of the area")  # a closed plan no longer counts
    places.take_off_plan(places.on_plan(ids[2])[0].id)
    assert places.plans_naming(station.id) == {"safe": 0, "avoid": 1}
    assert places.plans_naming(club.id) == {"safe": 1, "avoid": 0}


def test_a_plans_places_go_with_the_young_person_and_the_place_stays(profile):
    from youthwork.domain.places import PlanPlace
    from youthwork.domain.records import YoungPerson
    from youthwork.privacy.erasure import ErasureService
    from youthwork.privacy.subject_access import SubjectAccess
    from youthwork.services.people import PeopleService
    from youthwork.services.plans import PlanService

    places = PlaceService(profile)
    station = places.save(Place(name="Peckham Rye station", kind=PlaceKind.TRANSPORT))
    person = PeopleService(profile).add(YoungPerson(first_name="Kai", area="Peckham"))
    plan = PlanService(profile).save(PlanService(profile).new_plan(person.id))
    entry = places.name_on_plan(plan.id, station.id, "avoid", note="after dark")
    export = SubjectAccess(profile).collect(person.id)
    assert entry.id in str(export)
    ErasureService(profile).erase(person.id, reason="request", confirm=True)
    assert profile.records.get(PlanPlace, entry.id) is None
    assert places.get(station.id) is not None  # a place is about no one


def test_a_deployment_is_logged_against_a_place_and_the_session_it_led_to(profile):
    from datetime import date as day

    from youthwork.domain.places import Deployment

    places = PlaceService(profile)
    cage = places.save(Place(name="Sumner Road cage", kind=PlaceKind.CAGE))
    with pytest.raises(ValidationError) as e:
        places.log_deployment(Deployment(place_id=cage.id, received_on=None, reported=" "))
    assert {p.field for p in e.value.problems} == {"received_on", "reported"}
    s = SessionService(profile).save_draft(
        Session(area="Peckham", place_id=cage.id, starts_at=START, ends_at=START + timedelta(hours=2)), []
    )
    entry = places.log_deployment(
        Deployment(
            place_id=cage.id,
            session_id=s.id,
            source="asb_report",
            received_on=day(2026, 11, 1),
            reported="  Gathering late at the cage ",
        )
    )
    assert entry.recorded_by == profile.user_id and entry.reported == "Gathering late at the cage"
    entry.found, entry.fed_back, entry.fed_back_on = "Eight there", "Monday slot agreed", day(2026, 11, 4)
    places.log_deployment(entry)
    assert [(d.session_id, d.fed_back) for d in places.deployments(cage.id)] == [(s.id, "Monday slot agreed")]
    assert places.sessions_at(cage.id)[0].id == s.id
