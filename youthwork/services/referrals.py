"""Referrals: the referrer's side (draft, send, follow) and the receiving team's inbox (acknowledge ... close).

Everything is written locally and travels by sync. Sending records a ShareRecord for exactly what was shared. The
receiving team answers with append-only ReferralEvents; the server moves the referral's status when a step arrives,
and until then the laptop shows the status the latest step gives (`effective_status`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from youthwork.domain.disclosures import Agency
from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import YoungPerson, utc_now
from youthwork.domain.referrals import (
    ACTION_ALLOWED_FROM,
    STEP_ORDER,
    Referral,
    ReferralAction,
    ReferralEvent,
    ReferralStatus,
    ShareRecord,
    answering_team,
    effective_status,
    is_overdue,
    off_service,
)
from youthwork.domain.validation import Problem, ValidationError, check, problems_with
from youthwork.domain.vocab import DEFAULT_AGENCIES, LawfulBasis, Role
from youthwork.privacy.consent import sharing_problem
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile
from youthwork.store.settings import AGENCIES, AGENCY_TEAMS, ROLE
from youthwork.sync import device

log = logging.getLogger(__name__)

ACKNOWLEDGING = frozenset({ReferralAction.ACKNOWLEDGE, ReferralAction.ACCEPT, ReferralAction.DECLINE})

# Fields of a young person's record a referral may share beyond the minimum (name, known as, area, age band).
SHAREABLE_FIELDS: tuple[tuple[str, str], ...] = (
    ("last_name", "Last name"),
    ("date_of_birth", "Date of birth"),
    ("address", "Address"),
    ("postcode", "Postcode"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("school", "School or college"),
    ("education_status", "Education status"),
    ("gender", "Gender"),
    ("ethnicity", "Ethnicity"),
    ("send_ehcp", "SEND / EHCP"),
    ("looked_after", "Looked-after child"),
    ("risk_indicators", "Risk indicators"),
    ("nfa_count", "Number of NFAs"),
    ("nhs_number", "NHS number"),
)
MINIMUM_SHARED = ("first_name", "known_as", "area")


@dataclass(frozen=True, slots=True)
class ReferralView:
    referral: Referral
    events: tuple[ReferralEvent, ...]
    status: ReferralStatus
    person_name: str
    waiting_to_sync: bool
    overdue: bool
    agency_label: str


class ReferralService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records

    # ---- settings -----------------------------------------------------------------------------------------------

    def agencies(self) -> list[tuple[str, str]]:
        """Who this laptop refers to, in the order offered: TYS and IGT first unless configured otherwise."""
        known = dict(DEFAULT_AGENCIES)
        chosen = self._profile.get_setting(AGENCIES) or []
        out = [(str(c), str(lbl or known.get(c, c))) for c, lbl in chosen if c in known]
        # Then the agencies the team added to its list (youthwork.domain.disclosures.Agency).
        return (out or list(DEFAULT_AGENCIES)) + [(a.code, a.name) for a in self._own_agencies()]

    def _own_agencies(self) -> list[Agency]:
        return self._repo.select(Agency, "active = 1", (), order="name, id")

    def set_agencies(self, agencies: list[tuple[str, str]]) -> None:
        known = dict(DEFAULT_AGENCIES)
        unknown = [c for c, _ in agencies if c not in known]
        if unknown:
            raise ValidationError([Problem("agencies", f"Unknown agency code: {', '.join(unknown)}.")])
        self._profile.set_setting(AGENCIES, [[c, lbl] for c, lbl in agencies])

    def set_agency_team(self, agency: str, team_id: str) -> None:
        teams = dict(self._profile.get_setting(AGENCY_TEAMS) or {})
        teams[agency] = team_id
        self._profile.set_setting(AGENCY_TEAMS, teams)

    def is_partner(self) -> bool:
        """Partner (e.g. Kicks) staff refer too, but record no special category or criminal-offence details."""
        return self._profile.get_setting(ROLE) == Role.PARTNER

    def shareable_fields(self) -> list[tuple[str, str]]:
        restricted = YoungPerson.restricted_fields()
        return [(f, lbl) for f, lbl in SHAREABLE_FIELDS if not (self.is_partner() and f in restricted)]

    def _partner_problems(self, referral: Referral) -> list[Problem]:
        if not self.is_partner():
            return []
        problems = []
        if referral.risk_indicators:
            problems.append(
                Problem(
                    "risk_indicators",
                    "Partner staff can't record risk indicators: describe what you saw or heard in the reason.",
                )
            )
        allowed = {f for f, _ in self.shareable_fields()}
        if set(referral.shared_fields) - allowed:
            problems.append(Problem("shared_fields", "Partner staff can't share special category or offence details."))
        return problems

    def learn_receiving_teams(self, teams: list[dict[str, str]]) -> dict[str, str]:
        """Address referrals to the service's receiving teams: {agency code: team id}, the first team of each kind.

        `teams` is the service's answer to GET /referrals/teams. An agency already set by hand keeps its team.
        """
        known = dict(self._profile.get_setting(AGENCY_TEAMS) or {})
        for team in teams:
            agency = team.get("kind", "")
            if agency in dict(DEFAULT_AGENCIES) and agency not in known and team.get("id"):
                known[agency] = team["id"]
        self._profile.set_setting(AGENCY_TEAMS, known)
        return known

    # ---- the referrer's side ------------------------------------------------------------------------------------

    def save_draft(self, referral: Referral) -> Referral:
        person = self._person(referral.person_id)
        old = self._repo.get(Referral, referral.id)
        if old is not None and old.status != ReferralStatus.DRAFT:
            raise ValidationError([Problem("status", "This referral has been sent and can't be changed.")])
        if old is None:
            self._check_consent_not_withdrawn(person, referral.lawful_basis)
        referral.status = ReferralStatus.DRAFT
        referral.team_id = referral.team_id or self._profile.team_id
        referral.created_by = referral.created_by or self._profile.user_id
        referral.reason = referral.reason.strip()
        problems = self._partner_problems(referral) + problems_with(referral)
        if problems:
            raise ValidationError(problems)
        return self._repo.save(referral)

    def send(self, referral: Referral) -> Referral:
        """Send a referral (it leaves at the next sync) and record exactly what was shared, with whom and why."""
        person = self._person(referral.person_id)
        old = self._repo.get(Referral, referral.id)
        if old is not None and old.status != ReferralStatus.DRAFT:
            raise ValidationError([Problem("status", "This referral has already been sent.")])
        self._check_consent_not_withdrawn(person, referral.lawful_basis)
        problems: list[Problem] = []
        if not referral.lawful_basis:
            problems.append(
                Problem(
                    "lawful_basis",
                    "This referral can't be sent without consent or another lawful basis: record consent (and who "
                    "gave it) or the lawful basis for sharing.",
                )
            )
        if referral.lawful_basis == LawfulBasis.CONSENT and not referral.consent_date:
            referral.consent_date = date.today()
        teams = self._profile.get_setting(AGENCY_TEAMS) or {}
        now = utc_now()
        referral.to_team_id = referral.to_team_id or str(teams.get(referral.to_agency, ""))
        referral.status = ReferralStatus.SENT
        referral.sent_at = now
        referral.sent_by = self._profile.user_id
        referral.team_id = referral.team_id or self._profile.team_id
        referral.created_by = referral.created_by or self._profile.user_id
        referral.reason = referral.reason.strip()
        referral.shared_fields = [f for f, _ in SHAREABLE_FIELDS if f in set(referral.shared_fields)]
        problems += [p for p in problems_with(referral) if p.field != "lawful_basis" or referral.lawful_basis]
        problems += self._partner_problems(referral)
        if problems:
            referral.status = ReferralStatus.DRAFT
            raise ValidationError(problems)
        share = ShareRecord(
            person_id=person.id,
            referral_id=referral.id,
            team_id=referral.team_id,
            created_by=self._profile.user_id,
            with_agency=referral.to_agency,
            with_agency_name=referral.to_agency_name or dict(DEFAULT_AGENCIES).get(referral.to_agency, ""),
            with_team_id=referral.to_team_id,
            shared_fields=[*MINIMUM_SHARED, *referral.shared_fields, "reason", "risk_indicators"],
            shared_at=now,
            shared_by=self._profile.user_id,
            lawful_basis=referral.lawful_basis or "",
            consent_given_by=referral.consent_given_by,
        )
        check(share)
        with self._profile.transaction():
            self._repo.save(referral)
            self._repo.save(share)
            AuditTrail(self._profile).record(AuditAction.SHARED, ShareRecord.TABLE, share.id, person_id=person.id)
        log.info("referral %s sent to %s", referral.id, referral.to_agency)
        return referral

    def _check_consent_not_withdrawn(self, person: YoungPerson, basis: str | None = None) -> None:
        """Withdrawn consent blocks a new referral unless a safeguarding duty or a risk to life allows it (the same
        rule as every other share: youthwork.privacy.consent.sharing_problem)."""
        if person.consent_withdrawn_on is None:
            return
        if problem := sharing_problem(person, basis):
            raise ValidationError([Problem("lawful_basis", problem)])

    # ---- the receiving team's side ------------------------------------------------------------------------------

    def step(
        self,
        referral_id: str,
        action: ReferralAction | str,
        *,
        reason: str = "",
        outcome: str = "",
        allocated_to: str = "",
        note: str = "",
        told_by: str = "",
        first_appointment_on: date | None = None,
        passed_to: str = "",
    ) -> ReferralEvent:
        """Add one step to a referral: the receiving team's answer, a note from either side, or, for an agency with
        no team on the service, what the agency told the referrer (and who told them)."""
        action = ReferralAction(action)
        referral = self._repo.get(Referral, referral_id)
        if referral is None:
            raise ValidationError([Problem("referral_id", "That referral is not on this laptop.")])
        team = self._profile.team_id
        answering = bool(team) and answering_team(referral) == team
        if action != ReferralAction.NOTE and not answering:
            who = "the team that sent it" if off_service(referral) else "the receiving team"
            raise ValidationError(
                [Problem("action", f"Only {who} can record that a referral is acknowledged, decided or closed.")]
            )
        if action != ReferralAction.NOTE and off_service(referral) and not told_by.strip():
            raise ValidationError([Problem("told_by", "Say who at the agency told you (a name, or a role and how).")])
        current = effective_status(referral, self.events(referral_id))
        if current not in ACTION_ALLOWED_FROM[action]:
            raise ValidationError(
                [Problem("action", f"This referral is {current.label.lower()}, so it can't be given “{action.label}”.")]
            )
        event = ReferralEvent(
            referral_id=referral_id,
            action=action.value,
            by_user_id=self._profile.user_id,
            created_by=self._profile.user_id,
            team_id=team,
            reason=reason.strip(),
            outcome=outcome.strip(),
            allocated_to=allocated_to.strip(),
            note=note.strip(),
            told_by=told_by.strip(),
            first_appointment_on=first_appointment_on,
            passed_to=passed_to.strip(),
        )
        check(event)
        if first_appointment_on is not None and referral.sent_at and first_appointment_on < referral.sent_at.date():
            raise ValidationError(
                [Problem("first_appointment_on", "The first appointment can't be before the referral was sent.")]
            )
        return self._repo.save(event)

    # ---- referrals in from outside ------------------------------------------------------------------------------

    def record_incoming(self, referral: Referral) -> Referral:
        """A referral that came to this team from a school, the police, a parent or the young person: recorded as
        received, in this team's inbox, to be acknowledged, decided and closed like any other."""
        person = self._person(referral.person_id)
        team = self._profile.team_id
        if person.team_id and person.team_id != team:
            raise ValidationError(
                [Problem("person_id", "Add the young person to your own team's young people before recording this.")]
            )
        problems: list[Problem] = []
        if not referral.from_source:
            problems.append(Problem("from_source", "Say who the referral came from."))
        if not referral.lawful_basis:
            problems.append(Problem("lawful_basis", "Record consent (and who gave it) or the lawful basis."))
        received = referral.received_on
        if received is not None and received > date.today():
            problems.append(Problem("received_on", "The date it arrived is in the future."))
        now = utc_now()
        referral.to_agency = referral.to_agency or self._own_agency()
        referral.to_team_id = team
        referral.team_id = team
        referral.status = ReferralStatus.SENT
        # The clock for acknowledging it starts when it arrived, not when it was typed in.
        referral.sent_at = (
            now if received is None or received == now.date() else datetime.combine(received, time(9, 0), UTC)
        )
        referral.sent_by = self._profile.user_id
        referral.created_by = referral.created_by or self._profile.user_id
        referral.reason = referral.reason.strip()
        referral.from_name = referral.from_name.strip()
        problems += [p for p in problems_with(referral) if p.field not in {q.field for q in problems}]
        if problems:
            raise ValidationError(problems)
        self._repo.save(referral)
        log.info("referral %s recorded in from %s", referral.id, referral.from_source)
        return referral

    def receives_referrals(self) -> bool:
        """This laptop's team is a receiving team on the service (TYS, IGT), so it records referrals in."""
        team = self._profile.team_id
        return bool(team) and team in (self._profile.get_setting(AGENCY_TEAMS) or {}).values()

    def _own_agency(self) -> str:
        """The agency code this laptop's team receives as (tys, igt), from the receiving teams it has learned."""
        teams = self._profile.get_setting(AGENCY_TEAMS) or {}
        return next((str(a) for a, t in teams.items() if t == self._profile.team_id), "tys")

    def inbox(self, status: ReferralStatus | None = None) -> list[ReferralView]:
        """Referrals sent to this laptop's team (arrived by sync), oldest first."""
        team = self._profile.team_id
        if not team:
            return []
        refs = self._repo.select(Referral, "to_team_id = ? AND status != 'draft'", (team,), order="sent_at, id")
        views = [self._view(r) for r in refs]
        return [v for v in views if status is None or v.status == status]

    # ---- reading ------------------------------------------------------------------------------------------------

    def get(self, referral_id: str) -> ReferralView | None:
        r = self._repo.get(Referral, referral_id)
        return None if r is None else self._view(r)

    def events(self, referral_id: str) -> list[ReferralEvent]:
        events = self._repo.select(ReferralEvent, "referral_id = ?", (referral_id,), order="at, id")
        return sorted(events, key=lambda e: (e.at, STEP_ORDER.get(e.action, 0), e.id))

    def for_person(self, person_id: str) -> list[ReferralView]:
        refs = self._repo.select(Referral, "person_id = ?", (person_id,), order="created_at DESC, id")
        return [self._view(r) for r in refs]

    def sent_by_team(self) -> list[ReferralView]:
        """Referrals this team made (drafts included), newest first; not those it recorded in from outside."""
        team = self._profile.team_id
        refs = self._repo.select(Referral, "team_id = ? AND from_source = ''", (team,), order="created_at DESC, id")
        return [self._view(r) for r in refs]

    def overdue(self, as_of: datetime | None = None) -> list[ReferralView]:
        """Referrals this team sent that are still waiting to be acknowledged past the time their urgency allows
        (youthwork.domain.referrals.is_overdue: the weekly report's rule too)."""
        refs = self._repo.select(
            Referral, "team_id = ? AND status = 'sent'", (self._profile.team_id,), order="sent_at, id"
        )
        views = [self._view(r) for r in refs]
        return [v for v in views if self._is_overdue(v.referral, list(v.events), as_of)]

    def shares(self, person_id: str) -> list[ShareRecord]:
        return self._repo.select(ShareRecord, "person_id = ?", (person_id,), order="shared_at, id")

    def _view(self, r: Referral) -> ReferralView:
        events = self.events(r.id)
        person = self._repo.get(YoungPerson, r.person_id)
        pending = self._profile.outbox.pending_fields(Referral.TABLE, r.id)
        agency = dict(DEFAULT_AGENCIES).get(r.to_agency) or self._own_agency_name(r.to_agency)
        if r.to_agency == "other" and r.to_agency_name:
            agency = r.to_agency_name
        return ReferralView(
            referral=r,
            events=tuple(events),
            status=effective_status(r, events),
            person_name=person.display_name if person else "(not on this laptop)",
            waiting_to_sync=bool(pending) and r.status != ReferralStatus.DRAFT,
            overdue=self._is_overdue(r, events),
            agency_label=agency,
        )

    def _own_agency_name(self, code: str) -> str:
        found = self._repo.select(Agency, "code = ?", (code,), order="id")
        return found[0].name if found else code

    def _is_overdue(self, r: Referral, events: list[ReferralEvent], as_of: datetime | None = None) -> bool:
        if any(e.action in ACKNOWLEDGING for e in events):
            return False
        return is_overdue(effective_status(r, events), r.urgency, r.sent_at, as_of or datetime.now(UTC))

    def _person(self, person_id: str) -> YoungPerson:
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        return person


def ask_receiving_teams(profile: Profile) -> list[dict[str, str]]:
    """The central service's receiving teams (GET /referrals/teams). Needs the network: run it off the UI thread.

    Raises youthwork.sync.errors.SyncError when the service can't be reached or the laptop isn't enrolled.
    """
    client = device.client_for(profile)
    try:
        return client.receiving_teams()
    finally:
        close = getattr(client.transport, "close", None)
        if close:
            close()


def fetch_receiving_teams(profile: Profile) -> dict[str, str]:
    """Ask the service which teams receive referrals, and remember them: {agency code: team id}."""
    return ReferralService(profile).learn_receiving_teams(ask_receiving_teams(profile))


def needs_receiving_teams(profile: Profile) -> bool:
    """Enrolled, but not yet told where TYS and IGT referrals go."""
    known = profile.get_setting(AGENCY_TEAMS) or {}
    return device.is_enrolled(profile) and not {"tys", "igt"} <= set(known)
