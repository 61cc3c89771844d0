"""Merging two records of one young person on this laptop, undoing a merge, and applying merges made elsewhere.

    merges = MergeService(profile)
    side = merges.compare(duplicate_id, keep_id)        # the two records, field by field
    merges.merge(duplicate_id, keep_id, {"phone": "from"}, reason="Same phone and estate")
    merges.undo(merge_id)                                 # within 14 days, while nothing new was recorded

The merge is a synced record (`PersonMerge`): saved here with its outbox entry, and carried out here at once, without
queueing anything else (the service carries it out too, and sends what it changed). After every pull
`apply_incoming` carries out merges made on other laptops for what only this laptop holds (a register added
offline). The records re-pointed are those naming the person by a declared person link, so new record types follow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from youthwork.domain.codec import decode_value, encode_value
from youthwork.domain.errors import ShownError
from youthwork.domain.merges import NOT_CHOSEN, MergeStatus, PersonMerge, differing_fields
from youthwork.domain.policy import POLICIES
from youthwork.domain.privacy import AuditAction, person_links
from youthwork.domain.records import YoungPerson, utc_now
from youthwork.domain.validation import check
from youthwork.domain.vocab import Role
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile
from youthwork.store.rowcodec import codec_for
from youthwork.store.settings import ROLE

log = logging.getLogger(__name__)

FROM, INTO = "from", "into"  # which record's value a field keeps


class MergeRefused(ShownError):
    """A merge or undo that can't be done, in words a youth worker understands."""


@dataclass(frozen=True, slots=True)
class FieldChoice:
    name: str
    label: str
    from_value: Any
    into_value: Any


@dataclass(frozen=True, slots=True)
class Comparison:
    duplicate: YoungPerson
    keep: YoungPerson
    fields: list[FieldChoice]  # only the fields that differ


FIELD_LABELS: dict[str, str] = {
    "first_name": "First name",
    "last_name": "Last name",
    "known_as": "Known as",
    "date_of_birth": "Date of birth",
    "estimated_age": "Age (estimated)",
    "age_estimated_on": "Age estimated on",
    "nhs_number": "NHS number",
    "ni_number": "National Insurance number",
    "send_ehcp": "SEND / EHCP",
    "lead_worker_id": "Lead worker",
    "rag": "RAG rating",
    "rag_set_at": "RAG set on",
    "rag_set_by": "RAG set by",
    "nfa_count": "NFA count",
    "risk_indicators": "Risk indicators",
    "incomplete": "Details to complete",
}


