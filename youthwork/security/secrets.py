"""The device's secrets (the sync credential): sealed into the OS keyring, or inside the encrypted store.

Whatever the keyring holds is useless without the store's key. A secret put in the keyring is first encrypted
(AES-256-GCM) under a random sealing key kept inside the encrypted store, so a thief with the unlocked desktop
session (who can read the keyring, e.g. `secret-tool search --all service youthwork`) but not the youthwork
passphrase gets ciphertext only. Headless Linux often has no keyring backend (no D-Bus, no Secret Service): then the
secret lives in the `secrets` table of the encrypted store. `backend_description` says which, so the app can tell the
worker plainly. Every keyring failure (locked wallet, D-Bus gone, ...) becomes one `SecretsError` with a clear
message. Never plaintext on disk or in the keyring.

    store = secrets_for(profile)     # one per open profile
    use_backend(profile, backend)    # a chosen backend (the demo keeps its credentials out of the real keyring)
"""

from __future__ import annotations

import base64
import logging
import secrets as random
import weakref
from typing import Any

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from youthwork.store.errors import StoreError
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

SERVICE = "youthwork"
IN_KEYRING = (
    "stored in the system keyring, sealed with a key kept inside the encrypted youthwork file "
    "(the keyring alone can't use it)"
)
IN_STORE = "stored inside the encrypted youthwork file because this computer has no keyring"
SEAL_NAME = "keyring.seal_key"  # the sealing key's row in the store's `secrets` table
SEALED = "yw-sealed-1:"  # how a sealed value in the keyring begins

_STORES: weakref.WeakKeyDictionary[Profile, SecretStore] = weakref.WeakKeyDictionary()


class SecretsError(StoreError):
    """The system keyring could not be used."""


def usable_keyring(backend: Any) -> bool:
    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
        return False
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        return any(usable_keyring(b) for b in backend.backends)
    return True


class SecretStore:
    """`get`/`set`/`delete` named secrets for one profile."""

    def __init__(self, profile: Profile, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._profile = profile
        if backend is None:
            try:
                backend = keyring.get_keyring()
            except Exception as e:  # a broken keyring configuration must not stop the app
                log.warning("no keyring backend: %s", type(e).__name__)
                backend = None
        self._backend = backend if backend is not None and usable_keyring(backend) else None

    @property
    def uses_keyring(self) -> bool:
        return self._backend is not None

    @property
    def backend_description(self) -> str:
        return IN_KEYRING if self.uses_keyring else IN_STORE

    def _username(self, name: str) -> str:
        return f"{self._profile.store_id}:{name}"

    def get(self, name: str) -> str | None:
        # A secret saved while there was no keyring stays where it was put.
        local = self._local(name)
        if local is not None or self._backend is None:
            return local
        held: str | None = self._call("read", self._backend.get_password, SERVICE, self._username(name))
        if held is None:
            return None
        if not held.startswith(SEALED):  # put there in the clear by release 0.1: seal it now
            self.set(name, held)
            return held
        return self._unseal(name, held)

    def set(self, name: str, value: str) -> None:
        if self._backend is None:
            self._put_local(name, value)
            return
        self._call("save", self._backend.set_password, SERVICE, self._username(name), self._seal(name, value))
        self._profile.db.execute("DELETE FROM secrets WHERE name = ?", (name,))

    # ---- sealing: what the keyring holds opens only with a key inside the store ----------------------------------

    def _seal_key(self) -> bytes:
        held = self._local(SEAL_NAME)
        if held is None:
            key = random.token_bytes(32)
            self._put_local(SEAL_NAME, base64.b64encode(key).decode("ascii"))
            return key
        return base64.b64decode(held)

    def _aad(self, name: str) -> bytes:
        return f"youthwork keyring:{self._profile.store_id}:{name}".encode()

    def _seal(self, name: str, value: str) -> str:
        nonce = random.token_bytes(12)
        sealed = AESGCM(self._seal_key()).encrypt(nonce, value.encode("utf-8"), self._aad(name))
        return SEALED + base64.b64encode(nonce + sealed).decode("ascii")

    def _unseal(self, name: str, held: str) -> str | None:
        try:
            raw = base64.b64decode(held[len(SEALED) :])
            return AESGCM(self._seal_key()).decrypt(raw[:12], raw[12:], self._aad(name)).decode("utf-8")
        except (InvalidTag, ValueError):
            # Sealed by another profile (or the store was restored from before the seal): as good as absent.
            log.warning("the keyring holds a sealed secret this profile cannot open")
            return None

    def _local(self, name: str) -> str | None:
        value: str | None = self._profile.db.scalar("SELECT value FROM secrets WHERE name = ?", (name,))
        return value

    def _put_local(self, name: str, value: str) -> None:
        self._profile.db.execute(
            "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    def delete(self, name: str) -> None:
        self._profile.db.execute("DELETE FROM secrets WHERE name = ?", (name,))
        if self._backend is None:
            return
        try:
            self._call("remove", self._backend.delete_password, SERVICE, self._username(name))
        except SecretsError as e:
            if not isinstance(e.__cause__, keyring.errors.PasswordDeleteError):
                raise  # "not there" is fine; anything else is not

    def _call(self, verb: str, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except Exception as e:
            log.warning("keyring %s failed: %s", verb, type(e).__name__)
            raise SecretsError(
                f"Could not {verb} the sign-in details in this computer's keyring. It may be locked: unlock it "
                "(or sign in to your desktop again) and try once more."
            ) from e


def secrets_for(profile: Profile) -> SecretStore:
    """The device's secret store for this open profile (system keyring, sealed; or inside the store)."""
    store = _STORES.get(profile)
    if store is None:
        store = _STORES[profile] = SecretStore(profile)
    return store


def use_backend(profile: Profile, backend: keyring.backend.KeyringBackend) -> SecretStore:
    """Use `backend` for this profile's secrets from now on (the demo keeps its credentials out of the real one)."""
    store = _STORES[profile] = SecretStore(profile, backend)
    return store
