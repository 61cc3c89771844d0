"""Erasure requests from other teams: a team that owns a young person erased (or anonymised) them, and this team holds
records of its own about them. Only this team's supervisors decide what happens to this team's records.

    reviews = ErasureReviews(profile)
    for item in reviews.waiting():           # open reviews of this team, with what this team holds
        print(item.summary)
    reviews.erase_ours(review_id)            # erase (as the owner did) only this team's records about the person
    reviews.keep_ours(review_id, KeepReason.SAFEGUARDING)   # keep them, on the team's own lawful basis

The service makes each review (youthwork.server.privacy) and syncs it to the team's supervisors. "Erase ours" is an
ordinary `Erasure` tombstone of this team (youthwork.privacy.erasure): the service erases or anonymises only what this
team owns about the person, exactly as the owner's erasure treated the owner's records, and every laptop of the team
drops its copies. Either decision closes the review (status, decision, reason code, who and when), audited; the
service checks that only a supervisor of the review's team closes it, once, in their own name. The person is gone,
so a review names no one: it says when the records went and what kinds of this team's records are about them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from youthwork.domain.policy import POLICIES
from youthwork.domain.privacy import (
    REVIEW_DONE,
    REVIEW_OPEN,
    AuditAction,
    ErasureMode,
    ErasureReason,
    ErasureReview,
    KeepReason,
    ReviewDecision,
)
from youthwork.domain.records import utc_now
from youthwork.domain.validation import Problem, ValidationError, check
from youthwork.domain.vocab import Role
from youthwork.privacy.erasure import ErasureResult, ErasureService, records_about
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile
from youthwork.store.settings import ROLE

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WaitingReview:
    """One open review, as a supervisor sees it: no name, only when and what this team holds."""

    review: ErasureReview
    held: dict[str, int]  # table -> how many of this team's records on this laptop are about the person
    summary: str

    @property
    def id(self) -> str:
        return self.review.id


class ErasureReviews:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._db = profile.db
        self._repo = profile.records
        self._audit = AuditTrail(profile)

    # ---- what is waiting ----------------------------------------------------------------------------------------

    def may_decide(self) -> bool:
        """Supervisors decide; a laptop not enrolled with a server has no one else to ask (as for erasure)."""
        return (self._profile.get_setting(ROLE) or "") in ("", Role.SUPERVISOR)

    def open_count(self) -> int:
        if not self.may_decide():
            return 0
        return self._repo.count(ErasureReview, "status = ? AND team_id = ?", (REVIEW_OPEN, self._profile.team_id))

    def waiting(self) -> list[WaitingReview]:
        """This team's open erasure reviews, oldest first."""
        if not self.may_decide():
            return []
        rows = self._repo.select(
            ErasureReview, "status = ? AND team_id = ?", (REVIEW_OPEN, self._profile.team_id), order="created_at, id"
        )
        out = []
        for review in rows:
            held = self.held(review.person_id)
            out.append(WaitingReview(review, held, summary(review, held)))
        return out

    def held(self, person_id: str) -> dict[str, int]:
        """Table -> how many records about the person this laptop holds that belong to this team."""
        team = self._profile.team_id
        out: dict[str, int] = {}
        for table, ids in records_about(self._db, person_id).items():
            ordered = sorted(ids)
            n = 0
            for i in range(0, len(ordered), 500):
                chunk = ordered[i : i + 500]
                marks = ",".join("?" * len(chunk))
                n += int(
                    self._db.scalar(
                        f"SELECT COUNT(*) FROM {table} WHERE team_id = ? AND id IN ({marks})", [team, *chunk]
                    )
                    or 0
                )
            if n:
                out[table] = n
        return out

    # ---- the two decisions --------------------------------------------------------------------------------------

    def erase_ours(self, review_id: str, *, wipe: bool = True) -> ErasureResult:
        """Erase (or anonymise, as the owner did) this team's records about the person, and close the review."""
        review = self._open(review_id)
        erasure = ErasureService(self._profile)
        result = erasure.erase(
            review.person_id,
            mode=ErasureMode(review.mode),
            reason=ErasureReason.OWNER_ERASED,
            confirm=True,
            own_team=True,
            wipe=False,
        )
        self._close(review, ReviewDecision.ERASED, "")
        if wipe:
            erasure.wipe()
            erasure.erase_in_backups([review.person_id])
        log.info("erasure review decided: erased")
        return result

    def keep_ours(self, review_id: str, reason: KeepReason | str) -> ErasureReview:
        """Keep this team's records, on its own lawful basis (a reason code), and close the review."""
        review = self._open(review_id)
        code = str(reason or "")
        if code not in {k.value for k in KeepReason}:
            raise ValidationError([Problem("keep_reason", "Choose your team's reason for keeping its records.")])
        self._close(review, ReviewDecision.KEPT, code)
        log.info("erasure review decided: kept")
        return review

    def _open(self, review_id: str) -> ErasureReview:
        if not self.may_decide():
            raise ValidationError([Problem("role", "Only a supervisor can decide on an erasure request.")])
        review = self._repo.get(ErasureReview, review_id)
        if review is None or review.team_id != self._profile.team_id:
            raise ValidationError([Problem("id", "That erasure request isn't one for your team.")])
        if review.status != REVIEW_OPEN:
            raise ValidationError([Problem("status", "That erasure request has already been decided.")])
        return review

    def _close(self, review: ErasureReview, decision: ReviewDecision, reason: str) -> None:
        review.status = REVIEW_DONE
        review.decision = decision.value
        review.keep_reason = reason
        review.reviewed_by = self._profile.user_id
        review.reviewed_at = utc_now()
        check(review)
        with self._profile.transaction():
            self._repo.save(review)
            self._audit.record(
                AuditAction.ERASURE_REVIEWED,
                ErasureReview.TABLE,
                review.id,
                person_id=review.person_id,
                reason=reason or decision.value,
            )


def count_of(n: int, table: str) -> str:
    """ "4 case notes", "1 referral", "1 consent history entry": a count of records of one kind."""
    p = POLICIES.get(table)
    label = p.label if p else table.replace("_", " ")
    if label == "young people's records":
        return f"{n} young person's record" if n == 1 else f"{n} young people's records"
    if not label.endswith("s"):
        return f"{n} {label} entr{'y' if n == 1 else 'ies'}"
    return f"{n} {label.removesuffix('s') if n == 1 else label}"


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def summary(review: ErasureReview, held: dict[str, int]) -> str:
    """A young person another team has erased (their records went on 3 Dec): your team holds 4 case notes and
    1 referral about them."""
    at = review.created_at.astimezone() if review.created_at else None
    if review.mode == ErasureMode.ANONYMISE:
        head = "A young person another team has anonymised" + (f" (on {at.day} {at:%b})" if at else "")
    else:
        head = "A young person another team has erased" + (f" (their records went on {at.day} {at:%b})" if at else "")
    if held:
        parts = [count_of(n, table) for table, n in sorted(held.items(), key=lambda kv: (-kv[1], kv[0]))]
        return f"{head}: your team holds {_joined(parts)} about them."
    kinds = [POLICIES[t].label if t in POLICIES else t for t in review.tables]
    what = f" ({_joined(kinds)})" if kinds else ""
    return f"{head}: your team's records about them{what} are not on this laptop yet, or have already gone."
