"""This laptop's place in sync: enrolment, its credential, the lease, and the remote wipe.

Enrolment signs in once with the worker's username and password; the server enrols the laptop and returns a device
token. The token goes to the OS keyring, or, where there is none, inside the encrypted store (`SecretStore` says
which, and so do the CLI and the app). The user, team, role and device ids go into the profile's settings.

The lease: a laptop that has not reached the server for `sync.lease_days` days (default 14) locks until it does,
keeping its data, so a lost laptop that never comes online again stops opening even without a wipe.
"""

from __future__ import annotations

import logging
import os
import socket
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from youthwork.config import DB_FILENAME, KEYSLOTS_FILENAME
from youthwork.domain.records import RECORD_TYPES
from youthwork.keys.slots import ATTEMPTS_FILENAME, shred
from youthwork.security.exports import recorded_exports, remove_exports
from youthwork.security.secrets import secrets_for
from youthwork.store.profile import Profile
from youthwork.store.settings import (
    DEVICE_ID,
    DISPLAY_NAME,
    LAST_CONTACT,
    LEASE_DAYS,
    ROLE,
    SERVER_URL,
    TEAM_ID,
    TEAM_NAME,
    USER_ID,
    USERNAME,
    Setting,
)
from youthwork.sync.client import SyncClient
from youthwork.sync.errors import NotEnrolled
from youthwork.sync.transport import HttpTransport, Transport

log = logging.getLogger(__name__)

TOKEN_SECRET = "sync.device_token"  # in the profile's secrets, not its settings
DEFAULT_LEASE_DAYS = LEASE_DAYS.default
# Said at enrolment, to the worker and through them the organisation: a wipe can't reach an SSD's old blocks.
FULL_DISK_NOTICE = (
    "This laptop must have full-disk encryption turned on (BitLocker on Windows, FileVault on a Mac, LUKS on Linux): "
    "youthwork encrypts its own files, but a solid-state disk can keep old copies a wipe can't reach. Your "
    "organisation is responsible for this."
)


@dataclass(frozen=True, slots=True)
class Enrolment:
    server_url: str
    device_id: str
    user_id: str
    display_name: str
    role: str
    team_id: str
    team_name: str
    credential_where: str  # "stored in the system keyring" / "stored inside the encrypted youthwork file ..."


def default_device_name() -> str:
    return f"youthwork on {socket.gethostname() or 'a laptop'}"[:200]


def enrol(
    profile: Profile,
    server_url: str,
    username: str,
    password: str,
    *,
    device_name: str | None = None,
    transport: Transport | None = None,
) -> Enrolment:
    """Sign in, store the device credential and who this laptop works for. Safe to run again (re-enrols)."""
    server_url = server_url.strip().rstrip("/")
    if not server_url.startswith(("http://", "https://")):
        from youthwork.sync.errors import SyncError

        raise SyncError("The server address must start with https:// (or http:// on a test network).")
    own = transport is None
    transport = transport or HttpTransport(server_url)
    try:
        reply = SyncClient(transport).login(username.strip(), password, device_name or default_device_name())
    finally:
        if own and isinstance(transport, HttpTransport):
            transport.close()
    secrets = secrets_for(profile)
    secrets.set(TOKEN_SECRET, reply.device_token)
    now = datetime.now(UTC).isoformat()
    with profile.transaction():
        previous_team = profile.team_id
        enrolled: tuple[tuple[Setting[Any], Any], ...] = (
            (SERVER_URL, server_url),
            (DEVICE_ID, reply.device_id),
            (USERNAME, username.strip()),
            (USER_ID, reply.user_id),
            (TEAM_ID, reply.team_id),
            (ROLE, reply.role),
            (DISPLAY_NAME, reply.display_name),
            (TEAM_NAME, reply.team_name),
            (LAST_CONTACT, now),
        )
        for key, value in enrolled:
            profile.set_setting(key, value)
        if previous_team != reply.team_id:
            _adopt_unowned_records(profile, reply.team_id, reply.user_id)
    log.info("laptop enrolled as device %s", reply.device_id)
    return Enrolment(
        server_url,
        reply.device_id,
        reply.user_id,
        reply.display_name,
        reply.role,
        reply.team_id,
        reply.team_name,
        secrets.backend_description,
    )


