"""The entry points: `youthwork` with no subcommand opens the window (checked in a real process, as installed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ui.app import parse_args

ROOT = Path(__file__).resolve().parents[2]


def test_cli_without_subcommand_opens_the_window(profile_dir):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--profile", str(profile_dir), "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "the window opened" in result.stdout
    assert "Traceback" not in result.stderr


def test_arguments():
    args = parse_args(["--profile", "/tmp/x", "--idle-minutes", "2", "-v"])
    assert str(args.profile) == "/tmp/x" and args.idle_minutes == 2 and args.verbose and not args.demo
