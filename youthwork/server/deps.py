"""Request dependencies: the app's services, the calling device, and the protocol checks every sync call passes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from youthwork.domain.protocol import (
    MAX_CLOCK_SKEW_SECONDS,
    MIN_PROTOCOL_VERSION,
    MIN_SCHEMA_VERSION,
    PROTOCOL_VERSION,
    SCHEMA_VERSION,
)
from youthwork.server import scope
from youthwork.server.auth import Caller, authenticate
from youthwork.server.errors import ApiError

WIPE_REQUIRED = "This laptop has been reported lost and must be wiped. Nothing was saved or sent."

_bearer = HTTPBearer(auto_error=False, description="The device token from /auth/login")


def get_engine(request: Request) -> sa.Engine:
    engine: sa.Engine = request.app.state.engine
    return engine


def get_read_engine(request: Request) -> sa.Engine:
    engine: sa.Engine = request.app.state.read_engine
    return engine


def handshake_caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    """Any device with a live credential, including one marked for wipe: only for the wipe handshake (pull, push and
    wipe-confirm, which tell such a device to wipe and hear that it has)."""
    header = f"Bearer {credentials.credentials}" if credentials else None
    return authenticate(request.app.state.read_engine, request.app.state.settings, header)


def current_caller(caller: Annotated[Caller, Depends(handshake_caller)]) -> Caller:
    """A device with a live credential that is not marked for wipe: every route but the wipe handshake."""
    if caller.wipe_requested:
        raise ApiError(410, "wipe_required", WIPE_REQUIRED)
    return caller


def _may_sync(caller: Caller) -> Caller:
    if not scope.may_sync(caller):
        raise ApiError(403, "role_cannot_sync", "Administrator accounts manage the service; they don't sync records.")
    return caller


def syncing_caller(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
    return _may_sync(caller)


def handshake_syncing_caller(caller: Annotated[Caller, Depends(handshake_caller)]) -> Caller:
    return _may_sync(caller)


def check_protocol(protocol_version: int, schema_version: int, device_time: datetime) -> None:
    if protocol_version < MIN_PROTOCOL_VERSION or schema_version < MIN_SCHEMA_VERSION:
        raise ApiError(
            426,
            "client_too_old",
            "This version of the app is too old for the server. Install the update; your unsent work is kept.",
        )
    if protocol_version > PROTOCOL_VERSION or schema_version > SCHEMA_VERSION:
        raise ApiError(
            400, "server_too_old", "The server is older than this app. Ask your administrator to update the server."
        )
    device = device_time if device_time.tzinfo else device_time.replace(tzinfo=UTC)
    if device - datetime.now(UTC) > timedelta(seconds=MAX_CLOCK_SKEW_SECONDS):
        raise ApiError(
            400,
            "clock_ahead",
            "This laptop's clock is ahead of the server's. Set the correct date and time, then sync again.",
        )


CallerDep = Annotated[Caller, Depends(current_caller)]
SyncCallerDep = Annotated[Caller, Depends(syncing_caller)]
# The wipe handshake only: these let a device marked for wipe through, so the route can tell it to wipe.
HandshakeCallerDep = Annotated[Caller, Depends(handshake_caller)]
HandshakeSyncCallerDep = Annotated[Caller, Depends(handshake_syncing_caller)]
EngineDep = Annotated[sa.Engine, Depends(get_engine)]
# Autocommit on PostgreSQL: only for routes whose reads are single statements and that write nothing.
ReadEngineDep = Annotated[sa.Engine, Depends(get_read_engine)]
