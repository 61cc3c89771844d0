"""Key slots, as in LUKS: the random database key wrapped under each secret that may open the profile.

The slots live in one small file beside the database, and nowhere else: a stale copy would be a wrapped key that can
never be revoked. Each slot holds the 32-byte database key encrypted with AES-256-GCM under a key derived from one
secret: the worker's passphrase (Argon2id) or the recovery key shown once at set-up (high-entropy, so HKDF is enough).

The file is rewritten in place, never by rename, so an earlier version (wrapping the key under an old passphrase)
is not left behind in freed disk blocks. It has two fixed-size halves, each a checksummed copy with a sequence number:
a save writes the other half, fsyncs, then this half, fsyncs. A crash mid-save leaves one whole copy (the old or the
new); loading takes the newest whole one and, if the halves differ, copies it over the other so the old one goes.

Failed attempts are counted in a separate file (`attempts.json`) and never rewrite the slots. That counter slows
guessing through the app only: anyone who copies `keyslots.json` can guess offline at Argon2id's pace, so what really
protects a stolen laptop is the passphrase policy (`youthwork.keys.passphrase`) and full-disk encryption. A
missing counter file counts as a few failures already, so deleting it does not give free tries.

Rotating the key ("someone may have seen my passphrase") is journalled here: `begin_rotation` adds the next key,
wrapped under the current key and under the new secrets; the store and backups are re-encrypted; `finish_rotation`
makes the next slots the only ones. Until then either key can be had from the file, so an interruption loses nothing.
"""

from __future__ import annotations

import base64
import hashlib
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

from youthwork.keys.errors import (
    CorruptStore,
    NewerStore,
    NotAStore,
    TooManyAttempts,
    WrongPassphrase,
)
from youthwork.platform import files

log = logging.getLogger(__name__)

FORMAT = "youthwork-keyslots"
FORMAT_VERSION = 2
MAGIC = b"youthwork-keyslots 2\n"
HALF = 4096  # bytes per copy; the file is always 2 * HALF
ATTEMPTS_FILENAME = "attempts.json"
KEY_BYTES = 32
RECOVERY_BYTES = 20  # 160 bits, 32 base32 characters
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300.0


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
    return cleaned.translate(str.maketrans("018", "OIB"))


def _argon2(passphrase: str, salt: bytes, p: Argon2Params) -> bytes:
    return hash_secret_raw(
        passphrase.encode("utf-8"), salt, p.time_cost, p.memory_cost, p.parallelism, KEY_BYTES, Type.ID
    )


def _hkdf(recovery: str, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"youthwork recovery slot").derive(
        normalise_recovery_key(recovery).encode("ascii")
    )


# ---- the file: two checksummed copies, rewritten in place -----------------------------------------------------------


def _record(doc: dict[str, Any], seq: int) -> bytes:
    body = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(f"{seq}:{body}".encode()).hexdigest()
    raw = MAGIC + json.dumps({"seq": seq, "sha256": digest, "doc": doc}, sort_keys=True).encode() + b"\n"
    if len(raw) > HALF:
        raise CorruptStore("The profile's key file has grown too large to save.")
    return raw + b" " * (HALF - len(raw))


def _parse_record(raw: bytes) -> tuple[int, dict[str, Any]] | None:
    if not raw.startswith(MAGIC):
        return None
    try:
        outer = json.loads(raw[len(MAGIC) :].decode("utf-8").strip())
        seq, doc = int(outer["seq"]), outer["doc"]
        body = json.dumps(doc, sort_keys=True, separators=(",", ":"))
        if hashlib.sha256(f"{seq}:{body}".encode()).hexdigest() != outer["sha256"] or not isinstance(doc, dict):
            return None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None
    return seq, doc


