"""Need-to-know: special category and criminal-offence fields stay hidden until someone asks, with a reason.

    ntk = NeedToKnow(profile)
    ntk.hidden_fields(YoungPerson)                    # {"ethnicity": Sensitivity.SPECIAL, ...}
    values = ntk.reveal(person, AccessReason.SAFEGUARDING)   # "break the glass": audited, then the values

Opening a record is audited as "viewed"; revealing restricted details as "break_glass" with the reason code.
"""

from __future__ import annotations

import logging
from typing import Any

from youthwork.domain.privacy import AccessReason, AuditAction
from youthwork.domain.records import Record
from youthwork.domain.validation import Problem, ValidationError
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)


def person_of(record: Record) -> str:
    """The young person a record is about (its own id for a YoungPerson)."""
    if record.TABLE == "people":
        return record.id
    return str(getattr(record, "person_id", "") or "")


class NeedToKnow:
    def __init__(self, profile: Profile) -> None:
        self._audit = AuditTrail(profile)

    def viewed(self, record: Record) -> None:
        self._audit.record(AuditAction.VIEWED, record.TABLE, record.id, person_id=person_of(record))

    def printed(self, record: Record) -> None:
        self._audit.record(AuditAction.PRINTED, record.TABLE, record.id, person_id=person_of(record))

    def reveal(self, record: Record, reason: AccessReason | str) -> dict[str, Any]:
        """The record's restricted fields, after recording who opened them, when and why."""
        try:
            code = AccessReason(reason)
        except ValueError:
            raise ValidationError(
                [Problem("reason", "Choose why you need to see these details before they are shown.")]
            ) from None
        self._audit.record(
            AuditAction.BREAK_GLASS, record.TABLE, record.id, person_id=person_of(record), reason=code.value
        )
        log.info("restricted details opened on a %s record", record.TABLE)
        return {name: getattr(record, name) for name in type(record).restricted_fields()}
