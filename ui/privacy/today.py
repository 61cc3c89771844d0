"""The line the Today page shows a supervisor about data protection: consent withdrawals waiting to be seen, erasure
requests from other teams waiting for a decision."""

from __future__ import annotations

from ui.backend import Backend
from ui.privacy.person_tab import may_erase


def privacy_note(backend: Backend) -> str:
    if not may_erase(backend):  # supervisors (and laptops not enrolled) look after consent and retention
        return ""
    parts = []
    waiting = len(backend.consent.withdrawals_to_review())
    if waiting:
        parts.append(f"{waiting} consent withdrawal{'' if waiting == 1 else 's'} to review in Data protection (Ctrl+8)")
    erasures = backend.erasure_reviews.open_count()
    if erasures:
        parts.append(f"{erasures} erasure request{'' if erasures == 1 else 's'} to decide in Review (Ctrl+6)")
    return " · ".join(parts)