def read_documents(raw: bytes) -> list[dict[str, Any]]:
    """Every key-slot document in `raw` (both halves, or a version 1 file): for tests and forensic checks."""
    found = [p[1] for p in (_parse_record(raw[:HALF]), _parse_record(raw[HALF : 2 * HALF])) if p]
    if not found:
        try:
            legacy = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return []
        if isinstance(legacy, dict) and legacy.get("format") == FORMAT:
            found.append(legacy)
    return found


def _write_at(f: Any, offset: int, data: bytes) -> None:
    f.seek(offset)
    f.write(data)
    f.flush()
    os.fsync(f.fileno())


def shred(path: Path) -> bool:
    """Overwrite a file in place with random bytes, fsync, then unlink. True if there was a file.

    On a disk that rewrites blocks in place (ext4, NTFS on a hard disk) the old bytes are gone; an SSD's controller may
    keep the old block elsewhere, which is why full-disk encryption is required (docs/operations.md).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    try:
        with open(path, "r+b") as f:
            left = size
            while left > 0:
                n = min(left, 1 << 20)
                f.write(os.urandom(n))
                left -= n
            f.flush()
            os.fsync(f.fileno())
    finally:
        path.unlink(missing_ok=True)
    return True


# ---- the failed-attempt counter --------------------------------------------------------------------------------------


class Attempts:
    """Consecutive failed unlocks, in their own small file: no key material, so it is replaced by rename."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> tuple[int, float]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return int(data["failed"]), float(data["last_failed_at"])
        except FileNotFoundError:
            # Made with the profile: gone means someone removed it. Resume as after a few failures, not from zero.
            return FREE_ATTEMPTS, 0.0
        except (OSError, ValueError, KeyError, TypeError):
            return FREE_ATTEMPTS, 0.0

    def write(self, failed: int, last_failed_at: float) -> None:
        # A read-only folder must not turn a wrong passphrase into a crash; the count is then kept for this run only.
        payload = json.dumps({"failed": failed, "last_failed_at": last_failed_at}).encode()
        try:
            fd, tmp = tempfile.mkstemp(prefix=".attempts-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(payload)
                    f.flush()
                    os.fsync(f.fileno())
                files.replace(Path(tmp), self.path)  # retried while Windows reports the file busy
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as e:
            log.warning("could not record the failed-attempt count: %s", e.strerror)


# ---- the slots -------------------------------------------------------------------------------------------------------


class KeySlots:
    """The key-slot file of one profile. Load with `KeySlots.load(path)`; create with `KeySlots.new(...)`."""

    def __init__(self, path: Path, data: dict[str, Any], *, seq: int = 0, legacy: bool = False) -> None:
        self.path = path
        self._data = data
        self._seq = seq
        self._legacy = legacy  # a version 1 file: upgraded in place on the next save
        self.attempts = Attempts(path.with_name(ATTEMPTS_FILENAME))

    # ---- creation and persistence -------------------------------------------------------------------------------

    @classmethod
    def new(
        cls, path: Path, db_key: bytes, passphrase: str, *, argon2: Argon2Params = DEFAULT_ARGON2
    ) -> tuple[KeySlots, str]:
        """Fresh slots for `db_key`; returns them and the recovery key (to be shown once, never stored)."""
        recovery = new_recovery_key()
        slots = cls(
            path,
            {"format": FORMAT, "version": FORMAT_VERSION, "store_id": secrets.token_hex(16), "generation": 0},
        )
        slots._data["slots"] = slots._wrap_slots(db_key, passphrase, recovery, argon2, generation=0)
        return slots, recovery

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise NotAStore("There is no youthwork profile here (its key file is missing).") from None
        except OSError as e:
            raise CorruptStore(f"The profile's key file could not be read ({e.strerror}).") from None
        halves = [_parse_record(raw[:HALF]), _parse_record(raw[HALF : 2 * HALF])]
        whole = [h for h in halves if h]
        if whole:
            seq, data = max(whole, key=lambda h: h[0])
            slots = cls(path, data, seq=seq)
            if len(whole) < 2 or halves[0] != halves[1]:
                slots._repair()
        else:
            slots = cls(path, cls._legacy_document(raw), legacy=True)
        data = slots._data
        if data.get("format") != FORMAT:
            raise NotAStore("This is not a youthwork profile: its key file is something else.")
        if not isinstance(data.get("version"), int) or data["version"] > FORMAT_VERSION:
            raise NewerStore("This profile was made by a newer version of youthwork. Update youthwork to open it.")
        if not isinstance(data.get("slots"), dict) or "passphrase" not in data["slots"]:
            raise CorruptStore("The profile's key file is damaged (its key slots are missing).")
        return slots

    @staticmethod
    def _legacy_document(raw: bytes) -> dict[str, Any]:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            if raw.lstrip()[:1] == b"{" or raw.startswith(MAGIC[:10]):
                raise CorruptStore("The profile's key file is damaged (it is cut short or garbled).") from None
            raise NotAStore("This is not a youthwork profile: its key file is something else.") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise NotAStore("This is not a youthwork profile: its key file is something else.")
        return data

    def save(self) -> None:
        """Write the new copy over the older half, fsync, then over the other half, fsync: in place, never renamed."""
        if self._legacy:  # version 1 kept the failed-attempt count in this file: it moves to its own
            failed = int(self._data.pop("failed_attempts", 0) or 0)
            last = float(self._data.pop("last_failed_at", 0.0) or 0.0)
            self._data["version"] = FORMAT_VERSION
            self._data.setdefault("generation", 0)
            if not self.attempts.path.exists():
                self.attempts.write(failed, last)
            self._legacy = False
        self._seq += 1
        record = _record(self._data, self._seq)
        if not self.path.exists():
            # O_BINARY: on Windows an fd opened without it translates line endings.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(fd, "wb") as f:
                _write_at(f, 0, record + record)
            _fsync_dir(self.path.parent)
            self.attempts.write(0, 0.0)
            return
        with open(self.path, "r+b") as f:
            size = os.fstat(f.fileno()).st_size
            # The second half first: in a version 1 file the old document sits at the start until the last write.
            _write_at(f, HALF, record)
            _write_at(f, 0, record)
            if size > 2 * HALF:  # a version 1 file longer than the new one: blank its tail before cutting it
                _write_at(f, 2 * HALF, bytes(size - 2 * HALF))
                f.truncate(2 * HALF)
                os.fsync(f.fileno())

    def _repair(self) -> None:
        # One half is older or torn (a crash mid-save): make both the newest, so the old copy does not linger.
        try:
            self._seq -= 1
            self.save()
        except OSError as e:
            log.warning("could not repair the key file's second copy: %s", e.strerror)

    @property
    def legacy(self) -> bool:
        return self._legacy

    def upgrade(self) -> None:
        """A version 1 file (and its failed-attempt count) becomes a version 2 file, in place."""
        if self._legacy:
            self.save()

    # ---- opening ------------------------------------------------------------------------------------------------

    @property
    def store_id(self) -> str:
        return str(self._data["store_id"])

    @property
    def failed_attempts(self) -> int:
        if self._legacy:
            return int(self._data.get("failed_attempts", 0))
        return self.attempts.read()[0]

    def _counter(self) -> tuple[int, float]:
        if self._legacy:
            return int(self._data.get("failed_attempts", 0)), float(self._data.get("last_failed_at", 0.0))
        return self.attempts.read()

    def unlock(self, passphrase: str, *, now: float | None = None) -> bytes:
        return self._unlock("passphrase", passphrase, now)

    def unlock_with_recovery_key(self, recovery_key: str, *, now: float | None = None) -> bytes:
        return self._unlock("recovery", recovery_key, now)

    def _unlock(self, kind: str, secret: str, now: float | None) -> bytes:
        now = time.time() if now is None else now
        attempts, last_failed_at = self._counter()
        wait = last_failed_at + delay_after(attempts) - now
        if wait > 0:
            raise TooManyAttempts(
                f"Too many wrong attempts. Wait {_seconds(wait)} and try again.",
                attempts=attempts,
                wait_seconds=wait,
            )
        key = self._try(self._data["slots"], kind, secret, int(self._data.get("generation", 0)))
        if key is None and self.rotating:  # the secrets chosen for a key change that was interrupted
            nxt = self._data["next"]
            new_key = self._try(nxt["slots"], kind, secret, int(nxt["generation"]))
            if new_key is not None:
                key = self._unwrap_key(nxt["old_under_new"], new_key, "old", int(nxt["generation"]))
        if key is None:
            attempts += 1
            self.attempts.write(attempts, now)
            if self._legacy:
                self._data["failed_attempts"], self._data["last_failed_at"] = attempts, now
            what = "passphrase" if kind == "passphrase" else "recovery key"
            wait = delay_after(attempts)
            hint = f" Wait {_seconds(wait)} before the next try." if wait else ""
            log.info("wrong %s for profile (attempt %d)", what, attempts)
            raise WrongPassphrase(
                f"That {what} is not right ({attempts} wrong {_plural(attempts, 'try', 'tries')}).{hint}",
                attempts=attempts,
                wait_seconds=wait,
            )
        if attempts:
            self.attempts.write(0, 0.0)
            if self._legacy:
                self._data["failed_attempts"], self._data["last_failed_at"] = 0, 0.0
        return key

    def _try(self, slots: dict[str, Any], kind: str, secret: str, generation: int) -> bytes | None:
        slot = slots.get(kind)
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
            key = AESGCM(wrapping).decrypt(nonce, ciphertext, self._aad(kind, generation))
        except InvalidTag:
            return None
        if len(key) != KEY_BYTES:
            raise CorruptStore("The profile's key file is damaged (the key has the wrong length).")
        return key

    # ---- changing -----------------------------------------------------------------------------------------------

    def change_passphrase(self, db_key: bytes, new: str, *, argon2: Argon2Params = DEFAULT_ARGON2) -> None:
        generation = int(self._data.get("generation", 0))
        self._data["slots"]["passphrase"] = self._passphrase_slot(db_key, new, argon2, generation)
        self.save()

    def reset_passphrase(self, db_key: bytes, new: str, *, argon2: Argon2Params = DEFAULT_ARGON2) -> None:
        """Rewrap the passphrase slot for a worker who forgot the old one (the caller proved the recovery key).

        Clears the failed-attempt count too: the wrong tries at the forgotten passphrase are over.
        """
        self.attempts.write(0, 0.0)
        self.change_passphrase(db_key, new, argon2=argon2)

    # ---- rotating the key -----------------------------------------------------------------------------------------

    @property
    def rotating(self) -> bool:
        """A key rotation was begun and not finished (the store or some backups may still have the old key)."""
        return "next" in self._data

    def begin_rotation(
        self, old_key: bytes, new_key: bytes, passphrase: str, recovery: str, *, argon2: Argon2Params = DEFAULT_ARGON2
    ) -> None:
        """Journal a key change: the next key under the current one and the new secrets, the current key under the next.

        Either key then gives the other, so whichever files are re-encrypted when it stops, all of them open.
        """
        generation = int(self._data.get("generation", 0)) + 1
        self._data["next"] = {
            "generation": generation,
            "under_old": self._key_wrap(new_key, old_key, "next", generation),
            "old_under_new": self._key_wrap(old_key, new_key, "old", generation),
            "slots": self._wrap_slots(new_key, passphrase, recovery, argon2, generation=generation),
        }
        self.save()

    def next_key(self, old_key: bytes) -> bytes:
        """The key a rotation in progress is moving to, from the current one."""
        nxt = self._data["next"]
        return self._unwrap_key(nxt["under_old"], old_key, "next", int(nxt["generation"]))

    def _key_wrap(self, key: bytes, under: bytes, kind: str, generation: int) -> dict[str, str]:
        nonce = secrets.token_bytes(12)
        ciphertext = AESGCM(under).encrypt(nonce, key, self._aad(kind, generation))
        return {"nonce": _b64(nonce), "ciphertext": _b64(ciphertext)}

    def _unwrap_key(self, wrapped: dict[str, str], under: bytes, kind: str, generation: int) -> bytes:
        try:
            return AESGCM(under).decrypt(
                _unb64(wrapped["nonce"]), _unb64(wrapped["ciphertext"]), self._aad(kind, generation)
            )
        except (InvalidTag, KeyError, TypeError, ValueError):
            raise CorruptStore("The profile's key file is damaged (a key being changed is garbled).") from None

    def finish_rotation(self) -> None:
        """The next slots become the only ones: the old key is no longer in the file (either half)."""
        nxt = self._data.pop("next")
        self._data["slots"] = nxt["slots"]
        self._data["generation"] = int(nxt["generation"])
        self.save()

    def abandon_rotation(self) -> None:
        self._data.pop("next", None)
        self.save()

    # ---- wrapping -------------------------------------------------------------------------------------------------

    def _wrap_slots(
        self, db_key: bytes, passphrase: str, recovery: str, argon2: Argon2Params, *, generation: int
    ) -> dict[str, Any]:
        salt = secrets.token_bytes(16)
        return {
            "passphrase": self._passphrase_slot(db_key, passphrase, argon2, generation),
            "recovery": {"kdf": "hkdf-sha256"}
            | self._wrap("recovery", _hkdf(recovery, salt), salt, db_key, generation),
        }

    def _passphrase_slot(self, db_key: bytes, passphrase: str, p: Argon2Params, generation: int) -> dict[str, Any]:
        salt = secrets.token_bytes(16)
        slot = {"kdf": "argon2id", "time_cost": p.time_cost, "memory_cost": p.memory_cost, "parallelism": p.parallelism}
        return slot | self._wrap("passphrase", _argon2(passphrase, salt, p), salt, db_key, generation)

    def _wrap(self, kind: str, wrapping: bytes, salt: bytes, db_key: bytes, generation: int) -> dict[str, str]:
        nonce = secrets.token_bytes(12)
        ciphertext = AESGCM(wrapping).encrypt(nonce, db_key, self._aad(kind, generation))
        return {"salt": _b64(salt), "nonce": _b64(nonce), "ciphertext": _b64(ciphertext)}

    def _aad(self, kind: str, generation: int) -> bytes:
        # Binds each wrapped key to its slot, profile and key generation, so slots cannot be swapped or replayed.
        suffix = f":{generation}" if generation else ""  # generation 0 as release 0.1 wrote it
        return f"{FORMAT}:{kind}:{self.store_id}{suffix}".encode()


def unwraps(raw: bytes, passphrase: str) -> list[bytes]:
    """Every database key that `passphrase` unwraps from the key-slot documents in `raw` (forensic tests)."""
    return [key for doc in read_documents(raw) for key in unwrap_document(doc, passphrase)]


def unwrap_document(doc: dict[str, Any], passphrase: str) -> list[bytes]:
    """The database keys `passphrase` unwraps from one key-slot document (current and next slots), as a thief would."""
    keys = []
    probe = KeySlots(Path("unused"), doc)
    found = doc.get("next")
    nxt: dict[str, Any] = found if isinstance(found, dict) else {}
    for slots, generation in [(doc.get("slots"), doc.get("generation", 0)), (nxt.get("slots"), nxt.get("generation"))]:
        if isinstance(slots, dict) and "passphrase" in slots:
            try:
                key = probe._try(slots, "passphrase", passphrase, int(generation or 0))
            except (CorruptStore, ValueError, TypeError):
                continue
            if key:
                keys.append(key)
    return keys


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
