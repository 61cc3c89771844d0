"""Realistic synthetic records for demos, tests and benchmarks: invented people on London-style estates.

Deterministic for a given seed and day. Bulk-inserted in big transactions; by default nothing is queued for sync
(demo records must never reach a real server) unless `outbox=True`.
"""

from __future__ import annotations

import json
import logging
import random
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from typing import Any

from youthwork.domain.baseline import PopulationBaseline
from youthwork.domain.checkins import SessionCheckin, WouldHelp
from youthwork.domain.circumstances import CircumstanceChange
from youthwork.domain.context_plans import ContextPlan, ContextPlanVersion
from youthwork.domain.disclosures import Disclosure
from youthwork.domain.family import Relationship
from youthwork.domain.groups import MEMBERSHIP_REVIEW_DAYS, GroupMembership, PeerGroup
from youthwork.domain.joint_visits import JointVisit
from youthwork.domain.missing import MissingEpisode, ReturnHomeInterview
from youthwork.domain.outcomes import FOYP, OutcomeRating
from youthwork.domain.places import Deployment, Place
from youthwork.domain.records import Attendance, CaseNote, RagRating, Record, Session, YoungPerson
from youthwork.domain.referrals import Referral, ReferralEvent
from youthwork.domain.vocab import (
    AgeBand,
    CoreActivity,
    EducationStatus,
    Ethnicity,
    Gender,
    LawfulBasis,
    RiskIndicator,
    SessionType,
)
from youthwork.store.profile import Profile
from youthwork.store.settings import WORKER_NAMES

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Estate:
    name: str
    district: str
    places: tuple[str, ...]


def _tables() -> dict[str, Any]:
    """The invented names, places and phrases, kept as data in demo_tables.toml beside this module."""
    return tomllib.loads(resources.files("youthwork").joinpath("demo_tables.toml").read_text(encoding="utf-8"))


_T = _tables()
BOYS: list[str] = _T["boys"]
GIRLS: list[str] = _T["girls"]
SURNAMES: list[str] = _T["surnames"]
NICKNAMES: list[str] = _T["nicknames"]
WORKERS: dict[str, str] = _T["workers"]
ESTATES = tuple(Estate(e["name"], e["district"], tuple(e["places"])) for e in _T["estates"])
POSTCODE_LETTERS: str = _T["postcode_letters"]
TOPICS: tuple[str, ...] = tuple(_T["topics"])
NOTE_TEMPLATES: tuple[str, ...] = tuple(_T["note_templates"])
NARRATIVES: tuple[str, ...] = tuple(_T["narratives"])
RAG_REASONS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _T["rag_reasons"].items()}
PLACES: tuple[dict[str, Any], ...] = tuple(_T.get("places", ()))
DEPLOYMENTS: tuple[dict[str, Any], ...] = tuple(_T.get("deployments", ()))
_DEMO_IDS = uuid.UUID("5a1c6a0e-6d2b-4f0e-9a55-9f1f3c0de001")  # demo places' ids: the same on every laptop
_RISKS = [r.value for r in RiskIndicator]
_ETHNICITIES = [e.value for e in Ethnicity]
_EDUCATION = [e.value for e in EducationStatus]
_GENDERS = [Gender.MALE.value, Gender.FEMALE.value, Gender.NON_BINARY.value, Gender.NOT_KNOWN.value]


