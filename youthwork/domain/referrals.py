"""Referrals to a receiving team (TYS, IGT, ...) and the append-only events that answer them.

A referral shares the minimum of a young person's record with the receiving team: the fields the referrer chose in
`shared_fields`, on the recorded lawful basis. The receiving team never edits the referral: each step (acknowledged,
accepted, declined with a reason, allocated, closed with an outcome) is a new ReferralEvent, and the referral's
`status` follows the latest event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import ClassVar

from youthwork.domain.disclosures import CODE as AGENCY_CODE
from youthwork.domain.policy import STAFF_AND_PARTNER, Addressed, Link, Must, PersonShare, RecordPolicy, Steps, declare
from youthwork.domain.records import Record, criminal, safety_critical, utc_now
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import DEFAULT_AGENCIES, ConsentGivenBy, LawfulBasis, RiskIndicator, Vocab


class ReferralStatus(Vocab):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ALLOCATED = "allocated", "Allocated to a worker"
    REDIRECTED = "redirected", "Passed on to another service"
    CLOSED = "closed", "Closed"


class Urgency(Vocab):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent (within 48 hours)"
    IMMEDIATE = "immediate", "Immediate (risk of harm today)"


# When a sent referral is overdue: the one rule, used by the Today page, the Referrals area and the weekly report.
ACKNOWLEDGE_WITHIN = {
    Urgency.IMMEDIATE.value: timedelta(days=1),
    Urgency.URGENT.value: timedelta(days=2),
    Urgency.ROUTINE.value: timedelta(days=10),
}
OVERDUE_WORDS = "not acknowledged within 1 day if immediate, 2 days if urgent or 10 days if routine"
OVERDUE_RULE = f"A referral is overdue when the receiving team has {OVERDUE_WORDS} of its being sent."


def acknowledge_by(urgency: str, sent_at: datetime) -> datetime:
    return sent_at + ACKNOWLEDGE_WITHIN.get(urgency, ACKNOWLEDGE_WITHIN[Urgency.ROUTINE.value])


def is_overdue(status: str, urgency: str, sent_at: datetime | None, as_of: datetime) -> bool:
    """Still only "sent" (nobody at the receiving team has acknowledged it) past the time its urgency allows."""
    return status == ReferralStatus.SENT.value and sent_at is not None and acknowledge_by(urgency, sent_at) < as_of


class ReferralAction(Vocab):
    ACKNOWLEDGE = "acknowledge", "Acknowledge"
    ACCEPT = "accept", "Accept"
    DECLINE = "decline", "Decline"
    ALLOCATE = "allocate", "Allocate to a worker"
    REDIRECT = "redirect", "Pass on to the right service"
    APPOINTMENT = "appointment", "First appointment"
    CLOSE = "close", "Close with an outcome"
    NOTE = "note", "Add a note"
    HANDOVER_MEETING = (
        "handover_meeting",
        "Handover meeting held",
    )  # a transition: TYS, the young person, their new worker


class ReferralKind(Vocab):
    """What a referral is for: most ask another service to work with a young person; a transition hands a young person
    approaching 18 over to the 18–24 transitions service in the IGT, with its own steps (TRANSITION_STEPS)."""

    REFERRAL = "", "Referral"
    TRANSITION = "transition", "Transition at 18 (planned handover)"


# Agencies whose first appointment counts in the board's "within 4 weeks" measure.
MENTAL_HEALTH_AGENCIES = frozenset({"camhs"})

# A decision on a referral: the end of the "no wrong referral" timing (sent to decided).
DECISIONS = frozenset({ReferralAction.ACCEPT, ReferralAction.DECLINE, ReferralAction.REDIRECT})


class ReferralSource(Vocab):
    """Who a referral in from outside youthwork came from."""

    SCHOOL = "school", "A school or college"
    POLICE = "police", "The police"
    PARENT_CARER = "parent_carer", "A parent or carer"
    YOUNG_PERSON = "young_person", "The young person themselves"
    OTHER_AGENCY = "other_agency", "Another agency"


# What each action does to the referral's status, and from which statuses it is allowed.
ACTION_RESULT: dict[ReferralAction, ReferralStatus | None] = {
    ReferralAction.ACKNOWLEDGE: ReferralStatus.ACKNOWLEDGED,
    ReferralAction.ACCEPT: ReferralStatus.ACCEPTED,
    ReferralAction.DECLINE: ReferralStatus.DECLINED,
    ReferralAction.ALLOCATE: ReferralStatus.ALLOCATED,
    ReferralAction.REDIRECT: ReferralStatus.REDIRECTED,
    ReferralAction.APPOINTMENT: None,  # the status stays; the date is copied onto the referral
    ReferralAction.CLOSE: ReferralStatus.CLOSED,
    ReferralAction.NOTE: None,
    ReferralAction.HANDOVER_MEETING: None,
}
ACTION_ALLOWED_FROM: dict[ReferralAction, frozenset[ReferralStatus]] = {
    ReferralAction.ACKNOWLEDGE: frozenset({ReferralStatus.SENT}),
    ReferralAction.ACCEPT: frozenset({ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED}),
    ReferralAction.DECLINE: frozenset({ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED}),
    ReferralAction.ALLOCATE: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.ALLOCATED}),
    ReferralAction.REDIRECT: frozenset({ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED}),
    ReferralAction.APPOINTMENT: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.ALLOCATED}),
    ReferralAction.CLOSE: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.ALLOCATED}),
    ReferralAction.NOTE: frozenset(ReferralStatus) - {ReferralStatus.DRAFT},
    ReferralAction.HANDOVER_MEETING: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.ALLOCATED}),
}

# The transitions service sits in the IGT: a planned handover at 18 goes there.
TRANSITION_AGENCY = "igt"


@dataclass(slots=True, kw_only=True)
class Referral(Record):
    TABLE: ClassVar[str] = "referrals"

    person_id: str = ""
    to_agency: str = "tys"  # a code from vocab.DEFAULT_AGENCIES
    to_team_id: str = ""  # the receiving team on this service, when the agency has one
    reason: str = ""
    risk_indicators: list[str] = criminal(factory=list)
    urgency: str = "routine"
    lawful_basis: str | None = None
    consent_given_by: str | None = None
    consent_date: date | None = None
    # Fields of the young person's record shared with the receiving team, beyond the minimum (name, age band, area).
    shared_fields: list[str] = field(default_factory=list)
    status: str = safety_critical("draft")
    sent_at: datetime | None = None
    sent_by: str = ""
    outcome: str = ""
    to_agency_name: str = ""  # the agency's name when it is "other"
    place_id: str = ""  # the context of the harm (contextual safeguarding), a place of the sending team's
    # A referral in from outside youthwork (a school, the police, a parent, the young person), recorded by the team it
    # came to: who from (a ReferralSource code), their name, and the day it arrived.
    from_source: str = ""
    from_name: str = ""
    received_on: date | None = None
    first_appointment_on: date | None = None  # copied from its "first appointment" step
    kind: str = ""  # ReferralKind: "" a referral, "transition" a planned handover at 18
    handover_on: date | None = None  # a transition: the day the handover is planned for (before they turn 18)


@dataclass(slots=True, kw_only=True)
class ReferralEvent(Record):
    """One step in a referral's life. Append-only: the history of who did what, when and why."""

    TABLE: ClassVar[str] = "referral_events"
    APPEND_ONLY: ClassVar[bool] = True

    referral_id: str = ""
    action: str = ""
    by_user_id: str = ""
    at: datetime = field(default_factory=utc_now)
    reason: str = ""  # required when declining
    outcome: str = ""  # required when closing
    allocated_to: str = ""  # the worker, when allocating
    note: str = ""
    # For an agency with no team on the service, the referrer records its answers: who at the agency told them.
    told_by: str = ""
    first_appointment_on: date | None = None  # the "first appointment" step
    passed_to: str = ""  # the service a "pass on" step sent it to


