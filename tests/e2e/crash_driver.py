"""Run by tests/e2e/test_crash.py, to be killed with SIGKILL: writes young people through the service in a loop and
syncs with a real server. Prints `committed <id>` after each commit (flushed), and `sync` / `synced` around each sync,
so the test knows what must survive and where the kill landed.

    python tests/e2e/crash_driver.py PROFILE_DIR SEED      (passphrase in YOUTHWORK_PASSPHRASE)
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from youthwork.domain.records import YoungPerson
from youthwork.services.people import PeopleService
from youthwork.store.profile import Profile
from youthwork.sync import device
from youthwork.sync.engine import SyncEngine


def main() -> int:
    directory, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    profile = Profile.open(directory, os.environ["YOUTHWORK_PASSPHRASE"])
    people = PeopleService(profile)
    client = device.client_for(profile)
    engine = SyncEngine(profile, client, batch=rng.choice((3, 20, 200)))
    print("ready", flush=True)
    n = 0
    while True:
        # Mostly a few records then a sync; sometimes a burst, so some syncs push many batches.
        for _ in range(rng.choice((1, 3, 8, 60))):
            n += 1
            person = people.add(YoungPerson(first_name=f"Crash{seed}x{n}", area="Peckham", team_id=profile.team_id))
            print("committed", person.id, flush=True)
        print("sync", flush=True)
        engine.run()
        print("synced", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
