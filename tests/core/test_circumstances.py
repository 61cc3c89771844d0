"""Circumstances with dates: every change the profile makes to education, looked-after, social care, risk indicators
or address is recorded with its date, so "NEET since March" can be said; the chronology lists everything about a
young person in time order, filtered by kind."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime

from youthwork.domain.circumstances import Circumstance, CircumstanceChange, since, value_on
from youthwork.domain.nfa import NfaNotification
from youthwork.domain.records import Attendance, CaseNote, Session, YoungPerson
from youthwork.services.chronology import KINDS, ChronologyService, Entry, register_kind
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile
from youthwork.store.settings import ROLE


def _changes(profile: Profile, person_id: str) -> dict[str, list[tuple[date | None, str]]]:
    out: dict[str, list[tuple[date | None, str]]] = {}
    for c in reversed(PeopleService(profile).circumstances(person_id)):
        out.setdefault(c.what, []).append((c.from_date, c.shown_value))
    return out


def test_each_change_of_circumstances_is_recorded_with_its_date(profile: Profile) -> None:
    people = PeopleService(profile)
    jay = people.add(YoungPerson(first_name="Jay", education_status="in_school"), changed_on=date(2026, 1, 5))
    # Only what was recorded: the unrecorded defaults (no address, not looked after...) write nothing.
    assert _changes(profile, jay.id) == {"education": [(date(2026, 1, 5), "in_school")]}

    jay = people.update(replace(jay, education_status="excluded"), changed_on=date(2026, 2, 10))
    jay = people.update(
        replace(jay, education_status="neet", looked_after=True, send_ehcp=True), changed_on=date(2026, 3, 2)
    )
    jay = people.update(replace(jay, first_name="Jayden"), changed_on=date(2026, 3, 9))  # not a circumstance
    jay = people.update(
        replace(
            jay,
            social_care="child_protection",
            risk_indicators=["gang", "cce"],
            address="4 Elm Row",
            postcode="se15 5ab",
        )
    )
    got = _changes(profile, jay.id)
    assert got["education"] == [
        (date(2026, 1, 5), "in_school"),
        (date(2026, 2, 10), "excluded"),
        (date(2026, 3, 2), "neet"),
    ]
    assert got["looked_after"] == [(date(2026, 3, 2), "yes")]
    assert got["send"] == [(date(2026, 3, 2), "yes")]
    today = date.today()
    assert got["social_care"] == [(today, "child_protection")]
    assert got["risk_indicators"] == [(today, json.dumps(["cce", "gang"]))]
    assert got["address"] == [(today, "4 Elm Row, SE15 5AB")]
    # Need to know: looked-after and social care are special category, risk indicators criminal-offence data.
    by_what = {c.what: c for c in people.circumstances(jay.id)}
    assert by_what["looked_after"].special_value == "yes" and by_what["looked_after"].value == ""
    assert by_what["risk_indicators"].criminal_value and by_what["risk_indicators"].value == ""
    assert by_what["address"].value and not by_what["address"].special_value

    changes = people.circumstances(jay.id)
    assert since(changes, Circumstance.EDUCATION, "neet") == date(2026, 3, 2)  # "NEET since 2 March"
    assert value_on(changes, Circumstance.EDUCATION, date(2026, 2, 28)) == "excluded"
    assert value_on(changes, Circumstance.EDUCATION, date(2025, 12, 31)) is None
    assert since(changes, Circumstance.EDUCATION, "in_school") is None  # not in school now


def test_back_to_an_earlier_value_starts_a_new_since(profile: Profile) -> None:
    people = PeopleService(profile)
    kai = people.add(YoungPerson(first_name="Kai", education_status="neet"), changed_on=date(2026, 1, 5))
    kai = people.update(replace(kai, education_status="training"), changed_on=date(2026, 2, 1))
    kai = people.update(replace(kai, education_status="neet"), changed_on=date(2026, 4, 20))
    assert since(people.circumstances(kai.id), Circumstance.EDUCATION, "neet") == date(2026, 4, 20)


def test_partner_laptops_record_no_circumstances(profile: Profile) -> None:
    profile.set_setting(ROLE, "partner")
    people = PeopleService(profile)
    p = people.quick_add("Ali Khan", "Peckham", 14)
    # Even a change the partner's laptop holds locally writes no history: the service takes none from partner staff.
    people.update(replace(p, area="Camberwell", education_status="in_school"))
    assert profile.records.count(CircumstanceChange) == 0


def test_the_chronology_lists_everything_about_them_newest_first_filtered_by_kind(profile: Profile) -> None:
    people = PeopleService(profile)
    jay = people.add(YoungPerson(first_name="Jay", education_status="neet"), changed_on=date(2026, 3, 2))
    other = people.add(YoungPerson(first_name="Ola"))
    session = profile.records.save(
        Session(starts_at=datetime(2026, 3, 10, 18, tzinfo=UTC), area="Peckham", status="submitted")
    )
    profile.records.save(Attendance(session_id=session.id, person_id=jay.id, concern=True))
    profile.records.save(Attendance(session_id=session.id, person_id=other.id))
    profile.records.save(CaseNote(person_id=jay.id, written_at=datetime(2026, 3, 11, 9, tzinfo=UTC), text="Met mum"))
    profile.records.save(CaseNote(person_id=other.id, text="Not about Jay"))
    rating = people.set_rag(jay.id, "amber", "Engaging at Kicks")
    profile.records.save(
        NfaNotification(person_id=jay.id, notified_on=date(2026, 3, 5), offence_category="drugs", source="PC Lee")
    )
    chrono = ChronologyService(profile)
    entries = chrono.for_person(jay.id)
    assert [(e.kind, e.title) for e in entries] == [
        ("rag", "RAG rating: Amber"),
        ("notes", "Case note"),
        ("sessions", "Detached session at Peckham"),
        ("nfas", "Police NFA notified"),
        ("circumstances", "Education, employment or training changed"),
    ]
    assert entries[0].when == rating.set_at
    assert entries[2].detail == "Safeguarding concern about them"
    assert "drugs" not in entries[3].detail  # the offence is criminal-offence data: not in the chronology
    assert entries[4].detail == "NEET" and not entries[4].restricted
    assert [e.kind for e in chrono.for_person(jay.id, {"sessions", "notes"})] == ["notes", "sessions"]
    assert [e.title for e in chrono.for_person(other.id)] == ["Case note", "Detached session at Peckham"]


def test_another_record_type_adds_itself_to_the_chronology(profile: Profile) -> None:
    jay = PeopleService(profile).add(YoungPerson(first_name="Jay"))
    seen: list[str] = []

    def load(p: Profile, person_id: str) -> list[Entry]:
        seen.append(person_id)
        return [Entry(datetime(2026, 5, 1, tzinfo=UTC), "throwaway", "Reported missing", "Found at the bus station")]

    register_kind("throwaway", "Throwaway records", load)
    try:
        entries = ChronologyService(profile).for_person(jay.id)
        assert [e.title for e in entries] == ["Reported missing"] and seen == [jay.id]
        assert "throwaway" in {k.key for k in ChronologyService(profile).kinds()}
    finally:
        del KINDS["throwaway"]


def test_missing_episodes_and_joint_visits_are_in_the_chronology(profile: Profile) -> None:
    from youthwork.domain.joint_visits import JointVisit
    from youthwork.domain.missing import MissingEpisode, ReturnHomeInterview

    jay = PeopleService(profile).add(YoungPerson(first_name="Jay"))
    gone = datetime(2026, 5, 1, 22, tzinfo=UTC)
    ep = profile.records.save(
        MissingEpisode(
            person_id=jay.id,
            reported_at=gone,
            reported_by="parent",
            returned_at=datetime(2026, 5, 2, 9, tzinfo=UTC),
            found_where="Bus station",
        )
    )
    profile.records.save(
        ReturnHomeInterview(
            episode_id=ep.id,
            person_id=jay.id,
            offered_at=datetime(2026, 5, 2, 15, tzinfo=UTC),
            status="done",
            held_at=datetime(2026, 5, 3, 10, tzinfo=UTC),
            learned="Stayed with older boys",
        )
    )
    profile.records.save(
        JointVisit(person_id=jay.id, status="done", visited_on=date(2026, 5, 6), outcomes=["family_referred"])
    )
    entries = ChronologyService(profile).for_person(jay.id, {"missing", "joint_visits"})
    assert [(e.title, e.detail, e.restricted) for e in entries] == [
        ("Joint home visit with the police: done", "Family referred for a service", False),
        ("Return home interview: done", "Stayed with older boys", True),
        ("Back from a missing episode", "Bus station", False),
        ("Reported missing", "Reported by Parent or carer", False),
    ]


def test_the_board_counts_change_over_the_quarter_hand_counted(profile: Profile) -> None:
    """Quarter 1 January to 31 March 2026. A: in school, NEET from 20 February (became NEET). B: NEET, then employed
    from 10 March (no longer NEET, became employed). C: NEET throughout. D: excluded from 15 December, alternative
    provision from 1 February. E: looked after since November; a child protection plan from 31 March (the last day
    counts)."""
    from youthwork.domain.weeks import Period
    from youthwork.reports.change import circumstance_measures

    people = PeopleService(profile)
    names: dict[str, str] = {}

    def add(name: str, day: date, **fields: object) -> YoungPerson:
        p = people.add(YoungPerson(first_name=name, **fields), day)  # type: ignore[arg-type]
        names[p.id] = name
        return p

    a = add("A", date(2026, 1, 5), education_status="in_school")
    people.update(replace(a, education_status="neet"), date(2026, 2, 20))
    b = add("B", date(2025, 12, 1), education_status="neet")
    people.update(replace(b, education_status="employment"), date(2026, 3, 10))
    add("C", date(2025, 12, 1), education_status="neet")
    d = add("D", date(2025, 12, 15), education_status="excluded")
    people.update(replace(d, education_status="alternative_provision"), date(2026, 2, 1))
    e = add("E", date(2025, 11, 3), looked_after=True)
    people.update(replace(e, social_care="child_protection"), date(2026, 3, 31))

    got = {
        f.key: sorted(names[i] for i in f.ids)
        for f in circumstance_measures(profile.db, Period(date(2026, 1, 1), date(2026, 3, 31)))
    }
    assert (got["neet_at_start"], got["neet_at_end"]) == (["B", "C"], ["A", "C"])
    assert (got["became_neet"], got["no_longer_neet"]) == (["A"], ["B"])
    assert (got["employment_at_end"], got["became_employment"]) == (["B"], ["B"])
    assert (got["excluded_at_start"], got["excluded_at_end"], got["no_longer_excluded"]) == (["D"], [], ["D"])
    assert got["became_alternative_provision"] == ["D"]
    assert (got["looked_after_at_start"], got["looked_after_at_end"], got["became_looked_after"]) == (["E"], ["E"], [])
    assert (got["child_protection_at_start"], got["became_child_protection"]) == ([], ["E"])


def test_peer_group_memberships_are_in_the_chronology(profile: Profile) -> None:
    from youthwork.domain.groups import GroupMembership, PeerGroup

    jay = PeopleService(profile).add(YoungPerson(first_name="Jay"))
    group = profile.records.save(PeerGroup(label="Thursday cage lot"))
    profile.records.save(
        GroupMembership(
            group_id=group.id,
            person_id=jay.id,
            recorded_on=date(2026, 5, 4),
            source="seen at the cage",
            confidence="seen",
            role="affected",
            review_date=date(2026, 11, 3),
        )
    )
    [entry] = ChronologyService(profile).for_person(jay.id, {"groups"})
    assert entry.title == "In peer group “Thursday cage lot”"
    assert entry.detail == "affected (being harmed or drawn in); seen at the cage; review by 03/11/2026"
