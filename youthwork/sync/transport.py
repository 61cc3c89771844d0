"""Getting requests to the server and answers back: over httpx, or (in tests) any object with the same method.

The engine sees only `Transport.request(method, path, body, token) -> (status, body bytes)`, so a test can put a network
that drops, duplicates, delays and reorders requests between the engine and a real server app.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

import httpx

from youthwork.domain.protocol import API_PREFIX
from youthwork.sync.errors import Offline

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class Transport(Protocol):
    def request(self, method: str, path: str, body: dict[str, Any] | None, token: str | None) -> tuple[int, bytes]:
        """Send one request under API_PREFIX; return the status and the raw body (the client decodes it)."""
        ...


class HttpTransport:
    """HTTPS/JSON over one keep-alive httpx client. `client` may be given (tests pass Starlette's TestClient)."""

    def __init__(self, base_url: str = "", *, client: httpx.Client | None = None, timeout: Any = DEFAULT_TIMEOUT):
        self._own = client is None
        self._client = client or httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)

    def request(self, method: str, path: str, body: dict[str, Any] | None, token: str | None) -> tuple[int, bytes]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            response = self._client.request(method, API_PREFIX + path, json=body, headers=headers)
        except httpx.InvalidURL:
            raise Offline("The server address is not valid. Check it on the Sync page.") from None
        except httpx.TransportError as e:
            # The kind of failure only: the text may name hosts or paths.
            log.info("server not reached: %s", type(e).__name__)
            raise Offline("The server could not be reached. Your work is safe on this laptop.") from None
        return response.status_code, response.content

    def close(self) -> None:
        if self._own:
            self._client.close()
