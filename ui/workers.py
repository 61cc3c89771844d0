"""Background work: QRunnables on a QThreadPool that report through a QObject's signals.

Workers never touch widgets. Results arrive in the UI thread because the emitter lives there and the receivers are
bound methods of QObjects (queued connections). The pool is joined on close, so no thread outlives the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(str)
    finished = Signal()


class Task(QRunnable):
    """Runs `fn()` off the UI thread; emits `done(result)` or `failed(plain message)`, then `finished`."""

    def __init__(self, fn: Callable[[], Any], failure_message: str) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps the reference until `finished` arrives in the UI thread
        self.fn = fn
        self.failure_message = failure_message
        self.signals = TaskSignals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception:
            # The details can hold personal data: log the type only.
            log.exception("background task failed")
            self.signals.failed.emit(self.failure_message)
        else:
            self.signals.done.emit(result)
        finally:
            self.signals.finished.emit()


class Workers(QObject):
    """A small pool owned by the main window. `join()` waits for everything started here."""

    def __init__(self, parent: QObject | None = None, threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        # One thread: store reads are serialised and a newer search simply queues behind an older one.
        self.pool.setMaxThreadCount(threads)
        self._running: set[Task] = set()
        self.closed = False

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None] | None = None,
        failure_message: str = "Something went wrong while loading. Try again.",
    ) -> Task | None:
        if self.closed:
            return None  # the store behind this pool is closing or closed
        task = Task(fn, failure_message)
        task.signals.done.connect(on_done)
        if on_failed is not None:
            task.signals.failed.connect(on_failed)
        task.signals.finished.connect(self._forget)
        self._running.add(task)
        self.pool.start(task)
        return task

    def _forget(self) -> None:
        sender = self.sender()
        self._running = {t for t in self._running if t.signals is not sender}

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def join(self, timeout_ms: int = 10_000) -> bool:
        """Refuse new work, wait for every started task; True if all finished in time."""
        self.closed = True
        self.pool.clear()  # drop queued tasks that have not started
        return self.pool.waitForDone(timeout_ms)