class _Ids:
    """UUIDv7 ids from the seeded generator, timestamped with the record's own creation time."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def at(self, when: datetime) -> str:
        ms = int(when.timestamp() * 1000)
        value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | self._rng.getrandbits(12) << 64
        value |= 0b10 << 62 | self._rng.getrandbits(62)
        return str(uuid.UUID(int=value))


def _postcode(rng: random.Random, district: str) -> str:
    return f"{district} {rng.randint(1, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


class DemoData:
    def __init__(self, seed: int = 1, today: date | None = None) -> None:
        self.rng = random.Random(seed)
        self.today = today or date.today()
        self.ids = _Ids(self.rng)
        self.people_by_estate: dict[str, list[YoungPerson]] = {e.name: [] for e in ESTATES}
        # Its own stream, so adding social care left every other demo record as it was.
        self.care_rng = random.Random(seed * 31 + 7)
        self.place_ids: dict[str, str] = {}  # a session's place words -> the demo place it names

    def places(self) -> list[Record]:
        """The demo team's places and its deployment log (no random draws: the rest of the demo stays the same)."""
        made = _at(self.today - timedelta(days=400), 9)
        out: list[Record] = []
        by_name: dict[str, str] = {}
        for p in PLACES:
            pid = str(uuid.uuid5(_DEMO_IDS, p["name"]))
            fields = {k: p[k] for k in ("name", "kind", "ward", "latitude", "longitude") if k in p}
            out.append(Place(id=pid, created_at=made, updated_at=made, created_by="w-01", **fields))
            self.place_ids[p["words"]] = by_name[p["name"]] = pid
        for d in DEPLOYMENTS:
            received = self.today - timedelta(days=int(d["days_ago"]))
            fed_back = d.get("fed_back_days_ago")
            at = _at(received, 10)
            out.append(
                Deployment(
                    id=str(uuid.uuid5(_DEMO_IDS, f"deployment {d['reference']}")),
                    created_at=at,
                    updated_at=at,
                    created_by="w-06",
                    recorded_by="w-06",
                    place_id=by_name[d["place"]],
                    source=d["source"],
                    reference=d["reference"],
                    received_on=received,
                    reported=d["reported"],
                    found=d["found"],
                    fed_back=d["fed_back"],
                    fed_back_on=self.today - timedelta(days=int(fed_back)) if fed_back is not None else None,
                )
            )
        return out

    def person(self) -> YoungPerson:
        rng = self.rng
        estate = rng.choice(ESTATES)
        gender = rng.choices(_GENDERS, weights=[62, 34, 1, 3])[0]
        first = rng.choice(GIRLS if gender == "female" else BOYS)
        created = _at(self.today - timedelta(days=rng.randint(1, 700)), rng.randint(15, 21), rng.randint(0, 59))
        age = rng.randint(10, 21)
        known_dob = rng.random() < 0.7
        dob = self.today - timedelta(days=age * 365 + rng.randint(0, 364)) if known_dob else None
        risks = rng.sample(_RISKS, k=rng.choices([0, 1, 2, 3], weights=[50, 25, 15, 10])[0])
        consent = rng.random() < 0.6
        p = YoungPerson(
            id=self.ids.at(created),
            created_at=created,
            updated_at=created,
            created_by=rng.choice(list(WORKERS)),
            first_name=first,
            last_name=rng.choice(SURNAMES) if rng.random() < 0.85 else "",
            known_as=rng.choice(NICKNAMES) if rng.random() < 0.3 else "",
            date_of_birth=dob,
            estimated_age=None if known_dob else age,
            age_estimated_on=None if known_dob else created.date(),
            gender=gender,
            ethnicity=rng.choice(_ETHNICITIES),
            address=f"{rng.randint(1, 120)} {estate.name.split()[0]} House" if rng.random() < 0.5 else "",
            postcode=_postcode(rng, estate.district) if rng.random() < 0.6 else "",
            area=estate.name,
            phone=f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}" if rng.random() < 0.4 else "",
            education_status=rng.choice(_EDUCATION),
            send_ehcp=rng.random() < 0.12,
            looked_after=rng.random() < 0.06,
            lead_worker_id=rng.choice(list(WORKERS)) if rng.random() < 0.7 else "",
            risk_indicators=risks,
            nfa_count=rng.choices([0, 1, 2, 3, 4], weights=[80, 10, 5, 3, 2])[0],
            lawful_basis=(LawfulBasis.CONSENT if consent else LawfulBasis.PUBLIC_TASK).value,
            consent_given_by="young_person" if consent else None,
            consent_date=created.date() if consent else None,
            incomplete=rng.random() < 0.05,
            social_care=self.care_rng.choices(
                ["none", "child_in_need", "child_protection", "early_help"], weights=[84, 7, 4, 5]
            )[0],
        )
        self.people_by_estate[estate.name].append(p)
        return p

    def outside_referrals(self, team_id: str = "") -> list[Record]:
        """Referrals to agencies with no team on the service (issue 19, item 3): one to CAMHS answered step by step,
        with who told the worker and a first appointment 19 days on; one to Redthread twelve days old and overdue."""
        people = [p for estate in self.people_by_estate.values() for p in estate][:2]
        if len(people) < 2:
            return []
        out: list[Record] = []
        sent = _at(self.today - timedelta(days=40), 11)
        camhs = Referral(
            id=self.ids.at(sent),
            person_id=people[0].id,
            to_agency="camhs",
            reason="Low mood since the summer, not sleeping, stopped coming to the Thursday club",
            lawful_basis=LawfulBasis.CONSENT.value,
            consent_given_by="young_person",
            status="sent",  # the service moves it as the steps arrive
            sent_at=sent,
            sent_by="w-01",
            created_by="w-01",
            team_id=team_id,
        )
        first = sent.date() + timedelta(days=19)
        out.append(camhs)
        for days, action, told, extra in (
            (2, "acknowledge", "CAMHS duty line, by phone", {}),
            (9, "accept", "Letter from CAMHS", {}),
            (10, "appointment", "Letter from CAMHS", {"first_appointment_on": first}),
        ):
            at = sent + timedelta(days=days)
            out.append(
                ReferralEvent(
                    id=self.ids.at(at),
                    referral_id=camhs.id,
                    action=action,
                    by_user_id="w-01",
                    created_by="w-01",
                    at=at,
                    told_by=told,
                    team_id=team_id,
                    **extra,  # type: ignore[arg-type]
                )
            )
        # A police information request answered, without a referral (issue 19, item 4).
        asked = _at(self.today - timedelta(days=20), 14)
        out.append(
            Disclosure(
                id=self.ids.at(asked),
                person_id=people[0].id,
                kind="information_request",
                to_agency="police",
                to_agency_name="Police",
                what="The dates they came to the Thursday club in August, for a missing-person enquiry",
                disclosed_on=asked.date(),
                lawful_basis=LawfulBasis.LEGAL_OBLIGATION.value,
                approved_by="Priya Shah, team manager",
                reference="MPS/2026/4471",
                recorded_by="w-01",
                created_by="w-01",
                team_id=team_id,
            )
        )
        late = _at(self.today - timedelta(days=12), 16)
        out.append(
            Referral(
                id=self.ids.at(late),
                person_id=people[1].id,
                to_agency="redthread",
                reason="Came to the session with a cut hand; says it was a fight near the station",
                lawful_basis=LawfulBasis.VITAL_INTERESTS.value,
                status="sent",
                sent_at=late,
                sent_by="w-01",
                created_by="w-01",
                team_id=team_id,
            )
        )
        return out

    def rag_history(self, p: YoungPerson) -> list[RagRating]:
        ratings = []
        when = p.created_at
        for _ in range(self.rng.randint(1, 3)):
            when = when + timedelta(days=self.rng.randint(7, 90))
            if when.date() > self.today:
                break
            rating = self.rng.choice(["red", "amber", "green"])
            by = p.lead_worker_id or "w-01"
            ratings.append(
                RagRating(
                    id=self.ids.at(when),
                    created_at=when,
                    updated_at=when,
                    created_by=by,
                    person_id=p.id,
                    rating=rating,
                    reason=self.rng.choice(RAG_REASONS[rating]),
                    set_by=by,
                    set_at=when,
                )
            )
        if ratings:
            p.rag, p.rag_set_at, p.rag_set_by = ratings[-1].rating, ratings[-1].set_at, ratings[-1].set_by
        return ratings

    def sessions(self, weeks: int, scale: int = 1) -> Iterator[Record]:
        """About 8 sessions a week (times `scale`: a bigger service runs more of them at once)."""
        rng = self.rng
        types = [t.value for t in SessionType]
        for week in range(weeks):
            for n in range(rng.randint(6, 10) * scale):
                estate = rng.choice(ESTATES)
                day = self.today - timedelta(days=week * 7 + rng.randint(1, 7))
                start = _at(day, rng.choice([15, 16, 17, 18, 19]), rng.choice([0, 30]))
                place = rng.choice(estate.places)
                topic = rng.choice(TOPICS)
                session_type = types[(week * 10 + n) % len(types)] if n < len(types) else rng.choice(types)
                workers = rng.sample(list(WORKERS), k=2)
                status = "approved" if week >= 2 else rng.choice(["draft", "submitted"])
                headcounts = {
                    f"{g}/{a}": rng.randint(1, 6)
                    for g in ("male", "female")
                    for a in (AgeBand.A14_15.value, AgeBand.A16_17.value)
                    if rng.random() < 0.5
                }
                concern = rng.random() < 0.1
                s = Session(
                    id=self.ids.at(start),
                    created_at=start,
                    updated_at=start,
                    created_by=workers[0],
                    session_type=session_type,
                    status=status,
                    starts_at=start,
                    ends_at=start + timedelta(hours=rng.choice([2, 2.5, 3])),
                    area=estate.name,
                    place=place,
                    place_id=self.place_ids.get(place, ""),
                    workers=workers,
                    topics=rng.sample(TOPICS, k=2),
                    core_activities=rng.sample([c.value for c in CoreActivity], k=rng.randint(1, 3)),
                    incidents="Argument between two groups, calmed down by workers." if rng.random() < 0.08 else "",
                    concern=concern,
                    concern_details="Young person disclosed being asked to carry a package." if concern else "",
                    narrative=rng.choice(NARRATIVES).format(place=place, topic=topic),
                    headcounts=headcounts,
                    submitted_at=start + timedelta(hours=4) if status != "draft" else None,
                    reviewed_by="w-06" if status == "approved" else "",
                    reviewed_at=start + timedelta(days=2) if status == "approved" else None,
                )
                yield s
                pool = self.people_by_estate[estate.name]
                for p in rng.sample(pool, k=min(len(pool), rng.randint(3, 15))):
                    yield Attendance(
                        id=self.ids.at(start),
                        created_at=start,
                        updated_at=start,
                        created_by=workers[0],
                        session_id=s.id,
                        person_id=p.id,
                        new_face=rng.random() < 0.1,
                    )
                    if rng.random() < 0.3:
                        written = (s.ends_at or start) + timedelta(minutes=rng.randint(5, 90))
                        name = p.known_as or p.first_name
                        yield CaseNote(
                            id=self.ids.at(written),
                            created_at=written,
                            updated_at=written,
                            created_by=workers[0],
                            person_id=p.id,
                            session_id=s.id,
                            author_id=workers[0],
                            written_at=written,
                            text=rng.choice(NOTE_TEMPLATES).format(name=name, place=place),
                        )


