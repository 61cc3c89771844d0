"""Guard against a PySide6 6.12 reference-counting fault on Python 3.11.

PySide6 6.12.0 treats None, True and False as immortal, as they are from Python 3.12 on: every Python slot or
virtual override that returns None, and every `signal.emit()`, gives back one reference it never took. On 3.11
those objects are ordinary, so after a few thousand callbacks Python aborts with "deallocating None" (measured:
one lost reference per QRunnable.run, per slot call returning None, per emit; PySide6 6.11.3 is not affected).

Until the project pins PySide6 < 6.12 or moves to Python 3.12, give the three singletons the same effectively
endless reference count that 3.12 gives them. They are static objects that are never freed, so this changes
nothing else.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_DONE = False
HEADROOM = 1 << 40


def affected() -> bool:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    try:
        import PySide6
    except ImportError:
        return False
    major, minor = (int(p) for p in PySide6.__version__.split(".")[:2])
    return (major, minor) >= (6, 12)


def guard_singleton_refcounts() -> None:
    global _DONE
    if _DONE or not affected():
        return
    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(obj)).value += HEADROOM
    _DONE = True
    log.warning("PySide6 6.12 on Python 3.11: guarding None/True/False reference counts (see ui.qt_guard)")
