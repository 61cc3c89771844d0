"""Peer groups on one laptop: the rules that keep them from becoming a gangs matrix, the group page's counts (hand
counted), the disproportionality check (hand counted), lapsing, erasure with the person and subject access."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from privacy_world import decrypted_bytes

from youthwork.domain.disproportion import monitor
from youthwork.domain.groups import GroupMembership, PeerGroup
from youthwork.domain.privacy import AccessReason, ErasureMode, ErasureReason
from youthwork.domain.records import Attendance, Session, YoungPerson
from youthwork.domain.validation import ValidationError
from youthwork.privacy.erasure import ErasureService
from youthwork.privacy.lapses import erase_lapsed
from youthwork.privacy.subject_access import SubjectAccess
from youthwork.security.audit import AuditTrail
from youthwork.services.groups import GroupService
from youthwork.store.profile import Profile

TODAY = date(2026, 6, 1)


def _person(profile: Profile, first: str, **kw) -> YoungPerson:
    return profile.records.save(YoungPerson(first_name=first, team_id="team-1", **kw))


def _group(profile: Profile, label: str = "Thursday cage lot") -> PeerGroup:
    return GroupService(profile).save_group(PeerGroup(label=label))


def _member(profile: Profile, group: PeerGroup, person: YoungPerson, role: str = "affected", **kw):
    kw.setdefault("recorded_on", TODAY - timedelta(days=10))
    return GroupService(profile).add_member(
        group.id, person.id, role=role, confidence="seen", source="seen at the cage", **kw
    )


def test_a_group_is_never_called_a_gang(profile: Profile) -> None:
    with pytest.raises(ValidationError, match="Don't call a group a gang"):
        _group(profile, "Brenchley Gang")
    with pytest.raises(ValidationError, match="own words"):
        _group(profile, "  ")
    assert _group(profile, "Gangway steps crew").label == "Gangway steps crew"  # a word, not the label


def test_a_membership_says_affected_or_causing_harm_and_is_reviewed_within_six_months(profile: Profile) -> None:
    g = _group(profile)
    kai = _person(profile, "Kai")
    groups = GroupService(profile)
    with pytest.raises(ValidationError, match="affected, causing harm, both"):
        groups.add_member(g.id, kai.id, role="", confidence="seen", source="seen")
    with pytest.raises(ValidationError, match="within six months"):
        _member(profile, g, kai, review_date=TODAY + timedelta(days=200))
    with pytest.raises(ValidationError, match="where this came from"):
        groups.add_member(g.id, kai.id, role="affected", confidence="seen", source=" ")
    m = _member(profile, g, kai)
    assert m.review_date == m.recorded_on + timedelta(days=183)
    assert m.recorded_by == "worker-1"


def test_the_group_page_counts_ages_roles_and_overlaps_by_hand(profile: Profile) -> None:
    cage = _group(profile, "Thursday cage lot")
    bus = _group(profile, "Route 36 back seats")
    # Ages on TODAY: 14 (14–15), 15 (14–15), 17 (16–17), and one with no age (not known).
    kai = _person(profile, "Kai", date_of_birth=date(2012, 1, 5))
    ria = _person(profile, "Ria", date_of_birth=date(2010, 12, 31))
    dev = _person(profile, "Dev", date_of_birth=date(2009, 3, 3))
    amo = _person(profile, "Amo")
    for p, role in ((kai, "affected"), (ria, "affected"), (dev, "causing_harm"), (amo, "not_known")):
        _member(profile, cage, p, role)
    _member(profile, bus, kai)
    _member(profile, bus, dev, "both")
    page = GroupService(profile).open(cage.id, TODAY)
    assert page.age_bands == {"14–15": 2, "16–17": 1, "Not known": 1}
    assert page.roles == {"affected": 2, "causing_harm": 1, "not_known": 1}
    assert [(o.group.label, o.shared) for o in page.overlaps] == [("Route 36 back seats", 2)]
    assert [m.name for m in page.members] == ["Amo", "Dev", "Kai", "Ria"]  # by name, never ranked
    entries = AuditTrail(profile).search()
    assert [(e.action, e.table_name, e.record_id) for e in entries if e.action == "viewed"] == [
        ("viewed", "peer_groups", cage.id)
    ]


def test_the_rag_and_risk_mix_needs_a_reason_which_is_audited(profile: Profile) -> None:
    g = _group(profile)
    _member(profile, g, _person(profile, "Kai", rag="red", risk_indicators=["cce", "missing"]))
    _member(profile, g, _person(profile, "Ria", rag="amber", risk_indicators=["cce"]))
    _member(profile, g, _person(profile, "Amo"))
    groups = GroupService(profile)
    with pytest.raises(ValidationError, match="Choose why"):
        groups.sensitive_mix(g.id, "curious")
    mix = groups.sensitive_mix(g.id, AccessReason.SUPERVISION)
    assert mix.rag == {"Red – still offending or at large": 1, "Amber – engaging to some extent": 1, "Not rated": 1}
    assert mix.risks == {"Criminal exploitation / county lines": 2, "Missing episodes": 1}
    glass = [e for e in AuditTrail(profile).search() if e.action == "break_glass"]
    assert [(e.table_name, e.record_id, e.reason) for e in glass] == [("peer_groups", g.id, "supervision")]


def test_disproportionality_by_hand() -> None:
    # Reached: 10 young people: 4 Black boys, 4 White boys, 2 White girls. Linked: 3 Black boys, 1 White boy.
    reached = [("black_caribbean", "male")] * 2 + [("black_african", "male")] * 2
    reached += [("white_british", "male")] * 4 + [("white_irish", "female")] * 2
    linked = [("black_caribbean", "male"), ("black_african", "male"), ("black_african", "male")]
    linked += [("white_british", "male")]
    cells = {(c.ethnic_group, c.gender): c for c in monitor(linked, reached)}
    black = cells[("Black", "Male")]
    # 3 of 4 linked (75%) against 4 of 10 reached (40%): a ratio of 1.875, flagged.
    assert (black.linked, black.reached, black.linked_share, black.reached_share) == (3, 4, 0.75, 0.4)
    assert black.ratio == pytest.approx(1.875) and black.flagged
    white = cells[("White", "Male")]
    assert (white.linked, white.reached, white.ratio, white.flagged) == (1, 4, pytest.approx(0.625), False)
    girls = cells[("White", "Female")]
    assert (girls.linked, girls.reached, girls.ratio, girls.flagged) == (0, 2, 0.0, False)


def test_disproportionality_from_the_store(profile: Profile) -> None:
    g = _group(profile)
    s = profile.records.save(Session(team_id="team-1", starts_at=datetime(2026, 5, 1, 18, tzinfo=UTC)))
    people = [
        _person(profile, f"P{i}", ethnicity=eth, gender=gen)
        for i, (eth, gen) in enumerate(
            [("black_african", "male")] * 3 + [("white_british", "male")] * 3 + [("white_british", "female")] * 2
        )
    ]
    for p in people:
        profile.records.save(Attendance(session_id=s.id, person_id=p.id, team_id="team-1"))
    old = profile.records.save(Session(team_id="team-1", starts_at=datetime(2024, 5, 1, 18, tzinfo=UTC)))
    gone = _person(profile, "Old", ethnicity="white_british", gender="male")  # seen two years ago: not reached
    profile.records.save(Attendance(session_id=old.id, person_id=gone.id, team_id="team-1"))
    for p in people[:2]:
        _member(profile, g, p)
    cells = {(c.ethnic_group, c.gender): c for c in GroupService(profile).disproportionality(TODAY)}
    assert (cells[("Black", "Male")].linked, cells[("Black", "Male")].reached) == (2, 3)
    assert (cells[("White", "Male")].linked, cells[("White", "Male")].reached) == (0, 3)
    assert cells[("Black", "Male")].ratio == pytest.approx(1.0 / (3 / 8))
    assert cells[("Black", "Male")].flagged


def test_a_membership_past_its_review_date_is_erased_not_hidden(profile: Profile) -> None:
    g = _group(profile)
    kai, ria = _person(profile, "Kai"), _person(profile, "Ria")
    old = _member(profile, g, kai, review_date=TODAY + timedelta(days=5), own_account="Zanzibar-account-text")
    keep = _member(profile, g, ria, review_date=TODAY + timedelta(days=60))
    # As if it had reached the service: its deletion must be sent.
    profile.db.execute("UPDATE group_memberships SET _server_version = 3 WHERE id = ?", (old.id,))
    assert erase_lapsed(profile, TODAY + timedelta(days=5)) == 0  # lapses after the review day, not on it
    assert erase_lapsed(profile, TODAY + timedelta(days=6)) == 1
    assert profile.records.get(GroupMembership, old.id) is None
    assert profile.records.get(GroupMembership, keep.id) is not None
    queued = [(e.op, e.record_id) for e in profile.outbox.pending() if e.table == "group_memberships"]
    assert ("delete", old.id) in queued and ("upsert", old.id) not in queued
    assert not any(e.record_id == old.id and e.op == "upsert" for e in profile.outbox.pending())
    assert b"Zanzibar-account-text" not in decrypted_bytes(profile.db_path, profile._key)
    erased = [e for e in AuditTrail(profile).search() if e.action == "erased"]
    assert [(e.record_id, e.reason) for e in erased] == [(old.id, "lapsed")]


def test_renewing_keeps_a_membership(profile: Profile) -> None:
    g = _group(profile)
    m = _member(profile, g, _person(profile, "Kai"), review_date=TODAY + timedelta(days=5))
    renewed = GroupService(profile).renew(m.id, today=TODAY + timedelta(days=4))
    assert renewed.review_date == TODAY + timedelta(days=4 + 183)
    assert erase_lapsed(profile, TODAY + timedelta(days=30)) == 0


def test_a_membership_is_erased_with_the_person_and_in_their_subject_access_export(profile: Profile) -> None:
    g = _group(profile)
    kai, ria = _person(profile, "Kai"), _person(profile, "Ria")
    mk = _member(profile, g, kai, own_account="I just play football there")
    mr = _member(profile, g, ria)
    sar = SubjectAccess(profile).collect(kai.id)["subject_access_export"]["sections"]
    assert [m["id"] for m in sar["group_memberships"]] == [mk.id]
    assert sar["group_memberships"][0]["group"] == {"label": "Thursday cage lot"}
    assert sar["group_memberships"][0]["own_account"] == "I just play football there"
    ErasureService(profile).erase(kai.id, mode=ErasureMode.ERASE, reason=ErasureReason.REQUEST, confirm=True)
    assert profile.records.get(GroupMembership, mk.id) is None
    assert profile.records.get(GroupMembership, mr.id) is not None
    assert profile.records.get(PeerGroup, g.id) is not None  # the group is not about Kai


def test_the_context_conference_pack_names_no_child(profile: Profile) -> None:
    from youthwork.services.context_plans import REDACTED, ContextPlanService

    g = GroupService(profile).save_group(
        PeerGroup(label="Thursday cage lot", description="Kai and his cousins meet after school")
    )
    kai = _person(profile, "Kai", last_name="Mensah", date_of_birth=date(2011, 3, 1))
    dre = _person(profile, "Dre", last_name="Lawson", known_as="DJ")
    _member(profile, g, kai)
    _member(profile, g, dre, "causing_harm")
    plans = ContextPlanService(profile)
    plan = plans.new_for_group(g.id)
    plan.concern = "Older men approach Dre and kai at the cage after dark.\nDJ was seen getting into a car."
    plan.partners = [{"name": "Brenchley Housing", "kind": "housing", "responsible_for": "the cage lighting"}]
    plan.actions = [{"action": "Fix the floodlights near Mensah's block", "who": "Brenchley Housing", "by_when": ""}]
    plan.review_date = date.today() + timedelta(days=28)
    plans.agree(plan)
    text = plans.pack(g.id, TODAY).text()
    for name in ("Kai", "kai", "Mensah", "Dre", "Lawson", "DJ"):
        assert name not in text, name
    assert f"Older men approach {REDACTED} and {REDACTED} at the cage after dark." in text
    assert "Young people known to be linked: 2." in text
    assert "Affected (being harmed or drawn in): 1" in text and "Causing harm: 1" in text
    assert "Brenchley Housing — Housing — the cage lighting" in text
    assert "- 14–15: 1" in text and "- Not known: 1" in text  # ages as bands, counted


def test_the_demo_has_two_small_groups_and_a_context_plan(profile: Profile) -> None:
    from youthwork.demo_data import generate

    counts = generate(profile, people=200, weeks=2, seed=3)
    assert (counts["peer_groups"], counts["group_memberships"], counts["context_plans"]) == (2, 7, 1)
    summaries = GroupService(profile).groups()
    assert sorted((s.group.label, s.members) for s in summaries) == [
        ("Route 36 back seats", 3),
        ("Thursday cage lot", 4),
    ]
    cage = next(s.group for s in summaries if s.group.label == "Thursday cage lot")
    page = GroupService(profile).open(cage.id)
    assert set(page.roles) == {"affected", "causing_harm", "both", "not_known"}
    assert [(o.group.label, o.shared) for o in page.overlaps] == [("Route 36 back seats", 1)]
    assert [name for _pid, name in page.places] == ["Block D cage, Harlow Fields", "Rye Parade chicken shop"]
