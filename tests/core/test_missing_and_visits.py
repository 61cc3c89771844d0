"""Missing episodes and return home interviews, and third-NFA joint home visits, on a real encrypted profile: the
prompt appears, the step closes it, the figure counts it (hand-counted fixtures)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from youthwork.domain.figures import JointVisitRow, WeekInput, compute_weekly, nfa_prompts
from youthwork.domain.joint_visits import JointVisit
from youthwork.domain.places import Place
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.domain.weeks import IsoWeek, Period
from youthwork.reports.board import board_summary
from youthwork.reports.weekly import weekly_report
from youthwork.services.joint_visits import JointVisitService
from youthwork.services.missing import MissingService
from youthwork.services.nfa import NfaService
from youthwork.services.people import PeopleService
from youthwork.services.places import PlaceService

T0 = datetime(2026, 11, 2, 21, 0, tzinfo=UTC)  # Monday of 2026-W45, in Q4
W47 = IsoWeek.parse("2026-W47")


@pytest.fixture
def people(profile):
    svc = PeopleService(profile)
    return [svc.add(YoungPerson(first_name=n, area="Brenchley Gardens")) for n in ("Jay", "Amara", "Kofi")]


def test_an_interview_is_due_after_a_return_until_done_or_declined(profile, people) -> None:
    svc = MissingService(profile)
    with pytest.raises(ValidationError) as e:
        svc.report(people[0].id, None, "")
    assert {p.field for p in e.value.problems} == {"reported_at", "reported_by"}
    ep = svc.report(people[0].id, T0, "parent", reported_by_name="Mum", police_reference="CAD 1234/02NOV")
    assert svc.interviews_due(now=T0) == []  # still missing: nothing to offer yet
    with pytest.raises(ValidationError, match="before they were reported"):
        svc.record_return(ep.id, T0 - timedelta(days=3))
    svc.record_return(ep.id, T0 + timedelta(hours=20), "A friend's flat in Peckham")
    (due,) = svc.interviews_due(now=T0 + timedelta(hours=30))
    assert (due.episode.id, due.person_name, due.overdue, due.offered) == (ep.id, "Jay", False, False)
    assert due.due_by == T0 + timedelta(hours=92)
    assert svc.interviews_due(now=T0 + timedelta(hours=93))[0].overdue
    # Offered, not done yet: still due. Done needs when and by whom.
    svc.record_interview(ep.id, offered_at=T0 + timedelta(hours=26))
    assert svc.interviews_due(now=T0 + timedelta(hours=30))[0].offered
    with pytest.raises(ValidationError) as e:
        svc.record_interview(ep.id, offered_at=T0 + timedelta(hours=26), status="done")
    assert {p.field for p in e.value.problems} == {"held_at", "done_by"}
    svc.record_interview(
        ep.id,
        offered_at=T0 + timedelta(hours=26),
        status="done",
        held_at=T0 + timedelta(hours=50),
        done_by="Sam Worker",
        learned="Staying away after arguments at home",
        places="Flat above the chicken shop, Rye Lane",
        people_linked="Older boy called 'Tiny'",
    )
    assert svc.interviews_due(now=T0 + timedelta(hours=60)) == []
    stairwell = PlaceService(profile).save(Place(name="Gloucester House stairwell", kind="estate"))
    svc.link_place(ep.id, stairwell.id, "found")
    assert [(link.how, name) for link, name in svc.places_of(ep.id)] == [("found", "Gloucester House stairwell")]
    with pytest.raises(ValidationError, match="place is not on this laptop"):
        svc.link_place(ep.id, "no-such-place")
    (view,) = svc.for_person(people[0].id)
    assert view.interview is not None and view.interview.status == "done" and not view.interview_due
    assert svc.episode_count(people[0].id) == 1 and svc.episode_count(people[1].id) == 0
    # A second episode: one interview per episode, so the first stays closed.
    ep2 = svc.report(people[0].id, T0 + timedelta(days=5), "police")
    svc.record_return(ep2.id, T0 + timedelta(days=6))
    svc.record_interview(ep2.id, offered_at=T0 + timedelta(days=6), status="declined", held_at=T0 + timedelta(days=6))
    assert svc.interviews_due(now=T0 + timedelta(days=7)) == []
    assert svc.episode_count(people[0].id) == 2


def test_board_counts_episodes_people_and_interviews_within_72_hours(profile, people) -> None:
    svc = MissingService(profile)
    jay, amara, kofi = people
    # Hand count for Q4 2026: episodes reported e1 e2 e3 (e0 is in Q3) = 3; young people Jay, Amara = 2, Amara
    # from care = 1; returns in Q4: e0 (back 1 Oct), e1, e2 = 3 (e3 still missing); offered within 72 hours: e0 (48 h)
    # and e1 (72 h exactly), not e2 (80 h) = 2; of which done: e1 = 1.
    e0 = svc.report(kofi.id, datetime(2026, 9, 29, 20, tzinfo=UTC), "parent")
    svc.record_return(e0.id, datetime(2026, 10, 1, 9, tzinfo=UTC))
    svc.record_interview(e0.id, offered_at=datetime(2026, 10, 3, 9, tzinfo=UTC))
    e1 = svc.report(jay.id, T0, "parent")
    svc.record_return(e1.id, T0 + timedelta(hours=10))
    svc.record_interview(
        e1.id, offered_at=T0 + timedelta(hours=82), status="done", held_at=T0 + timedelta(hours=90), done_by="Sam"
    )
    e2 = svc.report(amara.id, T0 + timedelta(days=9), "care_home", from_care=True)
    svc.record_return(e2.id, T0 + timedelta(days=10))
    svc.record_interview(e2.id, offered_at=T0 + timedelta(days=10, hours=80))
    e3 = svc.report(amara.id, T0 + timedelta(days=20), "care_home", from_care=True)
    b = board_summary(profile.db, Period.quarter(2026, 4), now=T0 + timedelta(days=60))
    assert set(b.figure("missing_episodes").ids) == {e1.id, e2.id, e3.id}
    assert b.figure("missing_people").value == 2 and b.figure("missing_from_care").ids == (amara.id,)
    assert set(b.figure("missing_returned").ids) == {e0.id, e1.id, e2.id}
    assert set(b.figure("rhi_within_72h").ids) == {e0.id, e1.id} and b.figure("rhi_done").ids == (e1.id,)


def test_a_joint_visit_closes_the_third_nfa_prompt_and_counts_in_the_week(profile, people) -> None:
    nfa, visits = NfaService(profile), JointVisitService(profile)
    jay, amara, _ = people
    monday = W47.monday
    for who in (jay, amara):
        for days in (30, 20, 10):
            nfa.record(who.id, monday - timedelta(days=days), "robbery")
    get = PeopleService(profile).get
    assert visits.prompt_open(get(jay.id))
    assert {(d.person_id, d.person_name) for d in visits.due()} == {
        (jay.id, jay.display_name),
        (amara.id, amara.display_name),
    }
    # A visit before the third NFA doesn't close it; a planned one doesn't either.
    visits.record(
        jay.id, "no_answer", visited_on=monday - timedelta(days=15), tys_workers=["Sam"], police_officer="PC 1"
    )
    planned = visits.record(jay.id, "planned", planned_for=monday + timedelta(days=1))
    assert visits.prompt_open(get(jay.id))
    assert visits.due()[0].planned is not None or visits.due()[1].planned is not None
    with pytest.raises(ValidationError) as e:
        visits.record(jay.id, "done", visit_id=planned.id, visited_on=monday + timedelta(days=1))
    assert {p.field for p in e.value.problems} == {"tys_workers", "police_officer", "outcomes"}
    done = visits.record(
        jay.id,
        "done",
        visit_id=planned.id,
        visited_on=monday + timedelta(days=1),
        tys_workers=["Sam Worker"],
        police_officer="PC Adeyemi, Safer Schools",
        outcomes=["family_referred", "consequences_explained"],
    )
    assert done.id == planned.id and not visits.prompt_open(get(jay.id))
    tried = visits.record(
        amara.id, "no_answer", visited_on=monday + timedelta(days=2), tys_workers=["Sam"], police_officer="PC 2"
    )
    assert [d.person_id for d in visits.due()] == []  # no answer is a tried visit: the prompt closes
    # Hand count for W47: tried = done (Jay) + no answer (Amara) = 2; the no answer in W44 is outside the week;
    # done = 1; success rate 50%; open prompts 0.
    r = weekly_report(profile.db, W47, now=datetime.combine(W47.sunday, datetime.min.time(), UTC))
    assert set(r.figure("joint_visits_tried").ids) == {done.id, tried.id}
    assert r.figure("joint_visits_done").ids == (done.id,)
    assert r.figure("joint_visit_success").value == 50.0
    assert r.figure("nfa_prompts_open").value == 0


def test_visits_due_read_young_people_by_count_from_an_index_of_only_those_with_three(profile, people) -> None:
    """The index on the NFA count holds only young people with JOINT_VISIT_AT or more (migration 0034: nobody else's
    entry is written at every save of a young person, or 20,000 at an import), and every query of the Today page's
    visits due that picks young people by their count reads them through it: SQLite reads a partial index only for
    a WHERE that implies the index's own."""
    nfa, visits = NfaService(profile), JointVisitService(profile)
    jay, amara, _ = people
    for days in (30, 20, 10):
        nfa.record(jay.id, W47.monday - timedelta(days=days), "robbery")
    nfa.record(amara.id, W47.monday, "robbery")
    db = profile.db
    partial = {r[1]: r[4] for r in db.query("PRAGMA index_list(people)")}
    assert partial["people_by_nfa_count"] == 1
    asked: list[tuple[str, Any]] = []
    query = db.query

    def noting(sql: str, params: Any = ()) -> list[Any]:
        asked.append((sql, params))
        return query(sql, params)

    db.query = noting  # type: ignore[method-assign]
    try:
        assert [d.person_id for d in visits.due()] == [jay.id]
    finally:
        del db.query
    by_count = [(sql, params) for sql, params in asked if "nfa_count" in sql]
    assert len(by_count) == 3, asked  # the young people, their NFAs, their visits
    for sql, params in by_count:
        plan = " | ".join(r[3] for r in db.query(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "USING INDEX people_by_nfa_count" in plan, (sql, plan)


def test_prompt_rows_open_until_a_visit_on_or_after_the_third_nfa() -> None:
    rows = [{"person_id": "P", "team_id": "t", "at": f"2026-11-0{d}"} for d in (1, 2, 3)]
    before = JointVisitRow("V1", "t", "P", "done", date(2026, 11, 2))
    planned = JointVisitRow("V2", "t", "P", "planned", None)
    on_the_day = JointVisitRow("V3", "t", "P", "declined", date(2026, 11, 3))
    assert [p.open for p in nfa_prompts(rows, [before, planned])] == [True]
    assert [p.open for p in nfa_prompts(rows, [before, on_the_day])] == [False]
    week = IsoWeek.containing(date(2026, 11, 3))
    data = WeekInput(week, [], [], {}, nfa_prompts=nfa_prompts(rows), joint_visits=[])
    r = compute_weekly(data, now=datetime(2026, 12, 1, tzinfo=UTC))
    assert r.figure("nfa_prompts_open").ids == ("P",) and r.figure("joint_visit_success").value is None


def test_the_demo_has_missing_episodes_interviews_due_and_joint_visits(profile) -> None:
    from youthwork.demo_data import generate

    counts = generate(profile, people=400, weeks=2, seed=5, today=date(2026, 11, 18))
    assert counts["missing_episodes"] > 10 and counts["return_home_interviews"] > 5 and counts["joint_visits"] > 2
    assert MissingService(profile).interviews_due(now=datetime(2026, 11, 18, tzinfo=UTC))
    assert {v.status for v in profile.records.select(JointVisit)} >= {"done", "planned"}
