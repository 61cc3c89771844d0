"""Disclosures without a referral, and the team's own agencies (issue 19, item 4).

A disclosure (an information request answered, a court order, a safeguarding share) is saved with an audit entry in
the same transaction, and travels by sync to the team's other laptops only. An agency a team adds (with its kind) is
offered beside the defaults for referrals and disclosures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from youthwork.domain.disclosures import (
    DEFAULT_KINDS,
    DISCLOSURE_AGENCIES,
    Agency,
    AgencyKind,
    Disclosure,
    agency_code,
)
from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.domain.vocab import DEFAULT_AGENCIES
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AgencyChoice:
    code: str
    label: str
    kind: str


class DisclosureService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records

    # ---- the agency list ----------------------------------------------------------------------------------------

    def own_agencies(self) -> list[Agency]:
        """Agencies this team added, still offered, by name."""
        return self._repo.select(Agency, "active = 1", (), order="name, id")

    def agencies(self, *, disclosing: bool = False) -> list[AgencyChoice]:
        """Who a referral (or, with `disclosing`, a disclosure) can go to: the defaults, then the team's own."""
        out = [AgencyChoice(c, label, DEFAULT_KINDS.get(c, AgencyKind.OTHER)) for c, label in DEFAULT_AGENCIES]
        if disclosing:
            out += [AgencyChoice(c, label, kind) for c, label, kind in DISCLOSURE_AGENCIES]
        out += [AgencyChoice(a.code, a.name, a.kind) for a in self.own_agencies()]
        return out

    def add_agency(self, name: str, kind: str) -> Agency:
        name = " ".join(name.split())
        code = agency_code(name)
        taken = {c.code for c in self.agencies(disclosing=True)} | {
            a.code for a in self._repo.select(Agency, "1 = 1", ())
        }
        if code in taken:
            raise ValidationError([Problem("name", f"“{name}” is already on the list.")])
        agency = Agency(
            code=code, name=name, kind=kind, team_id=self._profile.team_id, created_by=self._profile.user_id
        )
        check(agency)
        return self._repo.save(agency)

    # ---- disclosures --------------------------------------------------------------------------------------------

    def record(self, disclosure: Disclosure) -> Disclosure:
        """Save a disclosure and its audit entry together."""
        person = self._repo.get(YoungPerson, disclosure.person_id)
        if person is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        labels = {c.code: c.label for c in self.agencies(disclosing=True)}
        if disclosure.to_agency and disclosure.to_agency not in labels:
            raise ValidationError([Problem("to_agency", "Choose who it was given to from the list, or add them.")])
        disclosure.to_agency_name = labels.get(disclosure.to_agency, "")
        disclosure.what = disclosure.what.strip()
        disclosure.approved_by = disclosure.approved_by.strip()
        disclosure.reference = disclosure.reference.strip()
        disclosure.team_id = self._profile.team_id
        disclosure.created_by = disclosure.recorded_by = self._profile.user_id
        check(disclosure)
        with self._profile.transaction():
            self._repo.save(disclosure)
            AuditTrail(self._profile).record(AuditAction.SHARED, Disclosure.TABLE, disclosure.id, person_id=person.id)
        log.info("disclosure %s recorded (%s)", disclosure.id, disclosure.kind)
        return disclosure

    def for_person(self, person_id: str) -> list[Disclosure]:
        return self._repo.select(Disclosure, "person_id = ?", (person_id,), order="disclosed_on DESC, id")
