"""One pure function per section of the weekly report. Each takes the week's input (already sorted, see
youthwork.domain.figures.weekly) and the Scope it is computed for, and returns its Section; none changes its input.

The counting rules each section follows are in the package docstring (youthwork.domain.figures).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from youthwork.domain.figures.model import (
    Figure,
    Section,
    agency_label,
    breakdown,
    counted,
    not_recorded,
    vocab_label,
)
from youthwork.domain.figures.rows import NoteRow, SessionRow, WeekInput
from youthwork.domain.referrals import OVERDUE_WORDS, ReferralStatus
from youthwork.domain.vocab import (
    DEFAULT_AGENCIES,
    AgeBand,
    CoreActivity,
    Ethnicity,
    Gender,
    RiskIndicator,
    SessionStatus,
    SessionType,
    age_band_code,
)
from youthwork.domain.weeks import LONDON, IsoWeek

DELIVERED = frozenset({SessionStatus.SUBMITTED.value, SessionStatus.APPROVED.value})


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose week: a team (team_id), one worker (worker_id), or everything given (both None), as of a moment."""

    week: IsoWeek
    as_of: datetime
    team_id: str | None = None
    worker_id: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)  # worker id -> name, for the by-worker labels

    def session_mine(self, s: SessionRow) -> bool:
        return (self.team_id is None or s.team_id == self.team_id) and (
            self.worker_id is None or s.worked_by(self.worker_id)
        )

    def note_mine(self, n: NoteRow) -> bool:
        return (self.team_id is None or n.team_id == self.team_id) and (
            self.worker_id is None or n.author_id == self.worker_id
        )

    def sessions_in_week(self, data: WeekInput) -> list[SessionRow]:
        """The scope's sessions that started in the week, in start order, whatever their status."""
        return sorted(
            (s for s in data.sessions if self.week.contains(s.starts_at) and self.session_mine(s)),
            key=lambda s: (s.starts_at, s.id),
        )


def delivered(recorded: Sequence[SessionRow]) -> list[SessionRow]:
    """The sessions that count as delivered work: submitted or signed off, not drafts or returned ones."""
    return [s for s in recorded if s.status in DELIVERED]


def sessions_section(recorded: Sequence[SessionRow], in_week: Sequence[SessionRow], scope: Scope) -> Section:
    """Sessions delivered (`in_week`), hours of direct contact and concerns raised (any status, from `recorded`),
    by type, worker and sign-off status; the sessions not yet submitted apart."""
    sids = [s.id for s in in_week]
    not_submitted = [s.id for s in recorded if s.status not in DELIVERED]
    by_type: dict[str, list[str]] = defaultdict(list)
    by_status: dict[str, list[str]] = defaultdict(list)
    by_worker: dict[str, list[str]] = defaultdict(list)
    by_activity: dict[str, list[str]] = defaultdict(list)
    hours_by_worker: dict[str, float] = defaultdict(float)
    for s in recorded:
        by_status[s.status].append(s.id)
    for s in in_week:
        by_type[s.session_type].append(s.id)
        for activity in dict.fromkeys(s.core_activities):
            by_activity[activity].append(s.id)
        for w in s.workers or (s.created_by,):
            if scope.worker_id is None or w == scope.worker_id:
                by_worker[w].append(s.id)
                hours_by_worker[w] += s.hours
    total_hours = round(sum(s.hours for s in in_week), 2)
    concerns = [s.id for s in recorded if s.concern]
    names = scope.names
    return Section(
        "sessions",
        "Sessions and hours",
        (
            counted("sessions", "Sessions delivered", sids, "sessions"),
            Figure("hours", "Hours of direct contact", total_hours, tuple(sids), "sessions", unit="hours"),
            counted("concerns", "Safeguarding concerns raised", concerns, "sessions"),
            counted(
                "sessions_not_submitted",
                "Not yet submitted",
                not_submitted,
                "sessions",
                note="drafts and sessions returned to their worker: not counted as delivered",
            ),
        ),
        (
            (
                "By type",
                breakdown(
                    "sessions_by_type",
                    by_type,
                    lambda k: vocab_label(SessionType, k),
                    "sessions",
                    [t.value for t in SessionType],
                ),
            ),
            (
                "By core activity",
                breakdown(
                    "sessions_by_activity",
                    by_activity,
                    lambda k: vocab_label(CoreActivity, k),
                    "sessions",
                    [a.value for a in CoreActivity],
                ),
            ),
            ("By worker", breakdown("sessions_by_worker", by_worker, lambda k: names.get(k, k), "sessions")),
            (
                "Hours by worker",
                tuple(
                    Figure(
                        f"hours_by_worker.{w}",
                        names.get(w, w),
                        round(hours_by_worker[w], 2),
                        tuple(by_worker[w]),
                        "sessions",
                        unit="hours",
                    )
                    for w in sorted(by_worker)
                ),
            ),
            (
                "By sign-off status",
                breakdown(
                    "sessions_by_status",
                    by_status,
                    lambda k: vocab_label(SessionStatus, k),
                    "sessions",
                    [s.value for s in SessionStatus],
                ),
            ),
        ),
    )


