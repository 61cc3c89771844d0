"""Run inside `dbus-run-session`: the accessibility bus, an X server, the app, and a screen reader's look at it.

    dbus-run-session -- python tests/ui/atspi_session.py PROFILE PASSPHRASE

Starts the AT-SPI bus (at-spi-bus-launcher, with its registry), Xvfb at 1366×768, and the app on the Add a young
person form (atspi_app.py) with Qt's AT-SPI bridge on; then reads the app's accessibility tree over D-Bus as assistive
technology does (a small client on jeepney: GetChildren, GetRoleName, GetState and the Name property) and prints it as
JSON: one {role, name, labelled_by, focusable, showing} per node.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from jeepney import DBusAddress, Properties, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
ACCESSIBLE = "org.a11y.atspi.Accessible"
STATE_FOCUSABLE, STATE_SHOWING = 11, 25  # AtspiStateType
LABELLED_BY = 2  # AtspiRelationType


def a11y_bus() -> DBusConnection:
    session = open_dbus_connection(bus="SESSION")
    bus = DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus")
    deadline = time.monotonic() + 20
    while True:
        try:
            address = session.send_and_get_reply(new_method_call(bus, "GetAddress"), timeout=5).body[0]
            return open_dbus_connection(bus=address)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def call(conn: DBusConnection, name: str, path: str, method: str) -> tuple:
    return conn.send_and_get_reply(new_method_call(DBusAddress(path, name, ACCESSIBLE), method), timeout=10).body


def walk(conn: DBusConnection, name: str, path: str, out: list[dict], depth: int = 0) -> None:
    if depth > 60:
        return
    label = conn.send_and_get_reply(Properties(DBusAddress(path, name, ACCESSIBLE)).get("Name"), timeout=10).body[0][1]
    role = call(conn, name, path, "GetRoleName")[0]
    states = call(conn, name, path, "GetState")[0]
    bits = sum(word << (32 * i) for i, word in enumerate(states))
    showing = bool(bits >> STATE_SHOWING & 1)
    labelled_by = [
        conn.send_and_get_reply(Properties(DBusAddress(p, n, ACCESSIBLE)).get("Name"), timeout=10).body[0][1]
        for kind, targets in call(conn, name, path, "GetRelationSet")[0]
        if kind == LABELLED_BY
        for n, p in targets
    ]
    focusable = bool(bits >> STATE_FOCUSABLE & 1)
    out.append({"role": role, "name": label, "labelled_by": labelled_by, "focusable": focusable, "showing": showing})
    if not showing and depth > 1:
        return  # a page not on screen: a screen reader does not go there either
    for child_name, child_path in call(conn, name, path, "GetChildren")[0]:
        walk(conn, child_name, child_path, out, depth + 1)


def main() -> None:
    profile, passphrase = sys.argv[1], sys.argv[2]
    children: list[subprocess.Popen] = []
    try:
        children.append(
            subprocess.Popen([LAUNCHER, "--launch-immediately"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        conn = a11y_bus()
        read, write = os.pipe()
        children.append(
            subprocess.Popen(
                ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                pass_fds=[write],
                stderr=subprocess.DEVNULL,
            )
        )
        os.close(write)
        display = ":" + os.read(read, 16).decode().strip()
        env = dict(
            os.environ,
            DISPLAY=display,
            QT_QPA_PLATFORM="xcb",
            QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
            PYTHONPATH=str(ROOT),
        )
        app = subprocess.Popen(
            [sys.executable, str(ROOT / "tests/ui/atspi_app.py"), profile, passphrase],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        children.append(app)
        assert app.stdout is not None and app.stdout.readline().strip() == "ready", "the app did not start"
        registry = "org.a11y.atspi.Registry"
        deadline = time.monotonic() + 20
        tree: list[dict] = []
        while not tree and time.monotonic() < deadline:
            for name, path in call(conn, registry, "/org/a11y/atspi/accessible/root", "GetChildren")[0]:
                found: list[dict] = []
                walk(conn, name, path, found)
                if found and found[0]["name"] == "youthwork":
                    tree = found
            time.sleep(0.2)
        print(json.dumps(tree))
    finally:
        for child in reversed(children):
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    main()
