"""PyInstaller hook for PySide6.QtGui that replaces the stock one: the same collection, minus plugins we never load.

The stock hook collects every QtGui plugin whose libraries exist. Dropping plugins here, before PyInstaller resolves
shared-library dependencies, also keeps out what only those plugins link (QtPdf, the build machine's GTK stack...).
Kept: platforms xcb, wayland, offscreen and minimal; all image formats but PDF; the svg icon engine; the
xdg-desktop-portal theme; compose and ibus input; xcb GL integration; wayland client plugins.
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

DROP_PLUGINS = {
    # embedded-device and remote platforms
    "platforms": ("libqeglfs", "libqlinuxfb", "libqminimalegl", "libqvnc", "libqvkkhrdisplay"),
    # would pull QtPdf
    "imageformats": ("libqpdf",),
    # needs QtQuick
    "platforminputcontexts": ("libqtvirtualkeyboard",),
    # would load the laptop's GTK3 against the build machine's pango/cairo copied in beside it
    "platformthemes": ("libqgtk3",),
}
# kiosk and embedded-board input (evdev, tuio) and EGL device integrations
DROP_PLUGIN_TYPES = ("egldeviceintegrations", "generic")


def keep(dest_dir: str, source: str) -> bool:
    parts = Path(dest_dir).parts
    if "plugins" not in parts or parts[-1] == "plugins":
        return True
    plugin_type = parts[parts.index("plugins") + 1]
    name = Path(source).name.lower()
    return plugin_type not in DROP_PLUGIN_TYPES and not name.startswith(DROP_PLUGINS.get(plugin_type, ()))


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if keep(dest, source)]
