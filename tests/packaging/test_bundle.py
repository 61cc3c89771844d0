"""Build the one-folder PyInstaller bundle and run it: a profile is created, records written, stats read, all offscreen.

Slow (about 30 s to build on 2 cores, then a few seconds per command), so marked `slow`. The build is cached under
build/bundle-test/, keyed on a hash of everything that goes into it; delete that folder to force a rebuild.
Run alone with: .venv/bin/python -m pytest -m slow tests/packaging/test_bundle.py -s
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BUILD_ROOT = ROOT / "build" / "bundle-test"
DIST = BUILD_ROOT / "dist" / "youthwork"
EXE = DIST / "youthwork"
PASSPHRASE = "correct horse battery staple 42"
# What goes into the bundle: a change to any of these rebuilds it.
INPUTS = (
    "youthwork",
    "ui",
    "resources",
    "packaging/youthwork.spec",
    "packaging/youthwork_main.py",
    "packaging/hooks",
    "pyproject.toml",
)


def say(pytestconfig: pytest.Config, message: str) -> None:
    """Print past pytest's output capture: the build time and bundle size are figures the issue asks for."""
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n[bundle] {message}", flush=True)


def inputs_digest() -> str:
    import PyInstaller
    import PySide6

    digest = hashlib.sha256(f"{sys.version}|{PyInstaller.__version__}|{PySide6.__version__}".encode())
    for name in INPUTS:
        base = ROOT / name
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def folder_size_mb(folder: Path) -> float:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


@pytest.fixture(scope="module")
def bundle(pytestconfig: pytest.Config) -> Path:
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the dev extras: pip install -e '.[dev]'")
    BUILD_ROOT.mkdir(parents=True, exist_ok=True)
    # One build at a time: with pytest-xdist, several workers may reach this fixture together.
    with (BUILD_ROOT / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build_if_changed(pytestconfig)
    say(pytestconfig, f"bundle size {folder_size_mb(DIST):.0f} MB on disk, {sum(1 for _ in DIST.rglob('*'))} files")
    return DIST


def build_if_changed(pytestconfig: pytest.Config) -> None:
    stamp = BUILD_ROOT / "inputs.sha256"
    digest = inputs_digest()
    if EXE.is_file() and stamp.is_file() and stamp.read_text() == digest:
        say(pytestconfig, f"cached build in {DIST.relative_to(ROOT)} (inputs unchanged)")
    else:
        stamp.unlink(missing_ok=True)
        start = time.monotonic()
        result = subprocess.run(
            ["bash", "packaging/build.sh", "--distpath", str(DIST.parent), "--workpath", str(BUILD_ROOT / "work")],
            cwd=ROOT,
            env={**os.environ, "PYTHON": sys.executable},
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
        say(pytestconfig, f"built in {time.monotonic() - start:.0f} s")
        if inputs_digest() == digest:  # not if a source changed while building
            stamp.write_text(digest)


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """A user with an empty home, no D-Bus session and no keyring: nothing touches the real user's files."""
    home = tmp_path / "home"
    runtime = tmp_path / "run"
    for folder in (home, runtime):
        folder.mkdir(mode=0o700)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "YOUTHWORK_", "XDG_", "DBUS_", "QT_", "VIRTUAL_ENV"))
    }
    env.update(
        HOME=str(home),
        XDG_RUNTIME_DIR=str(runtime),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        DBUS_SESSION_BUS_ADDRESS=f"unix:path={runtime}/no-bus",
        QT_QPA_PLATFORM="offscreen",
        YOUTHWORK_PASSPHRASE=PASSPHRASE,
        LANG="C.UTF-8",
    )
    return env


def run_bundled(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, timeout=timeout)
    shown = f"$ youthwork {' '.join(args)}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    assert result.returncode == 0, shown
    assert "Traceback" not in result.stderr, shown
    return result


# --- what is inside ------------------------------------------------------------------------------------------------


def test_bundle_holds_the_modules_plugins_and_resources_the_app_loads(bundle: Path) -> None:
    from PyInstaller.archive.readers import pkg_archive_contents

    modules = set(pkg_archive_contents(str(EXE)))
    for module in (
        "youthwork.cli",
        "ui.launcher",
        "ui.app",
        "sqlcipher3.dbapi2",
        "keyring.backends.SecretService",
        "keyring.backends.libsecret",
        "keyring.backends.kwallet",
        "argon2",
        "_argon2_cffi_bindings",
        "python_calamine",
        "openpyxl",
    ):
        assert module in modules, f"{module} is not in the bundle"

    internal = bundle / "_internal"
    qt = internal / "PySide6" / "Qt"
    for relative in (
        "plugins/platforms/libqxcb.so",
        "plugins/platforms/libqwayland.so",
        "plugins/platforms/libqoffscreen.so",
        "plugins/iconengines/libqsvgicon.so",
        "plugins/imageformats/libqsvg.so",
        "plugins/imageformats/libqjpeg.so",
        "lib/libQt6Svg.so.6",
        "lib/libQt6XcbQpa.so.6",
    ):
        assert (qt / relative).is_file(), f"Qt {relative} is not in the bundle"
    assert list((internal / "sqlcipher3").glob("_sqlite3*.so")), "the SQLCipher extension is not in the bundle"
    assert list(internal.glob("_cffi_backend*.so")), "cffi's backend is not in the bundle"
    assert list((internal / "python_calamine").glob("_python_calamine*.so")), "calamine (Excel import) is missing"
    assert list(internal.glob("keyring-*.dist-info/entry_points.txt")), "keyring finds its backends by entry points"
    assert (internal / "resources" / "icons" / "app" / "youthwork.svg").is_file()
    assert (internal / "resources" / "youthwork.desktop").is_file()
    assert list((internal / "youthwork" / "store" / "migrations").glob("*.sql")), "store migrations are missing"

    # Unused Qt stays out: these are the big ones PySide6-Addons would otherwise drag in.
    unwanted = ("QtWebEngine", "Qt3D", "QtQuick", "QtQml", "QtMultimedia", "QtPdf", "QtDesigner", "QtLocation")
    bundled = [p.name for p in internal.rglob("*") if p.is_file() and any(u in p.name for u in unwanted)]
    assert not bundled, f"unused Qt modules in the bundle: {bundled[:10]}"


