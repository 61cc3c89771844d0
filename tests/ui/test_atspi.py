"""A real assistive-technology check: the app under X11 with Qt's AT-SPI bridge, read over D-Bus from the
accessibility bus as a screen reader reads it (at-spi2-core under dbus-run-session; the client is atspi_session.py).

On Add a young person every field is found by its label (a text box by its name, a drop-down by the label it is
"labelled by", as Orca reads them), the navigation is named, and nothing that takes the focus is unnamed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.conftest import FAST_KDF, PASSPHRASE
from youthwork.store.profile import Profile

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("dbus-run-session", "Xvfb", "/usr/libexec/at-spi-bus-launcher")


@pytest.mark.slow  # a D-Bus session, the accessibility bus, an X server and the app: about five seconds
def test_a_screen_reader_finds_the_form_labels_over_at_spi(tmp_path: Path) -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        message = f"no {', '.join(missing)} here (.ci/run installs at-spi2-core, dbus and xvfb)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    profile = tmp_path / "profile"
    Profile.create(profile, PASSPHRASE, worker_name="Sam", argon2=FAST_KDF)[0].close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "AT_SPI", "QT_QPA"))}
    env |= {"XDG_RUNTIME_DIR": str(tmp_path / "run"), "PYTHONPATH": str(ROOT)}
    (tmp_path / "run").mkdir(mode=0o700)
    out = subprocess.run(
        ["dbus-run-session", "--", sys.executable, str(ROOT / "tests/ui/atspi_session.py"), str(profile), PASSPHRASE],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    tree = json.loads(out.stdout.strip().splitlines()[-1])
    assert tree and tree[0]["role"] == "application" and tree[0]["name"] == "youthwork"
    shown = [n for n in tree if n["showing"] and n["focusable"]]
    texts = {n["name"] for n in shown if n["role"] in ("text", "spin box")}
    assert {
        "First name",
        "Last name",
        "Known as",
        "Date of birth",
        "Estimated age",
        "Area or estate",
        "Postcode",
    } <= texts
    assert {"Phone", "Email", "NHS number", "NI number", "School or college", "Consent note"} <= texts
    dropdowns = {label for n in shown if n["role"] == "combo box" for label in n["labelled_by"]}
    assert {"Gender", "Ethnicity", "Education", "Lawful basis"} <= dropdowns
    assert {"role": "list", "name": "Areas"}.items() <= next(n for n in shown if n["role"] == "list").items()
    assert [n for n in shown if not (n["name"] or n["labelled_by"])] == []
