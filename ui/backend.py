"""The UI's one door into the core: opens a profile and holds the use-case services for an unlocked session.

Everything the windows need from the store goes through here, so a missing or renamed service call is fixed in
one place (see `adapters`). The UI never writes SQL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from youthwork.services.drafts import DraftService
from youthwork.services.nfa import NfaService
from youthwork.services.notes import NoteService
from youthwork.services.people import PeopleService
from youthwork.services.plans import PlanService
from youthwork.services.referrals import ReferralService
from youthwork.services.sessions import SessionService
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

IDLE_SETTING = "ui.idle_lock_minutes"
OPEN_DRAFTS_KEY = "ui.open_forms"


def profile_exists(directory: Path) -> bool:
    return Profile.exists(directory)


@dataclass
class Backend:
    profile: Profile
    directory: Path
    people: PeopleService
    sessions: SessionService
    notes: NoteService
    drafts: DraftService
    _areas: list[str] | None = None
    _reader: Profile | None = None
    _background_people: PeopleService | None = None
    _counter: Profile | None = None
    _counting_people: PeopleService | None = None

    @classmethod
    def for_profile(cls, profile: Profile, directory: Path) -> Backend:
        return cls(
            profile=profile,
            directory=directory,
            people=PeopleService(profile),
            sessions=SessionService(profile),
            notes=NoteService(profile),
            drafts=DraftService(profile),
        )

    # Built on first use: unlocking needs only people and sessions.
    @cached_property
    def plans(self) -> PlanService:
        return PlanService(self.profile)

    @cached_property
    def referrals(self) -> ReferralService:
        return ReferralService(self.profile)

    @cached_property
    def nfa(self) -> NfaService:
        return NfaService(self.profile)

    @property
    def worker_name(self) -> str:
        name = getattr(self.profile, "worker_name", "") or self.setting("worker_name", "")
        return str(name or "")

    @property
    def background_people(self) -> PeopleService:
        """People queries for the background workers, on a second connection to the store: a slow search never
        makes the UI thread wait on the main connection's lock, nor the other way round (WAL lets both read)."""
        if self._background_people is None:
            self._reader = self.profile.another_connection()
            self._background_people = PeopleService(self._reader)
        return self._background_people

    @property
    def counting_people(self) -> PeopleService:
        """For counting thousands of matches (slow on 100,000 people) on a third connection, so a count never
        holds up the next search."""
        if self._counting_people is None:
            self._counter = self.profile.another_connection()
            self._counting_people = PeopleService(self._counter)
        return self._counting_people

    def areas(self, refresh: bool = False) -> list[str]:
        """Areas and estates already on record (for lists and completion); cached until something is added."""
        if refresh or self._areas is None:
            self._areas = self.background_people.areas()
        return self._areas

    def setting(self, key: str, default: Any = None) -> Any:
        return self.profile.get_setting(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        self.profile.set_setting(key, value)

    def close(self) -> None:
        """Call after the background workers are joined."""
        for extra in (self._reader, self._counter):
            if extra is not None:
                try:
                    extra.close()
                except Exception:
                    log.exception("closing a background connection failed")
        self._reader = self._background_people = self._counter = self._counting_people = None
        try:
            self.profile.close()
        except Exception:
            log.exception("closing the profile failed")