def missing_and_visits(people: list[YoungPerson], seed: int, today: date) -> Iterator[Record]:
    """Missing episodes (with their return home interviews) for young people flagged as going missing, and joint home
    visits for some with three or more NFAs. A generator of its own, so the people and sessions stay as they were."""
    rng = random.Random(seed * 19 + 1)
    tables = _T["missing"]
    for p in people:
        if "missing" in p.risk_indicators:
            for n in range(rng.choice([1, 1, 2, 3])):
                gone = _at(today - timedelta(days=rng.randint(2, 150)), rng.randint(17, 23))
                back = gone + timedelta(hours=rng.randint(5, 60)) if n or rng.random() < 0.9 else None
                by = rng.choice((p.lead_worker_id and [p.lead_worker_id]) or list(WORKERS))
                e = MissingEpisode(
                    created_at=gone,
                    updated_at=back or gone,
                    created_by=by,
                    person_id=p.id,
                    reported_at=gone,
                    reported_by="care_home" if p.looked_after else rng.choice(["parent", "parent", "police", "school"]),
                    from_care=p.looked_after,
                    returned_at=back,
                    found_where=rng.choice(tables["found"]) if back else "",
                    recorded_by=by,
                )
                yield e
                if back is None or rng.random() < 0.15:
                    continue  # still missing, or back and the interview still to offer (due on Today)
                offered = back + timedelta(hours=rng.randint(4, 90))
                status = rng.choices(["done", "declined", "not_yet"], weights=[70, 15, 15])[0]
                held = offered + timedelta(hours=rng.randint(2, 48)) if status != "not_yet" else None
                yield ReturnHomeInterview(
                    created_at=offered,
                    updated_at=held or offered,
                    created_by=by,
                    episode_id=e.id,
                    person_id=p.id,
                    offered_at=offered,
                    status=status,
                    held_at=held,
                    done_by=WORKERS.get(by, by) if status == "done" else "",
                    learned=rng.choice(tables["learned"]) if status == "done" else "",
                    places=rng.choice(tables["places"]) if status == "done" else "",
                    recorded_by=by,
                )
        if p.nfa_count >= 3 and rng.random() < 0.6:
            status = rng.choices(["done", "no_answer", "declined", "planned"], weights=[55, 20, 10, 15])[0]
            day = today - timedelta(days=rng.randint(1, 60))
            yield JointVisit(
                created_by=p.lead_worker_id or "w-01",
                person_id=p.id,
                status=status,
                planned_for=today + timedelta(days=rng.randint(1, 14)) if status == "planned" else day,
                visited_on=None if status == "planned" else day,
                tys_workers=[] if status == "planned" else [WORKERS.get(p.lead_worker_id or "w-01", "TYS worker")],
                police_officer="" if status == "planned" else rng.choice(tables["officers"]),
                outcomes=rng.sample(["family_referred", "consequences_explained", "advice_to_parents"], k=2)
                if status == "done"
                else [],
                recorded_by=p.lead_worker_id or "w-01",
            )


