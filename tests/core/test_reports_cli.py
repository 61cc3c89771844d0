"""`youthwork report weekly` headless: JSON, CSV (+ records), XLSX and PDF; bad input gets one plain line; audited."""

from __future__ import annotations

import codecs
import csv
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from youthwork.demo_data import generate
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile

ROOT = Path(__file__).resolve().parents[2]
PASS = "correct horse battery"
WEEK = "2026-W45"


@pytest.fixture
def demo_profile(profile: Profile, profile_dir: Path) -> Path:
    generate(profile, people=80, weeks=4, seed=2, today=date(2026, 11, 18))
    profile.close()
    return profile_dir


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "YOUTHWORK_PASSPHRASE": PASS, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", "report", "weekly", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_csv_xlsx_pdf_and_the_audit_trail(demo_profile: Path, tmp_path: Path) -> None:
    out = run("--profile", str(demo_profile), "--week", WEEK)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["week"] == WEEK and report["hours_in_week"] == 168
    figures = {f["key"]: f for s in report["sections"] for f in s["figures"]}
    assert figures["sessions"]["value"] == len(figures["sessions"]["ids"]) > 0

    out = run("--profile", str(demo_profile), "--week", WEEK, "--format", "csv", "--out", str(tmp_path / "w.csv"))
    assert out.returncode == 0, out.stderr
    for name in ("w.csv", "w-records.csv"):  # Excel reads a CSV as UTF-8 only after a byte-order mark
        assert (tmp_path / name).read_bytes().startswith(codecs.BOM_UTF8)
    with open(tmp_path / "w.csv", encoding="utf-8-sig") as f:
        rows = {r["key"]: r for r in csv.DictReader(f)}
    assert int(rows["sessions"]["value"]) == figures["sessions"]["value"]
    with open(tmp_path / "w-records.csv", encoding="utf-8-sig") as f:
        records = list(csv.DictReader(f))
    assert {r["id"] for r in records if r["figure"] == "sessions"} == set(figures["sessions"]["ids"])
    # Exports name young people by id, gender, age band and area only.
    people_rows = [r for r in records if r["table"] == "people"]
    assert people_rows and all(r["title"].startswith("Young person ") for r in people_rows)

    for fmt in ("xlsx", "pdf"):
        out = run("--profile", str(demo_profile), "--week", WEEK, "--format", fmt, "--out", str(tmp_path / f"w.{fmt}"))
        assert out.returncode == 0, out.stderr
    assert (tmp_path / "w.xlsx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "w.pdf").read_bytes()[:5] == b"%PDF-"

    with Profile.open(demo_profile, PASS) as p:
        reasons = sorted(e.reason for e in AuditTrail(p).search() if e.action == "exported")
        assert reasons == ["format:csv", "format:json-stdout", "format:pdf", "format:xlsx"]
        assert not AuditTrail(p).verify()


def test_bad_input_is_one_plain_line(demo_profile: Path, tmp_path: Path) -> None:
    for args, words in (
        (("--week", "week 47"), "Write it like 2026-W47"),
        (("--week", "2026-W60"), "2026 has no week 60"),
        (("--week", WEEK, "--format", "pdf"), "Say where to write the PDF file with --out FILE."),
        (("--week", WEEK, "--format", "csv", "--out", str(tmp_path / "nope" / "w.csv")), "does not exist"),
    ):
        out = run("--profile", str(demo_profile), *args)
        assert out.returncode == 1 and words in out.stderr and "Traceback" not in out.stderr, out.stderr


def test_the_core_command_line_alone_says_where_the_pdf_and_the_app_are(demo_profile: Path) -> None:
    """youthwork/ never imports Qt: without the desktop program's launcher, PDF and the window are refused plainly."""
    env = {**os.environ, "YOUTHWORK_PASSPHRASE": PASS}
    core = [sys.executable, "-m", "youthwork.cli"]
    pdf = subprocess.run(
        [
            *core,
            "report",
            "weekly",
            "--profile",
            str(demo_profile),
            "--week",
            WEEK,
            "--format",
            "pdf",
            "--out",
            "x.pdf",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert pdf.returncode == 1 and "drawn by the desktop app" in pdf.stderr and "Traceback" not in pdf.stderr
    window = subprocess.run([*core, "--profile", str(demo_profile)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert window.returncode == 1 and "open the app with `youthwork`" in window.stderr
