"""Run inside `dbus-run-session`: a real GNOME Keyring (Secret Service), the real CLI, and a thief's-eye look.

    dbus-run-session -- python tests/e2e/keyring_session.py PROFILE SERVER_URL

Starts gnome-keyring-daemon unlocked, enrols the profile with the real `youthwork enrol` (keyring's SecretService
backend, as on a desktop), reads what the keyring holds with `secret-tool` (as anyone in the unlocked OS session can),
tries that value as the device token against the server's pull, then syncs with the passphrase. Prints JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from youthwork.domain.protocol import PROTOCOL_VERSION, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    profile, url = sys.argv[1], sys.argv[2]
    daemon = subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize"],
        input="desktop login password\n",
        capture_output=True,
        text=True,
        timeout=30,
    )
    env = dict(os.environ)
    for line in daemon.stdout.splitlines():  # GNOME_KEYRING_CONTROL=...
        if "=" in line:
            name, _, value = line.partition("=")
            env[name] = value
    env.pop("PYTHON_KEYRING_BACKEND", None)  # the real backend, as on a desktop

    def youthwork(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "youthwork.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip

    enrol = youthwork("enrol", "--profile", profile, "--server", url, "--username", "ana")
    found = subprocess.run(
        ["secret-tool", "search", "--all", "service", "youthwork"], env=env, capture_output=True, text=True, timeout=30
    )
    held = [line.split(" = ", 1)[1] for line in found.stdout.splitlines() if line.startswith("secret = ")]
    body = {
        "protocol_version": PROTOCOL_VERSION,
        "schema_version": SCHEMA_VERSION,
        "device_time": "2026-12-01T10:00:00Z",
        "cursor": None,
        "limit": 100,
    }
    tries = [
        httpx.post(f"{url}/api/v1/sync/pull", json=body, headers={"Authorization": f"Bearer {value}"}).status_code
        for value in held
    ]
    sync = youthwork("sync", "--profile", profile)
    print(
        json.dumps(
            {
                "daemon": daemon.returncode,
                "enrol": enrol.returncode,
                "enrol_out": enrol.stdout + enrol.stderr,
                "keyring_items": len(held),
                "keyring_values": held,
                "pull_with_keyring_value": tries,
                "sync": sync.returncode,
                "sync_out": sync.stdout + sync.stderr,
            }
        )
    )


if __name__ == "__main__":
    main()
