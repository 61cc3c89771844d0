"""Each branch of youthwork.platform.files that can run here: POSIX for real; Windows by faking `sys.platform` and the
errors Windows raises (its PermissionError carries a `winerror`), which is how the code tells them apart."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from youthwork.platform import files


def test_private_files_are_this_users_only_on_posix(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with files.private_files():
            (tmp_path / "f").write_text("x")
            (tmp_path / "d").mkdir()
        (tmp_path / "after").write_text("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "after").stat().st_mode) == 0o644, "the umask is put back"


def test_restrict(tmp_path: Path) -> None:
    p = tmp_path / "f"
    p.write_text("x")
    p.chmod(0o644)
    files.restrict(p)
    assert stat.S_IMODE(p.stat().st_mode) == 0o600


def test_on_windows_permissions_are_left_to_the_profile_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files.sys, "platform", "win32")
    calls: list[object] = []
    monkeypatch.setattr(files.os, "umask", lambda *a: calls.append(a) or 0)
    monkeypatch.setattr(files.os, "chmod", lambda *a: calls.append(a))
    with files.private_files():
        pass
    files.restrict(tmp_path / "f")
    assert calls == []


def _busy(winerror: int) -> PermissionError:
    exc = PermissionError(13, "The process cannot access the file because it is being used by another process")
    exc.winerror = winerror  # type: ignore[attr-defined]
    return exc


def test_replace_retries_while_windows_says_the_file_is_busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files.sys, "platform", "win32")
    monkeypatch.setattr(files, "_REPLACE_WAIT_S", 0)
    real = os.replace
    failures = [_busy(32), _busy(5)]

    def flaky(src: Path, dst: Path) -> None:
        if failures:
            raise failures.pop(0)
        real(src, dst)

    monkeypatch.setattr(files.os, "replace", flaky)
    (tmp_path / "new").write_text("new")
    (tmp_path / "old").write_text("old")
    files.replace(tmp_path / "new", tmp_path / "old")
    assert (tmp_path / "old").read_text() == "new" and not failures


def test_replace_gives_up_and_never_retries_other_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "_REPLACE_WAIT_S", 0)
    tries: list[int] = []

    def always(exc: PermissionError):
        def replace(src: Path, dst: Path) -> None:
            tries.append(1)
            raise exc

        return replace

    monkeypatch.setattr(files.sys, "platform", "win32")
    monkeypatch.setattr(files.os, "replace", always(_busy(32)))
    with pytest.raises(PermissionError):
        files.replace(tmp_path / "a", tmp_path / "b")
    assert len(tries) == files._REPLACE_TRIES
    tries.clear()
    monkeypatch.setattr(files.os, "replace", always(_busy(1314)))  # not a busy file: no retry
    with pytest.raises(PermissionError):
        files.replace(tmp_path / "a", tmp_path / "b")
    assert len(tries) == 1
    tries.clear()
    monkeypatch.setattr(files.sys, "platform", "linux")  # POSIX replace is atomic and never "busy"
    monkeypatch.setattr(files.os, "replace", always(PermissionError(13, "denied")))
    with pytest.raises(PermissionError):
        files.replace(tmp_path / "a", tmp_path / "b")
    assert len(tries) == 1
