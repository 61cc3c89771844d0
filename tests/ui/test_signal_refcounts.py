"""PySide6 6.12.0 on Python 3.11 drops a reference to None/True per slot call and emit, and the app aborts after a
few thousand signals. pyproject.toml caps PySide6 below 6.12; this catches an upgrade that brings the fault back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def take(self, _value: object) -> None:  # returns None: the call that lost a reference on 6.12
        self.count += 1


def test_many_signals_and_slots_leave_none_and_true_alone(qapp):
    emitter, receiver = _Emitter(), _Receiver()
    emitter.fired.connect(receiver.take)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(20_000):
        emitter.fired.emit(i)
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert receiver.count == 20_000
    # A sound binding leaves them within noise; the faulty one loses 20,000 of each.
    assert after[0] > before[0] - 1_000 and after[1] > before[1] - 1_000
