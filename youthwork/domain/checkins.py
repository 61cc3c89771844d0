"""Young people's voice at the end of a session: a quick check-in, three taps on the coach's laptop.

A check-in is anonymous unless the young person chooses otherwise. It links to the session it was taken at and is
counted by place, programme and quarter only. If the young person asks to put their name on it (an explicit choice,
off by default, picking themself from the session's register), `person_id` names them: the check-in is then about
them like any record linking to a young person (the writing team must see them; erased with them, in their subject
access export, carried by a merge; anonymising them takes the name off it and keeps the answers). An anonymous one
carries no person id at all (`person_id` stays empty), so erasure and subject access never reach it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from youthwork.domain.policy import STAFF_AND_PARTNER, Link, Must, RecordPolicy, Together, declare
from youthwork.domain.records import Record
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab


class Answer(Vocab):
    YES = "yes", "Yes"
    NOT_SURE = "not_sure", "Not sure"
    NO = "no", "No"


class WouldHelp(Vocab):
    """One thing that would help, in the young people's words (the youth safety strategy's consultation)."""

    NOTHING = "nothing", "Nothing – it's good"
    SAFER_JOURNEY = "safer_journey", "A safer way to get here"
    MORE_SESSIONS = "more_sessions", "More sessions"
    INDOORS = "indoors", "Somewhere indoors"
    SOMEONE_TO_TALK = "someone_to_talk", "Someone to talk to one-to-one"
    JOBS_TRAINING = "jobs_training", "Help with jobs or training"
    OTHER = "other", "Something else"


@dataclass(slots=True, kw_only=True)
class SessionCheckin(Record):
    TABLE: ClassVar[str] = "session_checkins"
    APPEND_ONLY: ClassVar[bool] = True

    session_id: str = ""
    # Empty unless the young person chose to put their name on it (someone on the session's register).
    person_id: str = ""
    taken_on: date | None = None
    place: str = ""  # the session's area, so it counts by place without naming anyone
    programme: str = ""  # the session type
    felt_safe: str = ""  # Answer, or "" if they skipped it
    someone_to_talk: str = ""
    would_help: str = ""  # WouldHelp, or ""


def validate_checkin(c: SessionCheckin, today: date | None = None) -> list[Problem]:
    today = today or date.today()
    problems: list[Problem] = []
    if c.taken_on is None:
        problems.append(Problem("taken_on", "A check-in needs the session's date."))
    elif c.taken_on > today + timedelta(days=1):
        problems.append(Problem("taken_on", "The check-in's date is in the future."))
    for name in ("felt_safe", "someone_to_talk"):
        one_of(problems, name, getattr(c, name) or None, Answer, "Answer")
    one_of(problems, "would_help", c.would_help or None, WouldHelp, "What would help")
    if not (c.felt_safe or c.someone_to_talk or c.would_help):
        problems.append(Problem("felt_safe", "Nothing was answered."))
    return problems


register_validator(SessionCheckin, validate_checkin)
declare(
    RecordPolicy(
        SessionCheckin,
        "session check-ins",
        roles=STAFF_AND_PARTNER,  # a Kicks coach runs them at the end of a session
        # About no one unless the young person chose to put their name on it: then about them (person_id).
        links=(Link("session_id", "sessions", Must.OWN), Link("person_id", "people")),
        # Only someone at the session can put their name on its check-in: whoever a laptop says it is.
        together=Together(
            "attendance",
            ("session_id", "person_id"),
            "This check-in names a young person who is not on that session's register. Add them to the register "
            "first, or take the name off.",
        ),
        # Anonymising the young person takes their name off; the answers still count for the place and quarter.
        anonymised_keeps=frozenset(
            {"session_id", "taken_on", "place", "programme", "felt_safe", "someone_to_talk", "would_help"}
        ),
    )
)
