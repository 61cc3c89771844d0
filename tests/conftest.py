"""Suite-wide settings: Qt runs offscreen and nothing touches the real user's profile or keyring."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from tests.ci_skips import pytest_runtest_makereport  # noqa: F401  (under CI=true a skip fails the run)
