"""Allocation: a supervisor names or changes a young person's lead worker, and hands a leaver's caseload to a colleague
in one step. The service enforces the same rule (the `Allocated` part of young people's policy); the checks here say
so before anything is saved, in a youth worker's words."""

from __future__ import annotations

import logging

from youthwork.domain.errors import ShownError
from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import YoungPerson
from youthwork.domain.vocab import Role
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile
from youthwork.store.settings import ROLE, WORKER_NAMES

log = logging.getLogger(__name__)


class AllocationRefused(ShownError):
    """An allocation this laptop's user can't make, or one that names no one in the team."""


class AllocationService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records

    def is_supervisor(self) -> bool:
        return self._profile.get_setting(ROLE) == Role.SUPERVISOR

    def workers(self) -> dict[str, str]:
        """The team's staff this laptop knows (id -> name), from the service's team list, sorted by name."""
        names = {str(k): str(v) for k, v in (self._profile.get_setting(WORKER_NAMES) or {}).items()}
        return dict(sorted(names.items(), key=lambda kv: (kv[1].lower(), kv[0])))

    def caseload(self, worker_id: str) -> list[YoungPerson]:
        """The young people whose lead worker this is."""
        if not worker_id:
            return []
        return self._repo.select(YoungPerson, "lead_worker_id = ?", (worker_id,), order="first_name, last_name, id")

    def _check(self, before: str, after: str) -> None:
        me = self._profile.user_id
        own = after == me or (after == "" and before == me)
        if not own and not self.is_supervisor():
            raise AllocationRefused(
                "Only a supervisor can name someone else as the lead worker. You can name yourself, or step down."
            )
        if after and after != me and after not in self.workers():
            raise AllocationRefused("Choose a lead worker from your own team.")

    def set_lead_worker(self, person_id: str, worker_id: str) -> YoungPerson:
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise AllocationRefused("This young person is no longer on this laptop.")
        if person.lead_worker_id == worker_id:
            return person
        self._check(person.lead_worker_id, worker_id)
        person.lead_worker_id = worker_id
        with self._profile.transaction():
            saved = self._repo.save(person)
            AuditTrail(self._profile).record(AuditAction.CHANGED, YoungPerson.TABLE, person_id, person_id=person_id)
        return saved

    def reassign_caseload(self, leaver_id: str, to_worker_id: str) -> int:
        """Every young person led by `leaver_id` is led by `to_worker_id`, in one transaction (each change goes
        through the outbox with it). Returns how many moved."""
        if not self.is_supervisor():
            raise AllocationRefused("Only a supervisor can hand over a worker's caseload.")
        if not leaver_id or not to_worker_id:
            raise AllocationRefused("Choose the worker who is leaving and the worker taking their young people.")
        if leaver_id == to_worker_id:
            raise AllocationRefused("Choose a different worker to take the caseload.")
        if to_worker_id not in self.workers():
            raise AllocationRefused("Choose a worker from your own team to take the caseload.")
        people = self.caseload(leaver_id)
        audit = AuditTrail(self._profile)
        with self._profile.transaction():
            for person in people:
                person.lead_worker_id = to_worker_id
                self._repo.save(person)
                audit.record(AuditAction.CHANGED, YoungPerson.TABLE, person.id, person_id=person.id)
        log.info("caseload handed over: %d young people", len(people))
        return len(people)
