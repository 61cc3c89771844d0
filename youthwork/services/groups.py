"""Peer groups as a use case: record a group and who is in it, renew or end a membership, open the group page,
share its context conference pack, and the supervisor's disproportionality check.

Every look at a group is an audit entry ("viewed"); its members' RAG and risk-indicator mix is shown only after a
reason is given ("break_glass"). A membership past its review date is erased before anything is read
(youthwork.privacy.lapses), so no screen ever shows a lapsed one.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from youthwork.domain.disproportion import Cell, monitor
from youthwork.domain.groups import (
    MEMBERSHIP_REVIEW_DAYS,
    GroupMembership,
    GroupShare,
    GroupStatus,
    PeerGroup,
)
from youthwork.domain.privacy import AccessReason, AuditAction
from youthwork.domain.records import YoungPerson
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.domain.vocab import AgeBand, Rag, RiskIndicator
from youthwork.privacy.erasure import local_tables
from youthwork.privacy.lapses import erase_lapsed
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile
from youthwork.store.settings import AGENCY_TEAMS

log = logging.getLogger(__name__)

REACHED_DAYS = 365  # "the young people the team reaches": on a register in the last year
NOT_ON_LAPTOP = "(not on this laptop)"


@dataclass(frozen=True, slots=True)
class Member:
    membership: GroupMembership
    name: str


@dataclass(frozen=True, slots=True)
class Overlap:
    group: PeerGroup
    shared: int  # young people in both groups


@dataclass(frozen=True, slots=True)
class GroupSummary:
    group: PeerGroup
    members: int


@dataclass(slots=True)
class GroupPage:
    group: PeerGroup
    members: list[Member]
    age_bands: dict[str, int]  # AgeBand label -> young people, in the bands' order
    places: list[tuple[str, str]]  # (place id, name)
    overlaps: list[Overlap]
    roles: dict[str, int] = field(default_factory=dict)  # membership role -> count


@dataclass(frozen=True, slots=True)
class SensitiveMix:
    rag: dict[str, int]  # Rag label (or "Not rated") -> young people
    risks: dict[str, int]  # RiskIndicator label -> young people with it


class GroupService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records
        self._audit = AuditTrail(profile)

    # ---- groups -------------------------------------------------------------------------------------------------

    def groups(self, today: date | None = None) -> list[GroupSummary]:
        """Active groups by name, with how many current members each has."""
        erase_lapsed(self._profile, today)
        counts = dict(
            self._profile.db.query("SELECT group_id, COUNT(DISTINCT person_id) FROM group_memberships GROUP BY 1")
        )
        groups = self._repo.select(PeerGroup, "status = 'active'", order="label COLLATE NOCASE, id")
        return [GroupSummary(g, int(counts.get(g.id, 0))) for g in groups]

    def save_group(self, group: PeerGroup) -> PeerGroup:
        group.label = group.label.strip()
        group.description = group.description.strip()
        group.team_id = group.team_id or self._profile.team_id
        group.created_by = group.created_by or self._profile.user_id
        group.place_ids = list(dict.fromkeys(p for p in group.place_ids if p))
        check(group)
        with self._profile.transaction():
            saved = self._repo.save(group)
            self._audit.record(AuditAction.CHANGED, PeerGroup.TABLE, group.id, reason="group_saved")
        return saved

    # ---- memberships --------------------------------------------------------------------------------------------

    def add_member(
        self,
        group_id: str,
        person_id: str,
        *,
        role: str,
        confidence: str,
        source: str,
        own_account: str = "",
        review_date: date | None = None,
        recorded_on: date | None = None,
    ) -> GroupMembership:
        """Record that a young person is in the group. The review date defaults to the longest allowed."""
        group = self._group(group_id)
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise ValidationError([Problem("person_id", "That young person is not on this laptop.")])
        already = self._repo.select(GroupMembership, "group_id = ? AND person_id = ?", (group_id, person_id))
        if already:
            raise ValidationError(
                [Problem("person_id", f"{person.display_name} is already in this group: renew or change that.")]
            )
        recorded_on = recorded_on or date.today()
        m = GroupMembership(
            group_id=group.id,
            person_id=person.id,
            team_id=group.team_id or self._profile.team_id,
            created_by=self._profile.user_id,
            recorded_by=self._profile.user_id,
            recorded_on=recorded_on,
            role=role,
            confidence=confidence,
            source=source.strip(),
            own_account=own_account.strip(),
            review_date=review_date or recorded_on + timedelta(days=MEMBERSHIP_REVIEW_DAYS),
        )
        check(m)
        with self._profile.transaction():
            self._repo.save(m)
            self._audit.record(
                AuditAction.CHANGED, GroupMembership.TABLE, m.id, person_id=person.id, reason="membership_added"
            )
        return m

    def renew(self, membership_id: str, review_date: date | None = None, today: date | None = None) -> GroupMembership:
        """Reviewed and still stands: recorded again today, with a new review date."""
        today = today or date.today()
        m = self._membership(membership_id)
        m.recorded_on = today
        m.recorded_by = self._profile.user_id
        m.review_date = review_date or today + timedelta(days=MEMBERSHIP_REVIEW_DAYS)
        check(m)
        with self._profile.transaction():
            self._repo.save(m)
            self._audit.record(
                AuditAction.CHANGED, GroupMembership.TABLE, m.id, person_id=m.person_id, reason="membership_renewed"
            )
        return m

    def end(self, membership_id: str) -> None:
        """No longer stands: the membership is erased (on the service too, at the next sync), not marked ended."""
        m = self._membership(membership_id)
        with self._profile.transaction():
            self._repo.delete(GroupMembership, m.id)
            self._audit.record(
                AuditAction.ERASED, GroupMembership.TABLE, m.id, person_id=m.person_id, reason="membership_ended"
            )

    # ---- the group page -----------------------------------------------------------------------------------------

    def open(self, group_id: str, today: date | None = None) -> GroupPage:
        """What the group page shows (audited as viewed): members, their age bands, places, overlapping groups."""
        today = today or date.today()
        erase_lapsed(self._profile, today)
        group = self._group(group_id)
        self._audit.record(AuditAction.VIEWED, PeerGroup.TABLE, group.id)
        memberships = self._repo.select(GroupMembership, "group_id = ?", (group_id,))
        people = {m.person_id: self._repo.get(YoungPerson, m.person_id) for m in memberships}
        members = sorted(
            (Member(m, p.display_name if (p := people[m.person_id]) else NOT_ON_LAPTOP) for m in memberships),
            key=lambda x: (x.name.casefold(), x.membership.id),  # by name: a list, never a ranking
        )
        bands = Counter(AgeBand.for_age(p.age_on(today) if p else None).label for p in people.values())
        age_bands = {b.label: bands[b.label] for b in AgeBand if bands.get(b.label)}
        roles = Counter(m.role for m in memberships)
        return GroupPage(group, members, age_bands, self._places(group.place_ids), self._overlaps(group), dict(roles))

    def sensitive_mix(self, group_id: str, reason: AccessReason | str) -> SensitiveMix:
        """The members' RAG ratings and risk indicators, counted: shown only with a reason, which is audited."""
        try:
            code = AccessReason(reason)
        except ValueError:
            raise ValidationError(
                [Problem("reason", "Choose why you need to see these details before they are shown.")]
            ) from None
        group = self._group(group_id)
        self._audit.record(AuditAction.BREAK_GLASS, PeerGroup.TABLE, group.id, reason=code.value)
        rag: Counter[str] = Counter()
        risks: Counter[str] = Counter()
        for m in self._repo.select(GroupMembership, "group_id = ?", (group_id,)):
            p = self._repo.get(YoungPerson, m.person_id)
            if p is None:
                continue
            rag[_rag_label(p.rag)] += 1
            for code_ in set(p.risk_indicators):
                risks[_risk_label(code_)] += 1
        order = [r.label for r in Rag] + ["Not rated"]
        return SensitiveMix(
            {k: rag[k] for k in order if rag.get(k)}, {k: risks[k] for k in sorted(risks, key=str.casefold)}
        )

    def _places(self, place_ids: list[str]) -> list[tuple[str, str]]:
        if not place_ids:
            return []
        names: dict[str, str] = {}
        if "places" in local_tables(self._profile.db):
            marks = ",".join("?" * len(place_ids))
            names = dict(self._profile.db.query(f"SELECT id, name FROM places WHERE id IN ({marks})", place_ids))
        return [(pid, names.get(pid, NOT_ON_LAPTOP)) for pid in place_ids]

    def _overlaps(self, group: PeerGroup) -> list[Overlap]:
        rows = self._profile.db.query(
            "SELECT b.group_id, COUNT(DISTINCT b.person_id) FROM group_memberships a "
            "JOIN group_memberships b ON a.person_id = b.person_id AND b.group_id != a.group_id "
            "WHERE a.group_id = ? GROUP BY b.group_id",
            (group.id,),
        )
        out = []
        for gid, shared in rows:
            g = self._repo.get(PeerGroup, gid)
            if g is not None and g.status == GroupStatus.ACTIVE:
                out.append(Overlap(g, int(shared)))
        return sorted(out, key=lambda o: (o.group.label.casefold(), o.group.id))

    # ---- sharing ------------------------------------------------------------------------------------------------

    def share(self, group_id: str, to_agency: str, reason: str, pack_text: str, to_team_id: str = "") -> GroupShare:
        """Send the group's context conference pack to a TYS team or the IGT: an explicit, recorded share.

        Only the pack's text goes (no child named); never the memberships. The service checks the receiving team is
        of a kind that receives it."""
        group = self._group(group_id)
        share = GroupShare(
            group_id=group.id,
            team_id=group.team_id or self._profile.team_id,
            created_by=self._profile.user_id,
            shared_by=self._profile.user_id,
            to_agency=to_agency,
            # The team this laptop knows receives for the agency; if none, the service picks its one team of that kind.
            to_team_id=to_team_id or str((self._profile.get_setting(AGENCY_TEAMS) or {}).get(to_agency, "")),
            reason=reason.strip(),
            pack_text=pack_text,
        )
        check(share)
        with self._profile.transaction():
            self._repo.save(share)
            self._audit.record(AuditAction.SHARED, PeerGroup.TABLE, group.id, reason=f"pack_to_{to_agency}")
        return share

    def shares(self, group_id: str) -> list[GroupShare]:
        return self._repo.select(GroupShare, "group_id = ?", (group_id,), order="created_at, id")

    def received(self) -> list[GroupShare]:
        """Packs other teams shared with this team (the pack's text only: no child named, no memberships)."""
        return self._repo.select(GroupShare, "team_id != ?", (self._profile.team_id,), order="created_at DESC, id")

    # ---- the supervisor's check ---------------------------------------------------------------------------------

    def disproportionality(self, today: date | None = None) -> list[Cell]:
        """Ethnicity × gender of young people linked to any group, against those the team reached in the last year."""
        today = today or date.today()
        erase_lapsed(self._profile, today)
        db = self._profile.db
        linked = db.query(
            "SELECT p.ethnicity, p.gender FROM people p WHERE p.id IN (SELECT person_id FROM group_memberships)"
        )
        since = (today - timedelta(days=REACHED_DAYS)).isoformat()
        reached = db.query(
            "SELECT p.ethnicity, p.gender FROM people p WHERE p.id IN ("
            " SELECT a.person_id FROM attendance a JOIN sessions s ON s.id = a.session_id WHERE s.starts_at >= ?"
            " UNION SELECT person_id FROM group_memberships)",
            (since,),
        )
        return monitor([(e, g) for e, g in linked], [(e, g) for e, g in reached])

    # ---- helpers ------------------------------------------------------------------------------------------------

    def _group(self, group_id: str) -> PeerGroup:
        group = self._repo.get(PeerGroup, group_id)
        if group is None:
            raise ValidationError([Problem("group_id", "That group is not on this laptop.")])
        return group

    def _membership(self, membership_id: str) -> GroupMembership:
        m = self._repo.get(GroupMembership, membership_id)
        if m is None:
            raise ValidationError([Problem("id", "That membership is not on this laptop (it may have lapsed).")])
        return m


def _rag_label(code: str | None) -> str:
    try:
        return Rag(code).label if code else "Not rated"
    except ValueError:
        return "Not rated"


def _risk_label(code: str) -> str:
    try:
        return RiskIndicator(code).label
    except ValueError:
        return code
