"""A young person's chronology: everything recorded about them, in time order, filterable by kind.

Each kind of entry is a source in `KINDS`, registered with `register_kind(key, label, load)`: a record type added
later (missing episodes, joint visits, places...) adds itself with one call from its own service module, which
`youthwork.services` imports. A source reads only this laptop's store and returns `Entry`s; details that are special
category or criminal-offence data are marked `restricted`, for the screen to hide until the worker needs them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from youthwork.domain.circumstances import (
    CRIMINAL_CIRCUMSTANCES,
    SPECIAL_CIRCUMSTANCES,
    Circumstance,
    CircumstanceChange,
    describe,
)
from youthwork.domain.groups import GroupMembership, MembershipRole, PeerGroup
from youthwork.domain.joint_visits import JointVisit, VisitOutcome, VisitStatus
from youthwork.domain.missing import InterviewStatus, MissingEpisode, ReportedBy, ReturnHomeInterview
from youthwork.domain.nfa import NfaNotification
from youthwork.domain.records import CaseNote, RagRating, Session
from youthwork.domain.referrals import Referral, ReferralEvent
from youthwork.domain.safety_plans import PlanStatus, SafetyPlanVersion
from youthwork.domain.vocab import DEFAULT_AGENCIES, Rag, SessionType
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Entry:
    when: datetime
    kind: str  # a key of KINDS
    title: str
    detail: str = ""
    table: str = ""  # the record behind it, to open
    record_id: str = ""
    restricted: bool = False  # the detail is special category or criminal-offence data: shown on need to know
    dated_only: bool = False  # `when` is a date (the time means nothing)


Loader = Callable[[Profile, str], Iterable[Entry]]


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    label: str  # plural, as a filter reads: "Sessions", "RAG ratings"
    load: Loader


KINDS: dict[str, Kind] = {}


def register_kind(key: str, label: str, load: Loader) -> None:
    """Add a kind of entry to every young person's chronology (once per key; a second registration replaces)."""
    KINDS[key] = Kind(key, label, load)


def on_day(day: date) -> datetime:
    """A date as a point in the chronology (its start, UTC)."""
    return datetime.combine(day, time.min, tzinfo=UTC)


class ChronologyService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    def kinds(self) -> list[Kind]:
        return list(KINDS.values())

    def for_person(self, person_id: str, kinds: Iterable[str] | None = None) -> list[Entry]:
        """Newest first; only the kinds asked for (all when None)."""
        wanted = set(KINDS) if kinds is None else set(kinds)
        entries: list[Entry] = []
        for kind in KINDS.values():
            if kind.key in wanted:
                entries.extend(kind.load(self._profile, person_id))
        # Same moment: a stable order (kind, then id) so the list never shuffles between refreshes.
        entries.sort(key=lambda e: (e.when, e.kind, e.record_id), reverse=True)
        return entries


# ---- the built-in kinds -----------------------------------------------------------------------------------------


def _label(pairs: Iterable[tuple[str, str]], code: str) -> str:
    return dict(pairs).get(code, code.replace("_", " ").capitalize())


def _sessions(profile: Profile, person_id: str) -> Iterable[Entry]:
    concern = {
        r[0]
        for r in profile.db.query("SELECT session_id FROM attendance WHERE person_id = ? AND concern = 1", (person_id,))
    }
    sessions = profile.records.select(
        Session, "id IN (SELECT session_id FROM attendance WHERE person_id = ?)", (person_id,)
    )
    for s in sessions:
        if s.starts_at is None:
            continue
        where = ", ".join(x for x in (s.place, s.area) if x)
        detail = "Safeguarding concern about them" if s.id in concern else ""
        title = f"{_label(SessionType.choices(), s.session_type)} session" + (f" at {where}" if where else "")
        yield Entry(s.starts_at, "sessions", title, detail, Session.TABLE, s.id)


def _notes(profile: Profile, person_id: str) -> Iterable[Entry]:
    for n in profile.records.select(CaseNote, "person_id = ?", (person_id,)):
        title = "Case note (an amendment)" if n.corrects_id else "Case note"
        text = " ".join(n.text.split())
        yield Entry(n.written_at, "notes", title, text[:200] + ("…" if len(text) > 200 else ""), CaseNote.TABLE, n.id)


def _plans(profile: Profile, person_id: str) -> Iterable[Entry]:
    for v in profile.records.select(SafetyPlanVersion, "person_id = ?", (person_id,)):
        status = _label(PlanStatus.choices(), v.status).lower()
        title = f"Safety plan {status} (version {v.number})"
        yield Entry(v.agreed_at, "plans", title, v.change_note, SafetyPlanVersion.TABLE, v.id)


