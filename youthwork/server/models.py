"""Request and response models of the service's own routes (the sync ones are in youthwork.domain.protocol)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from youthwork.domain.protocol import NO_NUL


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Health(_Model):
    status: str
    protocol_version: int
    min_protocol_version: int
    server_time: datetime


class WipeConfirmation(_Model):
    device_id: str
    wiped: bool


class InboxEvent(_Model):
    id: str
    action: str
    by_user_id: str
    at: str
    reason: str = ""
    outcome: str = ""
    allocated_to: str = ""
    note: str = ""


class InboxReferral(_Model):
    id: str
    version: int
    from_team_id: str
    from_team_name: str
    to_agency: str
    status: str
    urgency: str
    reason: str
    risk_indicators: list[str] = Field(default_factory=list)
    lawful_basis: str | None = None
    sent_at: str | None = None
    person: dict[str, Any] = Field(default_factory=dict, description="The part of the young person's record shared")
    events: list[InboxEvent] = Field(default_factory=list)


class InboxList(_Model):
    referrals: list[InboxReferral]


class InboxActionRequest(_Model):
    reason: str = Field("", max_length=4000, pattern=NO_NUL, description="Required to decline")
    outcome: str = Field("", max_length=4000, pattern=NO_NUL, description="Required to close")
    allocated_to: str = Field(
        "", max_length=200, pattern=NO_NUL, description="The worker's user id, required to allocate"
    )
    note: str = Field("", max_length=4000, pattern=NO_NUL)


class InboxActionResult(_Model):
    referral_id: str
    event_id: str
    status: str
    version: int


class ReceivingTeam(_Model):
    id: str
    name: str
    kind: str


class ReceivingTeams(_Model):
    teams: list[ReceivingTeam]


class TeamUser(_Model):
    id: str
    name: str
    role: str


class TeamUsers(_Model):
    users: list[TeamUser]
