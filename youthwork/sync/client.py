"""The server's sync API as Python calls: every request carries the protocol and schema versions and the device's
clock, and every refusal becomes a SyncError with the server's own plain-English message.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, overload

from pydantic import BaseModel, ValidationError

from youthwork.domain.clock import utc_now
from youthwork.domain.protocol import (
    PROTOCOL_VERSION,
    SCHEMA_VERSION,
    Change,
    ConflictItem,
    ConflictList,
    LoginRequest,
    LoginResponse,
    PullRequest,
    PushRequest,
    PushResponse,
    ResolveRequest,
)
from youthwork.sync.errors import ServerBusy, ServerRefused, SyncError
from youthwork.sync.pages import PageError, PulledPage, decode_page
from youthwork.sync.transport import Transport

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


_STATUS_WORDS = {
    401: "The server did not accept this laptop's sign-in. Connect it again on the Sync page.",
    403: "Your account may not do this.",
    404: "The server does not offer this. Check the server address, or ask for the server to be updated.",
    426: "This version of the app is too old for the server. Install the update; your unsent work is kept.",
}


_NOT_UNDERSTOOD = "The server's answer was not understood. It may be a different version: ask for it to be checked."


class SyncClient:
    def __init__(self, transport: Transport, token: str | None = None, clock: Callable[[], datetime] = utc_now):
        self.transport = transport
        self.token = token
        self.clock = clock

    # ---- calls --------------------------------------------------------------------------------------------------

    def login(self, username: str, password: str, device_name: str) -> LoginResponse:
        body = LoginRequest(username=username, password=password, device_name=device_name)
        return self._call("POST", "/auth/login", body, LoginResponse, auth=False)

    def push(self, changes: list[Change]) -> PushResponse:
        body = PushRequest(
            protocol_version=PROTOCOL_VERSION, schema_version=SCHEMA_VERSION, device_time=self.clock(), changes=changes
        )
        return self._call("POST", "/sync/push", body, PushResponse)

    def pull(self, cursor: str | None, limit: int) -> PulledPage:
        return self.read_page(self.pull_raw(cursor, limit))

    def pull_raw(self, cursor: str | None, limit: int) -> bytes:
        """A pull page's text as it came (see youthwork.sync.feed); `read_page` checks and decodes it."""
        body = PullRequest(
            protocol_version=PROTOCOL_VERSION,
            schema_version=SCHEMA_VERSION,
            device_time=self.clock(),
            cursor=cursor,
            limit=limit,
        )
        return self._answer("POST", "/sync/pull", body)

    @staticmethod
    def read_page(raw: bytes) -> PulledPage:
        try:
            return decode_page(raw)  # checked by hand: the biggest answers by far (see youthwork.sync.pages)
        except PageError:
            raise SyncError(_NOT_UNDERSTOOD) from None

    def confirm_wipe(self) -> None:
        self._call("POST", "/devices/wipe-confirm", None, None)

    def conflicts(self) -> list[ConflictItem]:
        return self._call("GET", "/sync/conflicts", None, ConflictList).conflicts

    def resolve_conflict(self, conflict_id: int, chosen: str) -> ConflictItem:
        body = ResolveRequest(chosen=chosen)
        return self._call("POST", f"/sync/conflicts/{int(conflict_id)}/resolve", body, ConflictItem)

    def receiving_teams(self) -> list[dict[str, str]]:
        """The teams that receive referrals, as the service lists them (GET /referrals/teams)."""
        answer = self._call("GET", "/referrals/teams", None, None)
        teams = answer.get("teams", []) if isinstance(answer, dict) else []
        return [dict(t) for t in teams if isinstance(t, dict)]

    def other_teams(self) -> list[dict[str, str]]:
        """The other teams a young person can move to (GET /team/others): id, name and kind."""
        answer = self._call("GET", "/team/others", None, None)
        teams = answer.get("teams", []) if isinstance(answer, dict) else []
        return [dict(t) for t in teams if isinstance(t, dict)]

    def team_users(self) -> list[dict[str, str]]:
        """The users of this laptop's own team (GET /team/users): id, name and role, to record who worked a session."""
        answer = self._call("GET", "/team/users", None, None)
        users = answer.get("users", []) if isinstance(answer, dict) else []
        return [dict(u) for u in users if isinstance(u, dict)]

    # ---- plumbing -----------------------------------------------------------------------------------------------

    @overload
    def _call(
        self, method: str, path: str, body: BaseModel | dict[str, Any] | None, model: type[M], auth: bool = True
    ) -> M: ...

    @overload
    def _call(
        self, method: str, path: str, body: BaseModel | dict[str, Any] | None, model: None, auth: bool = True
    ) -> Any: ...

    def _call(
        self,
        method: str,
        path: str,
        body: BaseModel | dict[str, Any] | None,
        model: type[BaseModel] | None,
        auth: bool = True,
    ) -> Any:
        """One request; the answer parsed as `model` (None: the decoded JSON), or a SyncError saying what went wrong."""
        raw = self._answer(method, path, body, auth)
        if model is None:
            return _json(raw)
        try:
            return model.model_validate_json(raw)
        except ValidationError:
            raise SyncError(_NOT_UNDERSTOOD) from None

    def _answer(self, method: str, path: str, body: BaseModel | dict[str, Any] | None, auth: bool = True) -> bytes:
        """One request's answer body, or a SyncError for a refusal or a failure of the server."""
        payload = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
        status, raw = self.transport.request(method, path, payload, self.token if auth else None)
        if status >= 500:
            raise ServerBusy("The server is having a problem just now. Your work is safe; sync will try again.")
        if status >= 400:
            data = _json(raw)
            code = data.get("code", "") if isinstance(data, dict) else ""
            message = data.get("message") if isinstance(data, dict) else None
            log.info("server refused %s %s: %s %s", method, path, status, code)
            raise ServerRefused(
                str(message or _STATUS_WORDS.get(status, f"The server refused the request ({status}).")),
                status=status,
                code=str(code),
            )
        return raw


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
