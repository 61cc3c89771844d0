"""Key slots, as in LUKS: the random database key wrapped under each secret that may open the profile.

The slots live in a small JSON file beside the database. Each slot holds the 32-byte database key encrypted with
AES-256-GCM under a key derived from one secret: the worker's passphrase (Argon2id) or the recovery key shown once
at set-up (high-entropy, so HKDF is enough). Changing the passphrase rewraps one slot; the database is not touched.
A wrong secret fails the GCM tag check here, before the database file is ever opened. Failed attempts are counted in
the same file and, past a few, the next attempt is refused until a growing delay has passed.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from youthwork.store.errors import (
    CorruptStore,
    NewerStore,
    NotAStore,
    TooManyAttempts,
    WeakPassphrase,
    WrongPassphrase,
)

log = logging.getLogger(__name__)

FORMAT = "youthwork-keyslots"
FORMAT_VERSION = 1
KEY_BYTES = 32
RECOVERY_BYTES = 20  # 160 bits, 32 base32 characters
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300.0
MIN_PASSPHRASE_LENGTH = 8


@dataclass(frozen=True, slots=True)
class Argon2Params:
    """RFC 9106's second recommended setting: about 0.1 s and 64 MiB on a laptop."""

    time_cost: int = 3
    memory_cost: int = 65536  # KiB
    parallelism: int = 4


DEFAULT_ARGON2 = Argon2Params()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def delay_after(attempts: int) -> float:
    """Seconds to wait after `attempts` consecutive failures: none for the first few, then doubling to 5 minutes."""
    if attempts < FREE_ATTEMPTS:
        return 0.0
    return min(2.0 ** (attempts - FREE_ATTEMPTS), MAX_DELAY_SECONDS)


def new_recovery_key() -> str:
    raw = base64.b32encode(secrets.token_bytes(RECOVERY_BYTES)).decode("ascii")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_recovery_key(text: str) -> str:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    # People copy by hand: read the digits that base32 never uses as the letters they resemble.
    return cleaned.translate(str.maketrans({"0": "O", "1": "I", "8": "B"}))


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters.")


def _argon2(passphrase: str, salt: bytes, p: Argon2Params) -> bytes:
    return hash_secret_raw(
        passphrase.encode("utf-8"), salt, p.time_cost, p.memory_cost, p.parallelism, KEY_BYTES, Type.ID
    )


def _hkdf(recovery: str, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"youthwork recovery slot").derive(
        normalise_recovery_key(recovery).encode("ascii")
    )


