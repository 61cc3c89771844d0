"""Python's cyclic garbage collector paused while a report is worked out or a sync pulls.

A quarter's figures build a few hundred thousand small rows (registers, young people, their groups) with no reference
cycles among them; each time the collector runs while they pile up it walks every one of them, which came to a fifth
of the board pack's time. A first sync decodes a dict per pulled row: with the collector on, its CPU grew from one
sync to the next as the heap did (2.1 to 2.8 s for 112,000 rows), and with it paused it was 1.8 s.

Reference counting still frees everything as usual; only the cycle search waits until the
report is done. Pauses nest and may overlap from several threads: the collector is back on when the last one ends (if
it was on before the first).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")

_lock = threading.Lock()
_state = {"depth": 0, "was_on": 0}


@contextmanager
def collection_paused() -> Iterator[None]:
    with _lock:
        if _state["depth"] == 0:
            _state["was_on"] = int(gc.isenabled())
            gc.disable()
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["was_on"]:
                gc.enable()


def without_collection(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """The function, run with the collector paused (see the module's docstring)."""

    @wraps(fn)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with collection_paused():
            return fn(*args, **kwargs)

    return run
