"""Pages fetched ahead (youthwork.sync.feed): the next page is asked for on the cursor read off the end of the last
one's text, and a wrong guess costs a request, never a page."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from youthwork.server.pull import Item, Page
from youthwork.sync.client import SyncClient
from youthwork.sync.feed import PageFeed, next_cursor

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)


def _service_page(n: int, cursor: str, has_more: bool) -> bytes:
    items = [Item("people", f"p{n}-{i}", "upsert", 1, fields={"tags": ["a"], "cursor": "inside"}) for i in range(3)]
    return Page(items, cursor, has_more).to_json(NOW).encode()


def test_the_cursor_is_read_off_the_end_of_the_services_own_text() -> None:
    assert next_cursor(_service_page(1, "c1", True)) == "c1"
    assert next_cursor(_service_page(1, "c1", False)) is None  # no more: nothing to ask for


class Client:
    """Serves pages by cursor and records what was asked for."""

    read_page = staticmethod(SyncClient.read_page)

    def __init__(self) -> None:
        self.asked: list[str | None] = []

    def pull_raw(self, cursor: str | None, limit: int) -> bytes:
        self.asked.append(cursor)
        if cursor is None:
            return _service_page(1, "c1", True)
        if cursor == "c1":
            return _service_page(2, "c2", True)
        assert cursor == "c2", cursor
        return _service_page(3, "c3", False)


def test_the_cursor_cannot_be_misread_from_a_record() -> None:
    """A change's fields may hold `],"cursor":` (a key after a list): only the page's own tail parses to the end."""
    page = {
        "cursor": "c2",
        "has_more": True,
        "server_time": NOW.isoformat(),
        "changes": [
            {
                "table": "people",
                "record_id": "p",
                "op": "upsert",
                "version": 1,
                "fields": {"t": [], "cursor": "x", "has_more": True},
            }
        ],
    }
    assert next_cursor(orjson.dumps(page)) is None


def test_a_wrong_guess_is_asked_again_and_every_page_comes_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from youthwork.sync import feed as module

    # Page 2's cursor misread (it cannot be from the service's text; the check behind the guess must still hold).
    monkeypatch.setattr(module, "next_cursor", lambda raw: "wrong" if b'"c2"' in raw else next_cursor(raw))
    client = Client()
    with PageFeed(client, None, 100) as feed:
        pages = [feed.start().result()]
        while pages[-1].has_more:
            pages.append(feed.after(pages[-1]).result())
    assert [p.cursor for p in pages] == ["c1", "c2", "c3"]
    assert [c.record_id for c in pages[1].changes] == ["p2-0", "p2-1", "p2-2"]
    # Page 1's guess (c1) was used; page 2's (wrong) was asked for, dropped, and c2 asked for again.
    assert client.asked == [None, "c1", "wrong", "c2"]
