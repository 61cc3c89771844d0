"""The laptop reads pull pages with its own decoder (youthwork.sync.pages), not pydantic: it must accept exactly what
the service's `PullResponse` schema accepts in the forms the service writes, with the same values, and refuse
anything that schema refuses.

The property runs fresh examples every run and prints its seed (YOUTHWORK_PROPERTY_SEED replays a run).
"""

from __future__ import annotations

import os
import random
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from youthwork.domain.protocol import PullResponse
from youthwork.sync.pages import PageError, decode_page

SEED = int(os.environ.get("YOUTHWORK_PROPERTY_SEED") or random.SystemRandom().randrange(2**32))

TIMES = ["2026-12-01T10:00:00+00:00", "2026-12-01T10:00:00.123456+00:00", "2026-12-01T10:00:00Z"]
# Not a time the service writes, and not one the laptop may guess at: no offset, a date alone, a number.
BAD_TIMES: list[Any] = [
    "2026-12-01T10:00:00",
    "2026-12-01T10:00:00.5",
    "2026-12-01",
    "yesterday",
    "",
    1764583200,
    None,
    True,
]
ODD: list[Any] = [None, True, False, 0, 1, -1, 1.5, 2.0, "", "x", "1", [], {}, ["a"], {"a": 1}]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def changes(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "table": draw(st.sampled_from(["people", "sessions", "attendance", "x"])),
        "record_id": draw(st.text(min_size=1, max_size=12)),
        "op": draw(st.sampled_from(["upsert", "delete"])),
        "fields": draw(st.dictionaries(st.text(max_size=10), json_values, max_size=5)),
        "version": draw(st.integers(0, 2**53)),
    }


CHANGE_KEYS = ["table", "record_id", "op", "fields", "version"]
PAGE_KEYS = ["changes", "cursor", "has_more", "server_time", "wipe"]


@st.composite
def pages(draw: st.DrawFn) -> Any:
    """A page as the service writes it, or one with one thing wrong: a field dropped, given an odd value, an
    unknown one added (on the page or on one of its changes), a bad time, or not an object at all."""
    page: dict[str, Any] = {
        "changes": draw(st.lists(changes(), max_size=6)),
        "cursor": draw(st.text(max_size=10)),
        "has_more": draw(st.booleans()),
        "server_time": draw(st.sampled_from(TIMES)),
    }
    if draw(st.booleans()):
        page["wipe"] = draw(st.booleans())
    spoil = draw(st.sampled_from(["none", "none", "drop", "odd", "odd", "odd", "extra", "time", "not an object"]))
    if spoil == "not an object":
        return draw(st.sampled_from(ODD))
    if spoil == "time":
        page["server_time"] = draw(st.sampled_from(BAD_TIMES))
        return page
    target, keys = page, PAGE_KEYS
    if page["changes"] and draw(st.booleans()):
        target, keys = draw(st.sampled_from(page["changes"])), CHANGE_KEYS
    if spoil == "drop":
        target.pop(draw(st.sampled_from(keys)), None)
    elif spoil == "odd":
        target[draw(st.sampled_from(keys))] = draw(st.sampled_from(ODD))
    elif spoil == "extra":
        target[draw(st.sampled_from(["extra", "Table"]))] = draw(st.sampled_from(ODD))
    return page


def _as_plain(model: PullResponse) -> dict[str, Any]:
    return {
        "changes": [_typed(c.table, c.record_id, c.op, c.fields, c.version) for c in model.changes],
        "cursor": _typed(model.cursor),
        "has_more": _typed(model.has_more),
        "server_time": model.server_time,
        "wipe": _typed(model.wipe),
    }


def _typed(*values: Any) -> tuple[tuple[type, Any], ...]:
    """Values with their types: 1 == True in Python, but not on the wire."""
    return tuple((type(v), v) for v in values)


