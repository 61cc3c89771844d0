"""Merging an incoming change into the server's record, field by field.

Every record has a server version, bumped by each change that alters it, and remembers for each field the version
that last set it (and the device that set it). A change says which version its edit started from (`base_version`);
a field set on the server after that, by another device, is a conflict. Ordinary fields: the incoming value wins and
the server's is kept in `conflicts`. Safety-critical fields: the server's value stays and the incoming one waits in
`conflicts` for review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from youthwork.domain.policy import RecordPolicy
from youthwork.domain.protocol import FieldConflict
from youthwork.server.batch import Rec


@dataclass(slots=True)
class Merged:
    data: dict[str, Any]
    changed: set[str]
    conflicts: list[FieldConflict] = field(default_factory=list)


def new_record(
    defaults: dict[str, Any], record_id: str, team_id: str, user_id: str, incoming: dict[str, Any]
) -> Merged:
    """A record made by this change: the type's defaults, then what the change sets."""
    data = dict(defaults)
    data.update(id=record_id, team_id=team_id, created_by=user_id)
    data.update(incoming)
    return Merged(data, set(data))


def merge(p: RecordPolicy, rec: Rec, incoming: dict[str, Any], base_version: int, device_id: str) -> Merged:
    """The record with the incoming fields applied, what changed, and the conflicts met on the way."""
    out = Merged(dict(rec.data), set())
    safety = p.safety_critical()
    for name, value in incoming.items():
        server_value = rec.data.get(name)
        if value == server_value:
            continue
        newer = rec.field_versions.get(name, 0) > base_version
        if newer and rec.device_of(name) != device_id:
            kept = "server" if name in safety else "incoming"
            out.conflicts.append(FieldConflict(field=name, server_value=server_value, incoming_value=value, kept=kept))
            if kept == "server":
                continue
        out.data[name] = value
        out.changed.add(name)
    return out
