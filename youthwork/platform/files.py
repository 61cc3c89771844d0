"""Files only this user can read, and replacing a file atomically, on every platform.

POSIX (Linux, macOS): files are made under umask 077, so mode 0600 and folders 0700, whatever the user's umask.
Windows: modes mean almost nothing there. What protects a profile is where it lives: platformdirs puts it under the
user's own %LOCALAPPDATA%, whose inherited access list admits only that user, SYSTEM and Administrators (as it does
every user's files), so nothing here changes permissions; BitLocker protects the disk. `os.replace` fails there while
another process (an antivirus scanner, the search indexer, a backup agent) has either file open without sharing
delete, so a replace is retried briefly before giving up.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

# Windows errors a brief wait cures: access denied (a handle open without FILE_SHARE_DELETE), sharing and lock
# violations.
_TRANSIENT_WINERRORS = frozenset({5, 32, 33})
_REPLACE_TRIES = 10
_REPLACE_WAIT_S = 0.05


def is_windows() -> bool:
    return sys.platform == "win32"


@contextmanager
def private_files() -> Iterator[None]:
    """Files and folders made inside are this user's only (umask 077 on POSIX; the profile's location on Windows)."""
    if is_windows():
        yield
        return
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def restrict(path: Path) -> None:
    """Make an existing file this user's only (POSIX 0600). On Windows its folder's access list already does."""
    if not is_windows():
        os.chmod(path, 0o600)


def replace(source: Path, target: Path) -> None:
    """`os.replace`, retried while Windows reports the file busy. Callers close their own handles first."""
    for attempt in range(_REPLACE_TRIES):
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if not is_windows() or getattr(exc, "winerror", None) not in _TRANSIENT_WINERRORS:
                raise
            if attempt == _REPLACE_TRIES - 1:
                raise
            log.debug("file busy, retrying the replace (%d)", attempt + 1)
            time.sleep(_REPLACE_WAIT_S * (attempt + 1))
