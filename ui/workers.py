"""The one background-job primitive: a `Job` (QRunnable) on a `Workers` pool, with success and failure callbacks.

Workers never touch widgets. Results arrive in the UI thread because the emitter lives there and the receivers are
bound methods of QObjects (queued connections). The pool is joined on close, so no thread outlives the window, and a
result that arrives after `join()` (the store behind it is closing) is dropped, never handed to a callback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from youthwork.domain.errors import ShownError, message_for

log = logging.getLogger(__name__)

DEFAULT_FAILURE = "Something went wrong while loading. Try again."


@dataclass(frozen=True)
class Failure:
    """Why a job failed: `message` is what to show the worker; `error` is there for callers that need its type."""

    error: BaseException
    message: str


class JobSignals(QObject):
    done = Signal(object)
    failed = Signal(object)  # Failure
    finished = Signal()


class Job(QRunnable):
    """Runs `fn()` off the UI thread; emits `done(result)` or `failed(Failure)`, then `finished`."""

    def __init__(self, fn: Callable[[], Any], failure_message: str = DEFAULT_FAILURE) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps the reference until `finished` arrives in the UI thread
        self.fn = fn
        self.failure_message = failure_message
        self.signals = JobSignals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as e:
            if isinstance(e, ShownError):
                log.info("background job stopped: %s", type(e).__name__)
            else:
                # The details can hold personal data: the traceback goes to the log, never to the screen.
                log.exception("background job failed")
            self.signals.failed.emit(Failure(e, message_for(e, self.failure_message)))
        else:
            self.signals.done.emit(result)
        finally:
            self.signals.finished.emit()


class Workers(QObject):
    """A small pool. `join()` waits for everything started here and drops results still on their way."""

    def __init__(self, parent: QObject | None = None, threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        # One thread: store reads are serialised and a newer search simply queues behind an older one.
        self.pool.setMaxThreadCount(threads)
        self._running: set[Job] = set()  # kept alive until `finished` arrives
        self._awaited: set[Job] = set()  # whose result has not yet been handed to its callback
        self.closed = False

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], object],  # what it returns is not used
        on_failed: Callable[[Failure], None] | None = None,
        failure_message: str = DEFAULT_FAILURE,
    ) -> Job | None:
        """Run `fn` in the background; `on_done(result)` or `on_failed(Failure)` in the UI thread. None if closed."""
        if self.closed:
            return None  # the store behind this pool is closing or closed
        job = Job(fn, failure_message)

        def arrived(callback: Callable[[Any], object] | None, value: Any, j: Job = job) -> None:
            # Not busy any more before the callback runs: a key pressed as soon as a result shows must not be
            # refused because the job's `finished` is still on its way from the worker thread.
            self._awaited.discard(j)
            if callback is not None and not self.closed:
                callback(value)

        def forget(j: Job = job) -> None:
            self._running.discard(j)
            self._awaited.discard(j)

        job.signals.done.connect(lambda result: arrived(on_done, result))
        job.signals.failed.connect(lambda failure: arrived(on_failed, failure))
        job.signals.finished.connect(forget)
        self._running.add(job)
        self._awaited.add(job)
        self.pool.start(job)
        return job

    @property
    def busy(self) -> bool:
        """A job has been started and its result has not yet been handed to its callback."""
        return bool(self._awaited)

    def join(self, timeout_ms: int = 10_000) -> bool:
        """Refuse new work, wait for every started job; True if all finished in time."""
        self.closed = True
        self.pool.clear()  # drop queued jobs that have not started
        done = self.pool.waitForDone(timeout_ms)
        self._running.clear()
        self._awaited.clear()
        return done
