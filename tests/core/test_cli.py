"""The operator commands, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASS = "correct horse battery"


def run(*args: str, passphrase: str | None = PASS, new: str | None = None, stdin: str = ""):
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOUTHWORK_")}
    if passphrase is not None:
        env["YOUTHWORK_PASSPHRASE"] = passphrase
    if new is not None:
        env["YOUTHWORK_NEW_PASSPHRASE"] = new
    return subprocess.run(
        [sys.executable, "-m", "youthwork.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


def assert_one_line_error(out: subprocess.CompletedProcess[str], text: str) -> None:
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert text in out.stderr


def test_init_demo_find_stats_and_change_passphrase(tmp_path):
    prof = str(tmp_path / "p")
    out = run("init", "--profile", prof)
    assert out.returncode == 0, out.stderr
    key_line = next(line for line in out.stdout.splitlines() if line.startswith("Recovery key: "))
    assert len(key_line.split(": ")[1].replace("-", "")) == 32
    assert "keep it somewhere safe" in out.stdout

    assert_one_line_error(run("init", "--profile", prof), "already a youthwork profile")

    out = run("demo-data", "--profile", prof, "--people", "300", "--weeks", "3", "--seed", "5")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["added"]["people"] == 300

    out = run("stats", "--profile", prof)
    stats = json.loads(out.stdout)
    assert stats["people"] == 300 and stats["sessions"] > 0 and stats["case_notes"] > 0
    assert stats["outbox"] == 0 and stats["schema_version"] >= 2

    out = run("find", "--profile", prof, "Harlow")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows and all(set(r) >= {"id", "first_name", "last_name", "known_as"} for r in rows)
    assert all(r["area"] == "Harlow Fields Estate" for r in rows)

    assert_one_line_error(run("stats", "--profile", prof, passphrase="wrong passphrase"), "not right")

    out = run("change-passphrase", "--profile", prof, new="a brand new passphrase")
    assert out.returncode == 0, out.stderr
    assert_one_line_error(run("stats", "--profile", prof), "not right")
    assert run("stats", "--profile", prof, passphrase="a brand new passphrase").returncode == 0


def test_errors_are_one_plain_line(tmp_path):
    assert_one_line_error(run("stats", "--profile", str(tmp_path / "none")), "no youthwork profile")
    assert_one_line_error(run("init", "--profile", str(tmp_path / "weak"), passphrase="short"), "at least")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "keyslots.json").write_text("not json at all")
    (bad / "youthwork.db").write_bytes(b"hello")
    assert_one_line_error(run("stats", "--profile", str(bad)), "not a youthwork profile")
    # No passphrase in the environment and nothing to read from: a clear line, not a hang or a traceback.
    assert_one_line_error(run("stats", "--profile", str(tmp_path / "p2"), passphrase=None), "no youthwork profile")


def test_youthwork_home_sets_the_default_profile(tmp_path):
    env_home = tmp_path / "home"
    out = subprocess.run(
        [sys.executable, "-m", "youthwork.cli", "init"],
        cwd=ROOT,
        env={**os.environ, "YOUTHWORK_HOME": str(env_home), "YOUTHWORK_PASSPHRASE": PASS},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert (env_home / "profile" / "youthwork.db").exists()


def test_change_passphrase_with_the_recovery_key(tmp_path):
    prof = str(tmp_path / "p")
    out = run("init", "--profile", prof)
    key = next(line for line in out.stdout.splitlines() if line.startswith("Recovery key: ")).split(": ")[1]

    def reset(*, recovery: str | None, new: str | None, stdin: str = ""):
        env = {k: v for k, v in os.environ.items() if not k.startswith("YOUTHWORK_")}
        if recovery is not None:
            env["YOUTHWORK_RECOVERY_KEY"] = recovery
        if new is not None:
            env["YOUTHWORK_NEW_PASSPHRASE"] = new
        return subprocess.run(
            [sys.executable, "-m", "youthwork.cli", "change-passphrase", "--profile", prof, "--recovery-key"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            input=stdin,
            timeout=120,
        )

    assert_one_line_error(reset(recovery="AAAA-BBBB-CCCC-DDDD", new="a brand new passphrase"), "not right")
    assert run("stats", "--profile", prof).returncode == 0  # nothing changed
    out = reset(recovery=key, new="a brand new passphrase")
    assert out.returncode == 0, out.stderr
    assert "recovery key still works" in out.stdout
    assert_one_line_error(run("stats", "--profile", prof), "not right")
    assert run("stats", "--profile", prof, passphrase="a brand new passphrase").returncode == 0

    # From prompts: the key, then the new passphrase twice; two different ones change nothing.
    out = reset(recovery=None, new=None, stdin=f"{key}\nthird passphrase here\nsomething else\n")
    assert out.returncode == 1 and "Traceback" not in out.stderr  # (prompts go to stderr with no terminal)
    assert "don't match. Nothing has been changed" in out.stderr.strip().splitlines()[-1]
    assert run("stats", "--profile", prof, passphrase="a brand new passphrase").returncode == 0
    out = reset(recovery=None, new=None, stdin=f"{key.lower()}\nthird passphrase here\nthird passphrase here\n")
    assert out.returncode == 0, out.stderr
    assert run("stats", "--profile", prof, passphrase="third passphrase here").returncode == 0
    assert run("stats", "--profile", prof, passphrase=None, stdin=key).returncode != 0  # a key is not a passphrase
