"""Missing episodes and the return home interview that follows each one.

A missing episode is one time a young person was reported missing (from home or from care): who reported it, when
they came back and where they were found. After every return TYS offers a return home interview within 72 hours
(statutory guidance on children who run away or go missing); the interview records whether it was done or declined,
who did it, what was learned and the places and people linked to the episode. Episodes are special category data
where they say why the young person went (their circumstances) and criminal-offence data where they name the police
reference or exploitation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from youthwork.domain.clock import utc_now
from youthwork.domain.policy import STAFF, Link, Must, RecordPolicy, declare
from youthwork.domain.records import Record, criminal, special
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab

# Statutory guidance: a return home interview is offered within 72 hours of the young person's return.
INTERVIEW_WITHIN = timedelta(hours=72)


class ReportedBy(Vocab):
    PARENT = "parent", "Parent or carer"
    CARE_HOME = "care_home", "Children's home or foster carer"
    SOCIAL_WORKER = "social_worker", "Social worker"
    POLICE = "police", "Police"
    SCHOOL = "school", "School"
    TYS = "tys", "TYS worker"
    OTHER = "other", "Someone else"


class InterviewStatus(Vocab):
    NOT_YET = "not_yet", "Offered, not done yet"
    DONE = "done", "Done"
    DECLINED = "declined", "Declined"


# An interview in one of these closes the "return home interview due" prompt for its episode.
INTERVIEW_CLOSED = frozenset({InterviewStatus.DONE.value, InterviewStatus.DECLINED.value})


@dataclass(slots=True, kw_only=True)
class MissingEpisode(Record):
    TABLE: ClassVar[str] = "missing_episodes"

    person_id: str = ""
    reported_at: datetime | None = None
    reported_by: str = ""  # ReportedBy
    reported_by_name: str = ""  # the person or service, as they gave it
    from_care: bool = special(False)  # missing from care (looked after), which the board counts apart
    returned_at: datetime | None = None  # None: still missing
    found_where: str = ""
    police_reference: str = criminal("")
    exploitation_concern: bool = criminal(False)  # a concern the episode is linked to criminal or sexual exploitation
    note: str = special("")
    recorded_by: str = ""

    def interview_due_by(self) -> datetime | None:
        """72 hours after they came back (None while still missing)."""
        return None if self.returned_at is None else self.returned_at + INTERVIEW_WITHIN


@dataclass(slots=True, kw_only=True)
class ReturnHomeInterview(Record):
    TABLE: ClassVar[str] = "return_home_interviews"

    episode_id: str = ""
    person_id: str = ""
    offered_at: datetime | None = None
    status: str = InterviewStatus.NOT_YET.value
    held_at: datetime | None = None  # when it was done, or declined
    done_by: str = ""  # the worker who did it
    learned: str = special("")  # what was learned: push and pull factors, what would help
    # Places and people linked to the episode, as the young person told it: places with a record are linked by
    # EpisodePlace; `places` holds any not (yet) recorded as one.
    places: str = special("")
    people_linked: str = special("")
    recorded_by: str = ""


class PlaceLink(Vocab):
    FOUND = "found", "Where they were found"
    LINKED = "linked", "Linked to the episode"


@dataclass(slots=True, kw_only=True)
class EpisodePlace(Record):
    """A place (youthwork.domain.places) linked to a missing episode: where they were found, or one the return home
    interview linked to it. Erased with the episode, and so with the young person."""

    TABLE: ClassVar[str] = "missing_episode_places"

    episode_id: str = ""
    place_id: str = ""
    how: str = PlaceLink.LINKED.value
    note: str = special("")


def offered_in_time(returned_at: datetime | None, offered_at: datetime | None) -> bool:
    """Whether the interview was offered within 72 hours of the return (the board's measure)."""
    if returned_at is None or offered_at is None:
        return False
    return offered_at <= returned_at + INTERVIEW_WITHIN


def interview_closed(interviews: list[ReturnHomeInterview]) -> bool:
    """Whether an episode's return home interview is done or declined (no longer due)."""
    return any(i.status in INTERVIEW_CLOSED for i in interviews)


def validate_episode(e: MissingEpisode, now: datetime | None = None) -> list[Problem]:
    now = now or utc_now()
    problems: list[Problem] = []
    if not e.person_id:
        problems.append(Problem("person_id", "A missing episode must be about a young person."))
    if e.reported_at is None:
        problems.append(Problem("reported_at", "Enter when they were reported missing."))
    elif e.reported_at > now + timedelta(days=1):
        problems.append(Problem("reported_at", "The date reported missing is in the future."))
    if not e.reported_by:
        problems.append(Problem("reported_by", "Choose who reported them missing."))
    else:
        one_of(problems, "reported_by", e.reported_by, ReportedBy, "Reported by")
    if e.returned_at is not None:
        if e.reported_at is not None and e.returned_at < e.reported_at - timedelta(days=1):
            problems.append(Problem("returned_at", "They can't have come back before they were reported missing."))
        if e.returned_at > now + timedelta(days=1):
            problems.append(Problem("returned_at", "The date they came back is in the future."))
    return problems


def validate_interview(i: ReturnHomeInterview, now: datetime | None = None) -> list[Problem]:
    now = now or utc_now()
    problems: list[Problem] = []
    if not i.episode_id:
        problems.append(Problem("episode_id", "A return home interview must follow a missing episode."))
    if not i.person_id:
        problems.append(Problem("person_id", "A return home interview must be about a young person."))
    if i.offered_at is None:
        problems.append(Problem("offered_at", "Enter when the interview was offered."))
    elif i.offered_at > now + timedelta(days=1):
        problems.append(Problem("offered_at", "The date offered is in the future."))
    one_of(problems, "status", i.status, InterviewStatus, "Interview")
    if i.status in INTERVIEW_CLOSED and i.held_at is None:
        what = "done" if i.status == InterviewStatus.DONE else "declined"
        problems.append(Problem("held_at", f"Enter when the interview was {what}."))
    if i.status == InterviewStatus.DONE and not i.done_by.strip():
        problems.append(Problem("done_by", "Enter who did the interview."))
    return problems


def validate_episode_place(ep: EpisodePlace) -> list[Problem]:
    problems: list[Problem] = []
    if not ep.episode_id:
        problems.append(Problem("episode_id", "A linked place needs its missing episode."))
    if not ep.place_id:
        problems.append(Problem("place_id", "Choose the place."))
    one_of(problems, "how", ep.how, PlaceLink, "How the place is linked")
    return problems


register_validator(MissingEpisode, validate_episode)
register_validator(EpisodePlace, validate_episode_place)
register_validator(ReturnHomeInterview, validate_interview)
declare(
    RecordPolicy(
        MissingEpisode,
        "missing episodes",
        roles=STAFF,
        links=(Link("person_id", "people", required=True),),
    )
)
declare(
    RecordPolicy(
        ReturnHomeInterview,
        "return home interviews",
        roles=STAFF,
        links=(
            Link("episode_id", "missing_episodes", must=Must.OWN, required=True),
            Link("person_id", "people", required=True),
        ),
    )
)
declare(
    RecordPolicy(
        EpisodePlace,
        "places linked to missing episodes",
        roles=STAFF,
        links=(
            Link("episode_id", "missing_episodes", must=Must.OWN, required=True),
            Link("place_id", "places", required=True),
        ),
        person_field=None,
    )
)
