"""What the Today page says about safety plans and referrals: reviews due, referrals overdue, new in the inbox."""

from __future__ import annotations

from ui.backend import Backend
from youthwork.domain.referrals import OVERDUE_WORDS, ReferralStatus


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def plans_and_referrals_note(backend: Backend) -> str:
    parts = []
    due = backend.plans.reviews_due()
    if due:
        overdue = sum(d.overdue for d in due)
        text = _n(len(due), "safety plan review due", "safety plan reviews due")
        if overdue:
            text += f" ({overdue} overdue)"
        parts.append(text + " (Ctrl+4)")
    late = backend.referrals.overdue()
    if late:
        parts.append(_n(len(late), "referral overdue", "referrals overdue") + f" ({OVERDUE_WORDS})")
    new = [v for v in backend.referrals.inbox() if v.status == ReferralStatus.SENT]
    if new:
        inbox = _n(len(new), "new referral in your team's inbox", "new referrals in your team's inbox")
        parts.append(inbox + " (Ctrl+5)")
    return " · ".join(parts)
