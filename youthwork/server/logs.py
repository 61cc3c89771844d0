"""The service's log format: one plain line per event, never exception text or a traceback.

An exception's message and traceback (its local values, the SQL and its parameters) can carry a young person's
details, so no log line ever includes them: a record logged with an exception shows only the exception's type. This
covers uvicorn's own loggers too ("Exception in ASGI application", protocol errors), through LOG_CONFIG, which
`youthwork-server serve` hands to uvicorn (and so to every worker process).
"""

from __future__ import annotations

import logging
from typing import Any

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PlainFormatter(logging.Formatter):
    """A formatter that names an attached exception by its type and drops its text, traceback and stack."""

    def format(self, record: logging.LogRecord) -> str:
        exc_type = record.exc_info[0] if record.exc_info else None
        # Formatted on a copy: other handlers of the same record are left as they were.
        plain = logging.makeLogRecord(record.__dict__)
        plain.exc_info = None
        plain.exc_text = None
        plain.stack_info = None
        line = super().format(plain)
        if exc_type is not None:
            line += f" [{exc_type.__name__}]"
        return line

    def formatException(self, ei: Any) -> str:
        return ""

    def formatStack(self, stack_info: str) -> str:
        return ""


LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"()": "youthwork.server.logs.PlainFormatter", "fmt": FORMAT}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        # Request lines name paths with record ids: off (serve also passes access_log=False).
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}


def configure(level: int = logging.WARNING) -> None:
    """The plain format for a command-line run (serve hands uvicorn LOG_CONFIG as well)."""
    handler = logging.StreamHandler()
    handler.setFormatter(PlainFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
