"""Missing episodes and return home interviews: report an episode, record the return, offer and record the interview;
list the interviews due (the Today page) and a young person's episodes (their profile)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from youthwork.domain.clock import utc_now
from youthwork.domain.missing import (
    INTERVIEW_CLOSED,
    EpisodePlace,
    InterviewStatus,
    MissingEpisode,
    ReturnHomeInterview,
    interview_closed,
)
from youthwork.domain.places import Place
from youthwork.domain.records import YoungPerson, display_name
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EpisodeView:
    episode: MissingEpisode
    interview: ReturnHomeInterview | None
    interview_due: bool  # back, and no interview done or declined yet


@dataclass(frozen=True, slots=True)
class InterviewDue:
    episode: MissingEpisode
    person_name: str
    due_by: datetime
    overdue: bool  # more than 72 hours since they came back
    offered: bool  # offered, not done yet


class MissingService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records

    def report(
        self,
        person_id: str,
        reported_at: datetime | None,
        reported_by: str,
        *,
        reported_by_name: str = "",
        from_care: bool = False,
        police_reference: str = "",
        exploitation_concern: bool = False,
        note: str = "",
    ) -> MissingEpisode:
        person = self._person(person_id)
        by = self._profile.user_id
        episode = MissingEpisode(
            person_id=person_id,
            reported_at=reported_at,
            reported_by=reported_by,
            reported_by_name=reported_by_name.strip(),
            from_care=from_care,
            police_reference=police_reference.strip(),
            exploitation_concern=exploitation_concern,
            note=note.strip(),
            recorded_by=by,
            created_by=by,
            team_id=person.team_id or self._profile.team_id,
        )
        check(episode)
        return self._repo.save(episode)

    def record_return(self, episode_id: str, returned_at: datetime | None, found_where: str = "") -> MissingEpisode:
        episode = self._episode(episode_id)
        if returned_at is None:
            raise ValidationError([Problem("returned_at", "Enter when they came back.")])
        episode.returned_at = returned_at
        episode.found_where = found_where.strip()
        check(episode)
        saved = self._repo.save(episode)
        log.info("missing episode closed: return home interview due")
        return saved

    def record_interview(
        self,
        episode_id: str,
        *,
        offered_at: datetime | None,
        status: str = InterviewStatus.NOT_YET.value,
        held_at: datetime | None = None,
        done_by: str = "",
        learned: str = "",
        places: str = "",
        people_linked: str = "",
    ) -> ReturnHomeInterview:
        """Offer the interview, or record it done or declined: one interview per episode, updated as it goes."""
        episode = self._episode(episode_id)
        if episode.returned_at is None:
            raise ValidationError([Problem("offered_at", "Record when they came back before the interview.")])
        interview = self._interview(episode_id) or ReturnHomeInterview(
            episode_id=episode_id,
            person_id=episode.person_id,
            created_by=self._profile.user_id,
            team_id=episode.team_id,
        )
        interview.offered_at = offered_at
        interview.status = status
        interview.held_at = held_at
        interview.done_by = done_by.strip()
        interview.learned = learned.strip()
        interview.places = places.strip()
        interview.people_linked = people_linked.strip()
        interview.recorded_by = self._profile.user_id
        check(interview)
        return self._repo.save(interview)

    def link_place(self, episode_id: str, place_id: str, how: str = "linked", note: str = "") -> EpisodePlace:
        """Link a recorded place to the episode (where they were found, or one the interview linked to it)."""
        episode = self._episode(episode_id)
        if self._repo.get(Place, place_id) is None:
            raise ValidationError([Problem("place_id", "That place is not on this laptop.")])
        link = EpisodePlace(
            episode_id=episode_id,
            place_id=place_id,
            how=how,
            note=note.strip(),
            created_by=self._profile.user_id,
            team_id=episode.team_id,
        )
        check(link)
        return self._repo.save(link)

    def places_of(self, episode_id: str) -> list[tuple[EpisodePlace, str]]:
        """The places linked to an episode, with each place's name."""
        out = []
        for link in self._repo.select(EpisodePlace, "episode_id = ?", (episode_id,), order="created_at, id"):
            place = self._repo.get(Place, link.place_id)
            out.append((link, place.name if place else "(a place not on this laptop)"))
        return out

    def for_person(self, person_id: str) -> list[EpisodeView]:
        """Their episodes, newest first, each with its interview."""
        episodes = self._repo.select(MissingEpisode, "person_id = ?", (person_id,), order="reported_at DESC, id")
        interviews = self._interviews_of([e.id for e in episodes])
        out = []
        for e in episodes:
            mine = interviews.get(e.id, [])
            out.append(
                EpisodeView(e, mine[0] if mine else None, e.returned_at is not None and not interview_closed(mine))
            )
        return out

    def episode_count(self, person_id: str) -> int:
        return self._repo.count(MissingEpisode, "person_id = ?", (person_id,))

    def interviews_due(self, now: datetime | None = None) -> list[InterviewDue]:
        """Young people back from a missing episode still owed a return home interview; longest waiting first."""
        now = now or utc_now()
        # Only episodes with no done or declined interview are read (most are closed: reading every returned
        # episode at 100,000 young people was ~0.6 s of opening the app); `interview_closed` still decides.
        closed = sorted(INTERVIEW_CLOSED)
        episodes = self._repo.select(
            MissingEpisode,
            "returned_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM return_home_interviews r"
            f" WHERE r.episode_id = missing_episodes.id AND r.status IN ({','.join('?' * len(closed))}))",
            closed,
            order="returned_at, id",
        )
        interviews = self._interviews_of([e.id for e in episodes])
        owed = [e for e in episodes if not interview_closed(interviews.get(e.id, []))]
        names = self._names({e.person_id for e in owed})  # one query per 500, not one per episode
        out = []
        for e in owed:
            due_by = e.interview_due_by()
            assert due_by is not None
            name = names.get(e.person_id, "(not on this laptop)")
            out.append(InterviewDue(e, name, due_by, due_by < now, bool(interviews.get(e.id))))
        return out

    def _names(self, person_ids: set[str]) -> dict[str, str]:
        """Display names, from the three name columns only (a whole record decoded per owed episode was half of
        this list's time on Today at 100,000 young people)."""
        ids, out = sorted(person_ids), {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for r in self._profile.db.query(
                f"SELECT id, first_name, last_name, known_as FROM people WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                out[r[0]] = display_name(r[1] or "", r[2] or "", r[3] or "")
        return out

    def _interviews_of(self, episode_ids: list[str]) -> dict[str, list[ReturnHomeInterview]]:
        out: dict[str, list[ReturnHomeInterview]] = {}
        for i in range(0, len(episode_ids), 500):
            chunk = episode_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._repo.select(ReturnHomeInterview, f"episode_id IN ({marks})", chunk, order="created_at, id"):
                out.setdefault(r.episode_id, []).append(r)
        return out

    def _interview(self, episode_id: str) -> ReturnHomeInterview | None:
        found = self._interviews_of([episode_id]).get(episode_id, [])
        return found[0] if found else None

    def _episode(self, episode_id: str) -> MissingEpisode:
        episode = self._repo.get(MissingEpisode, episode_id)
        if episode is None:
            raise ValidationError([Problem("episode_id", "That missing episode is not on this laptop.")])
        return episode

    def _person(self, person_id: str) -> YoungPerson:
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        return person
