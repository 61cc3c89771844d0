"""Reading a pulled page: the service's `PullResponse` JSON checked and decoded in one pass.

An initial sync is mostly this: 112,000 rows came as about 54 MB of JSON. pydantic's `model_validate_json` took
1.1-1.5 s of CPU to build and check a `ServerChange` object per row, on the thread that fetches the next page while
the last one is written, sharing the interpreter lock with the writer. orjson decodes the same pages in a third of
that, and the shape `PullResponse` declares is checked here by hand on plain values: the same fields, no others,
each of its declared type. Whatever this accepts, `PullResponse` accepts with the same values
(tests/sync/test_pages.py); the service's schema stays the pydantic model.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, Protocol

import orjson

_OPS = frozenset(("upsert", "delete"))
_CHANGE_KEYS = frozenset(("table", "record_id", "op", "fields", "version"))
_PAGE_KEYS = frozenset(("changes", "cursor", "has_more", "server_time", "wipe"))


class PageError(ValueError):
    """The answer is not a pull page this app understands."""


class PulledChange(Protocol):
    """What applying a page reads of each change: a `ServerChange`, or a `Pulled` decoded here."""

    @property
    def table(self) -> str: ...
    @property
    def record_id(self) -> str: ...
    @property
    def op(self) -> str: ...
    @property
    def fields(self) -> dict[str, Any]: ...
    @property
    def version(self) -> int: ...


class Pulled(NamedTuple):  # a tuple: built in C, 5,000 to a page
    table: str
    record_id: str
    op: str
    fields: dict[str, Any]
    version: int


@dataclass(frozen=True, slots=True)
class PulledPage:
    changes: Sequence[PulledChange]
    cursor: str
    has_more: bool
    server_time: datetime
    wipe: bool = False


def decode_page(raw: bytes) -> PulledPage:
    """The page in `raw`, or PageError if it is not one."""
    try:
        page = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise PageError("not JSON") from None
    if type(page) is not dict or not (page.keys() <= _PAGE_KEYS):
        raise PageError("not a page")
    try:
        changes, cursor, has_more, when = page["changes"], page["cursor"], page["has_more"], page["server_time"]
    except KeyError:
        raise PageError("a page's field is missing") from None
    wipe = page.get("wipe", False)
    if type(changes) is not list or type(cursor) is not str or type(has_more) is not bool or type(wipe) is not bool:
        raise PageError("a page's field has the wrong type")
    return PulledPage(_changes(changes), cursor, has_more, _server_time(when), wipe)


def _changes(items: list[Any]) -> list[Pulled]:
    """Each change: an object of at most the five declared keys (`fields` may be left out: an empty dict)."""
    out: list[Pulled] = []
    add, keys, ops = out.append, _CHANGE_KEYS, _OPS
    for c in items:
        if type(c) is not dict or not (c.keys() <= keys):
            raise PageError("a change is not in the expected shape")
        table, rid, op, version = c.get("table"), c.get("record_id"), c.get("op"), c.get("version")
        fields = c.get("fields", {})
        if (
            type(table) is not str
            or type(rid) is not str
            or type(op) is not str
            or op not in ops
            or type(fields) is not dict
            or type(version) is not int
        ):
            raise PageError("a change's field has the wrong type")
        add(Pulled(table, rid, op, fields, version))
    return out


def _server_time(value: Any) -> datetime:
    """ISO 8601 with its offset, as the service writes it ("2026-12-01T10:00:00.123456+00:00" or "...Z")."""
    when = None
    if type(value) is str and len(value) >= 20 and value[10] == "T":
        with suppress(ValueError):
            when = datetime.fromisoformat(value)
    if when is None or when.tzinfo is None:
        raise PageError("the server's time is not a date and time with its offset")
    return when
