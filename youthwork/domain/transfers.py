"""Moving a young person to another team (TYS to the 18–24 service, or to another borough's team), with a handover note.

A supervisor of the team that holds the young person proposes the move: which team, a handover note, and what goes
with them (`goes`: their record always, and by default their safety plans, RAG ratings, consent history and the other
records the receiving team needs; the sending team's case notes stay unless chosen). A supervisor of the receiving
team accepts or declines it with a reason. Only on acceptance does the service change the owning team: the young
person and what goes become the receiving team's (its laptops get them at their next pull), what stays is still the
sending team's, and the sending team keeps only the minimum of the young person (name, known as, area) so its own
records still say who they are about. Its laptops drop everything else (`youthwork.services.transfers`).

Proposing is for supervisors, not a worker with a supervisor's sign-off: a move changes who holds a child's record
and who sees it, which is the allocation decision supervisors already make (they name lead workers), and one
accountable person at each end keeps the audit plain: who proposed it, who accepted it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from youthwork.domain.policy import (
    POLICIES,
    STAFF,
    SUPERVISORS,
    Link,
    Must,
    PersonShare,
    RecordPolicy,
    Transfers,
    declare,
)
from youthwork.domain.records import MINIMUM_PERSON_FIELDS, Record
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab


class TransferStatus(Vocab):
    PROPOSED = "proposed", "Waiting for the receiving team"
    ACCEPTED = "accepted", "Accepted: moved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# What can go with a young person besides their own record, in the order the worker is asked, and whether it goes
# unless the supervisor says otherwise. Records that hang from these (a plan's versions and places, an episode's
# return home interview, a consent's acknowledgements) go with them. Sessions, their registers, peer groups and
# referrals always stay: they are the sending team's own work.
CAN_GO: dict[str, tuple[str, bool]] = {
    "safety_plans": ("Safety plans", True),
    "rag_ratings": ("RAG ratings", True),
    "consent_events": ("Consent and lawful basis", True),
    "circumstance_changes": ("Changes of circumstances", True),
    "relationships": ("Family and household", True),
    "missing_episodes": ("Missing episodes and return home interviews", True),
    "nfa_notifications": ("Police NFAs", True),
    "joint_visits": ("Joint home visits", True),
    "outcome_ratings": ("Outcome ratings", True),
    "case_notes": ("Case notes", False),
}
GOES_BY_DEFAULT: tuple[str, ...] = tuple(table for table, (_words, default) in CAN_GO.items() if default)


def moving_tables(goes: set[str] | frozenset[str]) -> set[str]:
    """The tables that go with a young person: those chosen, and those whose records hang from them by an owning link
    (found from the declarations, so a record type added later follows). The service and the laptop both use it."""
    out = set(goes)
    grew = True
    while grew:
        grew = False
        for table, p in POLICIES.items():
            hangs = any(link.must is Must.OWN and link.table in out for link in p.links)
            if hangs and table not in out and p.person_field != "id" and p.transfers is None and p.merges is None:
                out.add(table)
                grew = True
    return out


@dataclass(slots=True, kw_only=True)
class PersonTransfer(Record):
    TABLE: ClassVar[str] = "person_transfers"

    person_id: str = ""
    to_team_id: str = ""  # the receiving team; `team_id` is the sending team
    note: str = ""  # the handover note, for the receiving team
    goes: list[str] = field(default_factory=list)  # tables of CAN_GO that go (the dialog ticks GOES_BY_DEFAULT)
    status: str = TransferStatus.PROPOSED.value
    proposed_by: str = ""
    proposed_at: datetime | None = None
    answered_by: str = ""  # the receiving supervisor who accepted or declined
    answered_at: datetime | None = None
    decline_reason: str = ""


def validate_transfer(t: PersonTransfer) -> list[Problem]:
    problems: list[Problem] = []
    if not t.person_id:
        problems.append(Problem("person_id", "Choose the young person who is moving."))
    if not t.to_team_id:
        problems.append(Problem("to_team_id", "Choose the team they are moving to."))
    elif t.to_team_id == t.team_id:
        problems.append(Problem("to_team_id", "Choose another team: they are already in this one."))
    if not t.note.strip():
        problems.append(Problem("note", "Write a handover note for the receiving team."))
    elif len(t.note) > 4000:
        problems.append(Problem("note", "Keep the handover note under 4,000 characters."))
    unknown = sorted(set(t.goes) - set(CAN_GO))
    if unknown:
        problems.append(Problem("goes", f"These can't go with a young person: {', '.join(unknown)}."))
    one_of(problems, "status", t.status, TransferStatus, "Move")
    if t.status == TransferStatus.DECLINED and not t.decline_reason.strip():
        problems.append(Problem("decline_reason", "Say why the move is declined, so the sending team knows."))
    if len(t.decline_reason) > 1000:
        problems.append(Problem("decline_reason", "Keep the reason under 1,000 characters."))
    return problems


register_validator(PersonTransfer, validate_transfer)
declare(
    RecordPolicy(
        PersonTransfer,
        "moves to another team",
        roles=STAFF,
        links=(Link("person_id", "people", Must.OWN, required=True),),
        # While it waits, the receiving team sees who it is about (the minimum) and the handover note.
        shares=(
            PersonShare(
                "transfer",
                to="addressed",
                writer_must="whole",
                active_statuses=frozenset({TransferStatus.PROPOSED.value}),
            ),
        ),
        transfers=Transfers(
            proposer_roles=SUPERVISORS,
            answer_roles=SUPERVISORS,
            can_go=frozenset(CAN_GO),
            keeps=MINIMUM_PERSON_FIELDS,
        ),
    )
)
