"""Every package of the laptop's dependency set installs from a wheel on Windows and both kinds of Mac.

Resolved for real against the package index (packaging/check_wheels.py): uv for the target's markers, pip for its
wheels. This machine reaches the index; a run without it fails here rather than claiming the platforms are fine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("target", ["win_amd64", "macosx_arm64", "macosx_x86_64"])
def test_the_laptop_dependency_set_is_all_wheels(target: str) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "check_wheels.py"), target],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"ok   {target}" in run.stdout
    assert "sqlcipher3" in run.stdout and "PySide6" in run.stdout
    if target == "win_amd64":
        assert "pywin32-ctypes" in run.stdout, "the target's own markers were used (keyring's Windows backend)"


def test_a_package_without_a_wheel_is_reported(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import check_wheels
    finally:
        sys.path.pop(0)
    with pytest.raises(RuntimeError, match="sqlcipher3-binary"):
        check_wheels.check(check_wheels.TARGETS["win_amd64"], ["sqlcipher3-binary>=0.5.4"])