def _referrals(profile: Profile, person_id: str) -> Iterable[Entry]:
    referrals = {r.id: r for r in profile.records.select(Referral, "person_id = ?", (person_id,))}
    for r in referrals.values():
        if r.sent_at is not None:
            to = r.to_agency_name or _label(DEFAULT_AGENCIES, r.to_agency)
            yield Entry(r.sent_at, "referrals", f"Referred to {to}", r.reason[:200], Referral.TABLE, r.id)
    if not referrals:
        return
    marks = ",".join("?" * len(referrals))
    for e in profile.records.select(ReferralEvent, f"referral_id IN ({marks})", tuple(referrals)):
        r = referrals[e.referral_id]
        to = r.to_agency_name or _label(DEFAULT_AGENCIES, r.to_agency)
        detail = e.outcome or e.reason or e.note
        yield Entry(e.at, "referrals", f"Referral to {to}: {e.action.replace('_', ' ')}", detail, Referral.TABLE, r.id)


def _rag(profile: Profile, person_id: str) -> Iterable[Entry]:
    for h in profile.records.select(RagRating, "person_id = ?", (person_id,)):
        rating = _label(Rag.choices(), h.rating).split(" – ")[0]
        yield Entry(h.set_at, "rag", f"RAG rating: {rating}", h.reason, RagRating.TABLE, h.id)


def _nfas(profile: Profile, person_id: str) -> Iterable[Entry]:
    for n in profile.records.select(NfaNotification, "person_id = ?", (person_id,)):
        if n.notified_on is None:
            continue
        # Which offence is criminal-offence data: the entry says only that an NFA came.
        detail = f"Told by {n.source}" if n.source else ""
        yield Entry(
            on_day(n.notified_on), "nfas", "Police NFA notified", detail, NfaNotification.TABLE, n.id, False, True
        )


def _circumstances(profile: Profile, person_id: str) -> Iterable[Entry]:
    labels = dict(Circumstance.choices())
    for c in profile.records.select(CircumstanceChange, "person_id = ?", (person_id,)):
        if c.from_date is None:
            continue
        restricted = c.what in SPECIAL_CIRCUMSTANCES | CRIMINAL_CIRCUMSTANCES
        title = f"{labels.get(c.what, c.what)} changed"
        yield Entry(
            on_day(c.from_date),
            "circumstances",
            title,
            describe(c.what, c.shown_value),
            CircumstanceChange.TABLE,
            c.id,
            restricted,
            True,
        )


def _missing(profile: Profile, person_id: str) -> Iterable[Entry]:
    for e in profile.records.select(MissingEpisode, "person_id = ?", (person_id,)):
        if e.reported_at is not None:
            by = e.reported_by_name or _label(ReportedBy.choices(), e.reported_by)
            yield Entry(e.reported_at, "missing", "Reported missing", f"Reported by {by}" if by else "", e.TABLE, e.id)
        if e.returned_at is not None:
            yield Entry(e.returned_at, "missing", "Back from a missing episode", e.found_where, e.TABLE, e.id)
    for i in profile.records.select(ReturnHomeInterview, "person_id = ?", (person_id,)):
        when = i.held_at or i.offered_at
        if when is not None:
            status = _label(InterviewStatus.choices(), i.status).lower()
            # What was learned is special category data.
            yield Entry(when, "missing", f"Return home interview: {status}", i.learned, i.TABLE, i.id, True)


def _joint_visits(profile: Profile, person_id: str) -> Iterable[Entry]:
    for v in profile.records.select(JointVisit, "person_id = ?", (person_id,)):
        day = v.visited_on or v.planned_for
        if day is None:
            continue
        status = _label(VisitStatus.choices(), v.status).lower()
        outcomes = ", ".join(_label(VisitOutcome.choices(), o) for o in v.outcomes)
        yield Entry(
            on_day(day),
            "joint_visits",
            f"Joint home visit with the police: {status}",
            outcomes,
            v.TABLE,
            v.id,
            False,
            True,
        )


def _groups(profile: Profile, person_id: str) -> Iterable[Entry]:
    memberships = profile.records.select(GroupMembership, "person_id = ?", (person_id,))
    groups = {g.id: g for g in profile.records.select(PeerGroup, "id IN (SELECT group_id FROM group_memberships)")}
    for m in memberships:
        if m.recorded_on is None:
            continue
        group = groups.get(m.group_id)
        label = f"“{group.label}”" if group else "a peer group"
        role = _label(MembershipRole.choices(), m.role).lower() if m.role else ""
        review = f"review by {m.review_date:%d/%m/%Y}" if m.review_date else ""
        detail = "; ".join(x for x in (role, m.source, review) if x)
        yield Entry(on_day(m.recorded_on), "groups", f"In peer group {label}", detail, m.TABLE, m.id, False, True)


register_kind("sessions", "Sessions", _sessions)
register_kind("notes", "Case notes", _notes)
register_kind("plans", "Safety plans", _plans)
register_kind("referrals", "Referrals", _referrals)
register_kind("rag", "RAG ratings", _rag)
register_kind("nfas", "Police NFAs", _nfas)
register_kind("circumstances", "Circumstances", _circumstances)
register_kind("missing", "Missing episodes", _missing)
register_kind("joint_visits", "Joint visits", _joint_visits)
register_kind("groups", "Peer groups", _groups)