def circumstances_and_families(people: list[YoungPerson], seed: int, today: date) -> Iterator[Record]:
    """Each young person's dated circumstances, ending at what their profile says (some left school, then became NEET
    or went to alternative provision), and family links: a parent or carer for many, brothers and sisters where two on
    an estate share a surname. A generator of its own, so the people and sessions stay as they were."""
    rng = random.Random(seed * 23 + 5)

    def change(p: YoungPerson, what: str, value: str, day: date, field: str = "value") -> CircumstanceChange:
        when = _at(day, rng.randint(9, 17))
        c = CircumstanceChange(
            created_at=when, updated_at=when, created_by=p.created_by, person_id=p.id, what=what, from_date=day
        )
        setattr(c, field, value)
        c.recorded_by = p.created_by
        return c

    def between(first: date) -> date:
        return first + timedelta(days=rng.randint(0, max(0, (today - first).days)))

    for p in people:
        start = p.created_at.date()
        if p.education_status != "not_known":
            if p.education_status in ("neet", "excluded", "alternative_provision") and rng.random() < 0.6:
                yield change(p, "education", "in_school", start)
                start = between(start)
            yield change(p, "education", p.education_status, start)
        first = p.created_at.date()
        if p.looked_after:
            yield change(p, "looked_after", "yes", first, "special_value")
        if p.send_ehcp:
            yield change(p, "send", "yes", between(first), "special_value")
        if p.social_care != "none":
            yield change(p, "social_care", p.social_care, between(first), "special_value")
        if p.risk_indicators:
            yield change(p, "risk_indicators", json.dumps(sorted(p.risk_indicators)), first, "criminal_value")
        if p.address or p.postcode:
            yield change(p, "address", ", ".join(x for x in (p.address, p.postcode) if x), first)
        if rng.random() < 0.45:
            carer = (
                "foster_carer" if p.looked_after else rng.choices(["mother", "father", "grandparent"], [70, 20, 10])[0]
            )
            first_name = rng.choice(GIRLS if carer in ("mother", "grandparent") else BOYS)
            yield Relationship(
                created_at=p.created_at,
                updated_at=p.created_at,
                created_by=p.created_by,
                person_id=p.id,
                relation=carer,
                name=f"{first_name} {p.last_name if carer != 'foster_carer' else rng.choice(SURNAMES)}".strip(),
                phone=f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}" if rng.random() < 0.8 else "",
                parental_responsibility=carer in ("mother", "father"),
                lives_with=rng.random() < 0.8,
                may_be_told=rng.choices(["anything", "safety", "nothing"], [50, 40, 10])[0],
            )
    by_family: dict[tuple[str, str], YoungPerson] = {}
    for p in people:
        if not p.last_name:
            continue
        key = (p.area, p.last_name)
        older = by_family.get(key)
        if older is None:
            by_family[key] = p
        elif rng.random() < 0.5:
            yield Relationship(
                created_at=p.created_at,
                updated_at=p.created_at,
                created_by=p.created_by,
                person_id=p.id,
                relation="sibling",
                other_person_id=older.id,
            )


