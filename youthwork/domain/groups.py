"""Peer groups and who is in them (contextual safeguarding), built so they cannot become a "gangs matrix".

The Metropolitan Police Gangs Matrix (ICO enforcement notice, 2018) did not tell victims from people causing harm,
kept people on it with no review, shared it widely and drew in a disproportionate number of young Black men. Here:

- a group's label is the worker's own words; "gang" is refused, so no group is called one by default or by habit;
- every membership says whether the young person is affected, causing harm, both, or that it is not known (there is
  no default: someone must choose), with the source, a confidence and the young person's own account;
- every membership has a review date at most `MEMBERSHIP_REVIEW_DAYS` after it was recorded or renewed; once it has
  passed the membership lapses and is erased (declared `lapses`: the service erases it and refuses it back; each
  laptop erases its copy at its next sync), never hidden;
- groups and memberships never leave the owning team (no relation reaches them) and partner staff have neither; a
  group reaches another team only as an explicit `GroupShare` sent to a team that receives, which carries the
  context conference pack (no child named) and never a membership.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

from youthwork.domain.policy import STAFF, Addressed, Link, Must, RecordPolicy, declare
from youthwork.domain.records import Record
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import Vocab

# A membership's own retention: it lapses (and is erased) at its review date, at most this long after it was
# recorded or last renewed. Six months: long enough to see a pattern, short enough that nobody stays on by default.
MEMBERSHIP_REVIEW_DAYS = 183

_GANG = re.compile(r"\bgangs?\b", re.IGNORECASE)


class MembershipRole(Vocab):
    AFFECTED = "affected", "Affected (being harmed or drawn in)"
    CAUSING_HARM = "causing_harm", "Causing harm"
    BOTH = "both", "Both affected and causing harm"
    NOT_KNOWN = "not_known", "Not known"


class Confidence(Vocab):
    SEEN = "seen", "Seen by a worker"
    TOLD = "told", "Told by the young person"
    REPORTED = "reported", "Reported by someone else, not seen"
    POSSIBLE = "possible", "Possible: not yet confirmed"


class GroupStatus(Vocab):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


@dataclass(slots=True, kw_only=True)
class PeerGroup(Record):
    TABLE: ClassVar[str] = "peer_groups"

    label: str = ""  # the worker's own words: where or how they meet ("Thursday cage lot")
    description: str = ""
    place_ids: list[str] = field(default_factory=list)  # places they are seen at (Place records)
    status: str = "active"


@dataclass(slots=True, kw_only=True)
class GroupMembership(Record):
    TABLE: ClassVar[str] = "group_memberships"

    group_id: str = ""
    person_id: str = ""
    recorded_on: date | None = None  # recorded, or last renewed
    recorded_by: str = ""
    source: str = ""  # who said so, in the worker's words ("seen at the cage", "school DSL")
    confidence: str = ""
    role: str = ""  # no default: a person says which
    own_account: str = ""  # the young person's own account, if they gave one
    review_date: date | None = None  # lapses (and is erased) once this has passed, unless renewed


@dataclass(slots=True, kw_only=True)
class GroupShare(Record):
    """A group's context conference pack, sent on purpose to a team that receives: the record of that share.

    It carries a copy of the pack's text (the group's label, places and context plan, as printed: no child named),
    never the memberships: the receiving team sees what the pack says, not who is in the group.
    """

    TABLE: ClassVar[str] = "group_shares"
    APPEND_ONLY: ClassVar[bool] = True

    group_id: str = ""
    to_team_id: str = ""
    to_agency: str = ""  # the kind of team it goes to: "tys" or "igt"
    status: str = "sent"
    reason: str = ""  # why it is shared, for the record
    shared_by: str = ""
    pack_text: str = ""  # the pack as sent


SHARE_AGENCIES: tuple[str, ...] = ("tys", "igt")


def label_problem(label: str) -> Problem | None:
    if not label.strip():
        return Problem("label", "Give the group a name in your own words: where or how they meet.")
    if _GANG.search(label):
        return Problem(
            "label",
            "Don't call a group a gang: the word sticks to every young person in it. "
            "Name it by where or how they meet (for example “Thursday cage lot”).",
        )
    return None


def validate_group(g: PeerGroup) -> list[Problem]:
    problems = [p for p in (label_problem(g.label),) if p]
    one_of(problems, "status", g.status, GroupStatus, "Group status")
    if not isinstance(g.place_ids, list) or not all(isinstance(p, str) for p in g.place_ids):
        problems.append(Problem("place_ids", "The group's places could not be read."))
    return problems


def validate_membership(m: GroupMembership) -> list[Problem]:
    problems: list[Problem] = []
    if not m.group_id:
        problems.append(Problem("group_id", "A membership must be of a group."))
    if not m.person_id:
        problems.append(Problem("person_id", "A membership must be about a young person."))
    if not m.role:
        problems.append(
            Problem("role", "Say whether they are affected, causing harm, both, or that it is not known yet.")
        )
    else:
        one_of(problems, "role", m.role, MembershipRole, "Role in the group")
    if not m.confidence:
        problems.append(Problem("confidence", "Say how sure this is."))
    else:
        one_of(problems, "confidence", m.confidence, Confidence, "How sure")
    if not m.source.strip():
        problems.append(Problem("source", "Say where this came from."))
    if m.recorded_on is None:
        problems.append(Problem("recorded_on", "Enter the date it was recorded."))
    if m.review_date is None:
        problems.append(Problem("review_date", "Set a review date: the membership lapses then unless renewed."))
    elif m.recorded_on is not None:
        if m.review_date < m.recorded_on:
            problems.append(Problem("review_date", "The review date is before the date it was recorded."))
        elif m.review_date > m.recorded_on + timedelta(days=MEMBERSHIP_REVIEW_DAYS):
            problems.append(
                Problem("review_date", "A membership is reviewed within six months: choose an earlier review date.")
            )
    return problems


def validate_share(s: GroupShare) -> list[Problem]:
    problems: list[Problem] = []
    if not s.group_id:
        problems.append(Problem("group_id", "A share must be of a group."))
    if s.to_agency not in SHARE_AGENCIES:
        problems.append(Problem("to_agency", "A group's pack is shared only with a TYS team or the IGT."))
    if not s.reason.strip():
        problems.append(Problem("reason", "Say why the pack is being shared."))
    return problems


def lapsed(m: GroupMembership, today: date) -> bool:
    return m.review_date is not None and m.review_date < today


register_validator(PeerGroup, validate_group)
register_validator(GroupMembership, validate_membership)
register_validator(GroupShare, validate_share)

declare(RecordPolicy(PeerGroup, "peer groups", roles=STAFF, person_field=None))
declare(
    RecordPolicy(
        GroupMembership,
        "peer group memberships",
        roles=STAFF,
        links=(Link("group_id", "peer_groups", Must.OWN, required=True), Link("person_id", "people", required=True)),
        lapses="review_date",
    )
)
declare(
    RecordPolicy(
        GroupShare,
        "shared group packs",
        roles=STAFF,
        person_field=None,
        links=(Link("group_id", "peer_groups", Must.OWN, required=True),),
        addressed=Addressed(field="to_team_id", agency_field="to_agency", drafts=frozenset({""})),
    )
)
