"""Suite-wide settings: Qt runs offscreen and nothing touches the real user's profile or keyring."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from tests.ci_skips import pytest_runtest_makereport  # noqa: F401  (under CI=true a skip fails the run)


def _patient_qt_waits() -> None:
    """pytest-qt's waits give up after 5 s. On a shared 2-core machine a window's background job can take longer than
    that without anything being wrong, so a wait with no timeout of its own gets 20 s: a real failure still fails, it
    only takes longer to report."""
    try:
        from pytestqt.qtbot import QtBot
    except ImportError:  # the core's tests run without Qt too
        return
    for name in ("waitUntil", "waitSignal", "waitSignals", "waitExposed", "waitActive", "waitCallback"):
        defaults = getattr(QtBot, name).__kwdefaults__
        if defaults and defaults.get("timeout") == 5000:
            defaults["timeout"] = 20_000


_patient_qt_waits()
