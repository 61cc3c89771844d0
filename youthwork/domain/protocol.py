"""The sync wire protocol, shared by the laptop's engine and the central service.

A device pushes batches of changes from its outbox and pulls the server's change log from a cursor. Every request
carries the protocol and schema versions so a too-old client gets a clear answer and keeps its outbox.

Push: each change names a record, the fields it sets, and the server version of the record the edit started from
(`base_version`, 0 for a new record). The server applies a batch in one transaction; a change it has seen before
(same device and `change_id`) returns its stored result, so a resend after a lost reply changes nothing.
A field changed on the server since `base_version` is a conflict: ordinary fields take the later arrival and keep
the losing value in the conflicts list; safety-critical fields keep the server value and queue the incoming one for
review. A bad change is rejected alone, with a reason, and never blocks the rest of the batch.

Pull: the server serves its change log in commit order for the device's scope, a page at a time, with an opaque
cursor. The client applies a page and stores the cursor in one local transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

PROTOCOL_VERSION = 1
# The oldest client protocol the server still accepts.
MIN_PROTOCOL_VERSION = 1
# The record schema both ends speak, and the oldest one the server still accepts.
SCHEMA_VERSION = 1
MIN_SCHEMA_VERSION = 1
MAX_BATCH = 500
MAX_PAGE = 5000
# A device whose clock is further ahead of the server than this is refused: its edits would sort wrongly.
MAX_CLOCK_SKEW_SECONDS = 300

API_PREFIX = "/api/v1"
# The largest sequence number, id or version accepted: the largest whole number a JSON number carries exactly (a
# schema maximum of 2**63 - 1 is read as a float by clients and validators), well inside both databases' 64 bits.
MAX_ID = 2**53 - 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _whole_number(value: Any) -> Any:
    """JSON's whole numbers (1 or 1.0), never true or "1"; pydantic then refuses 1.5."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    return value


def _date_time(value: Any) -> Any:
    """A request's times are ISO 8601 text (or a datetime in Python), never a number read as seconds since 1970."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise ValueError("must be a date and time such as 2026-11-21T10:00:00Z")


# Text the databases can store: no NUL characters (said in the schema, so clients and validators know).
NO_NUL = r"^[^\x00]*$"

# Request fields take exactly what the schema says: a whole number (not true or "1"), an ISO date and time.
Int = Annotated[int, BeforeValidator(_whole_number)]
DateTime = Annotated[datetime, BeforeValidator(_date_time)]


class Change(_Model):
    change_id: str = Field(min_length=1, max_length=64, description="Unique per device; makes a resend harmless")
    table: str = Field(min_length=1, max_length=64)
    record_id: str = Field(min_length=1, max_length=64)
    op: Literal["upsert", "delete"] = "upsert"
    fields: dict[str, Any] = Field(default_factory=dict, description="Changed fields, JSON-encoded values")
    base_version: Int = Field(0, ge=0, le=MAX_ID, description="Server version of the record this edit started from")
    hlc: str = Field("", max_length=64, description="Hybrid logical clock time of the edit on the device")


class PushRequest(_Model):
    protocol_version: Int
    schema_version: Int
    device_time: DateTime
    changes: list[Change] = Field(max_length=MAX_BATCH)


class FieldConflict(_Model):
    field: str
    server_value: Any = None
    incoming_value: Any = None
    kept: Literal["server", "incoming"]


class ChangeResult(_Model):
    change_id: str
    status: Literal["applied", "conflict", "rejected"]
    version: int | None = Field(None, description="The record's server version after this change")
    reason: str | None = None
    conflicts: list[FieldConflict] = Field(default_factory=list)


class PushResponse(_Model):
    results: list[ChangeResult]
    server_time: datetime


class PullRequest(_Model):
    protocol_version: Int
    schema_version: Int
    device_time: DateTime
    cursor: str | None = None
    limit: Int = Field(1000, ge=1, le=MAX_PAGE)


class ServerChange(_Model):
    table: str
    record_id: str
    op: Literal["upsert", "delete"]
    fields: dict[str, Any] = Field(default_factory=dict, description="The record's visible fields (upserts)")
    version: int


class PullResponse(_Model):
    changes: list[ServerChange]
    cursor: str
    has_more: bool
    server_time: datetime
    wipe: bool = Field(False, description="The device must destroy its key and delete its files now")


class LoginRequest(_Model):
    username: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    password: str = Field(min_length=1, max_length=1000, pattern=NO_NUL)
    device_name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)


class LoginResponse(_Model):
    device_id: str
    device_token: str
    user_id: str
    display_name: str
    role: str
    team_id: str
    team_name: str


class ErrorBody(_Model):
    """Every 4xx carries one of these: `code` for programs, `message` in words a youth worker understands."""

    code: str
    message: str


class ConflictItem(_Model):
    """A field two edits disagreed on: both values, which one the server kept, and whether it is settled."""

    id: int
    table: str
    record_id: str
    field: str
    server_value: Any = None
    incoming_value: Any = None
    kept: Literal["server", "incoming"]
    status: str
    created_at: datetime


class ConflictList(_Model):
    conflicts: list[ConflictItem]


class ResolveRequest(_Model):
    """`chosen`: which value the reviewer kept; the value itself travels as an ordinary edit through push."""

    chosen: Literal["server", "incoming"]