def outcomes_and_voice(people: list[YoungPerson], sessions: list[Session], seed: int, today: date) -> Iterator[Record]:
    """Outcome ratings (a start and a review, some closing) for about a quarter of the young people, anonymous
    check-ins after about half the sessions, and the borough's population baseline. A generator of its own, so the
    people and sessions stay as they were."""
    rng = random.Random(seed * 29 + 7)
    caps = [c for c, _ in FOYP.capabilities]
    for p in people:
        if rng.random() >= 0.25:
            continue
        started = today - timedelta(days=rng.randint(60, 240))
        programme = rng.choice(["detached", "kicks", "one_to_one", "group_work"])
        start = {c: rng.randint(1, 4) for c in caps}
        by = p.lead_worker_id or "w-01"
        yield OutcomeRating(
            created_by=by,
            person_id=p.id,
            rated_on=started,
            stage="start",
            programme=programme,
            scores=start,
            rated_by=by,
        )
        later = started + timedelta(days=rng.randint(40, 120))
        if later < today:
            moved = {
                c: max(1, min(5, v + rng.choices([-1, 0, 1, 2], weights=[10, 40, 35, 15])[0])) for c, v in start.items()
            }
            yield OutcomeRating(
                created_by=by,
                person_id=p.id,
                rated_on=later,
                stage="closing" if rng.random() < 0.3 else "review",
                programme=programme,
                scores=moved,
                rated_by=by,
            )
    answers, helps = ["yes", "yes", "yes", "not_sure", "no", ""], [h.value for h in WouldHelp]
    for s in sessions:
        if s.starts_at is None or rng.random() >= 0.5:
            continue
        for _ in range(rng.randint(2, 6)):
            yield SessionCheckin(
                created_by=s.created_by,
                session_id=s.id,
                taken_on=s.starts_at.date(),
                place=s.area,
                programme=s.session_type,
                felt_safe=rng.choice(answers) or "yes",
                someone_to_talk=rng.choice(answers),
                would_help=rng.choice(helps),
            )
    table = _T["baseline"]
    bands = [AgeBand.A10_13.value, AgeBand.A14_15.value, AgeBand.A16_17.value, AgeBand.A18_21.value]
    yield PopulationBaseline(
        name=table["name"],
        source="invented for the demo",
        loaded_on=today,
        rows=[
            [e, sex, band, n // 8]
            for e, n in table["residents"].items()
            for sex in ("female", "male")
            for band in bands
        ],
    )


def peer_groups(
    estates: list[list[YoungPerson]], seed: int, today: date, place_ids: dict[str, str] | None = None
) -> Iterator[Record]:
    """Two small peer groups, each from one estate's young people (one young person in both), with memberships of
    every role, and a context plan for the first. Their own generator, so the rest of the demo stays as it was."""
    rng = random.Random(seed * 23 + 5)
    pools = sorted((pool for pool in estates if len(pool) >= 5), key=lambda pool: pool[0].id)[:2]
    if len(pools) < 2:
        return
    roles = [("affected", "seen"), ("causing_harm", "reported"), ("both", "told"), ("not_known", "possible")]
    chosen: list[list[YoungPerson]] = [rng.sample(pools[0], 4), rng.sample(pools[1], 2)]
    chosen[1].append(chosen[0][0])  # the overlap the group page draws
    for spec, members in zip(_T["groups"], chosen, strict=True):
        by = rng.choice(list(WORKERS))
        seen_at = [(place_ids or {}).get(name, "") for name in spec.get("places", [])]
        group = PeerGroup(
            label=spec["label"], description=spec["description"], created_by=by, place_ids=[i for i in seen_at if i]
        )
        yield group
        for i, p in enumerate(members):
            role, confidence = roles[i % len(roles)]
            recorded = today - timedelta(days=rng.randint(3, 60))
            yield GroupMembership(
                group_id=group.id,
                person_id=p.id,
                created_by=by,
                recorded_by=by,
                recorded_on=recorded,
                role=role,
                confidence=confidence,
                source=spec["sources"][i % len(spec["sources"])],
                own_account=spec["accounts"][i % len(spec["accounts"])],
                review_date=recorded + timedelta(days=rng.randint(60, MEMBERSHIP_REVIEW_DAYS)),
            )
        if "concern" not in spec:
            continue
        content = {
            "concern": spec["concern"],
            "partners": [{"name": n, "kind": k, "responsible_for": f} for n, k, f in spec["partners"]],
            "actions": [
                {"action": a, "who": w, "by_when": (today + timedelta(days=d)).isoformat()}
                for a, w, d in spec["actions"]
            ],
            "review_date": today + timedelta(days=42),
        }
        plan = ContextPlan(group_id=group.id, title=f"Context plan: {group.label}", status="agreed", created_by=by)
        version = ContextPlanVersion(plan_id=plan.id, status="agreed", agreed_by=by, created_by=by, **content)
        for name, value in content.items():
            setattr(plan, name, value)
        plan.current_version_id, plan.agreed_at = version.id, version.agreed_at
        yield plan
        yield version


class LookAlikes:
    """About one young person in fifty is a register's quick-add of someone already recorded (the same first name or
    nickname, estate and age band, no surname), so Review → Data quality has duplicates to merge. Its own random
    stream: the rest of the demo is the same with or without it."""

    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed * 7919 + 21)
        self.today = today
        self.seen: dict[tuple[str, str, str], YoungPerson] = {}

    def maybe(self, p: YoungPerson) -> None:
        key = (p.area, p.gender, AgeBand.for_age(p.age_on(self.today)).value)
        earlier = self.seen.get(key)
        if earlier is None or p.date_of_birth is not None or self.rng.random() >= 0.02:
            self.seen.setdefault(key, p)
            return
        p.first_name, p.last_name, p.known_as = earlier.known_as or earlier.first_name, "", ""
        p.incomplete = True


