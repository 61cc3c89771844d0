"""The PySide6 6.12 / Python 3.11 reference-count fault (see ui.qt_guard) must not bring the app down."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import ui.qt_guard as guard


class _Emitter(QObject):
    fired = Signal(object)


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def take(self, _value: object) -> None:  # returns None: one lost reference per call on affected versions
        self.count += 1


def test_many_signals_and_slots_do_not_exhaust_none_or_true(qapp):
    emitter, receiver = _Emitter(), _Receiver()
    emitter.fired.connect(receiver.take)
    # Without the guard, Python 3.11 + PySide6 6.12 aborts ("deallocating True") within about 2,000 emits.
    for i in range(20_000):
        emitter.fired.emit(i)
    assert receiver.count == 20_000
    if guard.affected():
        assert sys.getrefcount(None) > guard.HEADROOM // 2
        assert sys.getrefcount(True) > guard.HEADROOM // 2
