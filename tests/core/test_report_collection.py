"""The reports pause Python's cycle collector while they run (youthwork.domain.collection) and always put it back."""

from __future__ import annotations

import gc
import threading

import pytest

from youthwork.domain.collection import collection_paused, without_collection


def test_paused_inside_and_back_after_nesting_and_errors() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    with pytest.raises(ValueError), collection_paused():
        raise ValueError("a report that fails")
    assert gc.isenabled()


def test_left_off_when_it_was_off_before() -> None:
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_from_two_threads() -> None:
    inside, release = threading.Event(), threading.Event()

    @without_collection
    def slow_report() -> str:
        inside.set()
        release.wait(10)
        return "done"

    results: list[str] = []
    worker = threading.Thread(target=lambda: results.append(slow_report()))
    worker.start()
    assert inside.wait(10)
    with collection_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's report is still running
    release.set()
    worker.join(10)
    assert results == ["done"] and gc.isenabled()
