"""compute_weekly: the week at a glance, one section at a time, from a WeekInput it does not change."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from datetime import UTC, datetime

from youthwork.domain.figures.model import Section, WeeklyReport
from youthwork.domain.figures.rag import rag_section
from youthwork.domain.figures.rows import WeekInput
from youthwork.domain.figures.sections import (
    Scope,
    delivered,
    headcount_section,
    nfa_section,
    people_section,
    plans_section,
    recording_section,
    referrals_section,
    sessions_section,
)

_FAR = datetime.max.replace(tzinfo=UTC)


def in_order(data: WeekInput) -> WeekInput:
    """A copy of the input with its lists in one order: inputs come in storage order, which differs between the laptop
    and the service, and the figures' ids must list the same on both."""
    return replace(
        data,
        waiting_signoff=sorted(data.waiting_signoff, key=lambda s: (s.starts_at or _FAR, s.id)),
        notes=sorted(data.notes, key=lambda n: (n.written_at or _FAR, n.id)),
        referrals=None if data.referrals is None else sorted(data.referrals, key=lambda r: (r.sent_at or _FAR, r.id)),
        plans=None if data.plans is None else sorted(data.plans, key=lambda p: p.id),
        nfa_prompts=None if data.nfa_prompts is None else sorted(data.nfa_prompts, key=lambda p: p.id),
        joint_visits=None if data.joint_visits is None else sorted(data.joint_visits, key=lambda v: v.id),
    )


def compute_weekly(
    data: WeekInput,
    *,
    team_id: str | None = None,
    worker_id: str | None = None,
    now: datetime | None = None,
    names: Mapping[str, str] | None = None,
    sections: Collection[str] | None = None,
) -> WeeklyReport:
    """The week at a glance for a team (team_id) or one worker (worker_id), or everything given (both None).

    `sections`: only the sections with these keys, in the usual order (None: all); the board pack shows only some
    of its quarter's activity (youthwork.domain.figures.board.BOARD_SECTIONS) and need not count the rest."""
    week = data.week
    now = now or datetime.now(UTC)
    scope = Scope(week, min(now, week.end.astimezone(UTC)), team_id, worker_id, names or {})
    data = in_order(data)
    recorded = scope.sessions_in_week(data)
    in_week = delivered(recorded)
    makers: tuple[tuple[str, Callable[[], Section]], ...] = (
        ("sessions", lambda: sessions_section(recorded, in_week, scope)),
        ("people", lambda: people_section(data, in_week, scope)),
        ("headcount", lambda: headcount_section(in_week)),
        ("recording", lambda: recording_section(data, scope)),
        ("referrals", lambda: referrals_section(data, scope)),
        ("plans", lambda: plans_section(data, scope)),
        ("nfa", lambda: nfa_section(data, scope)),
        ("rag", lambda: rag_section(data.rag_ratings, week.start, scope.as_of, team_id)),
    )
    parts = tuple(make() for key, make in makers if sections is None or key in sections)
    return WeeklyReport(week, team_id, worker_id, parts, scope.as_of)