def people_section(data: WeekInput, in_week: Sequence[SessionRow], scope: Scope) -> Section:
    """Named young people reached once each, new or returning, by gender, age band and ethnicity."""
    week = scope.week
    week_start = week.start.astimezone(UTC)
    # Each session sorted once into before the week or counted in it, not per register row (a quarter has tens of
    # thousands); a session listed twice is taken as its last copy.
    by_id = {s.id: s for s in data.sessions}
    before = {i for i, s in by_id.items() if s.starts_at is not None and s.starts_at < week_start}
    week_ids = {s.id for s in in_week if s.id in by_id and by_id[s.id].starts_at is not None} - before
    registers = data.register_people()
    earlier = set(data.seen_before).union(*(registers.get(s, ()) for s in before))
    reached = sorted(set[str]().union(*(registers.get(s, ()) for s in week_ids)))
    new = [p for p in reached if p not in earlier]
    returning = [p for p in reached if p in earlier]
    gender: dict[str, list[str]] = defaultdict(list)
    age: dict[str, list[str]] = defaultdict(list)
    ethnicity: dict[str, list[str]] = defaultdict(list)
    people, monday = data.people, week.monday
    for pid in reached:
        p = people.get(pid)
        if p is None:
            gender["not_known"].append(pid)
            age[age_band_code(None)].append(pid)
            ethnicity["not_stated"].append(pid)
            continue
        gender[p.gender].append(pid)
        age[age_band_code(p.age_on(monday))].append(pid)
        ethnicity[p.ethnicity or "not_stated"].append(pid)
    return Section(
        "people",
        "Young people reached",
        (
            counted("reached", "Young people reached (named)", reached, "people"),
            counted("reached_new", "New this week", new, "people"),
            counted("reached_returning", "Returning", returning, "people"),
            counted("reached_girls", "Girls and young women reached", gender.get("female", []), "people"),
        ),
        (
            (
                "By gender",
                breakdown(
                    "reached_by_gender", gender, lambda k: vocab_label(Gender, k), "people", [g.value for g in Gender]
                ),
            ),
            (
                "By age band",
                breakdown(
                    "reached_by_age", age, lambda k: vocab_label(AgeBand, k), "people", [a.value for a in AgeBand]
                ),
            ),
            (
                "By ethnicity",
                breakdown(
                    "reached_by_ethnicity",
                    ethnicity,
                    lambda k: vocab_label(Ethnicity, k),
                    "people",
                    [e.value for e in Ethnicity],
                ),
            ),
        ),
    )


