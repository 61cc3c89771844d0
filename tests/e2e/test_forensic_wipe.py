"""A lost laptop, tried as a thief would: a real ext4 file system on a loop device, the real CLI and a real server.

A profile with data is enrolled and synced, backed up twice, given mistyped passphrases, its passphrase changed, a
subject access export and a weekly report (xlsx) written, then the server reports the laptop lost and the next sync
wipes it, exports included. The raw image is then carved: every key-slot document found (the in-place kind and
release 0.1's JSON) is tried with the old and the current passphrase, any key so found is tried on every block, and
the image is searched for the names in the clear. Nothing may unwrap and no name may be found. Before the wipe the
same carving does find the key and the names, so the carver is shown to work. Needs root and a loop device;
skipped, saying why, where there are none.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_process import PASSWORD, ROOT, ServerProcess

from youthwork.keys.slots import MAGIC, read_documents, unwrap_document
from youthwork.store.profile import Profile
from youthwork.sync import device

OLD = "brisk otter lantern harbour"
NEW = "quiet maple ferry orbit"
PAGE = 4096
RESERVE = 80
IMAGE_MIB = 64
NAMES = [f"Zorvath{i:03d}" for i in range(40)]  # unlikely in random bytes or in any program's text


def _why_no_loop() -> str | None:
    if sys.platform != "linux":
        return "loop devices are Linux only"
    if os.geteuid() != 0:
        return "mounting a loop device needs root (CI runs as root)"
    if not Path("/dev/loop-control").exists() or shutil.which("losetup") is None or shutil.which("mkfs.ext4") is None:
        return "no loop devices or mkfs.ext4 on this machine"
    return None


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    why = _why_no_loop()
    if why:
        pytest.skip(why)
    image, mnt = tmp_path / "laptop.img", tmp_path / "mnt"
    with open(image, "wb") as f:
        f.truncate(IMAGE_MIB * 2**20)
    subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], check=True)
    mnt.mkdir()
    out = subprocess.run(["mount", "-o", "loop", str(image), str(mnt)], capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip(f"could not mount a loop device here: {out.stderr.strip()}")
    try:
        yield image, mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def decrypt_block(block: bytes, key: bytes, first: bool) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    start, end = (16 if first else 0), PAGE - RESERVE
    decryptor = Cipher(algorithms.AES(key), modes.CBC(block[end : end + 16])).decryptor()
    return decryptor.update(block[start:end]) + decryptor.finalize()


def carve_documents(raw: bytes) -> list[dict]:
    """Every key-slot document in the raw image: in-place records (block-aligned) and JSON ones anywhere."""
    found: list[dict] = []
    for m in re.finditer(re.escape(MAGIC), raw):
        found += read_documents(raw[m.start() : m.start() + PAGE])
    decoder = json.JSONDecoder()
    for m in re.finditer(rb'"format": ?"youthwork-keyslots"', raw):
        start = raw.rfind(b"{", max(0, m.start() - 4000), m.start())
        while start != -1:
            try:
                doc, _ = decoder.raw_decode(raw[start : start + 8192].decode("utf-8", "replace"))
                if isinstance(doc, dict) and doc.get("format") == "youthwork-keyslots":
                    found.append(doc)
                    break
            except ValueError:
                pass
            start = raw.rfind(b"{", max(0, m.start() - 4000), start)
    return found


def carve(raw: bytes) -> dict[str, int]:
    docs = carve_documents(raw)
    keys = {k for doc in docs for secret in (OLD, NEW) for k in unwrap_document(doc, secret)}
    names_decrypted = set()
    for key in keys:
        for at in range(0, len(raw) - PAGE + 1, PAGE):
            for first in (False, True):
                plain = decrypt_block(raw[at : at + PAGE], key, first)
                names_decrypted |= {n for n in NAMES if n.encode() in plain}
    in_clear = {n for n in NAMES if n.encode() in raw}
    return {
        "key_slot_documents": len(docs),
        "keys_unwrapped": len(keys),
        "names_decrypted": len(names_decrypted),
        "names_in_clear": len(in_clear),
    }


def youthwork(*args: str, env: dict[str, str], passphrase: str = OLD, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "youthwork.cli", *args],
        env=env | {"YOUTHWORK_PASSPHRASE": passphrase} | extra,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def raw_image(image: Path) -> bytes:
    os.sync()  # the loop device writes through the page cache of the image file
    return image.read_bytes()


@pytest.mark.slow  # about half a minute: a file system, a server and a dozen CLI runs with real key derivation
def test_after_a_wipe_the_raw_disk_gives_up_no_key_and_no_name(mounted, tmp_path: Path, capsys) -> None:
    image, mnt = mounted
    server = ServerProcess(tmp_path)
    server.add_team("Peckham detached", "detached")
    server.add_user("ana", "Peckham detached", name="Ana Worker")
    server.start()
    try:
        env = {k: v for k, v in server.env.items() if not k.startswith("YOUTHWORK_PASSPHRASE")}
        env |= {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "YOUTHWORK_PASSWORD": PASSWORD}
        profile, home = mnt / "profile", mnt / "home"
        home.mkdir()
        assert youthwork("init", "--profile", str(profile), env=env).returncode == 0
        with Profile.open(profile, OLD) as p:
            from youthwork.domain.records import YoungPerson

            people = [p.records.save(YoungPerson(first_name=n, last_name="Okoro", area="Peckham")) for n in NAMES]
        out = youthwork("enrol", "--profile", str(profile), "--server", server.url, "--username", "ana", env=env)
        assert out.returncode == 0, out.stderr
        assert youthwork("sync", "--profile", str(profile), env=env).returncode == 0
        for _ in range(2):
            assert youthwork("backup", "--profile", str(profile), env=env).returncode == 0
        for wrong in ("brisk otter lantern", "brisk otter lantern harbor", "Brisk otter lantern harbour"):
            assert "not right" in youthwork("stats", "--profile", str(profile), env=env, passphrase=wrong).stderr
        time.sleep(1.1)  # the third wrong try asks for a second's wait
        assert youthwork("stats", "--profile", str(profile), env=env).returncode == 0
        out = youthwork(
            "change-passphrase", "--profile", str(profile), env=env, YOUTHWORK_NEW_PASSPHRASE=NEW
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        sar = home / "sar.json"
        out = youthwork("export", "--profile", str(profile), "--person", people[0].id, "--out", str(sar), env=env,
                        passphrase=NEW)  # fmt: skip
        assert out.returncode == 0, out.stderr
        assert NAMES[0] in sar.read_text()
        week = home / "week.xlsx"
        out = youthwork("report", "weekly", "--profile", str(profile), "--format", "xlsx", "--out", str(week), env=env,
                        passphrase=NEW)  # fmt: skip
        assert out.returncode == 0, out.stderr
        assert week.exists()
        assert youthwork("sync", "--profile", str(profile), env=env, passphrase=NEW).returncode == 0

        before = carve(raw_image(image))
        # The carver works: the live key file unwraps with the current passphrase and the names decrypt.
        assert before["keys_unwrapped"] >= 1 and before["names_decrypted"] == len(NAMES)

        with Profile.open(profile, NEW) as p:
            device_id = p.get_setting(device.DEVICE_ID)
        server.admin("wipe-device", device_id)
        out = youthwork("sync", "--profile", str(profile), env=env, passphrase=NEW)
        assert "reported lost" in out.stderr + out.stdout
        assert not Profile.exists(profile) and not sar.exists() and not week.exists()
        assert not list(profile.iterdir()) if profile.exists() else True
    finally:
        server.stop()
    subprocess.run(["umount", str(mnt)], check=True)
    after = carve(image.read_bytes())
    with capsys.disabled():
        print(f"\nforensic carving of the {IMAGE_MIB} MiB ext4 image before the wipe: {before}; after: {after}")
    assert after["keys_unwrapped"] == 0, after
    assert after["names_decrypted"] == 0 and after["names_in_clear"] == 0, after
    subprocess.run(["mount", "-o", "loop", str(image), str(mnt)], check=False)  # for the fixture's umount
