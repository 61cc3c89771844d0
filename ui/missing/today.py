"""What the Today page says about return home interviews and third-NFA joint home visits still due."""

from __future__ import annotations

from ui.backend import Backend


def missing_and_visits_note(backend: Backend) -> str:
    parts = []
    due = backend.missing.interviews_due()
    if due:
        late = sum(d.overdue for d in due)
        text = f"{len(due)} return home interview{'' if len(due) == 1 else 's'} due"
        if late:
            text += f" ({late} past 72 hours)"
        names = ", ".join(d.person_name for d in due[:3]) + (" …" if len(due) > 3 else "")
        parts.append(f"{text}: {names}")
    visits = backend.joint_visits.due()
    if visits:
        parts.append(f"{len(visits)} joint home visit{'' if len(visits) == 1 else 's'} with the police due (third NFA)")
    return " · ".join(parts)
