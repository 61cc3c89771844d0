"""The .desktop launcher, the AppStream metadata and the application icons.

The official validators run when installed (desktop-file-utils, appstream); the Python checks always run as well,
so a machine without the tools still checks the files instead of passing on nothing.
"""

from __future__ import annotations

import configparser
import importlib.util
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
DESKTOP = RESOURCES / "youthwork.desktop"
METAINFO = RESOURCES / "uk.org.youthwork.Youthwork.metainfo.xml"
ICONS = RESOURCES / "icons" / "app"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive in the Desktop Entry spec
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    assert parser.sections()[0] == "Desktop Entry", "the first group must be [Desktop Entry]"
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def load_render_icons():
    # By file path: packaging/ must never become an importable package, or it would shadow PyPI's `packaging`.
    spec = importlib.util.spec_from_file_location("render_icons", ROOT / "packaging" / "render_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


# --- .desktop ------------------------------------------------------------------------------------------------------


def test_desktop_file_passes_desktop_file_validate() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate not installed (Debian: desktop-file-utils); Python checks still ran")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_desktop_file_has_the_keys_a_launcher_needs() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Youthwork"
    assert entry["Exec"].split()[0] == "youthwork"
    assert entry["TryExec"] == "youthwork"
    assert entry["Terminal"] == "false"
    assert entry["Icon"] == "youthwork", "Icon is a theme name, installed as hicolor/*/apps/youthwork.png"
    categories = entry["Categories"]
    assert categories.endswith(";") and "Office" in categories.split(";")
    assert entry["Keywords"].endswith(";")
    for key in ("Comment", "GenericName"):
        assert 0 < len(entry[key]) <= 90, f"{key} should be one short line"


def test_desktop_file_is_utf8_without_tabs_or_trailing_spaces() -> None:
    text = DESKTOP.read_bytes().decode("utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        assert line == line.rstrip() and "\t" not in line, f"line {number}: {line!r}"


# --- AppStream -----------------------------------------------------------------------------------------------------


def test_metainfo_passes_appstreamcli_validate() -> None:
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli not installed (Debian: appstream); Python checks still ran")
    result = subprocess.run(
        [tool, "validate", "--no-net", "--explain", str(METAINFO)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Warnings fail too: only informational and pedantic hints are accepted.
    assert "W:" not in result.stdout and "E:" not in result.stdout, result.stdout


def test_metainfo_has_the_required_tags() -> None:
    root = metainfo()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == "uk.org.youthwork.Youthwork"
    assert root.findtext("metadata_license") in {"CC0-1.0", "FSFAP", "MIT"}, "metadata must carry a permissive licence"
    assert root.findtext("project_license")
    assert root.findtext("name") == desktop_entry()["Name"]
    summary = root.findtext("summary") or ""
    assert 0 < len(summary) <= 90 and not summary.endswith(".")
    description = root.find("description")
    assert description is not None and description.find("p") is not None
    assert root.find("content_rating") is not None
    assert root.findtext("provides/binary") == "youthwork"


def test_metainfo_launches_our_desktop_file_and_names_our_icon() -> None:
    root = metainfo()
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("icon[@type='stock']") == desktop_entry()["Icon"]


def test_metainfo_newest_release_is_the_project_version() -> None:
    releases = metainfo().findall("releases/release")
    assert releases, "at least one <release>"
    assert releases[0].get("version") == project_version(), "add a <release> when pyproject's version changes"
    assert releases[0].get("date")


# --- icons ---------------------------------------------------------------------------------------------------------


def test_icon_pngs_exist_at_every_size_and_match_the_svg(qapp) -> None:
    from PySide6.QtGui import QImage

    icons = load_render_icons()
    assert (ICONS / "youthwork.svg").is_file()
    for size in SIZES:
        png = QImage(str(ICONS / f"youthwork-{size}.png"))
        assert not png.isNull(), f"youthwork-{size}.png is missing or unreadable"
        assert (png.width(), png.height()) == (size, size)
        assert png.hasAlphaChannel()
        # The tile has rounded corners: the corner pixel is see-through, the middle is solid.
        assert png.pixelColor(0, 0).alpha() == 0
        assert png.pixelColor(size // 2, size // 2).alpha() == 255
        # Same picture as a fresh render (with a little tolerance for anti-aliasing in other Qt versions).
        difference = icons.mean_difference(png, icons.render(size))
        assert difference < icons.TOLERANCE, f"youthwork-{size}.png differs from the SVG: run packaging/render_icons.py"


def test_icon_svg_is_plain_svg_without_external_references() -> None:
    root = ET.parse(ICONS / "youthwork.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"
    text = (ICONS / "youthwork.svg").read_text(encoding="utf-8")
    assert "href" not in text and "<text" not in text, "no linked images or text: both break at small sizes"
