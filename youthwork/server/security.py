"""Secrets: Argon2 password hashes, random device tokens stored as SHA-256, and keyed digests (HMAC-SHA256 with the
server secret) for what is stored about a username or an address.

A plain SHA-256 of an IP address or a username is reversed in minutes by trying them all; an HMAC with a secret the
database does not hold is not, so a copy of the database (a dump, a backup) gives nothing away.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from youthwork.server.settings import Settings

log = logging.getLogger(__name__)

TOKEN_PREFIX = "ywd_"
MIN_SECRET_CHARS = 32


class SecretError(ValueError):
    """The server secret is missing, too short or unreadable; the message says what to do."""


def password_hasher(settings: Settings) -> PasswordHasher:
    return PasswordHasher(time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib)


def verify_password(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_device_token() -> str:
    # 32 random bytes: far beyond guessing, so a fast hash is enough to store it (Argon2 is for passwords).
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def keyed_digest(secret: bytes, purpose: str, text: str) -> str:
    """HMAC-SHA256 of `text` for one purpose ("username", "address"): the same text keys differently per purpose."""
    return hmac.new(secret, f"{purpose}\x00{text}".encode(), hashlib.sha256).hexdigest()


def username_key(secret: bytes, username: str) -> str:
    """What login attempts store for a username (case and surrounding spaces don't matter)."""
    return keyed_digest(secret, "username", username.strip().lower())


def server_secret(settings: Settings) -> bytes:
    """The server secret: YOUTHWORK_SECRET_KEY if set, else the key file, made (random, owner-only) if absent.

    Several processes starting at once agree: the file is written under a temporary name and linked into place, which
    fails for all but the first; the others read what the first wrote.
    """
    if settings.secret_key:
        if len(settings.secret_key) < MIN_SECRET_CHARS:
            raise SecretError(f"YOUTHWORK_SECRET_KEY must be at least {MIN_SECRET_CHARS} characters long.")
        return settings.secret_key.encode("utf-8")
    path = Path(settings.secret_key_file)
    if not path.exists():
        _make_secret_file(path)
    try:
        value = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretError(f"The server secret file {path} can't be read ({type(exc).__name__}).") from None
    if len(value) < MIN_SECRET_CHARS:
        raise SecretError(f"The server secret file {path} is too short: delete it to have a new one made.")
    if os.name == "posix" and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("the server secret file can be read by other users: chmod 600 it")
    return value.encode("ascii")


def _make_secret_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32) + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(temp, path)  # atomic, and refuses to replace: the first process to get here wins
            log.warning("made a new server secret (keep it with the service's configuration, not its backups)")
        except FileExistsError:
            pass
    finally:
        temp.unlink(missing_ok=True)
