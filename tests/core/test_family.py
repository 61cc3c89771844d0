"""Family and household links on the laptop: both ways for siblings, a carer's details kept, bad links refused with
a youth worker's words, and a link to a young person not on this laptop shows nothing of them."""

from __future__ import annotations

import pytest

from youthwork.domain.family import Relationship
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.services.family import FamilyService
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile


def test_siblings_show_both_ways_and_carers_keep_their_details(profile: Profile) -> None:
    people, family = PeopleService(profile), FamilyService(profile)
    jay = people.add(YoungPerson(first_name="Jay", last_name="Okafor"))
    mia = people.add(YoungPerson(first_name="Mia", last_name="Okafor"))
    family.add(Relationship(person_id=jay.id, relation="half_sibling", other_person_id=mia.id))
    family.add(
        Relationship(
            person_id=jay.id, relation="foster_carer", name=" Pat Lee ", phone="07700900222", may_be_told="anything"
        )
    )
    assert [(m.relation_label, m.name) for m in family.for_person(jay.id)] == [
        ("Half-brother or half-sister", "Mia Okafor"),
        ("Foster carer", "Pat Lee"),
    ]
    assert [(m.relation_label, m.name, m.other_person_id) for m in family.for_person(mia.id)] == [
        ("Half-brother or half-sister", "Jay Okafor", jay.id)
    ]
    with pytest.raises(ValidationError, match="already linked"):
        family.add(Relationship(person_id=mia.id, relation="sibling", other_person_id=jay.id))


@pytest.mark.parametrize(
    ("link", "words"),
    [
        (dict(relation="mother"), "Enter their name"),
        (dict(relation="", name="Pat"), "Choose who they are"),
        (dict(relation="mother", other="mia"), "Only a brother or sister"),
        (dict(relation="sibling", other="self"), "their own brother or sister"),
        (dict(relation="father", name="Tom", email="not an email"), "email address"),
        (dict(relation="sibling", other="nobody"), "not on our records"),
    ],
)
def test_bad_links_are_refused_in_plain_words(profile: Profile, link: dict, words: str) -> None:
    people = PeopleService(profile)
    jay = people.add(YoungPerson(first_name="Jay"))
    mia = people.add(YoungPerson(first_name="Mia"))
    other = {"mia": mia.id, "self": jay.id, "nobody": "01a00000-0000-7000-8000-000000000000"}.get(
        link.pop("other", ""), ""
    )
    with pytest.raises(ValidationError, match=words):
        FamilyService(profile).add(Relationship(person_id=jay.id, other_person_id=other, **link))


def test_a_link_to_someone_not_on_this_laptop_shows_nothing_of_them(profile: Profile) -> None:
    jay = PeopleService(profile).add(YoungPerson(first_name="Jay"))
    # As a sync may leave it: the link arrived, the sibling is not held here.
    profile.records.save(
        Relationship(person_id=jay.id, relation="sibling", other_person_id="01a00000-0000-7000-8000-0000000000aa")
    )
    assert FamilyService(profile).for_person(jay.id) == []


def test_the_demo_has_dated_circumstances_and_families(profile: Profile) -> None:
    from datetime import date

    from youthwork.demo_data import generate
    from youthwork.domain.circumstances import Circumstance, CircumstanceChange, since
    from youthwork.services.chronology import ChronologyService

    counts = generate(profile, people=300, weeks=2, seed=5, today=date(2026, 11, 18))
    assert counts["circumstance_changes"] > 300 and counts["relationships"] > 100
    people = PeopleService(profile)
    neet = profile.records.select(YoungPerson, "education_status = 'neet'")
    assert neet
    # Every NEET young person's history ends at NEET, so the profile can say since when.
    for p in neet:
        changes = profile.records.select(CircumstanceChange, "person_id = ?", (p.id,))
        assert since(changes, Circumstance.EDUCATION, "neet", date(2026, 11, 18)) is not None, p.id
    assert any(len(FamilyService(profile).for_person(p.id)) >= 2 for p in neet + people.search("a", 200))
    assert any(m.other_person_id for p in people.search("a", 300) for m in FamilyService(profile).for_person(p.id))
    assert ChronologyService(profile).for_person(neet[0].id)


def test_other_agencies_id_numbers_are_kept_as_need_to_know(profile: Profile) -> None:
    """The privacy notice's "other ID numbers": a social care or YOS number on the record, criminal-offence data."""
    from youthwork.domain.policy import POLICIES
    from youthwork.domain.vocab import Role, Sensitivity

    jay = PeopleService(profile).add(YoungPerson(first_name="Jay", other_references="Social care: 123456; YOS: Y-889"))
    assert PeopleService(profile).get(jay.id).other_references == "Social care: 123456; YOS: Y-889"
    assert YoungPerson.sensitivity_of("other_references") == Sensitivity.CRIMINAL
    policy = POLICIES[YoungPerson.TABLE]
    assert "other_references" not in policy.writable(Role.PARTNER)
    assert not any("other_references" in policy.readable(Role.PARTNER, r) for r in policy.relations())


def test_the_board_counts_brothers_and_sisters_of_young_people_who_offend(profile: Profile) -> None:
    """Hand-counted: A has a police NFA and B is A's sister; C is rated red and D recorded C as a brother; E and F are
    brother and sister and neither offends; G's NFA came after the period. Counted: B and D."""
    from datetime import UTC, date, datetime

    from youthwork.domain.nfa import NfaNotification
    from youthwork.domain.records import RagRating
    from youthwork.domain.weeks import Period
    from youthwork.reports.board import board_summary

    people, family = PeopleService(profile), FamilyService(profile)
    p = {n: people.add(YoungPerson(first_name=n)) for n in "ABCDEFGH"}
    names = {v.id: k for k, v in p.items()}
    profile.records.save(NfaNotification(person_id=p["A"].id, notified_on=date(2026, 2, 3), offence_category="theft"))
    profile.records.save(NfaNotification(person_id=p["G"].id, notified_on=date(2026, 4, 9), offence_category="theft"))
    profile.records.save(
        RagRating(person_id=p["C"].id, rating="red", reason="r", set_at=datetime(2026, 3, 1, tzinfo=UTC))
    )
    for a, b in (("B", "A"), ("D", "C"), ("E", "F"), ("H", "G")):
        family.add(Relationship(person_id=p[a].id, relation="sibling", other_person_id=p[b].id))
    board = board_summary(
        profile.db, Period(date(2026, 1, 1), date(2026, 3, 31)), now=datetime(2026, 4, 20, tzinfo=UTC)
    )
    assert sorted(names[i] for i in board.figure("siblings_of_offending").ids) == ["B", "D"]


def test_health_needs_are_special_category_and_need_to_know(profile: Profile) -> None:
    """The privacy notice's "physical and mental health details": a field of their own, special category data."""
    from youthwork.domain.policy import POLICIES
    from youthwork.domain.vocab import Role, Sensitivity
    from youthwork.privacy.need_to_know import NeedToKnow

    jay = PeopleService(profile).add(YoungPerson(first_name="Jay", health_needs="Asthma; anxious in crowds"))
    assert YoungPerson.sensitivity_of("health_needs") == Sensitivity.SPECIAL
    policy = POLICIES[YoungPerson.TABLE]
    assert not any("health_needs" in policy.readable(Role.PARTNER, r) for r in policy.relations())
    assert NeedToKnow(profile).reveal(jay, "safeguarding")["health_needs"] == "Asthma; anxious in crowds"