@dataclass(slots=True, kw_only=True)
class ShareRecord(Record):
    """One share of a young person's information: what, with whom, when and on what basis. Append-only."""

    TABLE: ClassVar[str] = "share_records"
    APPEND_ONLY: ClassVar[bool] = True

    person_id: str = ""
    referral_id: str = ""
    with_agency: str = ""  # a code from vocab.DEFAULT_AGENCIES
    with_agency_name: str = ""
    with_team_id: str = ""
    shared_fields: list[str] = field(default_factory=list)
    shared_at: datetime = field(default_factory=utc_now)
    shared_by: str = ""
    lawful_basis: str = ""
    consent_given_by: str | None = None


STEP_ORDER: dict[str, int] = {
    ReferralAction.ACKNOWLEDGE: 1,
    ReferralAction.ACCEPT: 2,
    ReferralAction.DECLINE: 2,
    ReferralAction.REDIRECT: 2,
    ReferralAction.ALLOCATE: 3,
    ReferralAction.APPOINTMENT: 3,
    ReferralAction.CLOSE: 4,
}


def from_outside(referral: Referral) -> bool:
    """Recorded by the team it came to, from a school, the police, a parent or the young person."""
    return bool(referral.from_source)


def off_service(referral: Referral) -> bool:
    """Sent to an agency with no team on the service: the referrer records the agency's answers."""
    return referral.status != ReferralStatus.DRAFT and not referral.to_team_id and not from_outside(referral)