@pytest.mark.parametrize("run", [0])
def test_the_page_decoder_accepts_what_the_schema_accepts_and_nothing_else(run: int) -> None:
    print(f"property seed: {SEED} (YOUTHWORK_PROPERTY_SEED={SEED} replays it)")
    accepted, refused = [0], [0]

    @seed(SEED + run)
    @settings(max_examples=1000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(pages())
    def check(page: Any) -> None:
        raw = orjson.dumps(page)
        try:
            ours = decode_page(raw)
        except PageError:
            ours = None
        try:
            theirs = PullResponse.model_validate_json(raw)
        except ValidationError:
            theirs = None
        if ours is None:
            refused[0] += 1
            # Refused here: the schema refuses it too, or it is a form the service never writes (a page with
            # `fields` left out is read; numbers as text, 2.0 for 2, a time with no offset are not).
            assert theirs is None or _lenient_only(page), page
            return
        accepted[0] += 1
        assert theirs is not None, page
        assert {
            "changes": [_typed(c.table, c.record_id, c.op, c.fields, c.version) for c in ours.changes],
            "cursor": _typed(ours.cursor),
            "has_more": _typed(ours.has_more),
            "server_time": ours.server_time,
            "wipe": _typed(ours.wipe),
        } == _as_plain(theirs)

    check()
    assert accepted[0] > 100 and refused[0] > 100, (accepted, refused)


def _lenient_only(page: Any) -> bool:
    """pydantic's lax mode takes these; the service never sends them and the laptop need not."""
    if not isinstance(page, dict):
        return False
    odd_page = page.get("server_time") not in TIMES or any(
        type(page.get(k)) is not bool for k in ("has_more", "wipe") if k in page
    )
    odd_change = any(
        isinstance(c, dict) and (type(c.get("version")) is not int or not isinstance(c.get("record_id"), str))
        for c in page.get("changes") or []
    )
    return odd_page or odd_change


def test_a_page_as_the_service_writes_it_reads_back() -> None:
    raw = (
        b'{"changes":[{"table":"people","record_id":"p1","op":"upsert","fields":{"first_name":"Jay"},"version":3},'
        b'{"table":"people","record_id":"p2","op":"delete","fields":{},"version":4}],"cursor":"c9","has_more":true,'
        b'"server_time":"2026-12-01T10:00:00.123456+00:00","wipe":false}'
    )
    page = decode_page(raw)
    assert [(c.record_id, c.op, c.fields, c.version) for c in page.changes] == [
        ("p1", "upsert", {"first_name": "Jay"}, 3),
        ("p2", "delete", {}, 4),
    ]
    assert (page.cursor, page.has_more, page.wipe) == ("c9", True, False)
    assert page.server_time.isoformat() == "2026-12-01T10:00:00.123456+00:00"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[]",
        b'{"changes":[],"cursor":"c","has_more":false}',
        b'{"changes":[],"cursor":"c","has_more":false,"server_time":"2026-12-01T10:00:00Z","more":1}',
        b'{"changes":[{"table":"people","record_id":"p","op":"merge","fields":{},"version":1}],"cursor":"c",'
        b'"has_more":false,"server_time":"2026-12-01T10:00:00Z"}',
        b'{"changes":[{"table":"people","record_id":"p","op":"upsert","fields":{},"version":true}],"cursor":"c",'
        b'"has_more":false,"server_time":"2026-12-01T10:00:00Z"}',
        b'{"changes":[{"table":"people","record_id":"p","op":"upsert","fields":[],"version":1}],"cursor":"c",'
        b'"has_more":false,"server_time":"2026-12-01T10:00:00Z"}',
        b'{"changes":[],"cursor":"c","has_more":false,"server_time":"2026-12-01T10:00:00"}',
        b'{"changes":[],"cursor":"c","has_more":false,"server_time":"2026-12-01T10:00:00.123"}',
    ],
)
def test_what_is_not_a_page_is_refused(raw: bytes) -> None:
    with pytest.raises(PageError):
        decode_page(raw)
