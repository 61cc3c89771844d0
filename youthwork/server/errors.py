"""API errors: every refusal is an ErrorBody with a code for programs and a message a youth worker understands."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from youthwork.domain.protocol import ErrorBody

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorBody(code=code, message=message).model_dump(), status_code=status, headers=headers)


# OpenAPI: the error responses every route may give.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": what}
    for status, what in (
        (400, "Bad request (versions, clock, cursor, a referral step without its reason or outcome)"),
        (401, "Not signed in, or the device's access was withdrawn"),
        (403, "Your role or team may not do this"),
        (404, "Not found"),
        (409, "Not possible in the record's current state"),
        (410, "This device must be wiped"),
        (413, "Request too large"),
        (422, "The request is not in the expected shape"),
        (426, "This app is too old for the server"),
        (429, "Too many attempts"),
        (503, "The server is busy"),
    )
}

_STATUS_CODES = {
    400: "bad_request",
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}


def _describe(errors: list[Any]) -> str:
    """The first problem in plain words, naming where it is (never echoing the value, which may be personal)."""
    if not errors:
        return "The request is not in the expected shape."
    err = errors[0]
    if err.get("type") == "json_invalid":
        return "The request is not valid JSON."
    where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "the request"
    if err.get("type") == "string_pattern_mismatch":
        return f"Problem with {where}: text can't contain NUL characters."
    return f"Problem with {where}: {err.get('msg', 'not valid')}."


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _describe(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else "The request could not be handled."
        if exc.status_code == 404:
            message = "There is nothing at this address."
        elif exc.status_code == 405:
            message = "This address does not accept that kind of request."
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(sa.exc.DataError)
    async def _data(_request: Request, _exc: sa.exc.DataError) -> JSONResponse:
        # A value the database can't hold (a number too big, say) that got past the checks: the request's fault.
        return _out_of_range()

    @app.exception_handler(OverflowError)
    async def _overflow(_request: Request, _exc: OverflowError) -> JSONResponse:
        # SQLite's driver refuses an integer beyond 64 bits before the database sees it (PostgreSQL: DataError).
        log.warning("out-of-range value refused (%s)", type(_exc).__name__)
        return _out_of_range()

    @app.exception_handler(sa.exc.DBAPIError)
    async def _db(_request: Request, exc: sa.exc.DBAPIError) -> JSONResponse:
        log.warning("database error %s", type(exc.orig).__name__)
        return error_response(503, "busy", "The server can't reach its database just now. Try again shortly.")

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        # The type and a short reference only: exception text and tracebacks can carry record contents.
        ref = secrets.token_hex(4)
        log.error("unexpected error %s (reference %s)", type(exc).__name__, ref)
        return error_response(
            500, "server_error", f"Something went wrong on the server (reference {ref}). Nothing was changed."
        )


def _out_of_range() -> JSONResponse:
    return error_response(422, "invalid_value", "A value in the request is out of range or not allowed.")


class AlreadyLogged:
    """Outermost ASGI layer: Starlette re-raises an unexpected error after its handler has answered and logged it
    (so that the server logs it again, traceback and all). Here it stops: the handler's one line is the log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if not started or scope["type"] != "http":
                raise  # nothing answered yet: let the server close the connection (its log is plain too)
            log.debug("unexpected error %s already answered", type(exc).__name__)


def install_quiet_errors(app: FastAPI) -> None:
    """Put AlreadyLogged outside Starlette's ServerErrorMiddleware (add_middleware would put it inside)."""
    build = app.build_middleware_stack

    def build_middleware_stack() -> ASGIApp:
        return AlreadyLogged(build())

    app.build_middleware_stack = build_middleware_stack  # type: ignore[method-assign]