def answering_team(referral: Referral) -> str:
    """The team that records a referral's steps: the receiving team, or the sender's for an agency off the service."""
    return referral.team_id if off_service(referral) else referral.to_team_id


def transition_steps(status: str, events: list[ReferralEvent]) -> list[tuple[str, bool]]:
    """A planned handover's own steps, in order, and whether each is done: sent, accepted by the transitions service,
    a transitions worker allocated, the handover meeting held, handed over (closed)."""
    actions = {e.action for e in events}
    reached = {
        ReferralStatus.SENT: 1,
        ReferralStatus.ACKNOWLEDGED: 1,
        ReferralStatus.ACCEPTED: 2,
        ReferralStatus.ALLOCATED: 3,
        ReferralStatus.CLOSED: 5,
    }.get(ReferralStatus(status or ReferralStatus.DRAFT), 0)
    return [
        ("Handover planned and sent to the transitions service", reached >= 1),
        ("Accepted by the transitions service", reached >= 2 or ReferralAction.ACCEPT in actions),
        ("Transitions worker allocated", reached >= 3 or ReferralAction.ALLOCATE in actions),
        ("Handover meeting held (young person, TYS and their new worker)", ReferralAction.HANDOVER_MEETING in actions),
        ("Handed over", reached >= 5),
    ]


def effective_status(referral: Referral, events: list[ReferralEvent]) -> ReferralStatus:
    """The status the latest step gives a referral. Locally a step is known before the server updates `status`."""
    status = ReferralStatus(referral.status or ReferralStatus.DRAFT)
    # Two steps in the same millisecond are ordered by where they come in a referral's life.
    for e in sorted(events, key=lambda e: (e.at, STEP_ORDER.get(e.action, 0), e.id)):
        try:
            result = ACTION_RESULT[ReferralAction(e.action)]
        except ValueError:
            continue
        if result is not None:
            status = result
    return status


def validate_share(s: ShareRecord) -> list[Problem]:
    problems: list[Problem] = []
    if not s.person_id:
        problems.append(Problem("person_id", "A share must be about a young person."))
    if not (s.with_agency or s.with_team_id):
        problems.append(Problem("with_agency", "Say who the information was shared with."))
    if not s.lawful_basis:
        problems.append(Problem("lawful_basis", "Record the lawful basis for sharing this information."))
    one_of(problems, "lawful_basis", s.lawful_basis or None, LawfulBasis, "Lawful basis")
    return problems


def validate_referral(r: Referral) -> list[Problem]:
    problems: list[Problem] = []
    if not r.person_id:
        problems.append(Problem("person_id", "A referral must be about a young person."))
    one_of(problems, "from_source", r.from_source or None, ReferralSource, "Referred by")
    one_of(problems, "kind", r.kind, ReferralKind, "Kind of referral")
    if r.kind == ReferralKind.TRANSITION and r.to_agency != TRANSITION_AGENCY:
        problems.append(Problem("to_agency", "A transition at 18 goes to the transitions service in the IGT."))
    if r.kind == ReferralKind.TRANSITION and r.status != ReferralStatus.DRAFT and r.handover_on is None:
        problems.append(Problem("handover_on", "Enter the date the handover is planned for."))
    if r.from_source and r.received_on is None:
        problems.append(Problem("received_on", "Enter the date the referral arrived."))
    # A default agency, or one a team added to its list (youthwork.domain.disclosures.Agency).
    if r.to_agency not in {code for code, _ in DEFAULT_AGENCIES} and not AGENCY_CODE.match(r.to_agency or ""):
        problems.append(Problem("to_agency", f"“{r.to_agency}” is not one of the agencies we refer to."))
    one_of(problems, "urgency", r.urgency, Urgency, "Urgency")
    one_of(problems, "status", r.status, ReferralStatus, "Referral status")
    one_of(problems, "lawful_basis", r.lawful_basis, LawfulBasis, "Lawful basis")
    one_of(problems, "consent_given_by", r.consent_given_by, ConsentGivenBy, "Consent given by")
    for ind in r.risk_indicators:
        one_of(problems, "risk_indicators", ind, RiskIndicator, "Risk indicator")
    if r.status != ReferralStatus.DRAFT:
        if not r.reason.strip():
            problems.append(Problem("reason", "Say why you are making this referral."))
        if not r.lawful_basis:
            problems.append(Problem("lawful_basis", "Record the lawful basis for sharing this information."))
        if r.lawful_basis == LawfulBasis.CONSENT and not r.consent_given_by:
            problems.append(Problem("consent_given_by", "Record who gave consent to the referral."))
    return problems