def headcount_section(in_week: Sequence[SessionRow]) -> Section:
    """Anonymous headcounts (people who gave no name), from the sessions' gender/age headcount grids."""
    hc_gender: Counter[str] = Counter()
    hc_age: Counter[str] = Counter()
    hc_gender_ids: dict[str, list[str]] = defaultdict(list)
    hc_age_ids: dict[str, list[str]] = defaultdict(list)
    hc_ids: list[str] = []
    for s in in_week:
        for key, n in s.headcounts.items():
            if n <= 0:
                continue
            g, _, a = key.partition("/")
            hc_gender[g or "not_known"] += n
            hc_age[a or "not_known"] += n
            hc_gender_ids[g or "not_known"].append(s.id)
            hc_age_ids[a or "not_known"].append(s.id)
            hc_ids.append(s.id)
    return Section(
        "headcount",
        "Anonymous headcounts",
        (
            Figure(
                "headcount",
                "Anonymous headcount",
                sum(hc_gender.values()),
                tuple(dict.fromkeys(hc_ids)),
                "sessions",
                note="people counted at sessions without a name",
            ),
        ),
        (
            (
                "By gender",
                tuple(
                    Figure(
                        f"headcount_by_gender.{g}",
                        vocab_label(Gender, g),
                        hc_gender[g],
                        tuple(dict.fromkeys(hc_gender_ids[g])),
                        "sessions",
                    )
                    for g in [x.value for x in Gender] + sorted(set(hc_gender) - {x.value for x in Gender})
                    if g in hc_gender
                ),
            ),
            (
                "By age band",
                tuple(
                    Figure(
                        f"headcount_by_age.{a}",
                        vocab_label(AgeBand, a),
                        hc_age[a],
                        tuple(dict.fromkeys(hc_age_ids[a])),
                        "sessions",
                    )
                    for a in [x.value for x in AgeBand] + sorted(set(hc_age) - {x.value for x in AgeBand})
                    if a in hc_age
                ),
            ),
        ),
    )


def recording_section(data: WeekInput, scope: Scope) -> Section:
    """Case notes written (an amendment is not another note) and sessions waiting for sign-off."""
    week = scope.week
    week_notes = [n for n in data.notes if week.contains(n.written_at) and scope.note_mine(n)]
    return Section(
        "recording",
        "Recording and sign-off",
        (
            counted("case_notes", "Case notes written", [n.id for n in week_notes if not n.corrects_id], "case_notes"),
            counted(
                "case_notes_amended",
                "Case-note amendments",
                [n.id for n in week_notes if n.corrects_id],
                "case_notes",
                note="corrections added; not counted as new notes",
            ),
            counted(
                "waiting_signoff",
                "Sessions waiting for sign-off",
                [
                    s.id
                    for s in data.waiting_signoff
                    if s.status == SessionStatus.SUBMITTED
                    and scope.session_mine(s)
                    and (s.starts_at is None or s.starts_at < week.end)
                ],
                "sessions",
                note="submitted and not yet signed off, up to the end of the week",
            ),
        ),
    )


def referrals_section(data: WeekInput, scope: Scope) -> Section:
    """Referrals sent in the week by agency and status now; overdue ones from any week."""
    if data.referrals is None:
        return Section(
            "referrals",
            "Referrals",
            (
                not_recorded("referrals", "Referrals made", "referrals"),
                not_recorded("referrals_received", "Referrals received from outside", "referrals"),
                not_recorded("referrals_overdue", "Referrals overdue (not acknowledged)", "referrals"),
            ),
        )
    team_id, worker_id = scope.team_id, scope.worker_id
    rows = [
        r
        for r in data.referrals
        if (team_id is None or r.team_id == team_id) and (worker_id is None or r.sent_by == worker_id)
    ]
    sent = [r for r in rows if r.status != "draft" and scope.week.contains(r.sent_at)]
    made = [r for r in sent if not r.from_source]
    received = [r.id for r in sent if r.from_source]
    by_agency: dict[str, list[str]] = defaultdict(list)
    by_status: dict[str, list[str]] = defaultdict(list)
    by_risk: dict[str, list[str]] = defaultdict(list)
    for r in made:
        by_agency[r.to_agency].append(r.id)
        by_status[r.status].append(r.id)
        for indicator in dict.fromkeys(r.risk_indicators):
            by_risk[indicator].append(r.id)
    overdue = [r.id for r in rows if r.overdue(scope.as_of)]
    return Section(
        "referrals",
        "Referrals",
        (
            counted("referrals", "Referrals made", [r.id for r in made], "referrals"),
            counted(
                "referrals_received",
                "Referrals received from outside",
                received,
                "referrals",
                note="from a school, the police, a parent or the young person, recorded by the team they came to",
            ),
            counted(
                "referrals_overdue",
                "Referrals overdue (not acknowledged)",
                overdue,
                "referrals",
                note=f"any week: sent and {OVERDUE_WORDS}",
            ),
        ),
        (
            (
                "By agency",
                breakdown(
                    "referrals_by_agency", by_agency, agency_label, "referrals", [c for c, _ in DEFAULT_AGENCIES]
                ),
            ),
            (
                "By status now",
                breakdown(
                    "referrals_by_status",
                    by_status,
                    lambda k: vocab_label(ReferralStatus, k),
                    "referrals",
                    [s.value for s in ReferralStatus],
                ),
            ),
            (
                "By risk indicator",
                breakdown(
                    "referrals_by_risk",
                    by_risk,
                    lambda k: vocab_label(RiskIndicator, k),
                    "referrals",
                    [i.value for i in RiskIndicator],
                ),
            ),
        ),
    )


