"""The Windows and macOS CI definition stays valid and runs what .ci/run runs; the installer recipes say what they
promise (per-user, no admin, a Start menu entry, profiles kept). None of these can run on this Linux machine."""

from __future__ import annotations

import re
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "platforms.yml"
WXS = ROOT / "packaging" / "windows" / "youthwork.wxs"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _steps() -> list[dict]:
    jobs = _workflow()["jobs"]
    assert len(jobs) == 1, "one job over the platform matrix"
    return next(iter(jobs.values()))["steps"]


def _test_command(script: str) -> str:
    """The command a script runs the tests with: the line calling scripts/test."""
    lines = [line.strip() for line in script.splitlines()]
    calls = [line for line in lines if "scripts/test" in line and not line.startswith("#")]
    assert len(calls) == 1, calls
    return calls[0]


def test_the_workflow_is_valid_and_covers_windows_and_both_macs() -> None:
    flow = _workflow()
    assert flow["name"] == "platforms"
    assert {"push", "pull_request"} <= set(flow[True] if True in flow else flow["on"])  # YAML reads `on` as True
    job = next(iter(flow["jobs"].values()))
    systems = job["strategy"]["matrix"]["os"]
    assert any(s.startswith("windows") for s in systems)
    assert any(s.startswith("macos") for s in systems) and len([s for s in systems if s.startswith("macos")]) == 2
    for step in job["steps"]:
        assert "uses" in step or "run" in step, step
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), f"pin actions to a major version: {step['uses']}"


def test_the_workflow_runs_the_same_test_command_as_ci() -> None:
    ci = _test_command((ROOT / ".ci" / "run").read_text())
    flow = [s["run"] for s in _steps() if "scripts/test" in s.get("run", "")]
    assert len(flow) == 1
    ours = shlex.split(_test_command(flow[0]))
    assert shlex.split(ci) == ours[: len(shlex.split(ci))], "the workflow calls scripts/test as .ci/run does"
    assert {"tests/core", "tests/sync", "tests/server", "tests/ui"} <= set(ours)
    assert "not postgres" in " ".join(ours), "hosted runners have no PostgreSQL: SQLite only"
    assert (ROOT / "scripts" / "test").exists()


def test_the_workflow_builds_the_bundle_the_installer_and_checks_wheels() -> None:
    runs = "\n".join(s.get("run", "") for s in _steps())
    assert "packaging/check_wheels.py" in runs
    assert "packaging/build.sh" in runs
    assert "packaging/windows/build-msi.ps1" in runs and "packaging/macos/build-dmg.sh" in runs
    for script in ("packaging/build.sh", "packaging/windows/build-msi.ps1", "packaging/macos/build-dmg.sh"):
        assert (ROOT / script).exists(), script


def test_the_msi_installs_per_user_with_a_start_menu_entry_and_keeps_profiles() -> None:
    ns = {"w": "http://wixtoolset.org/schemas/v4/wxs"}
    package = ET.parse(WXS).getroot().find("w:Package", ns)
    assert package is not None
    assert package.get("Scope") == "perUser", "no administrator rights needed"
    roots = {d.get("Id") for d in package.findall("w:StandardDirectory", ns)}
    assert "LocalAppDataFolder" in roots and "ProgramMenuFolder" in roots
    assert not roots & {"ProgramFilesFolder", "ProgramFiles64Folder", "CommonAppDataFolder"}, "nothing per machine"
    install = package.find(".//w:Directory[@Id='INSTALLFOLDER']", ns)
    assert install is not None and install.get("Name") == "youthwork"
    parent = package.find(".//w:Directory[@Id='ProgramsFolder']", ns)
    assert parent is not None and parent.get("Name") == "Programs", "apart from the profiles in LocalAppData\\youthwork"
    shortcut = package.find(".//w:Shortcut", ns)
    assert shortcut is not None and shortcut.get("Target", "").endswith("youthwork-window.exe")
    registry = package.findall(".//w:RegistryValue", ns)
    assert registry and all(r.get("Root") == "HKCU" for r in registry)
    # Nothing in the MSI touches the profile folder, so uninstalling leaves it.
    assert "RemoveFolderEx" not in WXS.read_text() and "util:RemoveFolderEx" not in WXS.read_text()
    spec = (ROOT / "packaging" / "youthwork.spec").read_text()
    assert 'name=f"{NAME}-window"' in spec and "console=False" in spec, "the spec builds the windowed launcher"
