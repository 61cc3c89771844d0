"""A laptop install carries the app and not the service; `youthwork[server]` adds the service.

Installed for real: youthwork's wheel into a fresh virtualenv from the package index (no access to the development
environment's packages), then the commands a worker and an operator run.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple laptop"

pytestmark = pytest.mark.slow


def _run(cmd: list[str], env: dict[str, str], timeout: float = 600, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if ok:
        assert result.returncode == 0, f"$ {' '.join(cmd)}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    work = tmp_path_factory.mktemp("install")
    home = work / "home"
    home.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "YOUTHWORK_", "VIRTUAL_ENV", "XDG_"))}
    env.update(
        HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        YOUTHWORK_PASSPHRASE=PASSPHRASE,
        LANG="C.UTF-8",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        XDG_DATA_HOME=str(home / ".local" / "share"),
    )
    wheels = work / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)], env)
    (wheel,) = wheels.glob("youthwork-*.whl")
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)], env)
    return venv, {**env, "YOUTHWORK_WHEEL": str(wheel)}


def _has(venv: Path, module: str, env: dict[str, str]) -> bool:
    code = f"import importlib.util, sys; sys.exit(0 if importlib.util.find_spec({module!r}) else 1)"
    return _run([str(venv / "bin" / "python"), "-c", code], env, ok=False).returncode == 0


def test_the_laptop_install_runs_the_app_without_the_service(venv, tmp_path: Path) -> None:
    path, env = venv
    for module in ("fastapi", "uvicorn", "sqlalchemy", "alembic", "psycopg"):
        assert not _has(path, module, env), f"{module} came with a laptop install"
    assert _has(path, "PySide6", env) and _has(path, "sqlcipher3", env)
    youthwork = str(path / "bin" / "youthwork")
    profile = tmp_path / "profile"
    _run([youthwork, "init", "--profile", str(profile)], env)
    _run([youthwork, "demo-data", "--profile", str(profile), "--people", "5", "--weeks", "1"], env)
    stats = json.loads(_run([youthwork, "stats", "--profile", str(profile)], env).stdout)
    assert stats["people"] == 5 and stats["sessions"] > 0, stats
    # The window, offscreen: it comes up and stays up.
    window = subprocess.Popen(
        [youthwork, "--profile", str(profile)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        time.sleep(5)
        alive = window.poll() is None
    finally:
        window.send_signal(signal.SIGTERM)
        try:
            _, stderr = window.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            window.kill()
            _, stderr = window.communicate()
    assert alive, f"the window closed at once:\n{stderr}"
    assert "Traceback" not in stderr, stderr
    # The service's command says what to install instead of failing with a traceback.
    refused = _run([str(path / "bin" / "youthwork-server"), "serve"], env, ok=False)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "pip install 'youthwork[server]'" in refused.stderr


def test_the_server_extra_adds_the_service_and_it_serves(venv, tmp_path: Path) -> None:
    path, env = venv
    wheel = env["YOUTHWORK_WHEEL"]
    pip = [str(path / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    _run([*pip, f"youthwork[server] @ file://{wheel}"], env)
    assert _has(path, "fastapi", env) and _has(path, "sqlalchemy", env)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server_env = {**env, "YOUTHWORK_DATABASE_URL": f"sqlite:///{tmp_path / 'server.sqlite3'}"}
    server = subprocess.Popen(
        [str(path / "bin" / "youthwork-server"), "serve", "--port", str(port)],
        env=server_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert health is not None and health.status_code == 200, server.stderr.read() if server.poll() else ""
    finally:
        server.terminate()
        server.communicate(timeout=20)
