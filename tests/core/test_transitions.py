"""Transitions at 18 on a real encrypted profile: who is listed (turning 18 within six months, red or amber or open
to TYS), the planned handover (a referral of kind transition to the IGT) and its own steps."""

from __future__ import annotations

from datetime import date

import pytest

from youthwork.domain.records import YoungPerson
from youthwork.domain.referrals import Referral, transition_steps
from youthwork.domain.validation import ValidationError, problems_with
from youthwork.services.people import PeopleService
from youthwork.services.referrals import ReferralService
from youthwork.services.transitions import TransitionService, birthday, months_after

TODAY = date(2026, 12, 1)


def test_birthdays_and_months() -> None:
    assert birthday(date(2008, 2, 29), 18) == date(2026, 3, 1)
    assert months_after(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert months_after(TODAY, 6) == date(2027, 6, 1)


def test_the_list_and_the_planned_handover(profile) -> None:
    people = PeopleService(profile)
    refs = ReferralService(profile)
    refs.set_agency_team("igt", "team-igt")

    def add(name: str, dob: date, rag: str | None = None) -> YoungPerson:
        return people.add(YoungPerson(first_name=name, date_of_birth=dob, rag=rag, area="Acorn Estate"))

    # Hand-picked: Ava red, 18 in 2 months (listed); Ben amber, 18 on the last day of the window (listed);
    # Cal green but open to TYS (listed); Dee red but 18 in 7 months; Eli amber, already 18; Fay green, not open.
    ava = add("Ava", date(2009, 2, 1), "red")
    ben = add("Ben", date(2009, 6, 1), "amber")
    cal = add("Cal", date(2009, 4, 10), "green")
    add("Dee", date(2009, 7, 2), "red")
    add("Eli", date(2008, 11, 30), "amber")
    add("Fay", date(2009, 3, 3), "green")
    open_to_tys = Referral(
        person_id=cal.id, to_agency="tys", reason="Needs support", lawful_basis="public_task", status="draft"
    )
    sent = refs.send(open_to_tys)
    profile.db.execute("UPDATE referrals SET status = 'accepted' WHERE id = ?", (sent.id,))
    svc = TransitionService(profile)
    rows = svc.due(TODAY)
    assert [(r.person.first_name, r.why) for r in rows] == [
        ("Ava", ("Red",)),
        ("Cal", ("Open to TYS",)),
        ("Ben", ("Amber",)),
    ]
    assert rows[0].turns_18_on == date(2027, 2, 1) and not rows[0].planned and rows[0].steps == ()
    # A transition goes to the IGT, with the day it is planned for.
    with pytest.raises(ValidationError) as e:
        svc.plan_handover(ava.id, None, "Turning 18, still at risk", "public_task")
    assert {p.field for p in e.value.problems} == {"handover_on"}
    assert {p.field for p in problems_with(Referral(person_id=ava.id, kind="transition", to_agency="yos"))} == {
        "to_agency"
    }
    svc.plan_handover(ava.id, date(2027, 1, 15), "Turning 18, still at risk", "public_task")
    (ava_row,) = [r for r in svc.due(TODAY) if r.person.id == ava.id]
    assert ava_row.planned and ava_row.handover is not None and ava_row.handover.referral.to_team_id == "team-igt"
    assert [done for _, done in ava_row.steps] == [True, False, False, False, False]
    assert ben.id in {r.person.id for r in svc.due(TODAY)}


def test_transition_steps_follow_the_referral() -> None:
    from youthwork.domain.referrals import ReferralEvent

    meeting = ReferralEvent(referral_id="r", action="handover_meeting")
    assert [d for _, d in transition_steps("allocated", [meeting])] == [True, True, True, True, False]
    assert [d for _, d in transition_steps("closed", [meeting])] == [True] * 5
    assert [d for _, d in transition_steps("draft", [])] == [False] * 5


def test_the_board_counts_who_turned_18_and_whose_handover_came_first(profile) -> None:
    from youthwork.domain.weeks import Period
    from youthwork.reports.board import board_summary

    test_the_list_and_the_planned_handover(profile)
    # The handover was sent on 1 December 2026, whatever today is.
    profile.db.execute("UPDATE referrals SET sent_at = '2026-12-01T10:00:00+00:00' WHERE kind = 'transition'")
    ava, ben, cal = (PeopleService(profile).search(n)[0].id for n in ("Ava", "Ben", "Cal"))
    # Hand count, Q1 2027: Ava (red, 18 on 1 Feb) turned 18, her handover sent before; Fay (green, not open) is not
    # counted. Q2 2027: Cal (open to TYS, 10 Apr) and Ben (amber, 1 Jun), no handover; Dee (red, 2 Jul) is in Q3.
    q1 = board_summary(profile.db, Period.quarter(2027, 1))
    assert q1.figure("turned_18").ids == (ava,) and q1.figure("transition_before_18").ids == (ava,)
    q2 = board_summary(profile.db, Period.quarter(2027, 2))
    assert set(q2.figure("turned_18").ids) == {ben, cal} and q2.figure("transition_before_18").ids == ()
