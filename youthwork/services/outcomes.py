"""Outcome ratings (distance travelled), session check-ins (anonymous unless a young person chooses), and the
population baseline: the use cases behind the profile's Outcomes tab, the session check-in and `youthwork report
baseline`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from youthwork.domain.baseline import PopulationBaseline, parse_baseline_csv
from youthwork.domain.checkins import SessionCheckin
from youthwork.domain.outcomes import Framework, OutcomeRating, RatingStage
from youthwork.domain.records import Session, YoungPerson
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.store.profile import Profile
from youthwork.store.settings import OUTCOME_FRAMEWORK

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Change:
    """One capability's starting and latest score for a young person (the profile's "distance travelled")."""

    code: str
    label: str
    start: int | None
    latest: int | None

    @property
    def change(self) -> int | None:
        return None if self.start is None or self.latest is None else self.latest - self.start


class OutcomesService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records

    def framework(self) -> Framework:
        return Framework.from_setting(self._profile.get_setting(OUTCOME_FRAMEWORK))

    def set_framework(self, framework: Framework) -> None:
        """The organisation's own capabilities (the default's seven, adjusted, or another framework)."""
        self._profile.set_setting(OUTCOME_FRAMEWORK, framework.to_setting())

    def rate(
        self,
        person_id: str,
        scores: dict[str, int],
        *,
        rated_on: date,
        stage: str = RatingStage.START.value,
        programme: str = "",
        note: str = "",
    ) -> OutcomeRating:
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        by = self._profile.user_id
        rating = OutcomeRating(
            person_id=person_id,
            rated_on=rated_on,
            stage=stage,
            programme=programme,
            framework=self.framework().code,
            scores={k: int(v) for k, v in scores.items() if v},
            rated_by=by,
            note=note.strip(),
            created_by=by,
            team_id=person.team_id or self._profile.team_id,
        )
        check(rating)
        self._repo.save(rating)
        log.info("outcome rating saved (%s)", stage)
        return rating

    def for_person(self, person_id: str) -> list[OutcomeRating]:
        return self._repo.select(OutcomeRating, "person_id = ?", (person_id,), order="rated_on, created_at")

    def changes(self, person_id: str) -> list[Change]:
        """Each capability's first and latest score, in the framework's order (then any others the ratings hold)."""
        ratings = self.for_person(person_id)
        fw = self.framework()
        codes = [c for c, _ in fw.capabilities]
        codes += sorted({k for r in ratings for k in r.scores} - set(codes))
        out = []
        for code in codes:
            scored = [r.scores[code] for r in ratings if code in r.scores]
            out.append(Change(code, fw.label(code), scored[0] if scored else None, scored[-1] if scored else None))
        return out


@dataclass(frozen=True, slots=True)
class RegisterName:
    """Someone on a session's register, as the check-in window offers them to pick themself."""

    person_id: str
    label: str  # first name (or known as) and the initial of the last name: enough to find yourself


class CheckinService:
    """A check-in keeps the session's place, programme and day and the three answers, and names no one unless the
    young person chooses to put their name on it (someone on the session's register)."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records

    def record(
        self, session_id: str, felt_safe: str, someone_to_talk: str, would_help: str, *, person_id: str = ""
    ) -> SessionCheckin:
        session = self._repo.get(Session, session_id)
        if session is None or session.starts_at is None:
            raise ValidationError([Problem("session_id", "Choose the session the check-in is for.")])
        if person_id and person_id not in {r.person_id for r in self.register(session.id)}:
            raise ValidationError(
                [Problem("person_id", "Only someone on this session's register can put their name on a check-in.")]
            )
        checkin = SessionCheckin(
            session_id=session.id,
            person_id=person_id,
            taken_on=session.starts_at.date(),
            place=session.area,
            programme=session.session_type,
            felt_safe=felt_safe,
            someone_to_talk=someone_to_talk,
            would_help=would_help,
            created_by=self._profile.user_id,
            team_id=session.team_id or self._profile.team_id,
        )
        check(checkin)
        self._repo.save(checkin)
        return checkin

    def register(self, session_id: str) -> list[RegisterName]:
        """The young people on the session's register, by name: who may choose to put their name on a check-in."""
        rows = self._profile.db.query(
            "SELECT p.id, p.first_name, p.last_name, p.known_as FROM attendance a JOIN people p ON p.id = a.person_id"
            " WHERE a.session_id = ?",
            (session_id,),
        )
        names = {r[0]: _register_label(r[1] or "", r[2] or "", r[3] or "") for r in rows}
        return sorted((RegisterName(pid, label) for pid, label in names.items()), key=lambda n: (n.label, n.person_id))

    def for_session(self, session_id: str) -> list[SessionCheckin]:
        return self._repo.select(SessionCheckin, "session_id = ?", (session_id,), order="created_at")


def _register_label(first: str, last: str, known_as: str) -> str:
    first = known_as or first
    return f"{first} {last[:1]}.".strip() if last else first or "Name not recorded"


def load_baseline(profile: Profile, text: str, *, name: str, source: str = "ONS Census 2021") -> PopulationBaseline:
    """Load the borough's population from a CSV; the newest loaded is the one the fair figures use."""
    baseline = PopulationBaseline(
        name=name.strip() or "Borough population",
        source=source,
        loaded_on=date.today(),
        rows=parse_baseline_csv(text),
        created_by=profile.user_id,
        team_id=profile.team_id,
    )
    profile.records.save(baseline)
    log.info("population baseline loaded: %d groups", len(baseline.rows))
    return baseline
