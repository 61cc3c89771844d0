"""The board's referral timings on hand-counted rows (issue 19, item 3): first mental-health appointment within 4
weeks, and the "no wrong referral" days from sending to a decision."""

from __future__ import annotations

from datetime import UTC, date, datetime

from youthwork.domain.figures.referral_times import ReferralTiming, decision_figures, first_appointment_figures
from youthwork.domain.referrals import Referral
from youthwork.domain.weeks import Period

Q4 = Period.quarter(2026, 4)  # 1 October to 31 December 2026


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=UTC)


def _row(rid: str, person: str, sent: str, **kw: object) -> ReferralTiming:
    base: dict[str, object] = {"team_id": "t", "to_agency": "camhs", "status": "accepted"}
    return ReferralTiming(id=rid, person_id=person, sent_at=_at(sent), **{**base, **kw})  # type: ignore[arg-type]


ROWS = [
    # A: sent 1 Oct, seen 29 Oct (28 days): within 4 weeks.
    _row("r1", "A", "2026-10-01", first_appointment_on=date(2026, 10, 29)),
    # B: sent 1 Oct, seen 30 Oct (29 days): later.
    _row("r2", "B", "2026-10-01", first_appointment_on=date(2026, 10, 30)),
    # C: sent in September, seen 5 Oct (in the quarter, 25 days): within.
    _row("r3", "C", "2026-09-10", first_appointment_on=date(2026, 10, 5)),
    # D: seen in September: outside the quarter, not counted.
    _row("r4", "D", "2026-08-01", first_appointment_on=date(2026, 9, 20)),
    # E: sent 1 Nov, no appointment, still open at 31 Dec (60 days): waiting.
    _row("r5", "E", "2026-11-01"),
    # F: sent 10 Dec, no appointment (21 days at 31 Dec): not yet waiting too long.
    _row("r6", "F", "2026-12-10"),
    # G: sent 1 Oct, declined: not waiting.
    _row("r7", "G", "2026-10-01", status="declined"),
    # H: a referral to the YOS with an appointment: not a mental-health service.
    _row("r8", "H", "2026-10-01", to_agency="yos", first_appointment_on=date(2026, 10, 2)),
    # A again, a second CAMHS referral seen within 4 weeks: A counts once.
    _row("r9", "A", "2026-11-01", first_appointment_on=date(2026, 11, 10)),
]


def test_first_appointment_within_four_weeks_hand_counted() -> None:
    figures = {f.key: f for f in first_appointment_figures(ROWS, Q4)}
    assert figures["mh_first_appointment"].ids == ("A", "C") and figures["mh_first_appointment"].value == 2
    assert figures["mh_first_appointment_later"].ids == ("B",)
    assert figures["mh_waiting"].ids == ("E",)


def test_no_mental_health_referrals_is_not_recorded_not_zero() -> None:
    (f,) = first_appointment_figures([r for r in ROWS if r.to_agency != "camhs"], Q4)
    assert f.value is None and "not recorded" in f.note


def test_days_to_a_decision_hand_counted() -> None:
    rows = [
        # 2 days, accepted in the quarter.
        _row("d1", "A", "2026-10-01", decided_at=_at("2026-10-03"), decision="accept"),
        # 5 days, passed on in the quarter.
        _row("d2", "B", "2026-10-10", decided_at=_at("2026-10-15"), decision="redirect"),
        # 10 days and a half, declined in the quarter.
        _row("d3", "C", "2026-11-01", decided_at=_at("2026-11-11", 22), decision="decline"),
        # decided in September: not counted.
        _row("d4", "D", "2026-09-01", decided_at=_at("2026-09-05"), decision="accept"),
        # not decided yet.
        _row("d5", "E", "2026-12-01"),
    ]
    figures = {f.key: f for f in decision_figures(rows, Q4)}
    assert figures["referral_decision_days"].value == 5.0  # median of 2, 5 and 10.5
    assert figures["referral_decision_days"].ids == ("d1", "d2", "d3")
    assert figures["referrals_passed_on"].ids == ("d2",)
    none = {f.key: f for f in decision_figures(rows[3:], Q4)}
    assert none["referral_decision_days"].value is None


def test_the_demo_has_an_answered_camhs_referral_and_an_overdue_one(profile) -> None:
    from youthwork.demo_data import generate
    from youthwork.reports.board import board_summary
    from youthwork.services.referrals import ReferralService

    today = date(2026, 11, 18)
    generate(profile, people=30, weeks=2, seed=2, today=today)
    refs = ReferralService(profile)
    (camhs,) = profile.records.select(Referral, "to_agency = 'camhs'")
    (redthread,) = profile.records.select(Referral, "to_agency = 'redthread'")
    as_of = datetime.combine(today, datetime.min.time(), UTC)
    # Today's prompt: the Redthread referral, twelve days without an answer; CAMHS answered it.
    assert [v.referral.id for v in refs.overdue(as_of=as_of)] == [redthread.id]
    view = refs.get(camhs.id)
    assert view is not None and view.events[0].told_by == "CAMHS duty line, by phone"
    board = board_summary(profile.db, Period(date(2026, 10, 1), today), now=as_of)
    assert board.figure("mh_first_appointment").ids == (camhs.person_id,)  # 19 days after it was sent
    from youthwork.services.disclosures import DisclosureService

    (told,) = DisclosureService(profile).for_person(camhs.person_id)
    assert told.to_agency == "police" and told.reference == "MPS/2026/4471"


def test_a_teams_own_mental_health_service_counts_towards_four_weeks(profile) -> None:
    from youthwork.domain.records import YoungPerson
    from youthwork.reports.board import board_summary, mental_health_codes
    from youthwork.services.disclosures import DisclosureService
    from youthwork.services.people import PeopleService
    from youthwork.services.referrals import ReferralService

    kooth = DisclosureService(profile).add_agency("Kooth online counselling", "mental_health")
    refs = ReferralService(profile)
    assert (kooth.code, "Kooth online counselling") in refs.agencies()  # offered for referrals too
    assert mental_health_codes(profile.db) == {"camhs", kooth.code}
    person = PeopleService(profile).add(YoungPerson(first_name="Ola", area="Acorn Estate"))
    r = refs.send(
        Referral(
            person_id=person.id,
            to_agency=kooth.code,
            reason="Anxious",
            lawful_basis="consent",
            consent_given_by="young_person",
        )
    )
    assert refs.get(r.id).agency_label == "Kooth online counselling"
    assert r.sent_at is not None
    refs.step(r.id, "accept", told_by="Kooth, by email")
    refs.step(r.id, "appointment", told_by="Kooth, by email", first_appointment_on=r.sent_at.date())
    period = Period(r.sent_at.date(), r.sent_at.date())
    assert board_summary(profile.db, period).figure("mh_first_appointment").ids == (person.id,)