def _adopt_unowned_records(profile: Profile, team_id: str, user_id: str) -> None:
    """Records made before enrolment have no team: they become this team's, so the server accepts them."""
    tables = {r[0] for r in profile.db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in RECORD_TYPES:
        if table in tables:
            profile.db.execute(f"UPDATE {table} SET team_id = ? WHERE team_id = ''", (team_id,))
            profile.db.execute(f"UPDATE {table} SET created_by = ? WHERE created_by = ''", (user_id,))


def is_enrolled(profile: Profile) -> bool:
    return bool(profile.get_setting(DEVICE_ID)) and bool(profile.get_setting(SERVER_URL))


def device_token(profile: Profile) -> str:
    token = secrets_for(profile).get(TOKEN_SECRET) if is_enrolled(profile) else None
    if not token:
        raise NotEnrolled("This laptop is not connected to a youthwork server yet. Connect it on the Sync page.")
    return token


def credential_where(profile: Profile) -> str:
    """Where the sync credential is kept, in words for the Sync page."""
    return secrets_for(profile).backend_description


def client_for(profile: Profile, transport: Transport | None = None) -> SyncClient:
    """A client for this profile's server with its device token (raises NotEnrolled)."""
    token = device_token(profile)
    return SyncClient(transport or HttpTransport(str(profile.get_setting(SERVER_URL))), token)


# ---- the lease ----------------------------------------------------------------------------------------------------


def lease_days(profile: Profile) -> int:
    try:
        return max(1, int(profile.get_setting(LEASE_DAYS)))
    except (TypeError, ValueError):
        return DEFAULT_LEASE_DAYS


def last_contact(profile: Profile) -> datetime | None:
    raw = profile.get_setting(LAST_CONTACT)
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def lease_expired(profile: Profile, now: datetime | None = None) -> bool:
    """True when an enrolled laptop has not reached its server for more than the lease (it must sync to open)."""
    if not is_enrolled(profile):
        return False
    seen = last_contact(profile)
    if seen is None:
        return True
    now = now or datetime.now(UTC)
    return now - seen > timedelta(days=lease_days(profile))


def lease_message(profile: Profile) -> str:
    return (
        f"This laptop has not reached the youthwork server for over {lease_days(profile)} days, so it is locked "
        "until it syncs. Your records are safe on it. Connect to the internet and sync to carry on."
    )


# ---- the remote wipe ----------------------------------------------------------------------------------------------


def wipe(profile: Profile) -> None:
    """The server said this laptop was lost: remove the credential, the exports it recorded, then every file."""
    directory = profile.directory
    exports = recorded_exports(profile)  # read while the store is still open: the list is inside it
    try:
        secrets_for(profile).delete(TOKEN_SECRET)
    except Exception:  # the files go regardless
        log.warning("could not remove the credential from the keyring")
    profile.close()
    removed = remove_exports(exports)
    wipe_profile_files(directory)
    log.warning("profile wiped at the server's request (%d exports removed)", removed)


def wipe_profile_files(directory: Path) -> None:
    """Overwrite in place and fsync, then delete: the key slots first, then the store, its side files and backups.

    The key-slot file is the only copy of key material (there are none beside the backups; old releases' copies are
    removed on unlock, and any left are shredded here too). Without it the database key is gone, so even a copy of the
    database taken earlier cannot be opened. The database files are overwritten too, in case a key was ever copied
    out of memory. On an SSD the controller may keep old blocks: see docs/operations.md (full-disk encryption).
    """
    directory = Path(directory)
    for path in [directory / KEYSLOTS_FILENAME, *directory.glob(f"{DB_FILENAME}*.keyslots")]:
        with suppress(OSError):
            shred(path)
    for path in sorted(directory.glob(DB_FILENAME + "*")) + sorted(directory.glob(f".{DB_FILENAME}*")):
        with suppress(OSError):
            _zero_and_unlink(path)
    for name in (ATTEMPTS_FILENAME,):
        with suppress(OSError):
            (directory / name).unlink()
    _fsync_dir(directory)


def _zero_and_unlink(path: Path) -> None:
    if not path.is_file():
        return
    size = path.stat().st_size
    with open(path, "r+b") as f:
        block = bytes(1 << 20)
        left = size
        while left > 0:
            n = min(left, len(block))
            f.write(block[:n])
            left -= n
        f.flush()
        os.fsync(f.fileno())
    path.unlink()


def _fsync_dir(directory: Path) -> None:
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
