"""The sync credential under a real Secret Service keyring: what the keyring holds can't pull the team's feed.

GNOME Keyring runs under `dbus-run-session` (installed by .ci/run: gnome-keyring, dbus, libsecret-tools). The laptop
is enrolled with the real CLI and keyring's SecretService backend. Anyone in the unlocked desktop session can list
the keyring (`secret-tool search --all service youthwork`); the value found there is sealed under a key inside the
encrypted store, so offered to the server as the device token it is refused, while `youthwork sync` with the
passphrase works. Skipped, saying why, where the keyring tools are missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from server_process import PASSWORD, ROOT, ServerProcess

from youthwork.security.secrets import IN_KEYRING, SEALED
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "brisk otter lantern harbour"
TOOLS = ("dbus-run-session", "gnome-keyring-daemon", "secret-tool")


@pytest.mark.slow  # a D-Bus session, a keyring daemon and a server: about ten seconds
def test_the_keyring_alone_cannot_pull_from_the_service(tmp_path: Path) -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip(f"no {', '.join(missing)} here (.ci/run installs gnome-keyring, dbus and libsecret-tools)")
    server = ServerProcess(tmp_path)
    server.add_team("Peckham detached", "detached")
    server.add_user("ana", "Peckham detached", name="Ana Worker")
    server.start()
    try:
        profile = tmp_path / "profile"
        Profile.create(profile, PASSPHRASE)[0].close()
        env = {k: v for k, v in server.env.items() if k != "PYTHON_KEYRING_BACKEND"}
        env |= {"YOUTHWORK_PASSPHRASE": PASSPHRASE, "YOUTHWORK_PASSWORD": PASSWORD}
        home = tmp_path / "home"  # the keyring's files go here, not in the real user's home
        env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / "share"), "XDG_RUNTIME_DIR": str(home / "run")}
        (home / "run").mkdir(parents=True, mode=0o700)
        out = subprocess.run(
            ["dbus-run-session", "--", sys.executable, str(ROOT / "tests" / "e2e" / "keyring_session.py"),
             str(profile), server.url],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        seen = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        server.stop()
    assert seen["daemon"] == 0 and seen["enrol"] == 0, seen
    assert IN_KEYRING in seen["enrol_out"]  # the app says which it uses
    assert "full-disk encryption" in seen["enrol_out"]  # and tells the organisation what it must do
    # The real keyring holds it (so this is not the "no keyring" path), sealed: the thief's copy is refused.
    assert seen["keyring_items"] == 1 and seen["keyring_values"][0].startswith(SEALED)
    assert seen["pull_with_keyring_value"] == [401], seen
    assert seen["sync"] == 0, seen["sync_out"]  # with the passphrase, the same credential works
    with Profile.open(profile, PASSPHRASE) as p:
        assert p.db.scalar("SELECT count(*) FROM secrets WHERE name = ?", (device.TOKEN_SECRET,)) == 0
