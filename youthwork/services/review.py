"""Supervisor sign-off: approve a submitted session (it is then locked) or return it to the worker with a comment.

Both are ordinary record changes written with their outbox entries, so they sync like any other edit (`reviewed_by`
is safety-critical: on a conflict the server's sign-off stays). A signed-off session can't be edited as a draft
(SessionService refuses); a later change goes through `amend`, which needs a reason, is kept in the audit trail (the
changed field names), and puts the session back in the sign-off queue so a supervisor sees what changed.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from youthwork.domain.privacy import AuditAction
from youthwork.domain.records import SESSION_AMENDABLE, Session, utc_now
from youthwork.domain.validation import Problem, ValidationError, validate_session
from youthwork.domain.vocab import Role, SessionStatus
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile
from youthwork.store.settings import ROLE

log = logging.getLogger(__name__)

# What a worker may change on a signed-off session by amendment: the declaration says, so the service agrees.
AMENDABLE = SESSION_AMENDABLE
MAX_COMMENT = 4000


class ReviewService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._repo = profile.records
        self._audit = AuditTrail(profile)

    def _get(self, session_id: str) -> Session:
        s = self._repo.get(Session, session_id)
        if s is None:
            raise ValidationError([Problem("id", "That session can't be found on this laptop.")])
        return s

    def waiting(self, worker_id: str | None = None) -> list[Session]:
        """Sessions waiting for sign-off, oldest first."""
        rows = self._repo.select(Session, "status = ?", (SessionStatus.SUBMITTED.value,), order="starts_at, id")
        return [s for s in rows if worker_id is None or worker_id in s.workers]

    def approve(self, session_id: str, comment: str = "") -> Session:
        """Sign off a submitted session. It is locked from now on: later changes are amendments."""
        s = self._get(session_id)
        if s.status == SessionStatus.APPROVED:
            return s
        if s.status != SessionStatus.SUBMITTED:
            raise ValidationError(
                [
                    Problem(
                        "status",
                        "Only a session sent for sign-off can be signed off. This one is still with the worker.",
                    )
                ]
            )
        self._check_reviewer(s)
        s.status = SessionStatus.APPROVED.value
        s.reviewed_by = self._profile.user_id
        s.reviewed_at = utc_now()
        s.review_comment = _comment(comment)
        with self._profile.transaction():
            self._repo.save(s)
            self._audit.record(AuditAction.CHANGED, Session.TABLE, s.id, reason="signed_off")
        log.info("session signed off")
        return s

    def return_to_worker(self, session_id: str, comment: str) -> Session:
        """Send a submitted session back to its worker, saying what needs doing."""
        text = _comment(comment)
        if not text:
            raise ValidationError([Problem("review_comment", "Say what the worker needs to change or add.")])
        s = self._get(session_id)
        if s.status != SessionStatus.SUBMITTED:
            raise ValidationError([Problem("status", "Only a session waiting for sign-off can be returned.")])
        self._check_reviewer(s)
        s.status = SessionStatus.RETURNED.value
        s.reviewed_by = self._profile.user_id
        s.reviewed_at = utc_now()
        s.review_comment = text
        with self._profile.transaction():
            self._repo.save(s)
            self._audit.record(AuditAction.CHANGED, Session.TABLE, s.id, reason="returned_to_worker")
        log.info("session returned to worker")
        return s

    def amend(self, session_id: str, changes: dict[str, Any], reason: str) -> Session:
        """Change a signed-off session. Needs a reason; the session goes back for sign-off (still one record)."""
        why = _comment(reason)
        if not why:
            raise ValidationError([Problem("reason", "Say why this signed-off session is being changed.")])
        s = self._get(session_id)
        if s.status != SessionStatus.APPROVED:
            raise ValidationError([Problem("status", "This session isn't signed off: edit it as usual.")])
        bad = sorted(set(changes) - AMENDABLE)
        if bad:
            raise ValidationError([Problem(bad[0], "That part of a signed-off session can't be amended.")])
        amended = replace(s, **changes)
        changed = sorted(n for n in changes if getattr(s, n) != getattr(amended, n))
        if not changed:
            return s
        problems = validate_session(amended)
        if problems:
            raise ValidationError(problems)
        amended.status = SessionStatus.SUBMITTED.value
        amended.submitted_at = utc_now()
        amended.review_comment = f"Amended after sign-off: {why}"
        with self._profile.transaction():
            self._repo.save(amended)
            self._audit.record(AuditAction.CHANGED, Session.TABLE, s.id, reason="amended:" + ",".join(changed))
        log.info("signed-off session amended (%d fields)", len(changed))
        return amended

    def _check_reviewer(self, s: Session) -> None:
        # A laptop never enrolled has no role yet: the server applies the same rule when the sign-off syncs.
        role = self._profile.get_setting(ROLE)
        if role and role != Role.SUPERVISOR:
            raise ValidationError(
                [Problem("reviewed_by", "Only a supervisor can sign off a session or return it to the worker.")]
            )
        me = self._profile.user_id
        if me and me in s.workers:
            raise ValidationError(
                [Problem("reviewed_by", "You worked this session, so another supervisor needs to sign it off.")]
            )


def _comment(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_COMMENT:
        raise ValidationError([Problem("review_comment", f"Keep the comment under {MAX_COMMENT} characters.")])
    return text
