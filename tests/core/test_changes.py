"""What a write changed, as the outbox sees it (services.changes), and the one root for errors a worker is shown."""

from __future__ import annotations

from pathlib import Path

from youthwork.demo import DemoError
from youthwork.domain.errors import ShownError, message_for
from youthwork.domain.records import Session, YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.domain.weeks import BadWeek
from youthwork.keys.slots import Argon2Params
from youthwork.reports.export import ExportError
from youthwork.services.changes import EVERYTHING, NOTHING, Changes, tracking
from youthwork.services.people import PeopleService
from youthwork.services.sessions import SessionService
from youthwork.store.errors import StoreError
from youthwork.store.profile import Profile
from youthwork.sync.errors import SyncError

FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def test_tracking_names_every_record_a_use_case_wrote_and_nothing_it_read(tmp_path: Path) -> None:
    profile, _ = Profile.create(tmp_path / "p", "brisk otter lantern harbour", argon2=FAST_KDF)
    try:
        people, sessions = PeopleService(profile), SessionService(profile)
        with tracking(profile) as added:
            kai = people.add(YoungPerson(first_name="Kai", area="Peckham"))
        assert added.changes == Changes.of("people", kai.id)
        with tracking(profile) as logged:
            session = sessions.save_draft(Session(area="Peckham", created_by=profile.user_id), [kai.id])
        assert session.id in logged.changes.ids("sessions") and logged.changes.touches("attendance")
        assert not logged.changes.touches("people")
        with tracking(profile) as read:
            people.search("Kai")
            sessions.register(session.id)
        assert read.changes == NOTHING and not read.changes
        with tracking(profile) as outer:
            people.add(YoungPerson(first_name="Amara", area="Peckham"))
        assert outer.changes.tables == {"people"}
        # Done with: a later write is not added to it.
        people.add(YoungPerson(first_name="Jay", area="Peckham"))
        assert outer.changes.tables == {"people"} and len(outer.changes.records) == 1
    finally:
        profile.close()


def test_changes_combine_and_everything_touches_every_type() -> None:
    a, b = Changes.of("people", "p1"), Changes.of("sessions", "s1", "s2")
    both = a | b
    assert both.ids("sessions") == {"s1", "s2"} and both.touches("people") and not both.touches("referrals")
    assert EVERYTHING.touches("referrals") and (a | EVERYTHING).everything and bool(EVERYTHING)


def test_every_error_a_worker_may_be_shown_has_one_root() -> None:
    for cls in (StoreError, SyncError, ValidationError, ExportError, DemoError, BadWeek):
        assert issubclass(cls, ShownError), cls
    assert message_for(SyncError("Offline: it will try again."), "fallback") == "Offline: it will try again."
    assert message_for(KeyError("Kai Mensah"), "Something went wrong. Try again.") == "Something went wrong. Try again."
