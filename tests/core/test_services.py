"""Use cases over a real encrypted profile."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from youthwork.domain import CaseNote, Session, ValidationError, YoungPerson
from youthwork.domain.records import RagRating
from youthwork.services import DraftService, NoteService, PeopleFilter, PeopleService, SessionService
from youthwork.store.errors import ReadOnlyRecord


@pytest.fixture
def people(profile):
    return PeopleService(profile)


def _person(**kw) -> YoungPerson:
    return YoungPerson(**({"first_name": "Jaylen", "last_name": "Okafor", "area": "Peckham"} | kw))


def test_add_get_update(people):
    p = people.add(_person(postcode="se15 5ab", date_of_birth=date(2010, 5, 1)))
    assert p.created_by == "worker-1" and p.team_id == "team-1" and p.postcode == "SE15 5AB"
    p.known_as = "JJ"
    people.update(p)
    assert people.get(p.id).known_as == "JJ"


def test_invalid_person_is_refused_with_reason(people):
    with pytest.raises(ValidationError, match="first name"):
        people.add(YoungPerson(first_name=" "))
    with pytest.raises(ValidationError, match="future"):
        people.add(_person(date_of_birth=date.today() + timedelta(days=3)))
    assert people.count(PeopleFilter()) == 0


def test_search_prefix_on_names_known_as_area_postcode(people):
    a = people.add(_person(known_as="Jay", postcode="SE15 5AB"))
    b = people.add(_person(first_name="Ruby", last_name="Adeyemi", area="Brixton", postcode="SW2 1AA"))
    people.add(_person(first_name="Kofi", last_name="Mensah", area="Walworth", known_as="K-Dot"))
    assert [p.id for p in people.search("jay")] == [a.id]
    assert [p.id for p in people.search("Oka")] == [a.id]
    assert [p.id for p in people.search("brix")] == [b.id]
    assert [p.id for p in people.search("SW2")] == [b.id]
    assert [p.id for p in people.search("ruby adey")] == [b.id]
    assert people.search("   ") == []
    assert people.search('"*)(') == []  # punctuation never reaches FTS as syntax
    a.first_name = "Jordan"
    people.update(a)  # the index follows edits
    assert [p.id for p in people.search("jord")] == [a.id]


def test_page_count_and_filters(people, profile):
    for i in range(30):
        people.add(
            _person(
                first_name=f"Name{i:02d}",
                area="Peckham" if i % 2 else "Brixton",
                risk_indicators=["cce"] if i % 3 == 0 else [],
                lead_worker_id="w2" if i < 5 else "",
            )
        )
    assert people.count(PeopleFilter()) == 30
    assert people.count(PeopleFilter(area="Brixton")) == 15
    assert people.count(PeopleFilter(risk_indicator="cce")) == 10
    assert people.count(PeopleFilter(lead_worker_id="w2", area="Brixton")) == 3
    assert people.count(PeopleFilter(text="name1")) == 10
    first = people.page(PeopleFilter(), 0, 10)
    second = people.page(PeopleFilter(), 10, 10)
    assert [r.first_name for r in first + second] == [f"Name{i:02d}" for i in range(20)]
    assert first[0].display_name == "Name00 Okafor"
    profile.set_setting("worker_names", {"w2": "Priya Shah"})
    assert people.page(PeopleFilter(lead_worker_id="w2"), 0, 1)[0].lead_worker == "Priya Shah"


def test_quick_add_is_marked_incomplete(people):
    p = people.quick_add("Dre Campbell", "Peckham", 15)
    assert (p.first_name, p.last_name, p.incomplete, p.estimated_age) == ("Dre", "Campbell", True, 15)
    assert p.age_on(date.today()) == 15


def test_possible_duplicates(people):
    dob = date(2009, 2, 3)
    a = people.add(_person(date_of_birth=dob, area="Elsewhere"))
    b = people.add(_person(first_name="Jaylon", area="Peckham"))
    people.add(_person(first_name="Zara", last_name="Khan", area="Peckham"))
    found = {p.id for p in people.possible_duplicates(_person(date_of_birth=dob, area="Peckham"))}
    assert found == {a.id, b.id}


def test_rag_rating_history_and_current(people, profile):
    p = people.add(_person())
    people.set_rag(p.id, "red", "Arrested again")
    people.set_rag(p.id, "amber", "Came to two sessions")
    with pytest.raises(ValidationError, match="why"):
        people.set_rag(p.id, "green", " ")
    assert people.get(p.id).rag == "amber"
    history = people.rag_history(p.id)
    assert [r.rating for r in history] == ["amber", "red"]
    assert history[0].set_by == "worker-1"
    history[0].reason = "rewritten"
    with pytest.raises(ReadOnlyRecord):
        profile.records.save(history[0])
    assert people.rag_history(p.id)[0].reason == "Came to two sessions"
    assert people.areas() == ["Peckham"]


def _session(**kw) -> Session:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    return Session(**({"starts_at": start, "ends_at": start + timedelta(hours=2), "area": "Peckham"} | kw))


def test_session_draft_register_and_submit(profile, people):
    sessions = SessionService(profile)
    a, b, c = (people.add(_person(first_name=n)) for n in ("Ade", "Bea", "Cal"))
    s = sessions.save_draft(_session(), [a.id, b.id, a.id])
    assert [p.first_name for p in sessions.register(s.id)] == ["Ade", "Bea"]
    sessions.save_draft(s, [b.id, c.id])
    assert [p.first_name for p in sessions.register(s.id)] == ["Bea", "Cal"]
    s2 = sessions.save_draft(_session(starts_at=None, ends_at=None), [])  # a draft may be incomplete
    with pytest.raises(ValidationError, match="started"):
        sessions.submit(s2.id)
    submitted = sessions.submit(s.id)
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    assert [x.id for x in sessions.for_person(c.id)] == [s.id]
    assert sessions.recent(0, 10)[0].id == s.id
    assert people.page(PeopleFilter(text="cal"), 0, 1)[0].last_seen == s.starts_at


def test_empty_register_without_headcount_cannot_be_submitted(profile):
    sessions = SessionService(profile)
    s = sessions.save_draft(_session(), [])
    with pytest.raises(ValidationError, match="register is empty"):
        sessions.submit(s.id)
    s.headcounts = {"male/14_15": 4}
    sessions.save_draft(s, [])
    assert sessions.submit(s.id).status == "submitted"


def test_only_a_draft_without_case_notes_can_be_discarded(profile, people):
    sessions = SessionService(profile)
    a = people.add(_person(first_name="Ade"))
    draft = sessions.save_draft(_session(), [a.id])
    with_note = sessions.save_draft(_session(), [a.id])
    NoteService(profile).add(a.id, "Asked about boxing.", session_id=with_note.id)
    submitted = sessions.save_draft(_session(), [a.id])
    sessions.submit(submitted.id)
    with pytest.raises(ValidationError, match="Only a draft"):
        sessions.discard_draft(submitted.id)
    with pytest.raises(ValidationError, match="Case notes"):
        sessions.discard_draft(with_note.id)
    sessions.discard_draft(draft.id)
    assert sessions.get(draft.id) is None and sessions.get(submitted.id) is not None
    assert {x.id for x in sessions.for_person(a.id)} == {with_note.id, submitted.id}
    outbox = profile.db.query("SELECT tbl, op FROM outbox WHERE record_id = ?", (draft.id,))
    assert ("sessions", "delete") in [tuple(r) for r in outbox]  # the service hears of it on the next sync


def test_session_end_before_start_is_refused(profile):
    s = _session()
    s.ends_at = s.starts_at - timedelta(minutes=5)
    with pytest.raises(ValidationError, match="ends before it starts"):
        SessionService(profile).save_draft(s, [])


def test_notes_are_append_only_and_amendments_point_back(profile, people):
    notes = NoteService(profile)
    p = people.add(_person())
    first = notes.add(p.id, "Seen near the shops, said he was fine.")
    fix = notes.amend(first.id, "Seen near the shops with older boys, said he was fine.")
    assert fix.corrects_id == first.id and fix.person_id == p.id
    assert [n.id for n in notes.for_person(p.id)] == [first.id, fix.id]
    first.text = "changed"
    with pytest.raises(ReadOnlyRecord):
        profile.records.save(first)
    with pytest.raises(ReadOnlyRecord):
        profile.records.delete(CaseNote, first.id)
    with pytest.raises(ReadOnlyRecord):
        profile.records.delete(RagRating, first.id)
    assert notes.get(first.id).text.startswith("Seen near the shops, said")
    with pytest.raises(ValidationError, match="empty"):
        notes.add(p.id, "   ")


def test_drafts_survive_closing_the_profile(profile_dir, profile):
    from tests.core.conftest import PASSPHRASE
    from youthwork.store.profile import Profile

    drafts = DraftService(profile)
    drafts.save("session:new", {"area": "Peckham", "register": ["a", "b"]})
    profile.close()
    with Profile.open(profile_dir, PASSPHRASE) as again:
        d = DraftService(again)
        assert d.load("session:new") == {"area": "Peckham", "register": ["a", "b"]}
        d.discard("session:new")
        assert d.load("session:new") is None


def test_risk_indicator_filter_follows_edits_and_deletes(people, profile):
    a = people.add(_person(risk_indicators=["cce", "missing"]))
    b = people.add(_person(first_name="Bea", risk_indicators=["missing"]))
    assert people.count(PeopleFilter(risk_indicator="missing")) == 2
    a.risk_indicators = ["weapon"]
    people.update(a)
    assert people.count(PeopleFilter(risk_indicator="missing")) == 1
    assert people.count(PeopleFilter(risk_indicator="cce")) == 0
    assert [r.id for r in people.page(PeopleFilter(risk_indicator="weapon"), 0, 10)] == [a.id]
    profile.records.delete(YoungPerson, b.id)
    assert people.count(PeopleFilter(risk_indicator="missing")) == 0


def test_text_pages_agree_whichever_plan_is_used(people, monkeypatch):
    from youthwork.services import people as people_module

    for i in range(12):
        people.add(_person(first_name=f"Ta{i:02d}", rag="red" if i % 2 else None))
    people.add(_person(first_name="Zed"))
    wanted = [f"Ta{i:02d}" for i in range(12)]
    few = [r.first_name for r in people.page(PeopleFilter(text="ta"), 0, 20)]
    monkeypatch.setattr(people_module, "MANY_MATCHES", 2)  # now "many": walk the name index instead
    many = [r.first_name for r in people.page(PeopleFilter(text="ta"), 0, 20)]
    assert few == many == wanted
    assert [r.first_name for r in people.page(PeopleFilter(text="ta", rag="red"), 2, 3)] == wanted[1::2][2:5]
    monkeypatch.setattr(people_module, "RANK_AT_MOST", 3)  # search: exact words first, then the rest
    people.add(_person(first_name="Ta"))
    found = [p.first_name for p in people.search("ta", limit=5)]
    assert found[0] == "Ta" and len(found) == 5
