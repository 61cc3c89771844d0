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
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from youthwork.domain.baseline import PopulationBaseline
from youthwork.domain.checkins import SessionCheckin
from youthwork.domain.ids import new_id
from youthwork.domain.joint_visits import JointVisit
from youthwork.domain.missing import MissingEpisode, ReturnHomeInterview
from youthwork.domain.outcomes import OutcomeRating
from youthwork.domain.records import Attendance, RagRating, Record, Session, YoungPerson
from youthwork.domain.referrals import Referral
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
