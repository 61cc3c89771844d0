"""Context safety plans (Level 2) for a peer group or a place: write, agree (a kept version), review, compare two
versions; and the context conference pack, which names no child.

Agreeing writes an append-only ContextPlanVersion with the working copy's new state, in one transaction, as a young
person's safety plan does (youthwork.services.plans). The pack is built from the group's or place's own words, with
counts only (a place's: its use and the signals of harm there over the last weeks, as on its page, never who was
there); any young person's name on this laptop that a worker typed into the plan is taken out before it is printed or
shared.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from youthwork.domain.context_plans import CONTENT_FIELDS, ContextPlan, ContextPlanVersion, PartnerKind
from youthwork.domain.groups import MembershipRole, PeerGroup
from youthwork.domain.places import Place, PlaceKind
from youthwork.domain.privacy import AuditAction
from youthwork.domain.safety_plans import PlanStatus
from youthwork.domain.validation import Problem, ValidationError, check, problems_with
from youthwork.domain.vocab import Vocab
from youthwork.domain.weeks import IsoWeek
from youthwork.reports.places import place_page, weeks_ending
from youthwork.security.audit import AuditTrail
from youthwork.security.exports import record_export
from youthwork.services.groups import GroupService
from youthwork.services.plans import FieldChange, diff
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

REDACTED = "[a young person]"
PACK_WEEKS = 13  # a place's pack counts its last quarter, as its page shows by default


@dataclass(frozen=True, slots=True)
class Pack:
    """The context conference pack: about the context, never about a named child."""

    title: str
    subtitle: str
    sections: list[tuple[str, list[str]]]  # (heading, lines)

    def text(self) -> str:
        parts = [self.title, self.subtitle]
        for heading, lines in self.sections:
            parts.append("")
            parts.append(heading)
            parts += [f"- {line}" for line in lines]
        return "\n".join(parts)


class ContextPlanService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records
        self._audit = AuditTrail(profile)

    def new_for_group(self, group_id: str) -> ContextPlan:
        group = self._repo.get(PeerGroup, group_id)
        if group is None:
            raise ValidationError([Problem("group_id", "That group is not on this laptop.")])
        return ContextPlan(
            group_id=group.id,
            title=f"Context plan: {group.label}",
            team_id=group.team_id or self._profile.team_id,
            created_by=self._profile.user_id,
        )

    def new_for_place(self, place_id: str) -> ContextPlan:
        place = self._repo.get(Place, place_id)
        if place is None:
            raise ValidationError([Problem("place_id", "That place is not on this laptop.")])
        return ContextPlan(
            place_id=place.id,
            title=f"Context plan: {place.name}",
            team_id=place.team_id or self._profile.team_id,
            created_by=self._profile.user_id,
        )

    def for_group(self, group_id: str) -> list[ContextPlan]:
        if not group_id:  # a place's plan has no group: it is not every group's
            return []
        return self._repo.select(ContextPlan, "group_id = ?", (group_id,), order="created_at DESC, id DESC")

    def for_place(self, place_id: str) -> list[ContextPlan]:
        if not place_id:
            return []
        return self._repo.select(ContextPlan, "place_id = ?", (place_id,), order="created_at DESC, id DESC")

    def current(self, *, group_id: str = "", place_id: str = "") -> ContextPlan | None:
        """The group's or place's plan still in use (the latest not closed), or None."""
        plans = self.for_group(group_id) if group_id else self.for_place(place_id)
        return next((p for p in plans if p.status != PlanStatus.CLOSED), None)

    def current_or_new(self, *, group_id: str = "", place_id: str = "") -> ContextPlan:
        """The plan to edit: the one in use, or a new draft (not yet saved)."""
        plan = self.current(group_id=group_id, place_id=place_id)
        if plan is not None:
            return plan
        return self.new_for_group(group_id) if group_id else self.new_for_place(place_id)

    def get(self, plan_id: str) -> ContextPlan | None:
        return self._repo.get(ContextPlan, plan_id)

    def save(self, plan: ContextPlan) -> ContextPlan:
        old = self._repo.get(ContextPlan, plan.id)
        if old is not None and old.status == PlanStatus.CLOSED:
            raise ValidationError([Problem("status", "This plan is closed. Start a new plan instead.")])
        plan.status = old.status if old is not None else PlanStatus.DRAFT.value
        _tidy(plan)
        check(plan)
        with self._profile.transaction():
            saved = self._repo.save(plan)
            self._audit.record(AuditAction.CHANGED, ContextPlan.TABLE, plan.id, reason="context_plan_saved")
        return saved

    def agree(self, plan: ContextPlan, change_note: str = "") -> ContextPlanVersion:
        """Agree the plan (at a context conference, say): keeps this state as a new version."""
        old = self._repo.get(ContextPlan, plan.id)
        if old is not None and old.status == PlanStatus.CLOSED:
            raise ValidationError([Problem("status", "This plan is closed. Start a new plan instead.")])
        _tidy(plan)
        first = old is None or old.status == PlanStatus.DRAFT or not plan.current_version_id
        status = PlanStatus.AGREED if first else PlanStatus.REVIEWED
        if plan.review_date is not None and plan.review_date < date.today():
            raise ValidationError([Problem("review_date", "The review date has passed: choose a date from today on.")])
        number = 1 + max((v.number for v in self.versions(plan.id)), default=0)
        by = self._profile.user_id
        version = ContextPlanVersion(
            plan_id=plan.id,
            team_id=plan.team_id or self._profile.team_id,
            created_by=by,
            agreed_by=by,
            number=number,
            based_on_version_id=plan.current_version_id,
            status=status.value,
            change_note=change_note.strip(),
            **copy.deepcopy(plan.content()),
        )
        if problems := problems_with(version):
            raise ValidationError(problems)
        plan.status = status.value
        plan.current_version_id = version.id
        plan.agreed_at = version.agreed_at
        plan.team_id = version.team_id
        check(plan)
        with self._profile.transaction():
            self._repo.save(plan)  # before its version: the service takes a record only after what it links to
            self._repo.save(version)
            self._audit.record(AuditAction.CHANGED, ContextPlan.TABLE, plan.id, reason=f"context_plan_{status.value}")
        return version

    def versions(self, plan_id: str) -> list[ContextPlanVersion]:
        return self._repo.select(ContextPlanVersion, "plan_id = ?", (plan_id,), order="number, agreed_at, id")

    def compare(self, older_id: str, newer_id: str) -> list[FieldChange]:
        """What changed between two kept versions, part by part."""
        a = self._repo.get(ContextPlanVersion, older_id)
        b = self._repo.get(ContextPlanVersion, newer_id)
        if a is None or b is None:
            raise ValidationError([Problem("version", "One of those plan versions is not on this laptop.")])
        return diff(a.content(), b.content(), CONTENT_FIELDS)

    # ---- the context conference pack ----------------------------------------------------------------------------

    def pack(self, group_id: str, today: date | None = None) -> Pack:
        """The pack for a group's context conference: the group, its places, counts, and its latest plan."""
        today = today or date.today()
        page = GroupService(self._profile).open(group_id, today)
        group = page.group
        clean = self._redactor()
        about = [clean(group.description)] if group.description else []
        about.append(f"Young people known to be linked: {len(page.members)}.")
        roles = [f"{MembershipRole(r).label}: {n}" for r in MembershipRole if (n := page.roles.get(r.value, 0))]
        sections: list[tuple[str, list[str]]] = [("The group", about + roles)]
        if page.age_bands:
            sections.append(("Ages", [f"{band}: {n}" for band, n in page.age_bands.items()]))
        if page.places:
            sections.append(("Places they are seen", [name for _pid, name in page.places]))
        return _pack(group.label, sections, self.current(group_id=group_id), today, clean)

    def place_pack(self, place_id: str, today: date | None = None) -> Pack:
        """The pack for a place's context conference: the place, its use and the signals of harm there over the last
        weeks (counts, as on its page), where the young people seen there live (counts by area), and its latest plan.
        Never who was there, and never the peer groups seen there (they stay with the team)."""
        today = today or date.today()
        place = self._repo.get(Place, place_id)
        if place is None:
            raise ValidationError([Problem("place_id", "That place is not on this laptop.")])
        clean = self._redactor()
        about = [f"{_label(PlaceKind, place.kind)}."]
        if place.ward:
            about.append(f"{clean(place.ward)} ward.")
        if place.description:
            about.append(clean(place.description))
        weeks = weeks_ending(IsoWeek.containing(today), PACK_WEEKS)
        page = place_page(self._profile.db, place, weeks)
        t = page.totals()
        hours = f"{t.hours:.1f}".removesuffix(".0")
        use = [
            f"Sessions here: {t.sessions} ({hours} hours).",
            f"Young people counted without names: {t.headcount}; on registers: {t.named}.",
            f"Safeguarding concerns: {t.concerns}. Incidents: {t.incidents}.",
            f"Police NFAs for arrests here: {t.nfas}. Referrals naming it: {t.referrals}.",
            f"Current safety plans naming it as a place to avoid: {page.plans.get('avoid', 0)}; "
            f"as safe: {page.plans.get('safe', 0)}.",
        ]
        first, last = weeks[0].monday, weeks[-1].sunday
        sections: list[tuple[str, list[str]]] = [
            ("The place", about),
            (f"The last {PACK_WEEKS} weeks ({_long(first)} to {_long(last)})", use),
        ]
        if page.estate_totals:
            sections.append(
                (
                    "Where the young people seen here live",
                    [f"{clean(area) if area else 'Not recorded'}: {n}" for area, n in page.estate_totals.items()],
                )
            )
        return _pack(place.name, sections, self.current(place_id=place_id), today, clean)

    def record_printed(self, group_id: str = "", path: Path | None = None, *, place_id: str = "") -> None:
        """A group's or place's pack was printed (written as a PDF at `path`): audited, and the file recorded for a
        remote wipe."""
        table, record_id = (PeerGroup.TABLE, group_id) if group_id else (Place.TABLE, place_id)
        self._audit.record(AuditAction.PRINTED, table, record_id, reason="context_pack_printed")
        if path is not None:
            record_export(self._profile, path)

    def _redactor(self) -> _Redactor:
        return _Redactor(self._names())

    def _names(self) -> set[str]:
        names: set[str] = set()
        for row in self._profile.db.query("SELECT first_name, last_name, known_as FROM people"):
            names |= {str(n).strip() for n in row if n and len(str(n).strip()) >= 2}
        return names


