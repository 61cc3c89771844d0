"""The device's secrets (the sync credential) in the OS keyring, or inside the encrypted store when there is none.

Headless Linux often has no keyring backend (no D-Bus, no Secret Service): then secrets live in the `secrets` table
of the encrypted profile and `backend_description` says so, so the app can tell the worker plainly. Every keyring
failure (locked wallet, D-Bus gone, ...) becomes one `SecretsError` with a clear message. Never plaintext on disk.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors

from youthwork.store.errors import StoreError

if TYPE_CHECKING:
    from youthwork.store.profile import Profile

log = logging.getLogger(__name__)

SERVICE = "youthwork"
IN_KEYRING = "stored in the system keyring"
IN_STORE = "stored inside the encrypted youthwork file because this computer has no keyring"


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
        local = self._profile.db.scalar("SELECT value FROM secrets WHERE name = ?", (name,))
        if local is not None or self._backend is None:
            return local
        return self._call("read", self._backend.get_password, SERVICE, self._username(name))

    def set(self, name: str, value: str) -> None:
        if self._backend is None:
            self._profile.db.execute(
                "INSERT INTO secrets (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )
            return
        self._call("save", self._backend.set_password, SERVICE, self._username(name), value)
        self._profile.db.execute("DELETE FROM secrets WHERE name = ?", (name,))

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
