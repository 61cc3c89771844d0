"""Under CI=true a skipped test fails the run, unless the CI named its reason in YOUTHWORK_CI_MAY_SKIP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SKIPPING = """
import shutil
import pytest

def test_needs_a_tool():
    if not shutil.which("no-such-tool-here"):
        pytest.skip("no-such-tool-here not installed (Debian: poppler-utils)")

def test_fine():
    assert 'fine'.startswith('f')
"""


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_skipping.py").write_text(SKIPPING)
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "YOUTHWORK_CI_MAY_SKIP")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.ci_skips", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_skip_fails_under_ci(tmp_path: Path) -> None:
    out = _run(tmp_path, CI="true")
    assert out.returncode == 1, out.stdout
    assert "skipped under CI=true: no-such-tool-here not installed" in out.stdout
    assert "1 failed, 1 passed" in out.stdout


def test_outside_ci_a_skip_is_a_skip(tmp_path: Path) -> None:
    out = _run(tmp_path)
    assert out.returncode == 0, out.stdout
    assert "1 passed, 1 skipped" in out.stdout


def test_a_ci_may_name_what_it_cannot_have(tmp_path: Path) -> None:
    out = _run(tmp_path, CI="true", YOUTHWORK_CI_MAY_SKIP="poppler")
    assert out.returncode == 0, out.stdout
    assert "1 passed, 1 skipped" in out.stdout
