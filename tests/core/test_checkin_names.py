"""A check-in names no one unless the young person chooses (issue 22 item 2), on the laptop.

Anonymous by default: no person id in the laptop's table or the outbox. A young person may put their name on theirs,
picking themself from the session's register (no one else). A named check-in is about them: in their subject access
export, erased with them, its name taken off when they are anonymised (the answers still count), carried by a merge;
the quarter's summary counts it like any other and shows no name.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from youthwork.domain.checkins import SessionCheckin
from youthwork.domain.records import Attendance, Session, YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.domain.weeks import Period
from youthwork.privacy.erasure import ErasureService, records_about
from youthwork.privacy.subject_access import SubjectAccess
from youthwork.reports.board import board_summary
from youthwork.services.merges import MergeService
from youthwork.services.outcomes import CheckinService, RegisterName
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile
from youthwork.store.settings import ROLE

STARTS = datetime(2026, 11, 24, 18, tzinfo=UTC)


def _session(profile: Profile) -> tuple[Session, YoungPerson, YoungPerson, YoungPerson]:
    people = PeopleService(profile)
    jay = people.add(YoungPerson(first_name="Jason", last_name="Okafor", known_as="Jay", area="Brenchley Gardens"))
    kai = people.add(YoungPerson(first_name="Kai", last_name="Mensah", area="Brenchley Gardens"))
    absent = people.add(YoungPerson(first_name="Ola", last_name="Bello", area="Brenchley Gardens"))
    session = profile.records.save(
        Session(session_type="kicks", area="Brenchley Gardens", starts_at=STARTS, ends_at=STARTS + timedelta(hours=2))
    )
    for p in (jay, kai):
        profile.records.save(Attendance(session_id=session.id, person_id=p.id))
    return session, jay, kai, absent


def _outbox(profile: Profile, record_id: str) -> dict[str, object]:
    rows = profile.db.query("SELECT fields FROM outbox WHERE tbl = 'session_checkins' AND record_id = ?", (record_id,))
    assert len(rows) == 1
    return json.loads(rows[0][0])


def test_anonymous_by_default_and_named_only_from_the_register(profile: Profile) -> None:
    session, jay, kai, absent = _session(profile)
    checkins = CheckinService(profile)
    assert checkins.register(session.id) == [RegisterName(jay.id, "Jay O."), RegisterName(kai.id, "Kai M.")]

    anonymous = checkins.record(session.id, "yes", "no", "indoors")
    assert anonymous.person_id == ""
    row = dict(profile.db.query("SELECT * FROM session_checkins WHERE id = ?", (anonymous.id,))[0])
    assert row["person_id"] == "" and row["session_id"] == session.id
    assert not _outbox(profile, anonymous.id).get("person_id")

    named = checkins.record(session.id, "not_sure", "yes", "", person_id=kai.id)
    assert profile.records.get(SessionCheckin, named.id).person_id == kai.id
    assert _outbox(profile, named.id)["person_id"] == kai.id
    # Not someone who wasn't there, nor anyone made up.
    for who in (absent.id, "someone-else"):
        with pytest.raises(ValidationError, match="on this session's register"):
            checkins.record(session.id, "yes", "yes", "", person_id=who)
    assert profile.records.count(SessionCheckin, "1 = 1", ()) == 2


def test_a_named_checkin_is_about_them_and_the_anonymous_one_about_no_one(profile: Profile) -> None:
    session, jay, kai, _ = _session(profile)
    checkins = CheckinService(profile)
    anonymous = checkins.record(session.id, "yes", "yes", "more_sessions")
    on_jay = checkins.record(session.id, "no", "not_sure", "safer_journey", person_id=jay.id)
    on_kai = checkins.record(session.id, "yes", "no", "indoors", person_id=kai.id)
    assert records_about(profile.db, jay.id)["session_checkins"] == {on_jay.id}
    export = SubjectAccess(profile).collect(jay.id)["subject_access_export"]["sections"]
    assert [c["id"] for c in export["session_checkins"]] == [on_jay.id]
    assert export["session_checkins"][0]["felt_safe"] == "no"

    # The quarter counts all three, by place and programme, and shows no name or person id.
    pack = board_summary(profile.db, Period.quarter_of(STARTS.date()), now=STARTS + timedelta(days=7))
    everyone = next(v for v in pack.voice if v.kind == "all")
    assert set(everyone.ids) == {anonymous.id, on_jay.id, on_kai.id} and everyone.felt_safe == 2
    voice = json.dumps(pack.to_dict()["young_peoples_voice"])
    assert all(s not in voice for s in (jay.id, kai.id, "Jason", "Jay", "Kai"))

    # Anonymising Kai takes his name off and keeps his answers; erasing Jay removes his.
    profile.set_setting(ROLE, "supervisor")
    erasure = ErasureService(profile)
    erasure.erase(kai.id, mode="anonymise", reason="request", confirm=True, wipe=False)
    kept = profile.records.get(SessionCheckin, on_kai.id)
    assert kept is not None and kept.person_id == ""
    assert (kept.felt_safe, kept.someone_to_talk, kept.would_help, kept.place) == (
        "yes",
        "no",
        "indoors",
        "Brenchley Gardens",
    )
    erasure.erase(jay.id, reason="request", confirm=True, wipe=False)
    assert profile.records.get(SessionCheckin, on_jay.id) is None
    assert profile.records.get(SessionCheckin, anonymous.id) is not None


def test_a_merge_carries_a_named_checkin_to_the_record_that_stays(profile: Profile) -> None:
    session, jay, _, _ = _session(profile)
    dup = PeopleService(profile).quick_add("Jay", "Brenchley Gardens", 15)
    profile.records.save(Attendance(session_id=session.id, person_id=dup.id))
    on_dup = CheckinService(profile).record(session.id, "yes", "yes", "", person_id=dup.id)
    MergeService(profile).merge(dup.id, jay.id, {}, reason="Same lad")
    assert profile.records.get(SessionCheckin, on_dup.id).person_id == jay.id
    export = SubjectAccess(profile).collect(jay.id)["subject_access_export"]["sections"]
    assert [c["id"] for c in export["session_checkins"]] == [on_dup.id]