def test_bundle_self_check_imports_everything_and_runs_each_native_part(bundle: Path, clean_env) -> None:
    """Every youthwork/ui module imports in the frozen app, and SQLCipher, keyring, argon2, reading Excel (the Rust
    extension of python-calamine), Qt and the server work."""
    result = run_bundled({**clean_env, "YOUTHWORK_CHECK_BUNDLE": "1"})
    assert result.stdout.rstrip().endswith("bundle check: all ok"), result.stdout
    assert "ok     embedded central service" in result.stdout, result.stdout
    assert "ok     Excel import" in result.stdout, result.stdout


# --- it runs -------------------------------------------------------------------------------------------------------


def test_bundled_app_creates_a_profile_writes_records_and_reports(bundle: Path, clean_env, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    run_bundled(clean_env, "init", "--profile", str(profile))
    assert profile.is_dir() and any(profile.iterdir()), "init made no profile"
    run_bundled(clean_env, "demo-data", "--profile", str(profile), "--people", "5", "--weeks", "1")
    stats = json.loads(run_bundled(clean_env, "stats", "--profile", str(profile)).stdout)
    assert stats["people"] == 5 and stats["sessions"] > 0, stats
    # The bundled SQLCipher really encrypts: no file in the profile is a plain SQLite database.
    files = [p for p in profile.rglob("*") if p.is_file() and p.stat().st_size >= 16]
    assert files and not [p.name for p in files if p.read_bytes()[:16] == b"SQLite format 3\0"]


def test_bundled_app_refuses_a_wrong_passphrase_with_a_message(bundle: Path, clean_env, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    run_bundled(clean_env, "init", "--profile", str(profile))
    wrong = {**clean_env, "YOUTHWORK_PASSPHRASE": "not the passphrase"}
    result = subprocess.run(
        [str(EXE), "stats", "--profile", str(profile)], env=wrong, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and result.stderr.strip(), result.stderr


def stop_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(pid, sig)


def window_stays_up(env: dict[str, str], profile: Path, wrapper: tuple[str, ...] = ()) -> None:
    """Start the app's window, let it settle, and check it is still running with no traceback on stderr."""
    if "--self-test" in run_bundled(env, "--help").stdout:
        run_bundled(env, "--self-test", "--profile", str(profile))
        return
    process = subprocess.Popen(
        [*wrapper, str(EXE), "--profile", str(profile)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so the whole group (xvfb-run and its X server too) can be stopped
    )
    try:
        time.sleep(5)
        alive = process.poll() is None
    finally:
        stop_group(process.pid, signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            stop_group(process.pid, signal.SIGKILL)
            _, stderr = process.communicate()
    assert alive, f"the app exited early with {process.returncode}:\n{stderr}"
    assert "Traceback" not in stderr, stderr
    assert "Could not load the Qt platform plugin" not in stderr, stderr


def test_bundled_app_window_starts_offscreen(bundle: Path, clean_env, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    run_bundled(clean_env, "init", "--profile", str(profile))
    window_stays_up(clean_env, profile)


def test_bundled_app_window_starts_on_x11(bundle: Path, clean_env, tmp_path: Path) -> None:
    """The xcb platform plugin and the libraries it needs are in the bundle (the classic missing-xcb failure)."""
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        pytest.skip("xvfb-run not installed (Debian: xvfb xauth); the offscreen start still ran")
    profile = tmp_path / "profile"
    run_bundled(clean_env, "init", "--profile", str(profile))
    window_stays_up({**clean_env, "QT_QPA_PLATFORM": "xcb"}, profile, (xvfb_run, "-a", "-s", "-screen 0 1280x800x24"))


# --- it installs ---------------------------------------------------------------------------------------------------


def test_installed_bundle_runs_from_its_launcher_path(bundle: Path, clean_env, tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    subprocess.run(
        ["bash", str(ROOT / "packaging" / "install-linux.sh"), "--prefix", str(prefix), "--bundle", str(bundle)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    launcher = (prefix / "share" / "applications" / "youthwork.desktop").read_text()
    exec_line = next(line for line in launcher.splitlines() if line.startswith("Exec="))
    command = exec_line.removeprefix("Exec=").split()[0]
    assert command == str(prefix / "bin" / "youthwork")
    result = subprocess.run([command, "--help"], env=clean_env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
