"""The suite's own shape: test modules are imported by basename (no __init__.py in the test folders), so two files of
one name in different folders stop the whole run at collection, which a targeted run never shows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_test_module_has_a_name_of_its_own() -> None:
    names = Counter(p.name for p in TESTS.rglob("test_*.py"))
    assert not [n for n, k in names.items() if k > 1], "rename one: pytest imports test modules by basename"
