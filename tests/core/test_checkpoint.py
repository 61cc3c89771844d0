"""The write-ahead log is folded into the store by a background thread, never by a save on the UI's connection."""

from __future__ import annotations

import time

from youthwork.domain.records import YoungPerson
from youthwork.store.checkpoint import SQLITE_DEFAULT_AUTOCHECKPOINT, WalCheckpointer
from youthwork.store.profile import Profile


def test_saves_leave_the_checkpoint_to_the_background_thread(profile: Profile) -> None:
    db = profile.db
    checkpointer = WalCheckpointer(profile, poll_s=0.02).start()
    try:
        assert db.scalar("PRAGMA wal_autocheckpoint") == 0  # no commit on this connection copies the log
        for batch in range(5):
            with profile.transaction():
                profile.records.bulk_insert(
                    YoungPerson(first_name=f"P{batch}-{i}", area="Estate " + "x" * 500) for i in range(400)
                )
        deadline = time.monotonic() + 10
        while checkpointer.checkpoints == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert checkpointer.checkpoints >= 1
        # Everything written so far is already in the file: a checkpoint now has nothing left to copy.
        time.sleep(0.2)
        _busy, pages, copied = db.query("PRAGMA wal_checkpoint(PASSIVE)")[0]
        assert pages == copied
    finally:
        checkpointer.stop()
    assert db.scalar("PRAGMA wal_autocheckpoint") == SQLITE_DEFAULT_AUTOCHECKPOINT  # bounded again without it
    assert db.scalar("SELECT count(*) FROM people") == 2000
