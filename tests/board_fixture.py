"""A hand-counted quarter for the board pack (2026-Q3, 1 Jul – 30 Sep 2026; ages on 1 Jul), used by the laptop's
tests and the service's, so both are checked against the same numbers.

  people  A girl 16 Black Caribbean, CSE flagged      B boy 15 Black Caribbean     C boy 14 Black Caribbean
          D boy 17 White British, NEET                E girl 14 White British, CCE  F non-binary ~15, not stated
          G boy 16 Black African (never reached)
  S0 15 Jun (before the quarter) A · S1 10 Jul detached, north_estate: A B C D · S2 20 Aug kicks, park: B E F
  referrals  R1 E→csct 12 Jul · R2 G→yos 1 Aug · R3 B→yos 5 Sep · R4 D draft · R5 C→tys 1 Jun (before)
  RAG        B red 15 Jul · G red 2 Aug · D amber 20 Jul · C red 2 Oct (after)
  plans      P1 E agreed 20 Jul, positive NRM (reasonable grounds) 10 Aug · P2 B draft
  outcomes   A start 10 Jul {comm 2, conf 3} → closing 20 Sep {comm 4, conf 3}: +1.0, a good outcome
             B start 10 Jul {comm 3, feel 2} → review 1 Sep {comm 3, feel 3}: +0.5
             E start 20 Aug {comm 4} → closing 25 Sep {comm 3}: −1.0
  missing    M1 A reported 5 Aug 20:00, back 6 Aug 10:00, interview offered 7 Aug, done · M2 C from care 2 Sep, not back
  visits     V1 G joint home visit done 12 Aug · V2 B planned (not tried)
  check-ins  S1: (yes, yes, more sessions) (yes, no, more sessions) (no, yes, safer journey)
             S2: (yes, yes, indoors) (not sure, –, –) · S0: one in June (outside)
  baseline   Black Caribbean male 14–15 400, 16–17 400; Black Caribbean female 16–17 500; White British male 16–17 1000;
             White British female 14–15 1200; Black African male 16–17 500: 4,000 residents

Hand count: reached 6 (rate 6/4000 = 1.5 per 1,000); Black Caribbean boys B C = 2 of 800 → 2.5 per 1,000, 1.67× the
borough; Black Caribbean girls A 1/500 → 2.0, 1.33×; White British boys D 1/1000 → 1.0, 0.67×; White British girls E
1/1200 → 0.83, 0.56×; F non-binary, not stated: no baseline. Age 14–15 B C E F = 4 of 1,600 → 2.5, 1.67×; 16–17 A D
= 2 of 2,400 → 0.83, 0.56×. Referred E G B = 3 (csct 1, yos 2); rated red B G = 2; safety plan E = 1; good outcome A
= 1; missing A C = 2 (from care C; 1 return, its interview offered within 72 hours and done); third-NFA visit G = 1.
Distance travelled: detached A B, average +0.75, both rose (communication +1.0, confidence 0.0, managing feelings
+1.0); kicks E −1.0, none rose. Check-ins 5: felt safe 3, someone to talk to
3; north_estate 3, park 2; most asked "more sessions" (2). Unseen girls: A. NEET: D. NRM positive 1, agreed 1.

The measures from records beyond the pack's input (none of these young people is reached, and every referral below
was sent before the quarter, so the counts above stand):
  turning 18  H boy born 15 Aug 2008, amber, handover T1 to the IGT sent 20 Jun (before his birthday)
              J girl born 10 Sep 2008, red, no handover · K boy born 20 Jul 2008, open to TYS (R9 sent 1 May)
              L boy born 1 Aug 2008, green, not open to TYS (not counted) · D (born 2009) turns 18 next year
  circumstances  D NEET from 1 Mar, in employment from 10 Aug · A looked after from 1 Sep
                 H excluded from school from 10 Jan (still)
  family     N has a police NFA on 10 Jun; M is his sister · E is B's stepsister (B rated red 15 Jul)
             A and F are sisters (neither offends) · C and D brothers (C rated red only on 2 Oct, after)
  CAMHS      R6 P sent 20 Jun 18:00, accepted 1 Jul 18:00, first appointment 11 Jul (21 days: within 4 weeks)
             R7 Q sent 10 Jun 18:00, accepted 3 Jul 18:00, first appointment 22 Jul (42 days: later)
             R8 P to Redthread sent 25 Jun 18:00, passed on to CAMHS 2 Jul 18:00
             R10 N to Kooth (the team's own agency, a mental-health service) sent 1 May, no appointment yet
Hand count: turned 18 H J K = 3, handover before the birthday H = 1. NEET on 1 Jul D, on 30 Sep none, no longer NEET
D; in employment on 30 Sep D, became employed D; looked after on 30 Sep A, became looked after A; excluded on 1 Jul
and 30 Sep H. Siblings of young people who offend E M = 2. First appointment within 4 weeks P = 1, later Q = 1,
still waiting more than 4 weeks N = 1. Decisions in the quarter R6 (11 days), R7 (23 days), R8 (7 days): median 11.0
days; passed on R8 = 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from youthwork.domain.baseline import PopulationBaseline
from youthwork.domain.checkins import SessionCheckin
from youthwork.domain.circumstances import CircumstanceChange
from youthwork.domain.disclosures import Agency
from youthwork.domain.family import Relationship
from youthwork.domain.ids import new_id
from youthwork.domain.joint_visits import JointVisit
from youthwork.domain.missing import MissingEpisode, ReturnHomeInterview
from youthwork.domain.nfa import NfaNotification
from youthwork.domain.outcomes import OutcomeRating
from youthwork.domain.records import Attendance, RagRating, Record, Session, YoungPerson
from youthwork.domain.referrals import Referral, ReferralEvent
from youthwork.domain.safety_plans import SafetyPlan

QUARTER = "2026-Q3"
BASELINE_CSV = """ethnicity,sex,age_band,population
Black – Caribbean,Male,14–15,400
black_caribbean,male,16_17,400
Black - Caribbean,Female,16-17,500
white_british,male,16_17,1000
"White – English, Welsh, Scottish, Northern Irish or British",Female,14_15,1200
black_african,M,16_17,500
"""
BASELINE_ROWS = [
    ["black_caribbean", "male", "14_15", 400],
    ["black_caribbean", "male", "16_17", 400],
    ["black_caribbean", "female", "16_17", 500],
    ["white_british", "male", "16_17", 1000],
    ["white_british", "female", "14_15", 1200],
    ["black_african", "male", "16_17", 500],
]


def at(month: int, day: int, hour: int = 18) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def board_records(team: str, worker: str) -> tuple[dict[str, str], list[Record], list[Record]]:
    """(readable name → id, the worker's records, the supervisor's records: the baseline)."""
    ID: dict[str, str] = defaultdict(new_id)

    def person(key: str, gender: str, **kw: object) -> YoungPerson:
        return YoungPerson(id=ID[key], team_id=team, first_name=f"Person {key}", gender=gender, **kw)  # type: ignore[arg-type]

    def session(key: str, start: datetime, session_type: str, area: str) -> Session:
        return Session(
            id=ID[key],
            team_id=team,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            session_type=session_type,
            area=area,
            workers=[worker],
            created_by=worker,
            status="submitted",
        )

    def attend(s: str, p: str) -> Attendance:
        return Attendance(id=ID[f"{s}-{p}"], team_id=team, session_id=ID[s], person_id=ID[p])

    def referral(key: str, p: str, agency: str, sent: datetime | None, status: str = "sent") -> Referral:
        return Referral(
            id=ID[key],
            team_id=team,
            person_id=ID[p],
            to_agency=agency,
            status=status,
            sent_at=sent,
            sent_by=worker if sent else "",
            created_by=worker,
            reason="Worried about them",
            urgency="routine",
            lawful_basis="public_task",
        )

    def step(key: str, r: str, action: str, when: datetime, **kw: object) -> ReferralEvent:
        return ReferralEvent(
            id=ID[key],
            team_id=team,
            referral_id=ID[r],
            action=action,
            by_user_id=worker,
            at=when,
            told_by="Phone call from the agency",
            created_by=worker,
            **kw,  # type: ignore[arg-type]
        )

    def circumstance(key: str, p: str, what: str, on: date, **kw: object) -> CircumstanceChange:
        return CircumstanceChange(
            id=ID[key],
            team_id=team,
            person_id=ID[p],
            what=what,
            from_date=on,
            recorded_by=worker,
            created_by=worker,
            created_at=datetime(on.year, on.month, on.day, 12, tzinfo=UTC),
            **kw,  # type: ignore[arg-type]
        )

    def family(key: str, p: str, relation: str, other: str) -> Relationship:
        return Relationship(
            id=ID[key], team_id=team, person_id=ID[p], relation=relation, other_person_id=ID[other], created_by=worker
        )

    def rag(key: str, p: str, rating: str, when: datetime) -> RagRating:
        return RagRating(
            id=ID[key], team_id=team, person_id=ID[p], rating=rating, set_at=when, set_by=worker, reason="Supervision"
        )

    def rating(key: str, p: str, on: date, stage: str, programme: str, scores: dict[str, int]) -> OutcomeRating:
        return OutcomeRating(
            id=ID[key],
            team_id=team,
            person_id=ID[p],
            rated_on=on,
            stage=stage,
            programme=programme,
            scores=scores,
            rated_by=worker,
            created_by=worker,
        )

    def checkin(
        key: str, s: str, on: date, place: str, programme: str, safe: str, talk: str, helps: str
    ) -> SessionCheckin:
        return SessionCheckin(
            id=ID[key],
            team_id=team,
            session_id=ID[s],
            taken_on=on,
            place=place,
            programme=programme,
            felt_safe=safe,
            someone_to_talk=talk,
            would_help=helps,
            created_by=worker,
        )

    recs: list[Record] = [
        person("A", "female", date_of_birth=date(2010, 5, 1), ethnicity="black_caribbean", risk_indicators=["cse"]),
        person("B", "male", date_of_birth=date(2011, 3, 1), ethnicity="black_caribbean"),
        person("C", "male", date_of_birth=date(2011, 8, 1), ethnicity="black_caribbean"),
        person("D", "male", date_of_birth=date(2009, 1, 1), ethnicity="white_british", education_status="neet"),
        person("E", "female", date_of_birth=date(2012, 1, 1), ethnicity="white_british", risk_indicators=["cce"]),
        person("F", "non_binary", estimated_age=15, age_estimated_on=date(2026, 7, 1)),
        person("G", "male", date_of_birth=date(2010, 2, 1), ethnicity="black_african"),
        session("S0", at(6, 15), "detached", "north_estate"),
        session("S1", at(7, 10), "detached", "north_estate"),
        session("S2", at(8, 20), "kicks", "park"),
        attend("S0", "A"),
        *(attend("S1", p) for p in "ABCD"),
        *(attend("S2", p) for p in "BEF"),
        referral("R1", "E", "csct", at(7, 12)),
        referral("R2", "G", "yos", at(8, 1)),
        referral("R3", "B", "yos", at(9, 5)),
        referral("R4", "D", "early_help", None, status="draft"),
        referral("R5", "C", "tys", at(6, 1)),
        rag("G1", "B", "red", at(7, 15)),
        rag("G2", "G", "red", at(8, 2)),
        rag("G3", "D", "amber", at(7, 20)),
        rag("G4", "C", "red", at(10, 2)),
        SafetyPlan(
            id=ID["P1"],
            team_id=team,
            person_id=ID["E"],
            status="agreed",
            agreed_at=at(7, 20),
            nrm_outcome="positive_reasonable_grounds",
            nrm_decision_date=date(2026, 8, 10),
            created_by=worker,
            review_date=date(2026, 10, 20),
            contacts=[{"name": "Childline", "number": "0800 1111", "when": "any time"}],
        ),
        SafetyPlan(id=ID["P2"], team_id=team, person_id=ID["B"], status="draft", created_by=worker),
        rating("O1", "A", date(2026, 7, 10), "start", "detached", {"communication": 2, "confidence_agency": 3}),
        rating("O2", "A", date(2026, 9, 20), "closing", "detached", {"communication": 4, "confidence_agency": 3}),
        rating("O3", "B", date(2026, 7, 10), "start", "detached", {"communication": 3, "managing_feelings": 2}),
        rating("O4", "B", date(2026, 9, 1), "review", "detached", {"communication": 3, "managing_feelings": 3}),
        rating("O5", "E", date(2026, 8, 20), "start", "kicks", {"communication": 4}),
        rating("O6", "E", date(2026, 9, 25), "closing", "kicks", {"communication": 3}),
        MissingEpisode(
            id=ID["M1"],
            team_id=team,
            person_id=ID["A"],
            reported_at=at(8, 5, 20),
            reported_by="parent",
            returned_at=at(8, 6, 10),
            created_by=worker,
            recorded_by=worker,
        ),
        MissingEpisode(
            id=ID["M2"],
            team_id=team,
            person_id=ID["C"],
            reported_at=at(9, 2, 22),
            reported_by="care_home",
            from_care=True,
            created_by=worker,
            recorded_by=worker,
        ),
        ReturnHomeInterview(
            id=ID["I1"],
            team_id=team,
            episode_id=ID["M1"],
            person_id=ID["A"],
            offered_at=at(8, 7, 10),
            status="done",
            held_at=at(8, 7, 12),
            done_by=worker,
            created_by=worker,
        ),
        JointVisit(
            id=ID["V1"],
            team_id=team,
            person_id=ID["G"],
            status="done",
            planned_for=date(2026, 8, 10),
            visited_on=date(2026, 8, 12),
            tys_workers=["Sam"],
            police_officer="PC Jones",
            outcomes=["advice_to_parents"],
            created_by=worker,
        ),
        JointVisit(
            id=ID["V2"],
            team_id=team,
            person_id=ID["B"],
            status="planned",
            planned_for=date(2026, 10, 20),
            created_by=worker,
        ),
        checkin("K1", "S1", date(2026, 7, 10), "north_estate", "detached", "yes", "yes", "more_sessions"),
        checkin("K2", "S1", date(2026, 7, 10), "north_estate", "detached", "yes", "no", "more_sessions"),
        checkin("K3", "S1", date(2026, 7, 10), "north_estate", "detached", "no", "yes", "safer_journey"),
        checkin("K4", "S2", date(2026, 8, 20), "park", "kicks", "yes", "yes", "indoors"),
        checkin("K5", "S2", date(2026, 8, 20), "park", "kicks", "not_sure", "", ""),
        checkin("K0", "S0", date(2026, 6, 15), "north_estate", "detached", "yes", "yes", "nothing"),
        # The measures beyond the pack's input (see the hand count above).
        person("H", "male", date_of_birth=date(2008, 8, 15), ethnicity="white_british", rag="amber"),
        person("J", "female", date_of_birth=date(2008, 9, 10), ethnicity="white_british", rag="red"),
        person("K", "male", date_of_birth=date(2008, 7, 20), ethnicity="black_african"),
        person("L", "male", date_of_birth=date(2008, 8, 1), ethnicity="white_british", rag="green"),
        person("N", "male", date_of_birth=date(2010, 6, 1), ethnicity="white_british"),
        person("M", "female", date_of_birth=date(2012, 6, 1), ethnicity="white_british"),
        person("P", "female", date_of_birth=date(2011, 4, 1), ethnicity="black_caribbean"),
        person("Q", "male", date_of_birth=date(2011, 5, 1), ethnicity="black_caribbean"),
        Referral(
            id=ID["T1"],
            team_id=team,
            person_id=ID["H"],
            to_agency="igt",
            kind="transition",
            handover_on=date(2026, 8, 1),
            status="sent",
            sent_at=at(6, 20),
            sent_by=worker,
            created_by=worker,
            reason="Turning 18: handover to the transitions service",
            urgency="routine",
            lawful_basis="public_task",
        ),
        referral("R9", "K", "tys", at(5, 1)),
        circumstance("C1", "D", "education", date(2026, 3, 1), value="neet"),
        circumstance("C2", "D", "education", date(2026, 8, 10), value="employment"),
        circumstance("C3", "A", "looked_after", date(2026, 9, 1), special_value="yes"),
        circumstance("C4", "H", "education", date(2026, 1, 10), value="excluded"),
        NfaNotification(
            id=ID["N1"],
            team_id=team,
            person_id=ID["N"],
            notified_on=date(2026, 6, 10),
            recorded_by=worker,
            source="PC Jones",
            offence_category="robbery",
            created_by=worker,
        ),
        family("F1", "M", "sibling", "N"),
        family("F2", "B", "step_sibling", "E"),
        family("F3", "A", "sibling", "F"),
        family("F4", "D", "sibling", "C"),
        referral("R6", "P", "camhs", at(6, 20)),
        referral("R7", "Q", "camhs", at(6, 10)),
        referral("R8", "P", "redthread", at(6, 25)),
        step("E1", "R6", "accept", at(7, 1)),
        step("E2", "R6", "appointment", at(7, 2), first_appointment_on=date(2026, 7, 11)),
        step("E3", "R7", "accept", at(7, 3)),
        step("E4", "R7", "appointment", at(7, 4), first_appointment_on=date(2026, 7, 22)),
        step("E5", "R8", "redirect", at(7, 2), passed_to="camhs"),
        Agency(id=ID["kooth"], team_id=team, code="kooth", name="Kooth", kind="mental_health", created_by=worker),
        referral("R10", "N", "kooth", at(5, 1)),
    ]
    baseline = PopulationBaseline(
        id=ID["baseline"],
        team_id=team,
        name="Borough 10-24",
        rows=BASELINE_ROWS,
        loaded_on=date(2026, 10, 1),
        created_by="supervisor",
    )
    return dict(ID), recs, [baseline]


def further_measures_expected(ID: dict[str, str]) -> dict[str, tuple[object, set[str]]]:
    """The hand count of the measures beyond the pack's input: key -> (value, the ids behind it)."""

    def named(*keys: str) -> set[str]:
        return {ID[k] for k in keys}

    return {
        "turned_18": (3, named("H", "J", "K")),
        "transition_before_18": (1, named("H")),
        "neet_at_start": (1, named("D")),
        "neet_at_end": (0, set()),
        "no_longer_neet": (1, named("D")),
        "became_neet": (0, set()),
        "employment_at_start": (0, set()),
        "employment_at_end": (1, named("D")),
        "became_employment": (1, named("D")),
        "looked_after_at_start": (0, set()),
        "looked_after_at_end": (1, named("A")),
        "became_looked_after": (1, named("A")),
        "excluded_at_start": (1, named("H")),
        "excluded_at_end": (1, named("H")),
        "became_excluded": (0, set()),
        "child_protection_at_end": (0, set()),
        "siblings_of_offending": (2, named("E", "M")),
        "mh_first_appointment": (1, named("P")),
        "mh_first_appointment_later": (1, named("Q")),
        "mh_waiting": (1, named("N")),  # Kooth: the team's own agency of the mental-health kind
        "referral_decision_days": (11.0, named("R6", "R7", "R8")),
        "referrals_passed_on": (1, named("R8")),
    }


def further_measures_got(measures: list[dict[str, Any]], keys: Iterable[str]) -> dict[str, tuple[object, set[str]]]:
    """Those keys' (value, ids) from a pack's `to_dict()["measures"]`."""
    got = {m["key"]: m for m in measures}
    return {k: (got[k]["value"], set(got[k]["ids"])) for k in keys if k in got}
