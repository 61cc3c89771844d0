"""Places: add and change the team's places, pick one for a session, and confirm the free-text areas and places
recorded before places were records (offered one by one; nothing is converted without a worker saying so)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from youthwork.domain.places import Deployment, Place, PlaceKind, PlanPlace
from youthwork.domain.records import Session
from youthwork.domain.safety_plans import SafetyPlan
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.domain.vocab import SessionStatus
from youthwork.domain.weeks import IsoWeek
from youthwork.reports.places import PlacePage, Trends, place_page, plans_naming, trends
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PlaceSuggestion:
    """Free text typed as a session's area or place, not yet confirmed as a place."""

    text: str
    sessions: int  # sessions that name it and have no place yet
    kind: str  # a guess from the words, for the worker to correct


_KIND_WORDS: tuple[tuple[str, PlaceKind], ...] = (
    ("estate", PlaceKind.ESTATE),
    ("park", PlaceKind.PARK),
    ("common", PlaceKind.PARK),
    ("cage", PlaceKind.CAGE),
    ("pitch", PlaceKind.CAGE),
    ("muga", PlaceKind.CAGE),
    ("shop", PlaceKind.SHOP),
    ("chicken", PlaceKind.SHOP),
    ("station", PlaceKind.TRANSPORT),
    ("bus", PlaceKind.TRANSPORT),
    ("school", PlaceKind.SCHOOL_GATE),
    ("academy", PlaceKind.SCHOOL_GATE),
    ("club", PlaceKind.YOUTH_VENUE),
    ("centre", PlaceKind.YOUTH_VENUE),
    ("snapchat", PlaceKind.ONLINE),
    ("instagram", PlaceKind.ONLINE),
    ("online", PlaceKind.ONLINE),
)


def guess_kind(text: str) -> str:
    words = text.lower()
    return next((kind.value for word, kind in _KIND_WORDS if word in words), PlaceKind.OTHER.value)


