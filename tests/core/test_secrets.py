"""Secrets: the system keyring when there is one, else inside the encrypted store, and always said which."""

from __future__ import annotations

import keyring.backend
import keyring.errors
import pytest

from youthwork.security.secrets import IN_KEYRING, IN_STORE, SecretsError, SecretStore, secrets_for


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A real keyring backend that keeps passwords in a dict (what keyring's own tests use)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not found")


class LockedKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("wallet locked")

    def set_password(self, service, username, password):
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


def test_headless_falls_back_inside_the_encrypted_store_and_says_so(profile, profile_dir):
    store = secrets_for(profile)  # tests/conftest.py selects keyring's "fail" backend, as on headless Linux
    assert not store.uses_keyring
    assert store.backend_description == IN_STORE
    store.set("device_token", "tok-SECRET-123")
    assert store.get("device_token") == "tok-SECRET-123"
    profile.close()
    for f in profile_dir.iterdir():
        assert b"tok-SECRET-123" not in f.read_bytes()
    from tests.core.conftest import PASSPHRASE
    from youthwork.store.profile import Profile

    with Profile.open(profile_dir, PASSPHRASE) as again:
        assert secrets_for(again).get("device_token") == "tok-SECRET-123"
        secrets_for(again).delete("device_token")
        assert secrets_for(again).get("device_token") is None


def test_system_keyring_is_used_when_present(profile):
    backend = MemoryKeyring()
    store = SecretStore(profile, backend)
    assert store.uses_keyring and store.backend_description == IN_KEYRING
    store.set("device_token", "tok")
    assert store.get("device_token") == "tok"
    # Sealed under a key inside the store: the keyring holds ciphertext only.
    (held,) = backend.items.values()
    assert held.startswith("yw-sealed-1:") and "tok" not in held
    # Only the sealing key is in the store, not the token.
    assert [r[0] for r in profile.db.query("SELECT name FROM secrets")] == ["keyring.seal_key"]
    store.delete("device_token")
    store.delete("device_token")  # deleting what is not there is fine
    assert store.get("device_token") is None


def test_keyring_errors_become_one_clear_error(profile):
    store = SecretStore(profile, LockedKeyring())
    with pytest.raises(SecretsError, match="keyring") as err:
        store.get("device_token")
    assert "locked" in err.value.message
    with pytest.raises(SecretsError):
        store.set("device_token", "tok")
