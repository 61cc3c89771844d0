"""The offline lease on the command line: once it has run out, every command that reads case records is refused, as
the window is; `sync` and `backup` stay open, and a sync with the real server opens the records again."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from server_process import PASSWORD, ROOT, ServerProcess

from youthwork.domain.records import YoungPerson
from youthwork.keys.slots import Argon2Params
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "brisk otter lantern harbour"
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.mark.slow  # about half a minute: a server and nine CLI runs
def test_an_expired_lease_closes_find_export_report_and_stats_but_not_sync_or_backup(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path)
    server.add_team("Peckham detached", "detached")
    server.add_user("ana", "Peckham detached", name="Ana Worker")
    server.start()
    env = {k: v for k, v in server.env.items() if not k.startswith("YOUTHWORK_PASSPHRASE")}
    env |= {"YOUTHWORK_PASSPHRASE": PASSPHRASE, "YOUTHWORK_PASSWORD": PASSWORD}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

    def youthwork(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "youthwork.cli", *args, "--profile", str(folder)],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    folder = tmp_path / "profile"
    try:
        profile, _ = Profile.create(folder, PASSPHRASE, argon2=FAST_KDF)
        with profile:
            jay = profile.records.save(YoungPerson(first_name="Jay", area="Peckham"))
        assert youthwork("enrol", "--server", server.url, "--username", "ana").returncode == 0
        with Profile.open(folder, PASSPHRASE) as p:  # the server was last reached 15 days ago
            p.set_setting(device.LAST_CONTACT, (datetime.now(UTC) - timedelta(days=15)).isoformat())

        sar = tmp_path / "sar.json"
        for args in (
            ("find", "Jay"),
            ("stats",),
            ("export", "--person", jay.id, "--out", str(sar)),
            ("report", "weekly", "--format", "json"),
        ):
            out = youthwork(*args)
            assert out.returncode == 1, (args, out.stdout)
            assert "has not reached the youthwork server for over 14 days" in out.stderr, (args, out.stderr)
            assert "Jay" not in out.stdout and len(out.stderr.strip().splitlines()) == 1
        assert not sar.exists()

        assert youthwork("backup").returncode == 0  # still open: nothing is shown
        out = youthwork("sync")  # still open: this is how the laptop gets its lease back
        assert out.returncode == 0, out.stderr
        out = youthwork("find", "Jay")
        assert out.returncode == 0 and "Jay" in out.stdout
    finally:
        server.stop()