def generate(
    profile: Profile,
    *,
    people: int,
    weeks: int,
    seed: int = 1,
    today: date | None = None,
    outbox: bool = False,
    chunk: int = 20_000,
    register_per_person: float | None = None,
) -> dict[str, int]:
    """Fill `profile`; returns how many records of each type were added.

    `register_per_person` asks for about that many register rows per young person (over `weeks`) by running more
    sessions each week; by default a week has about 8 sessions of about 9 young people each.
    """
    demo = DemoData(seed, today)
    counts: dict[str, int] = {}

    def flush(batch: list[Record]) -> None:
        profile.records.bulk_insert(batch, outbox=outbox)
        for r in batch:
            counts[r.TABLE] = counts.get(r.TABLE, 0) + 1
        batch.clear()

    batch: list[Record] = []
    look_alikes = LookAlikes(seed, demo.today)
    for _ in range(people):
        p = demo.person()
        look_alikes.maybe(p)
        if demo.rng.random() < 0.35:
            batch.extend(demo.rag_history(p))
        batch.append(p)
        if len(batch) >= chunk:
            flush(batch)
    places = demo.places()
    batch.extend(places)
    scale = 1
    if register_per_person and weeks:
        scale = max(1, round(people * register_per_person / (weeks * 8 * 9)))
    sessions: list[Session] = []
    for record in demo.sessions(weeks, scale):
        batch.append(record)
        if isinstance(record, Session):
            sessions.append(record)
        if len(batch) >= chunk:
            flush(batch)
    everyone = [p for pool in demo.people_by_estate.values() for p in pool]
    for record in missing_and_visits(everyone, seed, demo.today):
        batch.append(record)
        if len(batch) >= chunk:
            flush(batch)
    batch.extend(demo.outside_referrals(profile.team_id))
    for record in circumstances_and_families(everyone, seed, demo.today):
        batch.append(record)
        if len(batch) >= chunk:
            flush(batch)
    for record in outcomes_and_voice(everyone, sessions, seed, demo.today):
        batch.append(record)
        if len(batch) >= chunk:
            flush(batch)

    place_ids = {r.name: r.id for r in places if isinstance(r, Place)}
    batch.extend(peer_groups(list(demo.people_by_estate.values()), seed, demo.today, place_ids))
    flush(batch)
    names = dict(profile.get_setting(WORKER_NAMES) or {})
    profile.set_setting(WORKER_NAMES, names | WORKERS)
    return counts