def label_of(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def carried_links(tables: set[str]) -> list[tuple[str, str]]:
    """(table, field) of every declared person link a merge re-points, among the tables this store has."""
    merging = {t for t, p in POLICIES.items() if p.merges is not None}
    return [(t, n) for t, n in person_links().get(YoungPerson.TABLE, []) if t not in merging and t in tables]


class MergeService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._db = profile.db
        self._repo = profile.records

    def _person(self, person_id: str) -> YoungPerson:
        person = self._repo.get(YoungPerson, person_id)
        if person is None:
            raise MergeRefused("That young person is not on this laptop. Sync, then try again.")
        return person

    def compare(self, duplicate_id: str, keep_id: str) -> Comparison:
        duplicate, keep = self._person(duplicate_id), self._person(keep_id)
        if duplicate.id == keep.id:
            raise MergeRefused("Choose two different records to merge.")
        differ = differing_fields(duplicate, keep)
        fields = [FieldChoice(n, label_of(n), getattr(duplicate, n), getattr(keep, n)) for n in differ]
        return Comparison(duplicate, keep, fields)

    def merge(self, duplicate_id: str, keep_id: str, choices: dict[str, str], reason: str = "") -> PersonMerge:
        """Merge `duplicate_id` into `keep_id`. `choices`: field -> FROM or INTO; a differing field not named keeps
        the value of the record that stays."""
        side = self.compare(duplicate_id, keep_id)
        role = self._profile.get_setting(ROLE)
        if role and role != Role.SUPERVISOR and not reason.strip():
            raise MergeRefused("Say why these two records are the same young person (a supervisor can merge without).")
        if duplicate_id in self._merged_away() or keep_id in self._merged_away():
            raise MergeRefused("One of these records has already been merged into another.")
        differing = {c.name for c in side.fields}
        unknown = sorted(set(choices) - differing)
        if unknown or any(v not in (FROM, INTO) for v in choices.values()):
            raise MergeRefused("Choose, for each detail that differs, which record's value to keep.")
        kept = {
            name: encode_value(getattr(side.duplicate, name))
            for name, which in sorted(choices.items())
            if which == FROM and name not in NOT_CHOSEN
        }
        by = self._profile.user_id
        record = PersonMerge(
            team_id=side.keep.team_id or self._profile.team_id,
            created_by=by,
            from_person_id=duplicate_id,
            into_person_id=keep_id,
            kept=kept,
            reason=reason.strip(),
            merged_by=by,
        )
        check(record)
        with self._profile.transaction():
            self._repo.save(record)
            self._set_locally(keep_id, kept)
            self._carry_out(record)
            AuditTrail(self._profile).record(AuditAction.MERGED, PersonMerge.TABLE, record.id, person_id=keep_id)
        log.info("merged two young people's records (%d details chosen from the duplicate)", len(kept))
        return record

    # ---- undoing ------------------------------------------------------------------------------------------------

    def why_not_undo(self, merge: PersonMerge, now: datetime | None = None) -> str | None:
        """The reason this merge can't be undone from here now, or None. (The service checks again.)"""
        if merge.status != MergeStatus.MERGED:
            return "This merge has already been undone."
        if not merge.applied_at or not merge.snapshot:
            return "Sync first: the service hasn't confirmed this merge yet."
        if (now or utc_now()) > merge.undo_until():
            return "A merge can be undone only within 14 days."
        return None

    def undo(self, merge_id: str) -> PersonMerge:
        """Mark the merge undone; the service puts both records back and every laptop hears at its next sync."""
        merge = self._repo.get(PersonMerge, merge_id)
        if merge is None:
            raise MergeRefused("That merge is not on this laptop.")
        if (why := self.why_not_undo(merge)) is not None:
            raise MergeRefused(why)
        merge.status, merge.undone_by, merge.undone_at = MergeStatus.UNDONE.value, self._profile.user_id, utc_now()
        with self._profile.transaction():
            self._repo.save(merge)
            AuditTrail(self._profile).record(
                AuditAction.MERGE_UNDONE, PersonMerge.TABLE, merge.id, person_id=merge.into_person_id
            )
        return merge

    # ---- reading ------------------------------------------------------------------------------------------------

    def merges_into(self, person_id: str) -> list[PersonMerge]:
        """Merges that kept this record, newest first."""
        return self._repo.select(PersonMerge, "into_person_id = ?", (person_id,), order="merged_at DESC, id DESC")

    def _merged_away(self) -> set[str]:
        rows = self._db.query("SELECT from_person_id FROM person_merges WHERE status = ?", (MergeStatus.MERGED.value,))
        return {r[0] for r in rows}

    # ---- carrying out -------------------------------------------------------------------------------------------

    def apply_incoming(self) -> int:
        """Carry out merges made elsewhere on what only this laptop holds; returns how many records moved."""
        moved = 0
        for merge in self._repo.select(PersonMerge, "status = ?", (MergeStatus.MERGED.value,)):
            moved += self._carry_out(merge)
        return moved

    def _carry_out(self, merge: PersonMerge) -> int:
        """Records here naming the duplicate name the one kept; the duplicate's record leaves this laptop. Queues
        nothing: a record already sent is re-pointed by the service too, one still waiting is re-pointed there."""
        tables = {r[0] for r in self._db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        moved = 0
        with self._profile.transaction():
            for table, name in carried_links(tables):
                sql = f"UPDATE {table} SET {name} = ? WHERE {name} = ?"
                moved += int(self._db.execute(sql, (merge.into_person_id, merge.from_person_id)).rowcount)
            sql = f"DELETE FROM {YoungPerson.TABLE} WHERE id = ?"
            moved += int(self._db.execute(sql, (merge.from_person_id,)).rowcount)
        return moved

    def _set_locally(self, person_id: str, kept: dict[str, Any]) -> None:
        if not kept:
            return
        codec = codec_for(YoungPerson)
        values = {n: codec.to_column(n, decode_value(YoungPerson, n, v)) for n, v in kept.items()}
        sets = ", ".join(f"{n} = ?" for n in values)
        self._db.execute(f"UPDATE {YoungPerson.TABLE} SET {sets} WHERE id = ?", [*values.values(), person_id])
