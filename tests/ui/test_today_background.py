"""Today works its lines out off the UI thread, on a connection of its own (at 100,000 young people they took
~0.4 s, which froze the window each time Today was shown), and shows only the newest answer."""

from __future__ import annotations

import threading

import ui.today
from tests.ui.conftest import unlock
from youthwork.domain.records import YoungPerson


def test_today_is_worked_out_in_the_background_on_its_own_connection(qtbot, make_window, seed, monkeypatch) -> None:
    seed(lambda b: b.people.add(YoungPerson(first_name="Jay")))
    seen: list[tuple[threading.Thread, object]] = []
    real = ui.today.gather

    def gather(backend):  # type: ignore[no-untyped-def]
        seen.append((threading.current_thread(), backend.profile))
        return real(backend)

    monkeypatch.setattr(ui.today, "gather", gather)
    window = make_window()
    unlock(qtbot, window)
    today = window.workspace.today
    qtbot.waitUntil(lambda: "Last 7 days: 0 sessions logged" in today.week.text())
    thread, connection = seen[-1]
    assert thread is not threading.main_thread()
    assert connection is not window.workspace.backend.profile  # never waits on the UI thread's connection


def test_an_older_answer_arriving_late_is_not_shown(qtbot, make_window, seed) -> None:
    seed(lambda b: None)
    window = make_window()
    unlock(qtbot, window)
    today = window.workspace.today
    qtbot.waitUntil(lambda: "Last 7 days" in today.week.text())
    shown = today.week.text()
    with qtbot.waitSignal(today.shown):
        today.refresh()  # asks again: the answer to the first ask is now out of date
        today._show(today._asked - 1, ("an out-of-date answer", []))
        assert today.week.text() == shown
    assert today.week.text() == shown
