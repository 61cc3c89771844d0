"""Settling a conflict: the reviewer sees both values and chooses; the choice is an ordinary local edit of the field
(pushed with the record's current server version as its base, so it does not conflict again) plus a note to the
server that the conflict is dealt with. Offline, the edit waits in the outbox like any other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from youthwork.domain.codec import decode_value
from youthwork.domain.protocol import ConflictItem
from youthwork.domain.records import RECORD_TYPES
from youthwork.store.profile import Profile
from youthwork.sync.client import SyncClient
from youthwork.sync.errors import SyncError

log = logging.getLogger(__name__)

FIELD_LABELS = {"rag": "RAG rating", "area": "area", "known_as": "known as", "first_name": "first name"}


@dataclass(frozen=True, slots=True)
class ConflictView:
    """A conflict as a reviewer sees it: what record, which field, both values, and which one stands now."""

    item: ConflictItem
    record_label: str
    field_label: str
    current_value: Any  # the value on this laptop now (None if the record is not here)

    @property
    def waiting_for_review(self) -> bool:
        return self.item.kept == "server"


def describe(profile: Profile, items: list[ConflictItem]) -> list[ConflictView]:
    views = []
    for item in items:
        cls = RECORD_TYPES.get(item.table)
        record = profile.records.get(cls, item.record_id) if cls is not None else None
        label = getattr(record, "display_name", "") or (f"{item.table} {item.record_id[:8]}")
        current = getattr(record, item.field, None) if record is not None else None
        field_label = FIELD_LABELS.get(item.field, item.field.replace("_", " "))
        views.append(ConflictView(item, label, field_label, current))
    return views


def resolve(profile: Profile, client: SyncClient, item: ConflictItem, chosen: str) -> bool:
    """Keep `chosen` ("server" or "incoming"). Returns True if a local edit was queued to carry the choice."""
    if chosen not in ("server", "incoming"):
        raise SyncError("Choose one of the two values.")
    cls = RECORD_TYPES.get(item.table)
    record = profile.records.get(cls, item.record_id) if cls else None
    queued = False
    if record is not None and cls is not None:
        value = item.server_value if chosen == "server" else item.incoming_value
        setattr(record, item.field, decode_value(cls, item.field, value))
        before = profile.outbox.count()
        profile.records.save(record)
        queued = profile.outbox.count() > before
    client.resolve_conflict(item.id, chosen)
    log.info("conflict %d settled", item.id)
    return queued
