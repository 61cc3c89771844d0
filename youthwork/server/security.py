"""Secrets: Argon2 password hashes, random device tokens stored as SHA-256, and keyed digests for rate limiting."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from youthwork.server.settings import Settings

TOKEN_PREFIX = "ywd_"


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
