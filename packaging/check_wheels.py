"""Prove the laptop's dependency set installs from wheels alone on Windows and macOS.

A laptop never compiles anything: every package the desktop app needs must come as a wheel for each platform we
ship. This resolves `[project] dependencies` of pyproject.toml (the laptop set; the service's packages are the
`server` extra) for each target twice:

1. `uv pip compile --python-platform ... --only-binary :all:` evaluates environment markers for the TARGET
   (pip evaluates them for the machine it runs on, so on Linux it would miss Windows-only dependencies such as
   keyring's pywin32-ctypes), and pins the whole tree;
2. pip, the installer IT teams use, resolves that pinned tree with `--only-binary=:all: --platform ...` (the
   resolution of `pip download`, as `pip install --dry-run --target`: it reads each wheel's metadata and
   downloads nothing whole), and must find a wheel for every pin.

    python packaging/check_wheels.py            # every platform; exit 1 if any package lacks a wheel
    python packaging/check_wheels.py win_amd64  # one

Needs the network (PyPI) and `uv` (pip install uv).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_VERSION = "3.11"


@dataclass(frozen=True)
class Target:
    name: str  # pip's platform tag
    uv_platform: str  # uv's --python-platform
    pip_platforms: tuple[str, ...]


TARGETS = {
    t.name: t
    for t in (
        Target("win_amd64", "x86_64-pc-windows-msvc", ("win_amd64",)),
        # macOS: pip matches a wheel built for an older macOS too, so name the newest we support and the oldest.
        Target("macosx_arm64", "aarch64-apple-darwin", ("macosx_14_0_arm64", "macosx_11_0_arm64")),
        Target("macosx_x86_64", "x86_64-apple-darwin", ("macosx_13_0_x86_64", "macosx_10_13_x86_64")),
        Target("manylinux_x86_64", "x86_64-manylinux_2_28", ("manylinux_2_28_x86_64", "manylinux2014_x86_64")),
    )
}


def laptop_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    return list(tomllib.loads(pyproject.read_text())["project"]["dependencies"])


def _uv() -> str:
    found = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if not Path(found).exists():
        raise SystemExit("uv is needed: pip install uv")
    return found


def pinned_tree(target: Target, requirements: list[str], work: Path) -> list[str]:
    """The whole dependency tree for `target`, pinned, wheels only (raises with uv's words if one has none)."""
    source = work / f"{target.name}.in"
    source.write_text("\n".join(requirements) + "\n")
    out = work / f"{target.name}.txt"
    run = subprocess.run(
        [
            _uv(),
            "pip",
            "compile",
            "--quiet",
            "--python-platform",
            target.uv_platform,
            "--python-version",
            PYTHON_VERSION,
            "--only-binary",
            ":all:",
            "--no-header",
            "--no-annotate",
            "-o",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise RuntimeError(f"{target.name}: {run.stderr.strip()}")
    return [line.strip() for line in out.read_text().splitlines() if line.strip() and not line.startswith("#")]


def check(target: Target, requirements: list[str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pins = pinned_tree(target, requirements, work)
        wheels = pip_install_dry_run(target, pins, work)
    not_wheels = {name: f for name, f in wheels.items() if not f.endswith(".whl")}
    if not_wheels:
        raise RuntimeError(f"{target.name}: no wheel for {', '.join(sorted(not_wheels))}")
    if len(wheels) != len(pins):
        missing = sorted({p.split("==")[0].lower() for p in pins} - {n.lower() for n in wheels})
        raise RuntimeError(f"{target.name}: pip found no wheel for {', '.join(missing)}")
    return wheels


def pip_install_dry_run(target: Target, pins: list[str], work: Path) -> dict[str, str]:
    """pip's own resolution of the pinned tree for `target`, wheels only, nothing installed or downloaded whole."""
    reqs = work / f"{target.name}-pins.txt"
    reqs.write_text("\n".join(pins) + "\n")
    report = work / f"{target.name}-report.json"
    platforms = [arg for p in target.pip_platforms for arg in ("--platform", p)]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--dry-run",
            "--ignore-installed",
            "--no-deps",
            "--only-binary=:all:",
            *platforms,
            "--python-version",
            PYTHON_VERSION,
            "--implementation",
            "cp",
            "--target",
            str(work / "target"),
            "--report",
            str(report),
            "-r",
            str(reqs),
        ],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        words = "\n".join(line for line in run.stderr.splitlines() if not line.startswith("WARNING: Location"))
        raise RuntimeError(f"{target.name}: {words.strip()}")
    installs = json.loads(report.read_text())["install"]
    return {i["metadata"]["name"]: i["download_info"]["url"].rsplit("/", 1)[-1] for i in installs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=", ".join(TARGETS))
    args = parser.parse_args(argv)
    unknown = sorted(set(args.targets) - set(TARGETS))
    if unknown:
        parser.error(f"unknown target {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    requirements = laptop_requirements()
    failed = 0
    for name in args.targets or TARGETS:
        try:
            wheels = check(TARGETS[name], requirements)
        except RuntimeError as exc:
            print(f"FAIL {exc}")
            failed += 1
            continue
        print(f"ok   {name}: {len(wheels)} packages, all wheels")
        for package, wheel in sorted(wheels.items(), key=lambda kv: kv[0].lower()):
            print(f"       {package:24} {wheel}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
