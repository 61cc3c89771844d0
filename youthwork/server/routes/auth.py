"""Signing in and enrolling a device; confirming a wipe."""

from __future__ import annotations

from fastapi import APIRouter, Request

from youthwork.domain.protocol import LoginRequest, LoginResponse
from youthwork.server.auth import confirm_wipe
from youthwork.server.deps import EngineDep, HandshakeCallerDep
from youthwork.server.errors import ERROR_RESPONSES, ApiError
from youthwork.server.models import WipeConfirmation
from youthwork.server.values import text_problem

router = APIRouter(responses=ERROR_RESPONSES)


@router.post("/auth/login", response_model=LoginResponse, tags=["auth"])
def login(body: LoginRequest, request: Request, engine: EngineDep) -> LoginResponse:
    """Check the username and password and enrol this device; the device token returned is shown only once."""
    if problem := text_problem([body.username, body.password, body.device_name]):
        raise ApiError(422, "invalid_request", problem)
    address = request.client.host if request.client else "unknown"
    reply: LoginResponse = request.app.state.login_gate.login(engine, body, address)
    return reply


@router.post("/devices/wipe-confirm", response_model=WipeConfirmation, tags=["auth"])
def wipe_confirm(caller: HandshakeCallerDep, engine: EngineDep) -> WipeConfirmation:
    """The device has destroyed its key and deleted its files: its credential stops working."""
    if not caller.wipe_requested:
        raise ApiError(409, "no_wipe_requested", "This laptop has not been asked to wipe itself.")
    confirm_wipe(engine, caller)
    return WipeConfirmation(device_id=caller.device_id, wiped=True)
