"""One registry of settings (youthwork.store.settings): every key declared once with its type and default, read and
written through its entry, and no code naming a key by hand."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from youthwork.store import settings
from youthwork.store.settings import REGISTRY, WORKER_NAMES, Setting

ROOT = Path(__file__).resolve().parents[2]
CALLS = {"get_setting", "set_setting", "setting"}


def _bare_keys(path: Path) -> list[str]:
    """Calls like profile.get_setting("worker_names") in `path`, or a module's own name for a key
    (TEAM_NAMES = "worker_names"): a key written by hand instead of its entry."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and node.value.value in REGISTRY
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.value!r}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.args[0].value!r}")
    return found


def test_no_code_names_a_setting_by_hand() -> None:
    found = [hit for top in ("youthwork", "ui") for f in sorted((ROOT / top).rglob("*.py")) for hit in _bare_keys(f)]
    assert not found, "use the entry in youthwork/store/settings.py instead:\n" + "\n".join(found)


def test_every_key_is_declared_once_with_a_json_default() -> None:
    entries = [v for v in vars(settings).values() if isinstance(v, Setting)]
    assert len({e.key for e in entries}) == len(entries) == len(REGISTRY)
    for e in entries:
        assert json.loads(json.dumps(e.default)) == e.default, e.key
        assert e.about, e.key
    with pytest.raises(ValueError, match="share the key"):
        Setting[str]("worker_names", "", "a second entry for a key already declared")


def test_a_setting_reads_its_default_until_saved_and_the_default_stays_as_it_was(profile) -> None:
    names = profile.get_setting(WORKER_NAMES)
    assert names == {}
    names["w-1"] = "Sam"  # a caller changing what it was given changes neither the store nor the default
    assert profile.get_setting(WORKER_NAMES) == {} and WORKER_NAMES.default == {}
    profile.set_setting(WORKER_NAMES, {"w-1": "Sam Okoro"})
    assert profile.get_setting(WORKER_NAMES) == {"w-1": "Sam Okoro"}
    assert profile.get_setting("worker_names") == {"w-1": "Sam Okoro"}  # the same row as the bare key reads
    profile.set_setting(settings.IDLE_LOCK_MINUTES, 10)
    assert profile.get_setting(settings.IDLE_LOCK_MINUTES) == 10
    assert profile.get_setting(settings.LAST_SYNCED) is None
