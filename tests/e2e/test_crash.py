"""Crash safety: a driver process that writes records through the service and syncs with a real `youthwork-server`
on loopback is killed with SIGKILL at random moments, 100 times. After every kill the store opens, every record the
driver reported committed is there, and the outbox is consistent (each record either acknowledged by the server or
still waiting). A final sync then leaves the server with every record exactly once.

A full disk during a save (a small tmpfs, as root) is a plain StoreError and the file stays whole.

Figures (how many kills landed in a write and how many in a sync) are printed: run with -s to see them.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import keyring.backends.fail
import pytest
from server_process import PASSWORD, ROOT, ServerProcess

from youthwork.domain.records import YoungPerson
from youthwork.keys.slots import Argon2Params
from youthwork.security.secrets import use_backend
from youthwork.services.people import PeopleService
from youthwork.services.sync import sync_engine
from youthwork.store.errors import StoreError
from youthwork.store.profile import Profile
from youthwork.sync import device

PASSPHRASE = "brisk otter lantern harbour"
FAST_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)
KILLS = int(os.environ.get("YOUTHWORK_CRASH_KILLS", "100"))
MAX_DELAY_MS = 400  # kill 0-400 ms after the driver has opened the store
DRIVER = Path(__file__).with_name("crash_driver.py")


@pytest.fixture
def server(tmp_path: Path, database_url: str | None) -> Iterator[ServerProcess]:
    s = ServerProcess(tmp_path, database_url)
    s.admin("add-team", "Peckham detached", "--kind", "detached")
    s.admin("add-user", "ana", "--name", "Ana Worker", "--role", "worker", "--team", "Peckham detached")
    s.start()
    yield s
    s.stop()


def enrolled_profile(directory: Path, url: str) -> None:
    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Ana Worker", argon2=FAST_KDF)
    with profile:
        use_backend(profile, keyring.backends.fail.Keyring())  # token inside the store
        device.enrol(profile, url, "ana", PASSWORD)


def check_store(directory: Path, committed: set[str]) -> int:
    """The store opens, holds every committed record, and each record is acknowledged xor waiting."""
    with Profile.open(directory, PASSPHRASE) as p:
        assert p.db.scalar("PRAGMA quick_check") == "ok"
        rows = {r[0]: r[1] for r in p.db.query("SELECT id, _server_version FROM people")}
        missing = committed - rows.keys()
        assert not missing, f"{len(missing)} committed records lost"
        waiting = Counter(r[0] for r in p.db.query("SELECT record_id FROM outbox WHERE tbl = 'people'"))
        assert not (waiting.keys() - rows.keys()), "an outbox entry for a record that is not there"
        assert all(n == 1 for n in waiting.values()), "a record queued twice"
        for rid, version in rows.items():
            assert (version > 0) != (rid in waiting), f"record neither acknowledged nor waiting (or both): {rid}"
        return len(rows)


@pytest.mark.slow  # about a minute
def test_sigkill_during_writes_and_sync_loses_and_doubles_nothing(server: ServerProcess, tmp_path: Path) -> None:
    directory = tmp_path / "laptop"
    enrolled_profile(directory, server.url)
    env = dict(
        os.environ,
        YOUTHWORK_PASSPHRASE=PASSPHRASE,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        PYTHONPATH=str(ROOT),
    )
    rng = random.Random(20261121)
    committed: set[str] = set()
    landed: Counter[str] = Counter()
    forks = subprocess.Popen(
        [sys.executable, str(DRIVER), str(directory)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert forks.stdin is not None and forks.stdout is not None
    pid = 0

    def hung() -> None:  # never wait forever on a pipe: stop the child and the fork server, and the test fails
        with contextlib.suppress(ProcessLookupError):
            if pid:
                os.kill(pid, signal.SIGKILL)
        forks.kill()

    watchdog = threading.Timer(60 + KILLS * 3, hung)
    watchdog.start()
    try:
        assert forks.stdout.readline().strip() == "fork server ready"
        started = time.monotonic()
        for i in range(KILLS):
            forks.stdin.write(f"run {i}\n")
            forks.stdin.flush()
            child = forks.stdout.readline().split()
            assert child[0] == "child", child
            pid = int(child[1])
            ready = forks.stdout.readline().strip()
            assert ready == "ready", ready
            time.sleep(rng.uniform(0, MAX_DELAY_MS) / 1000)
            os.kill(pid, signal.SIGKILL)
            last = "ready"
            while True:
                line = forks.stdout.readline().strip()
                assert line, "the fork server stopped: " + forks.stderr.read()[-2000:]
                if line.startswith("reaped "):
                    assert line == f"reaped {pid} -9", line
                    break
                if line.startswith("committed "):
                    committed.add(line.split()[1])
                last = line
            landed["sync" if last == "sync" else "write"] += 1
            check_store(directory, committed)
    finally:
        watchdog.cancel()
        forks.stdin.close()
        try:
            forks.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a failed check left a child running: stop it and the fork server
            with contextlib.suppress(ProcessLookupError):
                if pid:
                    os.kill(pid, signal.SIGKILL)
            forks.kill()
            forks.wait()
    elapsed = time.monotonic() - started

    # The final sync: nothing lost, nothing doubled, on the laptop or on the server.
    with Profile.open(directory, PASSPHRASE) as p:
        client = device.client_for(p)
        try:
            report = sync_engine(p, client).run()
        finally:
            client.transport.close()  # type: ignore[attr-defined]
        assert report.rejected == 0 and p.outbox.count() == 0
    local = check_store(directory, committed)
    with Profile.open(directory, PASSPHRASE) as p:
        local_ids = {r[0] for r in p.db.query("SELECT id FROM people")}
    on_server = [r[0] for r in server.rows("SELECT record_id FROM records WHERE table_name = 'people'")]
    logged = Counter(r[0] for r in server.rows("SELECT record_id FROM change_log WHERE table_name = 'people'"))
    applied = server.count("SELECT count(*) FROM applied_changes")
    assert set(on_server) == local_ids and len(on_server) == local
    assert set(logged) == local_ids and max(logged.values()) == 1, "a change logged twice"
    assert applied == local
    print(
        f"\ncrash test: {KILLS} SIGKILLs in {elapsed:.0f} s ({landed['write']} while writing, {landed['sync']} while "
        f"syncing); {len(committed)} records reported committed, {local} in the store (a few committed just before "
        f"a kill, unreported), all {local} on the server exactly once"
    )
    enough = max(1, KILLS // 20)
    assert landed["sync"] >= enough and landed["write"] >= enough, landed  # the kills really land in both


# ---- a full disk ----------------------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("needs root to mount a small tmpfs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb") as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 65536)
            f.flush()
    with contextlib.suppress(OSError), open(filler, "ab") as f:  # the last few bytes too
        while True:
            f.write(b"\0" * 512)
            f.flush()
    return filler


def test_a_full_disk_during_a_save_is_a_plain_message_and_no_damage(small_disk: Path) -> None:
    directory = small_disk / "profile"
    profile, _ = Profile.create(directory, PASSPHRASE, argon2=FAST_KDF)
    people = PeopleService(profile)
    earlier = {people.add(YoungPerson(first_name=f"Before{i}", area="Peckham", team_id="t")).id for i in range(20)}
    filler = fill(small_disk)
    with pytest.raises(StoreError) as caught:
        for i in range(10_000):  # the page cache may absorb a few before the disk is touched
            people.add(YoungPerson(first_name=f"After{i}", last_name="x" * 500, area="Peckham", team_id="t"))
    message = str(caught.value)
    assert "disk is full" in message and "Free some space" in message and "Traceback" not in message
    profile.close()

    with Profile.open(directory, PASSPHRASE) as p:
        assert p.db.scalar("PRAGMA quick_check") == "ok"
        ids = {r[0] for r in p.db.query("SELECT id FROM people")}
        assert earlier <= ids
        saved_after = {r[0] for r in p.db.query("SELECT id FROM people WHERE first_name LIKE 'After%'")}
        # Whatever was saved has its outbox entry: nothing half-written.
        queued = {r[0] for r in p.db.query("SELECT record_id FROM outbox")}
        assert ids == queued and len(ids) == 20 + len(saved_after)
    filler.unlink()  # space again: saving works
    with Profile.open(directory, PASSPHRASE) as p:
        PeopleService(p).add(YoungPerson(first_name="Later", area="Peckham", team_id="t"))
        assert p.db.scalar("SELECT count(*) FROM people WHERE first_name = 'Later'") == 1


def test_a_backup_on_a_full_disk_is_a_plain_message_and_leaves_nothing_behind(small_disk: Path) -> None:
    from youthwork import backup

    directory = small_disk / "profile"
    profile, _ = Profile.create(directory, PASSPHRASE, argon2=FAST_KDF)
    with profile:
        PeopleService(profile).add(YoungPerson(first_name="Before", area="Peckham", team_id="t"))
        before = sorted(p.name for p in directory.iterdir())
        filler = fill(small_disk)
        with pytest.raises(StoreError, match="disk is full: no backup was made"):
            backup.take_backup(profile)
        assert sorted(p.name for p in directory.iterdir()) == before  # no half-written backup
        filler.unlink()
        made = backup.take_backup(profile)
    with Profile.open(directory, PASSPHRASE) as p:
        assert p.db.scalar("SELECT count(*) FROM people") == 1
    assert made.path.exists()
