"""`youthwork enrol` and `youthwork sync` refuse clearly, in one line, without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_helpers import PASSPHRASE, make_profile

from youthwork.cli import main


@pytest.fixture
def profile_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_profile(tmp_path / "p").close()
    monkeypatch.setenv("YOUTHWORK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("YOUTHWORK_PASSWORD", "whatever password")
    return tmp_path / "p"


def test_sync_before_enrolling_says_what_to_do(profile_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync", "--profile", str(profile_dir)]) == 1
    err = capsys.readouterr().err
    assert "not connected to a youthwork server" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("server", "words"),
    [("ftp://example.org", "must start with https://"), ("http://127.0.0.1:9", "could not be reached")],
)
def test_enrol_with_a_bad_or_unreachable_server(
    profile_dir: Path, capsys: pytest.CaptureFixture[str], server: str, words: str
) -> None:
    assert main(["enrol", "--profile", str(profile_dir), "--server", server, "--username", "sam"]) == 1
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1
