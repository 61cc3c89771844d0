"""Under CI=true a skipped test fails the run: in CI a skip means a tool CI should have installed is missing, and a
green run that skipped it proves nothing (a test once skipped because another process held the package lock).

A CI that cannot have a tool says so: YOUTHWORK_CI_MAY_SKIP lists words, comma-separated, of the skip reasons it
accepts (the Windows and macOS runners have no poppler: "poppler"). Tests deselected by a marker (-m "not slow") are
not skips. tests/conftest.py loads this; tests/core/test_ci_skips.py checks it.
"""

from __future__ import annotations

import os
from typing import Any

import pytest


def _reason(report: pytest.TestReport) -> str:
    longrepr: Any = report.longrepr
    text = str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr or "")
    return text.removeprefix("Skipped: ")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not report.skipped or os.environ.get("CI", "").lower() != "true" or hasattr(report, "wasxfail"):
        return
    reason = _reason(report)
    allowed = [w.strip().lower() for w in os.environ.get("YOUTHWORK_CI_MAY_SKIP", "").split(",") if w.strip()]
    if any(w in reason.lower() for w in allowed):
        return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped under CI=true: {reason}\n"
        "CI must have what this test needs (.ci/run installs it); if this CI cannot, add a word of the reason to "
        "YOUTHWORK_CI_MAY_SKIP."
    )
