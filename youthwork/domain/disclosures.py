"""Information disclosed without a referral, and the organisation's own agencies (issue 19, item 4).

The privacy notice names who a young person's information may go to (the police, probation, the DWP, Border Force,
Victim Support, the courts...). A share outside a referral (an information request answered, a court order, a
safeguarding share) is a `Disclosure`: what, with whom, when, on what lawful basis and who approved it. It stays with
the team that made it (no other team sees it), is in the subject access export and the audit trail, and is erased
with the young person.

The agencies a team refers to or discloses to are the defaults (vocab.DEFAULT_AGENCIES), those a disclosure names
(`DISCLOSURE_AGENCIES`) and the team's own `Agency` records, each with a kind (a mental-health service's first
appointments count in the board's "within 4 weeks" measure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from youthwork.domain.policy import STAFF, Link, RecordPolicy, declare
from youthwork.domain.records import Record, criminal
from youthwork.domain.validation import Problem, one_of, register_validator
from youthwork.domain.vocab import DEFAULT_AGENCIES, LawfulBasis, Vocab


class AgencyKind(Vocab):
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    COURT = "court", "A court"
    GOVERNMENT = "government", "Government department (DWP, Home Office, Border Force)"
    SOCIAL_CARE = "social_care", "Children's social care"
    EDUCATION = "education", "School or college"
    HEALTH = "health", "Health"
    MENTAL_HEALTH = "mental_health", "Mental health service"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    VICTIM_SUPPORT = "victim_support", "Victim support"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    OTHER = "other", "Other"


# Who the privacy notice says information may be disclosed to, beyond the agencies a referral goes to.
DISCLOSURE_AGENCIES: tuple[tuple[str, str, str], ...] = (
    ("police", "Police", AgencyKind.POLICE),
    ("probation", "Probation Service", AgencyKind.PROBATION),
    ("dwp", "Department for Work and Pensions (DWP)", AgencyKind.GOVERNMENT),
    ("border_force", "Border Force", AgencyKind.GOVERNMENT),
    ("victim_support", "Victim Support", AgencyKind.VICTIM_SUPPORT),
    ("courts", "The courts", AgencyKind.COURT),
)
# The kinds of the default agencies, so the board knows CAMHS is a mental-health service.
DEFAULT_KINDS: dict[str, str] = {
    "tys": AgencyKind.YOUTH_JUSTICE,
    "igt": AgencyKind.YOUTH_JUSTICE,
    "yos": AgencyKind.YOUTH_JUSTICE,
    "csct": AgencyKind.SOCIAL_CARE,
    "early_help": AgencyKind.SOCIAL_CARE,
    "camhs": AgencyKind.MENTAL_HEALTH,
    "st_giles": AgencyKind.VOLUNTARY,
    "abianda": AgencyKind.VOLUNTARY,
    "redthread": AgencyKind.VOLUNTARY,
    "other": AgencyKind.OTHER,
    **{code: kind for code, _, kind in DISCLOSURE_AGENCIES},
}
BUILT_IN_CODES = frozenset(DEFAULT_KINDS) | {code for code, _ in DEFAULT_AGENCIES}
CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def agency_code(name: str) -> str:
    """A stable code from an agency's name ("Islington Law Centre" -> "islington_law_centre")."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "agency"


@dataclass(slots=True, kw_only=True)
class Agency(Record):
    """An agency a team adds to its list: referred to or disclosed to like the built-in ones."""

    TABLE: ClassVar[str] = "agencies"

    code: str = ""  # what a referral's `to_agency` or a disclosure's `to_agency` holds
    name: str = ""
    kind: str = AgencyKind.OTHER.value
    active: bool = True  # no longer offered when false; records naming it keep its name


class DisclosureKind(Vocab):
    INFORMATION_REQUEST = "information_request", "An information request answered"
    COURT_ORDER = "court_order", "A court order"
    SAFEGUARDING = "safeguarding", "A safeguarding share"
    OTHER = "other", "Other disclosure"


@dataclass(slots=True, kw_only=True)
class Disclosure(Record):
    """Information about a young person given to another organisation outside a referral. Append-only: the record of
    what was disclosed can't be changed afterwards (a mistake is corrected by a note of the team's)."""

    TABLE: ClassVar[str] = "disclosures"
    APPEND_ONLY: ClassVar[bool] = True

    person_id: str = ""
    kind: str = DisclosureKind.INFORMATION_REQUEST.value
    to_agency: str = ""  # an agency code (default, disclosure or the team's own)
    to_agency_name: str = ""  # the agency's name as it was when disclosed
    what: str = criminal("")  # what was disclosed: may describe offending
    disclosed_on: date | None = None
    lawful_basis: str = ""
    approved_by: str = ""  # who approved it: a name and role
    reference: str = ""  # the request's or the order's reference
    recorded_by: str = ""


def validate_agency(a: Agency) -> list[Problem]:
    problems: list[Problem] = []
    if not a.name.strip():
        problems.append(Problem("name", "Give the agency's name."))
    if not CODE.match(a.code):
        problems.append(Problem("code", "An agency's code is lower-case letters, digits and _ (2 to 40)."))
    elif a.code in BUILT_IN_CODES:
        problems.append(Problem("name", f"“{a.name}” is already on the list."))
    one_of(problems, "kind", a.kind, AgencyKind, "Kind of agency")
    return problems


def validate_disclosure(d: Disclosure, today: date | None = None) -> list[Problem]:
    today = today or date.today()
    problems: list[Problem] = []
    if not d.person_id:
        problems.append(Problem("person_id", "A disclosure must be about a young person."))
    one_of(problems, "kind", d.kind, DisclosureKind, "Kind of disclosure")
    if not CODE.match(d.to_agency or ""):
        problems.append(Problem("to_agency", "Say who the information was given to."))
    if not d.what.strip():
        problems.append(Problem("what", "Say what was disclosed."))
    if d.disclosed_on is None:
        problems.append(Problem("disclosed_on", "Enter the date it was disclosed."))
    elif d.disclosed_on > today + timedelta(days=1):
        problems.append(Problem("disclosed_on", "The date it was disclosed is in the future."))
    if not d.lawful_basis:
        problems.append(Problem("lawful_basis", "Record the lawful basis for the disclosure."))
    one_of(problems, "lawful_basis", d.lawful_basis or None, LawfulBasis, "Lawful basis")
    if not d.approved_by.strip():
        problems.append(Problem("approved_by", "Say who approved the disclosure."))
    return problems


register_validator(Agency, validate_agency)
register_validator(Disclosure, validate_disclosure)

declare(RecordPolicy(Agency, "agencies", roles=STAFF, person_field=None))
declare(
    RecordPolicy(
        Disclosure,
        "disclosures",
        roles=STAFF,
        links=(Link("person_id", "people", required=True),),
    )
)
