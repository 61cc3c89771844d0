"""Moves to another team on the laptop and in the domain: only a supervisor proposes one, for a young person the team
holds, one at a time; the declaration is checked when it is made; and once a move from this team is accepted, what
went leaves this laptop and the young person keeps only the minimum (what stays, stays), once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

import pytest

from youthwork.domain.policy import POLICIES, STAFF, SUPERVISORS, RecordPolicy, Transfers, declare
from youthwork.domain.records import RECORD_TYPES, CaseNote, RagRating, Record, YoungPerson
from youthwork.domain.safety_plans import SafetyPlan, SafetyPlanVersion
from youthwork.domain.transfers import CAN_GO, GOES_BY_DEFAULT, PersonTransfer, TransferStatus, moving_tables
from youthwork.domain.validation import ValidationError, problems_with
from youthwork.domain.vocab import Role
from youthwork.privacy.subject_access import SubjectAccess
from youthwork.services.notes import NoteService
from youthwork.services.people import PeopleService
from youthwork.services.plans import PlanService
from youthwork.services.transfers import TransferRefused, TransferService
from youthwork.store.profile import Profile
from youthwork.store.settings import ROLE, TEAM_ID, USER_ID

NORTH, EAST = "01a00000-0000-7000-8000-00000000000a", "01a00000-0000-7000-8000-00000000000b"


@pytest.fixture
def supervisor(profile: Profile) -> Profile:
    profile.set_setting(ROLE, Role.SUPERVISOR)
    profile.set_setting(TEAM_ID, NORTH)
    profile.set_setting(USER_ID, "u-sue")
    return profile


def _jay(profile: Profile) -> YoungPerson:
    people = PeopleService(profile)
    jay = people.add(YoungPerson(first_name="Jay", last_name="Okafor", known_as="JJ", area="Peckham", phone="0770"))
    people.set_rag(jay.id, "amber", "Out late by the station.")
    plans = PlanService(profile)
    plan = plans.new_plan(jay.id)
    plan.risks_triggers = "Older boys at the station."
    plan.review_date = date.today() + timedelta(days=28)
    plans.agree(plans.save(plan), "First plan")
    NoteService(profile).add(jay.id, "Talked about college.")
    return jay


def test_only_a_supervisor_proposes_a_move_of_their_own_teams_young_person(supervisor: Profile) -> None:
    jay = _jay(supervisor)
    moves = TransferService(supervisor)
    with pytest.raises(ValidationError, match="handover note"):
        moves.propose(jay.id, EAST, "  ")
    with pytest.raises(ValidationError, match="already in this one"):
        moves.propose(jay.id, NORTH, "Moving.")
    move = moves.propose(jay.id, EAST, "Moving north with mum.")
    assert move.goes == list(GOES_BY_DEFAULT) and "case_notes" not in move.goes
    assert (move.status, move.proposed_by, move.team_id) == (TransferStatus.PROPOSED, "u-sue", NORTH)
    with pytest.raises(TransferRefused, match="already has a move waiting"):
        moves.propose(jay.id, EAST, "Again.")
    # The receiving team answers, not the team that proposed it; the proposer may withdraw it.
    with pytest.raises(TransferRefused, match="receiving team"):
        moves.accept(move.id)
    assert moves.withdraw(move.id).status == TransferStatus.WITHDRAWN
    supervisor.set_setting(ROLE, Role.WORKER)
    with pytest.raises(TransferRefused, match="Only a supervisor"):
        moves.propose(jay.id, EAST, "Moving.")
    other = supervisor.records.save(YoungPerson(first_name="Kai", team_id=EAST))
    supervisor.set_setting(ROLE, Role.SUPERVISOR)
    with pytest.raises(TransferRefused, match="held by another team"):
        moves.propose(other.id, EAST, "Not ours to move.")


def test_a_decline_says_why() -> None:
    move = PersonTransfer(team_id=NORTH, person_id="p", to_team_id=EAST, note="n", status=TransferStatus.DECLINED)
    assert [p.field for p in problems_with(move)] == ["decline_reason"]
    move.goes = ["sessions"]
    assert "goes" in [p.field for p in problems_with(move)]


def test_what_goes_takes_what_hangs_from_it() -> None:
    tables = moving_tables({"safety_plans", "missing_episodes", "consent_events"})
    assert {"safety_plan_versions", "plan_places", "return_home_interviews", "consent_acks"} <= tables
    assert not {"people", "sessions", "attendance", "case_notes", PersonTransfer.TABLE} & tables
    assert set(CAN_GO) <= set(POLICIES)


def test_a_declaration_naming_what_can_not_go_is_refused() -> None:
    @dataclass(slots=True, kw_only=True)
    class Moving(Record):
        TABLE: ClassVar[str] = "moves_checked"
        person_id: str = ""
        to_team_id: str = ""
        goes: list[str] | None = None
        status: str = ""
        proposed_by: str = ""
        answered_by: str = ""
        answered_at: str = ""
        decline_reason: str = ""

    rule = Transfers(SUPERVISORS, SUPERVISORS, frozenset({"no_such_records"}), frozenset({"first_name"}))
    with pytest.raises(ValueError, match="no_such_records"):
        declare(RecordPolicy(Moving, "moves", roles=STAFF, transfers=rule))
    assert Moving.TABLE not in POLICIES and Moving.TABLE not in RECORD_TYPES


def test_once_accepted_what_went_leaves_this_laptop_and_the_minimum_stays(supervisor: Profile) -> None:
    jay = _jay(supervisor)
    moves = TransferService(supervisor)
    move = moves.propose(jay.id, EAST, "Moving north with mum.")
    assert moves.apply_incoming() == 0  # still waiting: nothing leaves
    # What the pull brings once the receiving team accepted: the move, answered (the person's minimum comes too).
    supervisor.records.save(
        PersonTransfer(
            **{
                **{f: getattr(move, f) for f in PersonTransfer.field_names()},
                "status": TransferStatus.ACCEPTED.value,
                "answered_by": "u-tom",
            }
        )
    )
    gone = moves.apply_incoming()
    assert gone >= 3  # the RAG rating, the safety plan and its agreed version
    kept = supervisor.records.get(YoungPerson, jay.id)
    assert kept is not None
    assert (kept.first_name, kept.known_as, kept.area, kept.team_id) == ("Jay", "JJ", "Peckham", EAST)
    assert (kept.last_name, kept.phone, kept.rag, kept.active) == ("", "", None, False)
    assert supervisor.records.select(RagRating, "person_id = ?", (jay.id,)) == []
    assert supervisor.records.select(SafetyPlan, "person_id = ?", (jay.id,)) == []
    assert supervisor.records.select(SafetyPlanVersion, "person_id = ?", (jay.id,)) == []
    assert len(supervisor.records.select(CaseNote, "person_id = ?", (jay.id,))) == 1  # the team's own note stays
    assert moves.apply_incoming() == 0  # followed once
    export = SubjectAccess(supervisor).collect(jay.id)
    assert [m["id"] for m in export["subject_access_export"]["sections"]["person_transfers"]] == [move.id]
