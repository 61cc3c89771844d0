"""Search as you type, off the UI thread, newest query wins.

A keystroke starts a query at once if none is running. Keystrokes that arrive while one runs are folded into a
single follow-up query (the newest text) that starts the moment the running one returns, so results follow the typing
as closely as the store allows and no queue builds up. An optional pause (`delay_ms`) waits for a gap in the typing
first, for queries too costly to run on every key. Each query carries a generation number: a result that a newer
query has overtaken is dropped, so the list never flickers back to older text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ui.workers import Failure, Workers

log = logging.getLogger(__name__)


class DebouncedSearch(QObject):
    """`request(query)` after each change; `results(query, result)` when the newest one is done."""

    results = Signal(object, object)
    failed = Signal(str)

    def __init__(
        self, workers: Workers, run: Callable[[Any], Any], delay_ms: int = 0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.workers = workers
        self._run = run
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start_or_queue)
        self._pending: Any = None
        self._generation = 0
        self._in_flight = 0
        self._queued = False

    def request(self, query: Any, *, now: bool = False) -> None:
        self._pending = query
        self._generation += 1
        if self._timer.interval() > 0 and not now:
            self._timer.start()
        else:
            self._timer.stop()
            self._start_or_queue()

    def cancel(self) -> None:
        self._timer.stop()
        self._queued = False
        self._generation += 1

    @property
    def waiting(self) -> bool:
        """A search is due or running: its results have not arrived yet."""
        return self._timer.isActive() or self._in_flight > 0 or self._queued

    def _start_or_queue(self) -> None:
        if self._in_flight:
            self._queued = True  # one follow-up with the newest text, when the running query returns
        else:
            self._fire()

    def _fire(self) -> None:
        generation, query, run = self._generation, self._pending, self._run

        def job() -> tuple[int, Any, Any]:
            return generation, query, run(query)

        if self.workers.submit(job, self._done, self._failed, "The search did not work. Try again.") is not None:
            self._in_flight += 1

    def _next(self) -> None:
        self._in_flight -= 1
        if self._queued and not self._in_flight:
            self._queued = False
            self._fire()

    def _done(self, payload: tuple[int, Any, Any]) -> None:
        self._next()
        generation, query, result = payload
        if generation != self._generation:
            return  # a newer search is on its way
        self.results.emit(query, result)

    def _failed(self, failure: Failure) -> None:
        self._next()
        self.failed.emit(failure.message)
