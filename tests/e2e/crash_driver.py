"""Run by tests/e2e/test_crash.py, whose children are killed with SIGKILL.

A small fork server: it imports everything once, then for each `run SEED` line on stdin forks a child that opens the
profile, writes young people through the service in a loop and syncs with the real server, printing `committed <id>`
after each commit (flushed; one short write, so a kill never leaves half a line), and `sync` / `synced` around each
sync, so the test knows what must survive and where the kill landed. The server waits for the child and prints
`reaped <pid> <exit code>`. Forking saves starting Python and importing the app for each of the hundred kills.

    python tests/e2e/crash_driver.py PROFILE_DIR      (passphrase in YOUTHWORK_PASSPHRASE)
"""

from __future__ import annotations

import os
import random
import sys
import traceback
from pathlib import Path

from youthwork.domain.records import YoungPerson
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile
from youthwork.sync import device
from youthwork.sync.engine import SyncEngine


def say(*words: object) -> None:
    """One line in one write() to the pipe: a kill can never leave half a line or a line in a buffer."""
    os.write(1, (" ".join(map(str, words)) + "\n").encode())


def write_and_sync(directory: Path, seed: int) -> None:
    rng = random.Random(seed)
    profile = Profile.open(directory, os.environ["YOUTHWORK_PASSPHRASE"])
    people = PeopleService(profile)
    client = device.client_for(profile)
    engine = SyncEngine(profile, client, batch=rng.choice((3, 20, 200)))
    say("ready")
    n = 0
    while True:
        # Mostly a few records then a sync; sometimes a burst, so some syncs push many batches.
        for _ in range(rng.choice((1, 3, 8, 60))):
            n += 1
            person = people.add(YoungPerson(first_name=f"Crash{seed}x{n}", area="Peckham", team_id=profile.team_id))
            say("committed", person.id)
        say("sync")
        engine.run()
        say("synced")


def main() -> int:
    directory = Path(sys.argv[1])
    say("fork server ready")
    for line in iter(sys.stdin.readline, ""):
        seed = int(line.split()[1])
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            try:
                say("child", os.getpid())
                write_and_sync(directory, seed)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        say("reaped", pid, os.waitstatus_to_exitcode(status))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
