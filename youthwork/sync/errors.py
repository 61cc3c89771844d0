"""Sync errors. Each carries a `message` a youth worker can read as it is; none ever holds personal data."""

from __future__ import annotations

from youthwork.domain.errors import ShownError


class SyncError(ShownError):
    """Sync could not finish; `message` says why in plain English. Nothing saved on the laptop is lost."""

    retryable = False


class Offline(SyncError):
    """The server could not be reached, or the reply was lost on the way back. Try again later."""

    retryable = True


class ServerBusy(SyncError):
    """The server answered with a temporary failure (5xx)."""

    retryable = True


class ServerRefused(SyncError):
    """The server refused the request for a reason that retrying will not fix (4xx with an error body)."""

    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class NotEnrolled(SyncError):
    """This profile has not been connected to a server yet."""


class DeviceWiped(SyncError):
    """The server said this laptop was reported lost: its key and files have been destroyed."""