def validate_referral_event(e: ReferralEvent) -> list[Problem]:
    problems: list[Problem] = []
    if not e.referral_id:
        problems.append(Problem("referral_id", "A referral step must name its referral."))
    one_of(problems, "action", e.action, ReferralAction, "Referral step")
    if e.action == ReferralAction.DECLINE and not e.reason.strip():
        problems.append(Problem("reason", "Give a reason for declining the referral."))
    if e.action == ReferralAction.CLOSE and not e.outcome.strip():
        problems.append(Problem("outcome", "Record the outcome when closing the referral."))
    if e.action == ReferralAction.ALLOCATE and not e.allocated_to.strip():
        problems.append(Problem("allocated_to", "Say which worker the referral is allocated to."))
    if e.action == ReferralAction.APPOINTMENT and e.first_appointment_on is None:
        problems.append(Problem("first_appointment_on", "Enter the date of the first appointment."))
    if e.action == ReferralAction.REDIRECT and not e.passed_to.strip():
        problems.append(Problem("passed_to", "Say which service it was passed on to."))
    return problems


register_validator(Referral, validate_referral)
register_validator(ReferralEvent, validate_referral_event)
register_validator(ShareRecord, validate_share)


# ---- the policies (youthwork.domain.policy) -------------------------------------------------------------------------

# While a referral is one of these, changes of the young person flow to the receiving team; declined, closed or
# withdrawn (back to draft), they stop.
SHARING_STATUSES: frozenset[str] = frozenset(
    {ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED, ReferralStatus.ACCEPTED, ReferralStatus.ALLOCATED}
)

declare(
    RecordPolicy(
        Referral,
        "referrals",
        roles=STAFF_AND_PARTNER,
        links=(Link("person_id", "people", required=True), Link("place_id", "places")),
        addressed=Addressed(
            "to_team_id",
            agency_field="to_agency",
            fixed_once_sent=frozenset({"person_id", "to_team_id", "to_agency", "from_source"}),
            sender_statuses=frozenset({ReferralStatus.DRAFT, ReferralStatus.SENT}),
            # Recorded by the team a school, the police or a parent referred the young person to: the team must hold
            # the young person's record itself.
            inbound_field="from_source",
            inbound_person=Link("person_id", "people", Must.OWN, required=True),
        ),
        # Only a team that owns the young person (or already sees all of them) refers them on.
        shares=(
            PersonShare(
                "referral",
                to="addressed",
                writer_must="whole",
                extra_field="shared_fields",
                active_statuses=SHARING_STATUSES,
            ),
        ),
        anonymised_keeps=frozenset(
            {"person_id", "to_agency", "to_team_id", "urgency", "status", "sent_at", "lawful_basis"}
        ),
    )
)
declare(
    RecordPolicy(
        ReferralEvent,
        "referral steps",
        roles=STAFF_AND_PARTNER,
        person_field=None,
        links=(Link("referral_id", "referrals", Must.END, required=True),),
        steps=Steps(
            parent=Link("referral_id", "referrals", Must.END, required=True),
            action_field="action",
            results={a.value: (s.value if s else None) for a, s in ACTION_RESULT.items()},
            allowed_from={a.value: frozenset(s.value for s in f) for a, f in ACTION_ALLOWED_FROM.items()},
            copied={
                ReferralAction.CLOSE.value: ("outcome",),
                ReferralAction.APPOINTMENT.value: ("first_appointment_on",),
            },
            # An agency with no team on the service (CAMHS, CSCT, Redthread...): the sending team records its answers,
            # and says who at the agency told them.
            outside_answered_by_owner=True,
            outside_told_field="told_by",
        ),
        anonymised_keeps=frozenset({"referral_id", "action", "at"}),
    )
)
declare(
    RecordPolicy(
        ShareRecord,
        "records of information shared",
        roles=STAFF_AND_PARTNER,
        links=(Link("person_id", "people", required=True), Link("referral_id", "referrals", Must.OWN)),
    )
)
