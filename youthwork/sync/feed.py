"""Pulled pages fetched and decoded ahead of the writer, with the service working on the next one meanwhile.

A page is a request that needs the cursor the page before ended at. Asked for one after another, the service's work
on a page (about 50 ms for 5,000 rows) and the laptop's reading of the last one (about as long) never overlap: on a
first sync that chain, not writing the rows, was the slowest part. So as soon as a page's bytes are in, its cursor is
read off the end of the text (the service writes `],"cursor":...` after the last change; the last such text in the
answer is that one) and the next page is asked for while this one is decoded. The early answer is used only when
the page that follows is asked for by the same cursor, as the decoded page gives it; otherwise it is asked for
again, so a wrong guess costs one request and nothing else.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import orjson

from youthwork.sync.pages import PulledPage

log = logging.getLogger(__name__)

_TAIL = b'],"cursor":'


def next_cursor(raw: bytes) -> str | None:
    """The cursor a page's text ends at, if it says there is more; None when it doesn't or can't be read cheaply."""
    at = raw.rfind(_TAIL)
    if at < 0:
        return None
    try:
        tail = orjson.loads(b"{" + raw[at + 2 :])
    except orjson.JSONDecodeError:
        return None
    if type(tail) is not dict or tail.get("has_more") is not True or tail.get("wipe", False) is not False:
        return None
    cursor = tail.get("cursor")
    return cursor if type(cursor) is str else None


class PageFeed:
    """`after(page)` is the future of the page after `page` (`start()` of the first one)."""

    def __init__(self, client: Any, cursor: str | None, limit: int) -> None:
        self._client = client
        self._cursor = cursor
        self._limit = limit
        self._http = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-http")
        self._decode = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-decode")
        self._early: tuple[str, Future[bytes]] | None = None  # a request sent on a guessed cursor

    def __enter__(self) -> PageFeed:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._decode.shutdown(wait=True, cancel_futures=True)
        self._http.shutdown(wait=True, cancel_futures=True)

    def start(self) -> Future[PulledPage]:
        return self._decode.submit(self._read, self._cursor)

    def after(self, page: PulledPage) -> Future[PulledPage]:
        return self._decode.submit(self._read, page.cursor)

    def _read(self, cursor: str | None) -> PulledPage:
        early, self._early = self._early, None
        if early is not None and early[0] == cursor:
            raw = early[1].result()
        else:
            if early is not None:
                log.info("the next page was asked for on a wrong guess; asked again")
            raw = self._fetch(cursor).result()
        guess = next_cursor(raw)
        if guess is not None:
            self._early = (guess, self._fetch(guess))
        page: PulledPage = self._client.read_page(raw)
        return page  # a wrong guess is not used: `after` asks for `page.cursor`, and only that matches

    def _fetch(self, cursor: str | None) -> Future[bytes]:
        return self._http.submit(self._client.pull_raw, cursor, self._limit)
