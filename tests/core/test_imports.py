"""The core runs without Qt: importing it never pulls in PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_without_pyside6():
    code = (
        "import sys\n"
        "import youthwork, youthwork.domain, youthwork.store.profile, youthwork.services, youthwork.security.secrets\n"
        "import youthwork.cli, youthwork.demo_data, youthwork.domain.hlc, youthwork.config\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
