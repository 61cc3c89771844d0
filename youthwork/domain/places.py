"""Places as records: the estates, parks, cages, shops, transport hubs, school gates, youth venues and online spaces
where young people are met and where harm happens (contextual safeguarding).

A place belongs to its team. Sessions, NFAs (where an arrest happened) and referrals name one by `place_id`; a safety
plan names the places it calls safe or to avoid through `PlanPlace` entries, one per place. None of these is about a
young person by itself, so a place survives any one young person's erasure; the entries that hang from a plan are
erased with the plan. The deployment log records what sent workers to a place and what came of it. Partner staff
(Kicks coaches) see places and sessions' headcounts, never groups, plans or the deployment log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

from youthwork.domain.policy import STAFF, STAFF_AND_PARTNER, Link, Must, RecordPolicy, declare
from youthwork.domain.records import Record
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab

NAME_MAX = 120


class PlaceKind(Vocab):
    ESTATE = "estate", "Estate"
    PARK = "park", "Park"
    CAGE = "cage", "Cage or pitch"
    SHOP = "shop", "Shop"
    TRANSPORT = "transport", "Transport hub or route"
    SCHOOL_GATE = "school_gate", "School gate"
    YOUTH_VENUE = "youth_venue", "Youth venue"
    ONLINE = "online", "Online space"
    OTHER = "other", "Somewhere else"


class PlaceStance(Vocab):
    """How a safety plan names a place."""

    SAFE = "safe", "Safe place or route"
    AVOID = "avoid", "Place to avoid"


class DeploymentSource(Vocab):
    """What led the team to send workers somewhere."""

    POLICE = "police_intelligence", "Police intelligence"
    ASB = "asb_report", "Anti-social behaviour report"
    COMMUNITY = "community", "Residents or community"
    PARTNER = "partner", "Partner agency (school, housing, transport)"
    TASKING = "tasking", "Tasking meeting"
    OWN = "own_observation", "Our own observation"


@dataclass(slots=True, kw_only=True)
class Place(Record):
    TABLE: ClassVar[str] = "places"

    name: str = ""
    kind: str = PlaceKind.OTHER.value
    ward: str = ""
    # A point (decimal degrees, WGS84), or an area as a ring of [latitude, longitude] points; both optional.
    latitude: float | None = None
    longitude: float | None = None
    boundary: list[list[float]] = field(default_factory=list)
    description: str = ""  # how a worker finds it: "the cage behind Sumner Road"
    # The free text this place was confirmed from (a session's area or place before places were records).
    confirmed_from: str = ""
    active: bool = True  # no longer used: kept for the history, left out of the pickers


@dataclass(slots=True, kw_only=True)
class PlanPlace(Record):
    """One place a young person's safety plan calls safe (a place or route) or to avoid."""

    TABLE: ClassVar[str] = "plan_places"

    plan_id: str = ""
    place_id: str = ""
    stance: str = PlaceStance.SAFE.value
    note: str = ""  # "only in daylight", "the 36 bus, not the 436"
    active: bool = True  # taken off the plan


@dataclass(slots=True, kw_only=True)
class Deployment(Record):
    """The deployment log: a report that led to a session at a place, what was found, what went back to tasking.

    It is about a place, never a named young person (the form says so): intelligence about a child goes on their
    record, where need-to-know applies."""

    TABLE: ClassVar[str] = "deployments"

    place_id: str = ""
    session_id: str = ""  # the session it led to, once there was one
    source: str = DeploymentSource.ASB.value
    reference: str = ""  # the report's own reference, e.g. the council's ASB case number
    received_on: date | None = None
    reported: str = ""  # what the report said
    found: str = ""  # what the workers found there
    fed_back: str = ""  # what was fed back to the tasking meeting
    fed_back_on: date | None = None
    recorded_by: str = ""


def validate_deployment(d: Deployment, today: date | None = None) -> list[Problem]:
    today = today or date.today()
    problems: list[Problem] = []
    if not d.place_id:
        problems.append(Problem("place_id", "Choose the place the report was about."))
    one_of(problems, "source", d.source, DeploymentSource, "What led to it")
    if d.received_on is None:
        problems.append(Problem("received_on", "Enter the date the report came in."))
    elif d.received_on > today + timedelta(days=1):
        problems.append(Problem("received_on", "The report's date is in the future."))
    if not d.reported.strip():
        problems.append(Problem("reported", "Say what the report said."))
    if d.fed_back_on is not None and d.received_on is not None and d.fed_back_on < d.received_on:
        problems.append(Problem("fed_back_on", "Feedback can't be before the report came in."))
    if d.fed_back_on is not None and not d.fed_back.strip():
        problems.append(Problem("fed_back", "Say what was fed back to the tasking meeting."))
    return problems


def validate_place(p: Place) -> list[Problem]:
    problems: list[Problem] = []
    name = p.name.strip()
    if not name:
        problems.append(Problem("name", "Give the place a name."))
    elif len(name) > NAME_MAX:
        problems.append(Problem("name", f"Keep the name under {NAME_MAX} characters."))
    one_of(problems, "kind", p.kind, PlaceKind, "Kind of place")
    if (p.latitude is None) != (p.longitude is None):
        problems.append(Problem("latitude", "Give both the latitude and the longitude, or neither."))
    if p.latitude is not None and not -90 <= p.latitude <= 90:
        problems.append(Problem("latitude", "The latitude must be between -90 and 90."))
    if p.longitude is not None and not -180 <= p.longitude <= 180:
        problems.append(Problem("longitude", "The longitude must be between -180 and 180."))
    if p.boundary and (len(p.boundary) < 3 or any(len(pt) != 2 for pt in p.boundary)):
        problems.append(Problem("boundary", "An area needs at least three points, each a latitude and longitude."))
    return problems


def validate_plan_place(pp: PlanPlace) -> list[Problem]:
    problems: list[Problem] = []
    if not pp.plan_id:
        problems.append(Problem("plan_id", "A place on a plan needs its plan."))
    if not pp.place_id:
        problems.append(Problem("place_id", "Choose the place."))
    one_of(problems, "stance", pp.stance, PlaceStance, "Safe or to avoid")
    return problems


register_validator(Place, validate_place)
register_validator(PlanPlace, validate_plan_place)
register_validator(Deployment, validate_deployment)
declare(
    RecordPolicy(
        Place,
        "places",
        # A Kicks coach runs sessions at a pitch: they see the team's places and may add one.
        roles=STAFF_AND_PARTNER,
        person_field=None,
    )
)
declare(
    RecordPolicy(
        PlanPlace,
        "places on safety plans",
        roles=STAFF,
        links=(Link("plan_id", "safety_plans", Must.OWN, required=True), Link("place_id", "places", required=True)),
        person_field=None,
    )
)
declare(
    RecordPolicy(
        Deployment,
        "deployment log entries",
        roles=STAFF,  # intelligence and ASB reports are the team's staff's, not partner coaches'
        links=(Link("place_id", "places", required=True), Link("session_id", "sessions", Must.OWN)),
        person_field=None,
    )
)
