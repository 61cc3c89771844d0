"""Search as you type: a short pause after the last key, then the query runs off the UI thread.

Each search carries a generation number; a result that arrives after a newer search started is dropped, so the
list never flickers back to an older query.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ui.workers import Workers

log = logging.getLogger(__name__)

DEBOUNCE_MS = 150


class DebouncedSearch(QObject):
    """`request(query)` after each change; `results(query, result, elapsed_ms)` when the newest one is done."""

    results = Signal(object, object)
    failed = Signal(str)

    def __init__(
        self, workers: Workers, run: Callable[[Any], Any], delay_ms: int = DEBOUNCE_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.workers = workers
        self._run = run
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._fire)
        self._pending: Any = None
        self._generation = 0
        self._in_flight = 0
        self.last_started = 0.0
        self.last_elapsed_ms = 0.0

    def request(self, query: Any, *, now: bool = False) -> None:
        self._pending = query
        self._generation += 1
        if now:
            self._timer.stop()
            self._fire()
        else:
            self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self._generation += 1

    @property
    def waiting(self) -> bool:
        """A search is due or running: its results have not arrived yet."""
        return self._timer.isActive() or self._in_flight > 0

    def _fire(self) -> None:
        generation, query = self._generation, self._pending
        run = self._run
        self.last_started = time.perf_counter()

        def job() -> tuple[int, Any, Any]:
            return generation, query, run(query)

        self._in_flight += 1
        self.workers.submit(job, self._done, self._failed, "The search did not work. Try again.")

    def _done(self, payload: tuple[int, Any, Any]) -> None:
        self._in_flight -= 1
        generation, query, result = payload
        if generation != self._generation:
            return  # a newer search is on its way
        self.last_elapsed_ms = (time.perf_counter() - self.last_started) * 1000
        self.results.emit(query, result)

    def _failed(self, message: str) -> None:
        self._in_flight -= 1
        self.failed.emit(message)
