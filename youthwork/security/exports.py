"""Files the app wrote outside the encrypted store (exports, printed plans), recorded so a wipe can remove them.

A subject access export, a report's CSV or XLSX and a printed safety plan hold young people's details in the clear.
Each one written is recorded inside the encrypted store (the list itself names people's files, so it is not kept in
the clear); a remote wipe reads the list before the key goes and overwrites and deletes every file still there.
A file the worker has since copied elsewhere (a USB stick, an email) is beyond the app's reach: docs/operations.md.
"""

from __future__ import annotations

import json
import logging
from contextlib import suppress
from pathlib import Path

from youthwork.keys.slots import shred
from youthwork.store.profile import Profile
from youthwork.store.settings import EXPORTS_WRITTEN

log = logging.getLogger(__name__)


def record_export(profile: Profile, *paths: Path) -> None:
    """Note files written outside the store, so a wipe removes them."""
    known = [str(p) for p in recorded_exports(profile)]
    for p in paths:
        path = str(Path(p).resolve())
        if path not in known:
            known.append(path)
    profile.set_setting(EXPORTS_WRITTEN, known)


def recorded_exports(profile: Profile) -> list[Path]:
    raw: object = profile.get_setting(EXPORTS_WRITTEN)
    if isinstance(raw, str):  # tolerate a hand-edited setting
        with suppress(ValueError):
            raw = json.loads(raw)
    return [Path(p) for p in raw if isinstance(p, str)] if isinstance(raw, list) else []


def remove_exports(paths: list[Path]) -> int:
    """Overwrite and delete each recorded file that is still there; returns how many went."""
    gone = 0
    for path in paths:
        try:
            if path.is_file() and shred(path):
                gone += 1
        except OSError as e:
            log.warning("could not remove an export: %s", e.strerror)
    return gone
