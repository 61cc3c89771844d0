"""Weekly figures against a hand-counted fixture in a real encrypted store.

The fixture (2026-W47, Mon 16 – Sun 22 Nov 2026, GMT):
  people  A girl 16 Black Caribbean · B boy 13 Black African · C boy ~15 (estimated, no ethnicity) · D girl 17
  S0  W45 Mon 2 Nov            A                         (so A is returning)
  S4  W46 Sun 15 Nov 23:30 →00:30  C                     (C's first time: the week before, by half an hour)
  S1  Mon 16 Nov 18:00–20:30   A, B   detached, w1+w2, concern, headcount male/14_15 3 + female/16_17 2, approved
  S2  Wed 18 Nov 19:00–21:00   B, C   kicks, w2, submitted, then changed after submission (still one session)
  S3  Sun 22 Nov 23:00 → Mon 01:30  D   outreach, w1, submitted: crosses midnight into W48, counts in W47 (2.5 h)
  S5  "2026-11-23T00:30+01:00" (= Sun 22 Nov 23:30 UK) youth truck, w2, headcount female/14_15 1, 1 hour
  Hand count: 4 sessions, 8.0 hours, 1 concern; reached A B C D = 4, new B D, returning A C; girls 2; headcount 6.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from youthwork.domain.figures import NOT_RECORDED, WeekInput, compute_weekly
from youthwork.domain.nfa import NfaNotification
from youthwork.domain.records import Attendance, CaseNote, Session, YoungPerson
from youthwork.domain.referrals import Referral
from youthwork.domain.safety_plans import SafetyPlan, SafetyPlanVersion
from youthwork.domain.weeks import BadWeek, IsoWeek
from youthwork.reports.weekly import weekly_report
from youthwork.store.profile import Profile

W47 = IsoWeek(2026, 47)
LATER = datetime(2026, 12, 1, tzinfo=UTC)  # "now" for the tests: after the week, so nothing depends on today
BST = timezone(timedelta(hours=1))


def utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


def session(sid: str, start: datetime, hours: float, workers: list[str], **kw) -> Session:
    kw.setdefault("status", "submitted")
    return Session(
        id=sid,
        team_id="team-1",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        workers=workers,
        created_by=workers[0],
        area="Estate",
        **kw,
    )


def attend(session_id: str, person_id: str) -> Attendance:
    return Attendance(id=f"att-{session_id}-{person_id}", session_id=session_id, person_id=person_id, team_id="team-1")


@pytest.fixture
def week_store(profile: Profile) -> Profile:
    people = [
        YoungPerson(
            id="A",
            first_name="Amara",
            gender="female",
            date_of_birth=date(2010, 5, 1),
            ethnicity="black_caribbean",
            team_id="team-1",
        ),
        YoungPerson(
            id="B",
            first_name="Kofi",
            gender="male",
            date_of_birth=date(2012, 12, 1),
            ethnicity="black_african",
            team_id="team-1",
        ),
        YoungPerson(
            id="C",
            first_name="Kai",
            gender="male",
            estimated_age=15,
            age_estimated_on=date(2026, 1, 1),
            team_id="team-1",
        ),
        YoungPerson(
            id="D",
            first_name="Ruby",
            gender="female",
            date_of_birth=date(2009, 1, 1),
            ethnicity="white_british",
            team_id="team-1",
        ),
    ]
    sessions = [
        session("S0", utc(2026, 11, 2, 18), 2, ["w1"], status="approved"),
        session("S4", utc(2026, 11, 15, 23, 30), 1, ["w1"], status="approved"),
        session(
            "S1",
            utc(2026, 11, 16, 18),
            2.5,
            ["w1", "w2"],
            session_type="detached",
            status="approved",
            concern=True,
            concern_details="x",
            headcounts={"male/14_15": 3, "female/16_17": 2},
        ),
        session("S2", utc(2026, 11, 18, 19), 2, ["w2"], session_type="kicks", status="submitted"),
        session("S3", utc(2026, 11, 22, 23), 2.5, ["w1"], session_type="outreach", status="submitted"),
        session(
            "S5",
            datetime(2026, 11, 23, 0, 30, tzinfo=BST),
            1,
            ["w2"],
            session_type="youth_truck",
            status="draft",
            headcounts={"female/14_15": 1},
        ),
    ]
    register = [
        attend("S0", "A"),
        attend("S4", "C"),
        attend("S1", "A"),
        attend("S1", "B"),
        attend("S2", "B"),
        attend("S2", "C"),
        attend("S3", "D"),
    ]
    notes = [
        CaseNote(
            id="N1", person_id="A", author_id="w1", written_at=utc(2026, 11, 16, 21), text="first", team_id="team-1"
        ),
        CaseNote(
            id="N2",
            person_id="A",
            author_id="w1",
            written_at=utc(2026, 11, 17, 9),
            text="corrected",
            corrects_id="N1",
            team_id="team-1",
        ),
    ]
    referrals = [
        Referral(
            id="R1",
            person_id="A",
            to_agency="tys",
            status="sent",
            sent_at=utc(2026, 11, 17, 10),
            sent_by="w1",
            team_id="team-1",
        ),
        Referral(
            id="R2",
            person_id="B",
            to_agency="csct",
            status="sent",
            urgency="urgent",
            sent_at=utc(2026, 11, 1, 10),
            sent_by="w2",
            team_id="team-1",
        ),
        Referral(
            id="R3",
            person_id="C",
            to_agency="igt",
            status="accepted",
            sent_at=utc(2026, 11, 18, 10),
            sent_by="w2",
            team_id="team-1",
        ),
        Referral(id="R4", person_id="D", to_agency="tys", status="draft", team_id="team-1"),
    ]
    plans = [
        SafetyPlan(
            id="P1",
            person_id="A",
            status="agreed",
            agreed_at=utc(2026, 11, 17, 12),
            review_date=date(2026, 12, 17),
            team_id="team-1",
            created_by="w1",
        ),
        SafetyPlan(
            id="P2",
            person_id="B",
            status="agreed",
            agreed_at=utc(2026, 9, 1, 12),
            review_date=date(2026, 11, 1),
            team_id="team-1",
            created_by="w2",
        ),
        SafetyPlan(
            id="P3",
            person_id="C",
            status="reviewed",
            agreed_at=utc(2026, 8, 1, 12),
            review_date=date(2027, 1, 1),
            team_id="team-1",
            created_by="w2",
        ),
        SafetyPlanVersion(
            id="P3v2", plan_id="P3", person_id="C", number=2, agreed_at=utc(2026, 11, 19, 12), team_id="team-1"
        ),
    ]
    nfas = [
        NfaNotification(
            id=f"NFA{i}", person_id="B", notified_on=date(2026, 10, 1 + i), offence_category="drugs", team_id="team-1"
        )
        for i in range(3)
    ]
    profile.records.bulk_insert([*people, *sessions, *register, *notes, *referrals, *plans, *nfas])
    # A change after submission is still the same one session.
    s2 = profile.records.get(Session, "S2")
    assert s2 is not None
    s2.narrative = "Added the football score after submitting."
    profile.records.save(s2)
    return profile


def test_week_bounds_follow_uk_clock_changes() -> None:
    assert IsoWeek.parse("2026-W47").hours == 168
    assert IsoWeek.parse("2026-W13").hours == 167  # BST starts Sun 29 Mar 2026
    assert IsoWeek.parse("2026-W43").hours == 169  # BST ends Sun 25 Oct 2026 (that Sunday is in W43)
    assert IsoWeek.parse("2026-W44").hours == 168
    assert IsoWeek.parse("2026w47") == W47
    assert str(W47.shifted(-1)) == "2026-W46" and str(IsoWeek(2026, 1).shifted(-1)) == "2025-W52"
    assert W47.label() == "Week 47: 16 Nov–22 Nov 2026"
    for bad, words in (("47", "Write it like"), ("2026-W54", "has no week 54"), ("", "Write it like")):
        with pytest.raises(BadWeek, match=words):
            IsoWeek.parse(bad)


def test_team_week_matches_hand_count(week_store: Profile) -> None:
    r = weekly_report(week_store.db, W47, team_id="team-1", now=LATER)
    v = r.values()
    # S5 is a draft: not delivered work, so not in the sessions, hours or headcount; it is shown apart.
    assert v["sessions"] == 3
    assert set(r.figure("sessions").ids) == {"S1", "S2", "S3"}
    assert r.figure("sessions_not_submitted").ids == ("S5",)
    assert v["hours"] == 7.0
    assert v["concerns"] == 1 and r.figure("concerns").ids == ("S1",)
    assert {k: v[f"sessions_by_type.{k}"] for k in ("detached", "kicks", "outreach")} == dict.fromkeys(
        ("detached", "kicks", "outreach"), 1
    )
    assert "sessions_by_type.youth_truck" not in v or not v["sessions_by_type.youth_truck"]
    assert v["sessions_by_worker.w1"] == 2 and v["sessions_by_worker.w2"] == 2
    assert v["hours_by_worker.w1"] == 5.0 and v["hours_by_worker.w2"] == 4.5
    assert v["reached"] == 4
    assert r.figure("reached_new").ids == ("B", "D")
    assert r.figure("reached_returning").ids == ("A", "C")
    assert r.figure("reached_girls").ids == ("A", "D")
    assert v["reached_by_age.10_13"] == 1 and v["reached_by_age.14_15"] == 1 and v["reached_by_age.16_17"] == 2
    assert v["reached_by_ethnicity.black_caribbean"] == 1 and v["reached_by_ethnicity.not_stated"] == 1
    assert v["headcount"] == 5 and v["headcount_by_gender.male"] == 3 and v["headcount_by_gender.female"] == 2
    assert v["headcount_by_age.14_15"] == 3
    assert v["case_notes"] == 1 and v["case_notes_amended"] == 1  # the amendment is not a second note
    assert set(r.figure("waiting_signoff").ids) == {"S2", "S3"}
    assert v["sessions_by_status.approved"] == 1 and v["sessions_by_status.submitted"] == 2
    # Referrals: R1, R3 made this week; R2 (urgent, sent 1 Nov, never acknowledged) is overdue; R4 is a draft.
    assert r.figure("referrals").ids == ("R1", "R3")
    assert v["referrals_by_agency.tys"] == 1 and v["referrals_by_agency.igt"] == 1
    assert r.figure("referrals_overdue").ids == ("R2",)
    assert r.figure("plans_created").ids == ("P1",)
    assert r.figure("plans_reviewed").ids == ("P3",)
    assert r.figure("plans_overdue").ids == ("P2",)
    assert r.figure("nfa_prompts_open").ids == ("B",)


def test_one_worker_and_the_neighbouring_weeks(week_store: Profile) -> None:
    r = weekly_report(week_store.db, W47, worker_id="w1", now=LATER)
    assert set(r.figure("sessions").ids) == {"S1", "S3"}
    assert r.figure("hours").value == 5.0
    assert r.figure("reached").ids == ("A", "B", "D")
    assert r.figure("reached_new").ids == ("B", "D")
    assert r.figure("referrals").ids == ("R1",)
    # S4 (Sun 23:30) is W46's and C's first time; S3 (Sun 23:00 into Monday) is not W48's.
    w46 = weekly_report(week_store.db, W47.shifted(-1), now=LATER)
    assert w46.figure("sessions").ids == ("S4",) and w46.figure("reached_new").ids == ("C",)
    w48 = weekly_report(week_store.db, W47.shifted(1), now=LATER)
    assert w48.figure("sessions").value == 0 and w48.figure("reached").value == 0


def test_clock_change_weeks(profile: Profile) -> None:
    profile.records.bulk_insert(
        [
            YoungPerson(id="P", first_name="Jade", gender="female"),
            # Sunday 29 Mar 23:30 BST is still W13; Monday 00:15 BST (23:15 UTC on Sunday) is W14.
            session("spring-sun", datetime(2026, 3, 29, 23, 30, tzinfo=BST), 0.5, ["w1"]),
            session("spring-mon", datetime(2026, 3, 30, 0, 15, tzinfo=BST), 1, ["w1"]),
            # Sat 24 Oct 23:00 BST to Sun 25 Oct 02:00 GMT is four real hours.
            session("autumn", datetime(2026, 10, 24, 23, 0, tzinfo=BST), 4, ["w1"]),
            attend("spring-mon", "P"),
        ]
    )
    w13 = weekly_report(profile.db, IsoWeek(2026, 13), now=LATER)
    assert w13.figure("sessions").ids == ("spring-sun",)
    w14 = weekly_report(profile.db, IsoWeek(2026, 14), now=LATER)
    assert w14.figure("sessions").ids == ("spring-mon",) and w14.figure("reached_new").ids == ("P",)
    w43 = weekly_report(profile.db, IsoWeek(2026, 43), now=LATER)
    assert w43.figure("sessions").ids == ("autumn",) and w43.figure("hours").value == 4.0


def test_sections_without_records_say_not_recorded() -> None:
    empty = WeekInput(W47, [], [], {})
    r = compute_weekly(empty, now=LATER)
    for key in (
        "referrals",
        "referrals_overdue",
        "plans_created",
        "plans_reviewed",
        "plans_overdue",
        "nfa_prompts_open",
    ):
        f = r.figure(key)
        assert f.value is None and f.display() == NOT_RECORDED
    assert r.figure("sessions").value == 0 and r.figure("sessions").display() == "0"


def test_trend_and_board_summary(week_store: Profile) -> None:
    from youthwork.domain.weeks import Period
    from youthwork.reports.board import board_summary
    from youthwork.reports.weekly import trend

    weeks = trend(week_store.db, W47, weeks=12)
    assert [str(r.week) for r in weeks][:2] == ["2026-W35", "2026-W36"] and len(weeks) == 13
    assert [r.figure("sessions").value for r in weeks[-3:]] == [1, 1, 3]  # W45: S0, W46: S4, W47 (S5 a draft)
    q4 = Period.quarter(2026, 4)
    assert (q4.first.isoformat(), q4.last.isoformat()) == ("2026-10-01", "2026-12-31")
    b = board_summary(week_store.db, q4, now=LATER)
    assert b.figure("reached").value == 4 and b.figure("reached_new").value == 4  # everyone's first time is in Q4
    week_store.db.execute("UPDATE people SET education_status = 'neet' WHERE id = 'C'")
    week_store.db.execute("UPDATE people SET risk_indicators = '[\"missing\"]' WHERE id = 'D'")
    week_store.db.execute(
        "UPDATE safety_plans SET nrm_outcome = 'positive_conclusive_grounds', nrm_decision_date = '2026-11-02'"
        " WHERE id = 'P1'"
    )
    b = board_summary(week_store.db, q4, now=LATER)
    assert b.figure("neet").ids == ("C",) and b.figure("missing").ids == ("D",)
    assert b.figure("nrm_plans_agreed").ids == ("P1",)
    for key in ("first_time_entrants", "reoffending", "mh_first_appointment"):
        assert b.figure(key).value is None and "not recorded" in b.figure(key).note


@pytest.mark.parametrize("worker", [None, "w1", "w2"])
def test_trend_weeks_equal_the_weekly_reports(week_store: Profile, worker: str | None) -> None:
    from youthwork.reports.weekly import trend

    for r in trend(week_store.db, W47.shifted(1), weeks=4, worker_id=worker):
        alone = weekly_report(week_store.db, r.week, worker_id=worker, now=datetime.now(UTC))
        assert r.values() == alone.values(), r.week
        assert r.figure("reached_new").ids == alone.figure("reached_new").ids
