"""The benchmark suite runs end to end (quick mode) and writes every measurement with numbers. Not a speed test."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.suite import MEASUREMENTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_suite_writes_every_measurement(tmp_path: Path) -> None:
    out = tmp_path / "quick.json"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    payload = json.loads(out.read_text())
    assert payload["errors"] == []
    rows = payload["measurements"]
    names = {r["name"] for r in rows}
    assert set(MEASUREMENTS) <= names, set(MEASUREMENTS) - names
    for r in rows:
        for key in ("median", "p95", "p99"):
            assert isinstance(r[key], int | float) and math.isfinite(r[key]) and r[key] >= 0, r
        if r["aim"] is not None:
            assert r["passed"] in (True, False), r
    sized = {(r["name"], r["size"]) for r in rows if r["size"] is not None}
    for size in payload["sizes"]:  # each per-size measurement at every size
        assert {n for n, s in sized if s == size} == {n for n, _ in sized}
    assert {g["name"] for g in payload["growth"]} and all(g["cost_growth"] > 0 for g in payload["growth"])
    assert "| measurement" in run.stdout  # the table was printed