class KeySlots:
    """The key-slot file of one profile. Load with `KeySlots.load(path)`; create with `KeySlots.new(...)`."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self._data = data

    # ---- creation and persistence -------------------------------------------------------------------------------

    @classmethod
    def new(
        cls, path: Path, db_key: bytes, passphrase: str, *, argon2: Argon2Params = DEFAULT_ARGON2
    ) -> tuple[KeySlots, str]:
        """Fresh slots for `db_key`; returns them and the recovery key (to be shown once, never stored)."""
        recovery = new_recovery_key()
        slots = cls(
            path,
            {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "store_id": secrets.token_hex(16),
                "slots": {},
                "failed_attempts": 0,
                "last_failed_at": 0.0,
            },
        )
        slots._set_passphrase_slot(db_key, passphrase, argon2)
        slots._set_recovery_slot(db_key, recovery)
        return slots, recovery

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise NotAStore("There is no youthwork profile here (its key file is missing).") from None
        except OSError as e:
            raise CorruptStore(f"The profile's key file could not be read ({e.strerror}).") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            if raw.lstrip()[:1] == b"{":
                raise CorruptStore("The profile's key file is damaged (it is cut short or garbled).") from None
            raise NotAStore("This is not a youthwork profile: its key file is something else.") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise NotAStore("This is not a youthwork profile: its key file is something else.")
        if not isinstance(data.get("version"), int) or data["version"] > FORMAT_VERSION:
            raise NewerStore("This profile was made by a newer version of youthwork. Update youthwork to open it.")
        slots = data.get("slots")
        if not isinstance(slots, dict) or "passphrase" not in slots:
            raise CorruptStore("The profile's key file is damaged (its key slots are missing).")
        data.setdefault("failed_attempts", 0)
        data.setdefault("last_failed_at", 0.0)
        return cls(path, data)

    def save(self) -> None:
        """Write atomically: a temporary file in the same folder, fsync, then rename over the old one."""
        payload = json.dumps(self._data, indent=2, sort_keys=True).encode("utf-8")
        fd, tmp = tempfile.mkstemp(prefix=".keyslots-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(self.path.parent)

    # ---- opening ------------------------------------------------------------------------------------------------

    @property
    def store_id(self) -> str:
        return str(self._data["store_id"])

    @property
    def failed_attempts(self) -> int:
        return int(self._data.get("failed_attempts", 0))

    def unlock(self, passphrase: str, *, now: float | None = None) -> bytes:
        return self._unlock("passphrase", passphrase, now)

    def unlock_with_recovery_key(self, recovery_key: str, *, now: float | None = None) -> bytes:
        return self._unlock("recovery", recovery_key, now)

    def _unlock(self, kind: str, secret: str, now: float | None) -> bytes:
        now = time.time() if now is None else now
        attempts = self.failed_attempts
        wait = float(self._data.get("last_failed_at", 0.0)) + delay_after(attempts) - now
        if wait > 0:
            raise TooManyAttempts(
                f"Too many wrong attempts. Wait {_seconds(wait)} and try again.",
                attempts=attempts,
                wait_seconds=wait,
            )
        slot = self._data["slots"].get(kind)
        if slot is None:
            raise CorruptStore(f"The profile has no {kind} key slot.")
        try:
            salt = _unb64(slot["salt"])
            if kind == "passphrase":
                params = Argon2Params(slot["time_cost"], slot["memory_cost"], slot["parallelism"])
                wrapping = _argon2(secret, salt, params)
            else:
                wrapping = _hkdf(secret, salt)
            nonce, ciphertext = _unb64(slot["nonce"]), _unb64(slot["ciphertext"])
        except (KeyError, TypeError, ValueError):
            raise CorruptStore("The profile's key file is damaged (a key slot is garbled).") from None
        try:
            key = AESGCM(wrapping).decrypt(nonce, ciphertext, self._aad(kind))
        except InvalidTag:
            attempts += 1
            self._data["failed_attempts"] = attempts
            self._data["last_failed_at"] = now
            self._save_counter()
            what = "passphrase" if kind == "passphrase" else "recovery key"
            wait = delay_after(attempts)
            hint = f" Wait {_seconds(wait)} before the next try." if wait else ""
            log.info("wrong %s for profile (attempt %d)", what, attempts)
            raise WrongPassphrase(
                f"That {what} is not right ({attempts} wrong {_plural(attempts, 'try', 'tries')}).{hint}",
                attempts=attempts,
                wait_seconds=wait,
            ) from None
        if len(key) != KEY_BYTES:
            raise CorruptStore("The profile's key file is damaged (the key has the wrong length).")
        if attempts:
            self._data["failed_attempts"] = 0
            self._data["last_failed_at"] = 0.0
            self._save_counter()
        return key

    def _save_counter(self) -> None:
        # A read-only folder must not turn a wrong passphrase into a crash; the count is then kept for this run only.
        try:
            self.save()
        except OSError as e:
            log.warning("could not record the failed-attempt count: %s", e.strerror)

    # ---- changing -----------------------------------------------------------------------------------------------

    def change_passphrase(self, db_key: bytes, new: str, *, argon2: Argon2Params = DEFAULT_ARGON2) -> None:
        self._set_passphrase_slot(db_key, new, argon2)
        self.save()

    def reset_passphrase(self, db_key: bytes, new: str, *, argon2: Argon2Params = DEFAULT_ARGON2) -> None:
        """Rewrap the passphrase slot for a worker who forgot the old one (the caller proved the recovery key).

        Clears the failed-attempt count too: the wrong tries at the forgotten passphrase are over.
        """
        self._data["failed_attempts"] = 0
        self._data["last_failed_at"] = 0.0
        self.change_passphrase(db_key, new, argon2=argon2)

    def _set_passphrase_slot(self, db_key: bytes, passphrase: str, p: Argon2Params) -> None:
        salt = secrets.token_bytes(16)
        slot = {"kdf": "argon2id", "time_cost": p.time_cost, "memory_cost": p.memory_cost, "parallelism": p.parallelism}
        self._data["slots"]["passphrase"] = slot | self._wrap("passphrase", _argon2(passphrase, salt, p), salt, db_key)

    def _set_recovery_slot(self, db_key: bytes, recovery: str) -> None:
        salt = secrets.token_bytes(16)
        self._data["slots"]["recovery"] = {"kdf": "hkdf-sha256"} | self._wrap(
            "recovery", _hkdf(recovery, salt), salt, db_key
        )

    def _wrap(self, kind: str, wrapping: bytes, salt: bytes, db_key: bytes) -> dict[str, str]:
        nonce = secrets.token_bytes(12)
        ciphertext = AESGCM(wrapping).encrypt(nonce, db_key, self._aad(kind))
        return {"salt": _b64(salt), "nonce": _b64(nonce), "ciphertext": _b64(ciphertext)}

    def _aad(self, kind: str) -> bytes:
        # Binds each wrapped key to its slot and profile, so slots cannot be swapped between files.
        return f"{FORMAT}:{kind}:{self.store_id}".encode()


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a directory; the rename is still atomic there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _seconds(s: float) -> str:
    s = max(1, round(s + 0.49))
    if s < 90:
        return f"{s} {_plural(s, 'second', 'seconds')}"
    minutes = round(s / 60)
    return f"{minutes} minutes"