class PlaceService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._db = profile.db
        self._repo = profile.records

    def get(self, place_id: str) -> Place | None:
        return self._repo.get(Place, place_id)

    def all(self, include_inactive: bool = False) -> list[Place]:
        where = "" if include_inactive else "active = 1"
        return self._repo.select(Place, where, (), order="name COLLATE NOCASE, id")

    def save(self, place: Place) -> Place:
        """Add or change a place (names are unique in the team, ignoring case: two "Brandon Estate"s split its use)."""
        place.name = " ".join(place.name.split())
        check(place)
        clash = self._db.query(
            "SELECT id FROM places WHERE name = ? COLLATE NOCASE AND id != ? AND active = 1 LIMIT 1",
            (place.name, place.id),
        )
        if clash:
            raise ValidationError([Problem("name", f"There is already a place called {place.name}.")])
        if not place.team_id:
            place.team_id = self._profile.team_id
        if self._repo.get(Place, place.id) is None:
            place.created_by = place.created_by or self._profile.user_id
        with self._profile.transaction():
            return self._repo.save(place)

    # -- what happened there ---------------------------------------------------------------------------------------

    def page(self, place_id: str, weeks: list[IsoWeek]) -> PlacePage:
        place = self._repo.get(Place, place_id)
        if place is None:
            raise ValidationError([Problem("place_id", "That place is not on this laptop.")])
        return place_page(self._db, place, weeks)

    def trends(self, weeks: list[IsoWeek]) -> Trends:
        return trends(self._db, weeks)

    def log_deployment(self, entry: Deployment) -> Deployment:
        """Add or update a deployment log entry (the report, what was found, what went back to tasking)."""
        for name in ("reference", "reported", "found", "fed_back"):
            setattr(entry, name, getattr(entry, name).strip())
        if entry.place_id and self._repo.get(Place, entry.place_id) is None:
            raise ValidationError([Problem("place_id", "Choose one of the team's places.")])
        if entry.session_id and self._repo.get(Session, entry.session_id) is None:
            raise ValidationError([Problem("session_id", "That session is not on this laptop.")])
        check(entry)
        if self._repo.get(Deployment, entry.id) is None:
            entry.recorded_by = entry.recorded_by or self._profile.user_id
            entry.created_by = entry.created_by or self._profile.user_id
        entry.team_id = entry.team_id or self._profile.team_id
        with self._profile.transaction():
            return self._repo.save(entry)

    def deployments(self, place_id: str | None = None) -> list[Deployment]:
        """Newest report first; one place's, or all."""
        where, params = ("place_id = ?", (place_id,)) if place_id else ("", ())
        return self._repo.select(Deployment, where, params, order="received_on DESC, created_at DESC")

    def sessions_at(self, place_id: str, limit: int = 50) -> list[Session]:
        """The latest sessions held at a place (for linking a deployment to the session it led to)."""
        return self._repo.select(Session, "place_id = ?", (place_id,), order="starts_at DESC", limit=limit)

    # -- places on safety plans ---------------------------------------------------------------------------------

    def on_plan(self, plan_id: str) -> list[PlanPlace]:
        return self._repo.select(PlanPlace, "plan_id = ? AND active = 1", (plan_id,), order="stance, created_at, id")

    def name_on_plan(self, plan_id: str, place_id: str, stance: str, note: str = "") -> PlanPlace:
        """Name a place on a safety plan as safe or to avoid (naming it again changes how, not adds a second)."""
        plan = self._repo.get(SafetyPlan, plan_id)
        if plan is None:
            raise ValidationError([Problem("plan_id", "That safety plan is not on this laptop.")])
        if self._repo.get(Place, place_id) is None:
            raise ValidationError([Problem("place_id", "Choose one of the team's places.")])
        found = self._repo.select(PlanPlace, "plan_id = ? AND place_id = ?", (plan_id, place_id), limit=1)
        entry = found[0] if found else PlanPlace(plan_id=plan_id, place_id=place_id, team_id=plan.team_id)
        entry.stance, entry.note, entry.active = stance, note.strip(), True
        entry.created_by = entry.created_by or self._profile.user_id
        check(entry)
        with self._profile.transaction():
            return self._repo.save(entry)

    def take_off_plan(self, entry_id: str) -> None:
        entry = self._repo.get(PlanPlace, entry_id)
        if entry is not None and entry.active:
            entry.active = False
            with self._profile.transaction():
                self._repo.save(entry)

    def plans_naming(self, place_id: str) -> dict[str, int]:
        """How many current (agreed or reviewed) safety plans name this place as safe, and as a place to avoid."""
        return plans_naming(self._db, place_id)

    # -- the free text from before --------------------------------------------------------------------------------

    def suggestions(self) -> list[PlaceSuggestion]:
        """Distinct free-text areas and places on sessions with no place, most used first, less any already a place."""
        rows = self._db.query(
            "SELECT text, COUNT(*) FROM ("
            " SELECT TRIM(CASE WHEN place != '' THEN place ELSE area END) AS text FROM sessions WHERE place_id = ''"
            ") WHERE text != '' GROUP BY text COLLATE NOCASE ORDER BY COUNT(*) DESC, text COLLATE NOCASE"
        )
        known = {p.name.lower() for p in self.all(include_inactive=True)}
        known |= {p.confirmed_from.lower() for p in self.all(include_inactive=True) if p.confirmed_from}
        return [PlaceSuggestion(str(t), int(n), guess_kind(str(t))) for t, n in rows if str(t).lower() not in known]

    def confirm(self, text: str, name: str, kind: str, ward: str = "") -> tuple[Place, int]:
        """Make a place of a suggestion as the worker named it, and link the sessions that gave it (not signed-off
        ones, which are fixed: they keep their free text). Returns the place and how many sessions now name it."""
        place = Place(name=name, kind=kind, ward=ward.strip(), confirmed_from=text.strip())
        with self._profile.transaction():
            place = self.save(place)
            linked = 0
            for s in self._sessions_naming(text):
                if s.status == SessionStatus.APPROVED:
                    continue
                s.place_id = place.id
                self._repo.save(s)
                linked += 1
        log.info("place confirmed from free text; %d sessions linked", linked)
        return place, linked

    def _sessions_naming(self, text: str) -> list[Session]:
        return self._repo.select(
            Session,
            "place_id = '' AND TRIM(CASE WHEN place != '' THEN place ELSE area END) = ? COLLATE NOCASE",
            (text.strip(),),
        )
