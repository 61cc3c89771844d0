"""The background-job pool: a result shown on screen means the pool is free again, even while the worker thread is
still on its way to `finished` (a slow machine parks it there), so the next key pressed is not silently refused."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from ui.workers import Workers


def test_not_busy_once_the_result_arrives_even_before_finished(qtbot) -> None:
    workers = Workers()
    connected, release = threading.Event(), threading.Event()
    seen: list[tuple[int, bool]] = []
    job = workers.submit(lambda: connected.wait(10) and 42, lambda result: seen.append((result, workers.busy)))
    assert job is not None and workers.busy
    # Hold the worker thread after it has posted `done` and before it emits `finished`.
    job.signals.done.connect(lambda _r: release.wait(10), Qt.ConnectionType.DirectConnection)
    connected.set()
    try:
        qtbot.waitUntil(lambda: bool(seen))
        assert seen == [(42, False)]
        assert not workers.busy
    finally:
        release.set()
    assert workers.join()


def test_a_failure_also_frees_the_pool(qtbot) -> None:
    workers = Workers()
    failures: list[bool] = []

    def boom() -> None:
        raise ValueError("no")

    workers.submit(boom, lambda _r: None, lambda _f: failures.append(workers.busy))
    qtbot.waitUntil(lambda: bool(failures))
    assert failures == [False]
    assert workers.join()