def plans_section(data: WeekInput, scope: Scope) -> Section:
    """Safety plans created and reviewed in the week; active plans past their review date."""
    if data.plans is None:
        return Section(
            "plans",
            "Safety plans",
            (
                not_recorded("plans_created", "Safety plans created", "safety_plans"),
                not_recorded("plans_reviewed", "Safety plans reviewed", "safety_plans"),
                not_recorded("plans_overdue", "Safety plans overdue for review", "safety_plans"),
            ),
        )
    team_id, worker_id, week = scope.team_id, scope.worker_id, scope.week
    rows = [
        p
        for p in data.plans
        if (team_id is None or p.team_id == team_id) and (worker_id is None or p.author_id == worker_id)
    ]
    due_by = scope.as_of.astimezone(LONDON).date()
    return Section(
        "plans",
        "Safety plans",
        (
            counted(
                "plans_created",
                "Safety plans created",
                [p.id for p in rows if week.contains(p.created_at)],
                "safety_plans",
            ),
            counted(
                "plans_reviewed",
                "Safety plans reviewed",
                [p.id for p in rows if any(week.contains(r) for r in p.reviews)],
                "safety_plans",
            ),
            counted(
                "plans_overdue",
                "Safety plans overdue for review",
                [p.id for p in rows if p.active and p.review_due is not None and p.review_due < due_by],
                "safety_plans",
                note="review date passed, as of the end of the week",
            ),
        ),
    )


def nfa_section(data: WeekInput, scope: Scope) -> Section:
    """Young people with three or more NFAs whose joint home visit is still due; the week's joint visits and how many
    of those tried were done (the visit success rate)."""
    if data.nfa_prompts is None:
        return Section("nfa", "No Further Action", (not_recorded("nfa_prompts_open", "Third-NFA prompts open", "nfa"),))
    rows = [
        p
        for p in data.nfa_prompts
        if p.open
        and (scope.team_id is None or p.team_id == scope.team_id)
        and (p.raised_at is None or p.raised_at < scope.week.end)
    ]
    figures = [
        counted(
            "nfa_prompts_open",
            "Third-NFA prompts open (joint home visit due)",
            [p.id for p in rows],
            "people",
            note="young people with three or more NFAs and no joint visit since the third",
        )
    ]
    if data.joint_visits is None:
        figures.append(not_recorded("joint_visit_success", "Joint home visit success rate", "joint_visits"))
    else:
        first, end = scope.week.start.date(), scope.week.end.date()
        tried = [
            v
            for v in data.joint_visits
            if v.tried
            and v.visited_on is not None
            and first <= v.visited_on < end
            and (scope.team_id is None or v.team_id == scope.team_id)
        ]
        done = [v.id for v in tried if v.status == "done"]
        figures += [
            counted("joint_visits_tried", "Joint home visits made or tried", [v.id for v in tried], "joint_visits"),
            counted("joint_visits_done", "… of which done (family seen)", done, "joint_visits"),
            Figure(
                "joint_visit_success",
                "Joint home visit success rate",
                round(100 * len(done) / len(tried), 1) if tried else None,
                tuple(done),
                "joint_visits",
                unit="%",
                note="visits done over visits made or tried (done, no answer, declined)"
                if tried
                else "no joint visits made or tried in the period",
            ),
        ]
    return Section("nfa", "No Further Action", tuple(figures))