class _Redactor:
    """Takes any young person's name (first, last, known as) out of free text, whole words, any case."""

    def __init__(self, names: set[str]) -> None:
        ordered = sorted(names, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)", re.IGNORECASE)
            if ordered
            else None
        )

    def __call__(self, text: str) -> str:
        return self._pattern.sub(REDACTED, text) if self._pattern else text


def _pack(
    label: str, about: list[tuple[str, list[str]]], plan: ContextPlan | None, today: date, clean: _Redactor
) -> Pack:
    """One pack for a group or a place: what is known of the context, then its plan, with names taken out."""
    sections = list(about)
    if plan is not None:
        if plan.concern:
            sections.append(("The concern", [clean(line) for line in plan.concern.splitlines() if line.strip()]))
        if plan.partners:
            sections.append(
                (
                    "Partners responsible for the context",
                    [
                        " — ".join(
                            x
                            for x in (
                                clean(p.get("name", "")),
                                _label(PartnerKind, p.get("kind", "")),
                                clean(p.get("responsible_for", "")),
                            )
                            if x
                        )
                        for p in plan.partners
                    ],
                )
            )
        if plan.actions:
            sections.append(("Actions", [_action(a, clean) for a in plan.actions]))
        if plan.review_date:
            sections.append(("Review", [f"This plan is reviewed on {_long(plan.review_date)}."]))
    subtitle = f"Context conference pack, {_long(today)}. About a context: no child is named in it."
    return Pack(clean(label), subtitle, sections)


def _label(vocab: type[Vocab], code: str) -> str:
    try:
        return vocab(code).label if code else ""
    except ValueError:
        return ""


def _action(a: dict[str, str], clean: _Redactor) -> str:
    bits = [clean(a.get("action", ""))]
    if a.get("who"):
        bits.append(f"who: {clean(a['who'])}")
    if a.get("by_when"):
        try:
            bits.append(f"by {_long(date.fromisoformat(a['by_when']))}")
        except ValueError:
            bits.append(f"by {a['by_when']}")
    return " — ".join(bits)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _tidy(plan: ContextPlan) -> None:
    plan.concern = plan.concern.strip()
    plan.title = plan.title.strip()
    for name in ("partners", "actions"):
        rows = [{k: str(v).strip() for k, v in row.items()} for row in getattr(plan, name)]
        setattr(plan, name, [r for r in rows if any(r.values())])
