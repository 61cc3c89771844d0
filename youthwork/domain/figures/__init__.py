"""The weekly figures as pure functions over plain rows: the one definition the laptop and the server both use.

Loaders (youthwork.reports.weekly for the laptop's store, youthwork.server.reports for the service's records table)
turn their storage into the small row types of `rows` with `*.from_wire` (the wire/JSON encoding both sides share),
then call `compute_weekly` (`weekly`), which builds each section with its own pure function (`sections`) into the
report types of `model`. Every Figure carries the ids of the records behind it, so any number can be opened and
checked.

Counting rules (the supervisor's questions, answered once):
- A session belongs to the week in which it STARTS (UK time). A session crossing midnight into the next week counts
  wholly in the week it started, hours included; we do not split hours by day, because a session is one piece of
  work signed off once and a supervisor expects to find it in one week.
- Hours of direct contact are session hours (end minus start, in real elapsed time: a session over the clock change
  is an hour shorter or longer on the wall clock), not worker-hours; "by worker" shows each worker's sessions' hours.
- Sessions delivered are the sessions started in the week that were submitted (waiting for sign-off or signed off):
  a draft, or a session returned to its worker, is not yet delivered work. Hours, young people reached and the
  headcount come from delivered sessions only; drafts are shown apart ("not yet submitted"). A safeguarding concern
  counts whatever the session's status, so none is hidden by an unsubmitted form. The status breakdown shows all.
- A young person is reached once per week however many sessions they attended. New = their first ever attendance is
  in this week; returning = attended before this week.
- A record changed after submission is still one record (sessions are counted by id). A case-note amendment
  (corrects_id set) never counts as another note.
- Referrals made = sent (not draft) in the week. Overdue = still only "sent" (not acknowledged) past the time the
  urgency allows (immediate 1 day, urgent 2 days, routine 10 days), as of the end of the week or now if sooner.
- A third-NFA prompt is open from the day of the third NFA until a joint home visit is done or tried (done, no
  answer, declined) on or after that day. The visit success rate is visits done over visits tried in the week.
- Sections whose records this laptop or service doesn't hold yet are "not recorded yet" (value None), never zero.
"""

from youthwork.domain.figures.model import NOT_RECORDED, Figure, Section, WeeklyReport
from youthwork.domain.figures.rows import (
    ACK_DUE,
    JOINT_VISIT_AT,
    AttendanceRow,
    JointVisitRow,
    NfaPromptRow,
    NoteRow,
    PersonRow,
    PlanRow,
    RagRow,
    ReferralRow,
    SessionRow,
    WeekInput,
    as_date,
    as_datetime,
    nfa_prompts,
    plan_row,
)
from youthwork.domain.figures.sections import DELIVERED
from youthwork.domain.figures.weekly import compute_weekly

__all__ = [
    "ACK_DUE",
    "DELIVERED",
    "JOINT_VISIT_AT",
    "NOT_RECORDED",
    "AttendanceRow",
    "Figure",
    "JointVisitRow",
    "NfaPromptRow",
    "NoteRow",
    "PersonRow",
    "PlanRow",
    "RagRow",
    "ReferralRow",
    "Section",
    "SessionRow",
    "WeekInput",
    "WeeklyReport",
    "as_date",
    "as_datetime",
    "compute_weekly",
    "nfa_prompts",
    "plan_row",
]
