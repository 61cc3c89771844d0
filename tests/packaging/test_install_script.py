"""packaging/install-linux.sh puts a bundle, its launcher, icons and metadata where desktops look, and removes them.

Uses a stand-in bundle (a tiny executable), so it is fast; test_bundle.py installs the real one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "install-linux.sh"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture
def fake_bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "dist" / "youthwork"
    (bundle / "_internal").mkdir(parents=True)
    exe = bundle / "youthwork"
    exe.write_text('#!/bin/sh\necho youthwork stand-in "$@"\n')
    exe.chmod(0o755)
    (bundle / "_internal" / "marker").write_text("v1")
    return bundle


def install(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": "/usr/bin:/bin"}  # the cache refreshers are optional; whatever is on PATH is fine
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=60, env=env)


def test_install_places_every_file_and_the_launcher_runs_the_command(fake_bundle: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    result = install("--prefix", str(prefix), "--bundle", str(fake_bundle))
    assert result.returncode == 0, result.stderr

    command = prefix / "bin" / "youthwork"
    assert command.is_symlink() and command.resolve() == (prefix / "lib" / "youthwork" / "youthwork").resolve()
    assert (prefix / "lib" / "youthwork" / "_internal" / "marker").read_text() == "v1"
    share = prefix / "share"
    desktop = share / "applications" / "youthwork.desktop"
    assert f"Exec={command}\n" in desktop.read_text()
    assert f"TryExec={command}\n" in desktop.read_text()
    assert (share / "metainfo" / "uk.org.youthwork.Youthwork.metainfo.xml").is_file()
    for size in SIZES:
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "youthwork.png"
        assert icon.read_bytes() == (ROOT / "resources" / "icons" / "app" / f"youthwork-{size}.png").read_bytes()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "youthwork.svg").is_file()

    exec_line = next(line for line in desktop.read_text().splitlines() if line.startswith("Exec="))
    ran = subprocess.run(exec_line.removeprefix("Exec=").split(), capture_output=True, text=True, timeout=30)
    assert ran.stdout.strip() == "youthwork stand-in"

    validator = shutil.which("desktop-file-validate")
    if validator:
        checked = subprocess.run([validator, str(desktop)], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout


def test_reinstall_replaces_the_old_app_folder_whole(fake_bundle: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    assert install("--prefix", str(prefix), "--bundle", str(fake_bundle)).returncode == 0
    (fake_bundle / "_internal" / "marker").write_text("v2")
    stale = prefix / "lib" / "youthwork" / "_internal" / "from-old-version"
    stale.write_text("old")
    assert install("--prefix", str(prefix), "--bundle", str(fake_bundle)).returncode == 0
    assert (prefix / "lib" / "youthwork" / "_internal" / "marker").read_text() == "v2"
    assert not stale.exists(), "files from the previous version must not linger"
    assert not (prefix / "lib" / "youthwork.new").exists() and not (prefix / "lib" / "youthwork.old").exists()


def test_uninstall_removes_what_install_added(fake_bundle: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    assert install("--prefix", str(prefix), "--bundle", str(fake_bundle)).returncode == 0
    result = install("--uninstall", "--prefix", str(prefix))
    assert result.returncode == 0, result.stderr
    left = [p for p in prefix.rglob("*") if p.is_file() or p.is_symlink()]
    # Only icon-theme caches the refreshers may have written remain.
    assert all(p.name in {"icon-theme.cache", "mimeinfo.cache"} for p in left), left


def test_missing_bundle_is_a_clear_message(tmp_path: Path) -> None:
    result = install("--prefix", str(tmp_path / "prefix"), "--bundle", str(tmp_path / "nothing-here"))
    assert result.returncode != 0
    assert "build it first with packaging/build.sh" in result.stderr
    assert not (tmp_path / "prefix" / "lib" / "youthwork").exists()


def test_no_mode_prints_usage(tmp_path: Path) -> None:
    result = install()
    assert result.returncode == 2
    assert "--user" in result.stdout and "--system" in result.stdout
