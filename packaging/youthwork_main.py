"""Entry point of the bundled `youthwork` executable: the same main() as the `youthwork` console script.

`YOUTHWORK_CHECK_BUNDLE=1 youthwork` instead checks the bundle itself (for IT support and the bundle test): every
youthwork and ui module imports, SQLCipher encrypts, keyring's backends are there, an Excel sheet is written and read
back (openpyxl and python-calamine's Rust extension), Qt loads its platform plugin and renders the SVG icon, and the
embedded central service migrates a throwaway SQLite database and answers /health.
It prints one line per check, touches no profile, and exits 1 if anything is missing.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

CHECK_ENV = "YOUTHWORK_CHECK_BUNDLE"


def check_bundle() -> int:
    import importlib
    import pkgutil
    from pathlib import Path

    failures: list[str] = []

    def check(label: str, action) -> None:
        try:
            detail = action()
        except Exception as e:  # report every failure, not just the first
            failures.append(label)
            print(f"FAILED {label}: {type(e).__name__}: {e}")
        else:
            print(f"ok     {label}{f': {detail}' if detail else ''}")

    def import_all(package_name: str) -> str:
        package = importlib.import_module(package_name)
        names = [m.name for m in pkgutil.walk_packages(package.__path__, f"{package_name}.")]
        broken = []
        for name in names:
            # Alembic runs migration scripts from files (checked by the server check below), not as imports.
            if ".migrations." in name:
                continue
            try:
                importlib.import_module(name)
            except Exception as e:
                broken.append(f"{name} ({type(e).__name__}: {e})")
        if broken:
            raise ImportError("; ".join(broken))
        return f"{len(names)} modules"

    def sqlcipher() -> str:
        import sqlcipher3

        connection = sqlcipher3.connect(":memory:")
        version = connection.execute("PRAGMA cipher_version").fetchone()
        connection.close()
        if not version or not version[0]:
            raise RuntimeError("this SQLite has no SQLCipher in it")
        return f"SQLCipher {version[0]}"

    def keyring_backends() -> str:
        from importlib.metadata import entry_points

        import keyring

        names = {ep.name for ep in entry_points(group="keyring.backends")}
        missing = {"SecretService", "KWallet", "libsecret", "Windows", "macOS"} - names
        if missing:
            raise RuntimeError(f"backends not registered: {sorted(missing)}")
        return f"{len(names)} backends registered, in use here: {type(keyring.get_keyring()).__name__}"

    def argon2_hash() -> str:
        import argon2

        hasher = argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        hasher.verify(hasher.hash("check"), "check")
        return "Argon2id"

    def excel_import() -> str:
        import tempfile
        from datetime import datetime

        from openpyxl import Workbook

        from youthwork.services.importing.sheet import read_sheet

        with tempfile.TemporaryDirectory(prefix="youthwork-check-") as folder:
            path = Path(folder) / "register.xlsx"
            book = Workbook()
            book.active.append(["Name", "Date of birth"])
            book.active.append(["Kaya Mensah", datetime(2010, 5, 1)])
            book.save(path)  # openpyxl writes, as the exports do
            sheet = read_sheet(path)  # python-calamine reads, as an import does
        if sheet.headings != ["Name", "Date of birth"] or sheet.rows[0].cells != ["Kaya Mensah", datetime(2010, 5, 1)]:
            raise RuntimeError(f"read back {sheet.headings} {sheet.rows}")
        return "wrote a workbook with openpyxl and read it back with python-calamine"

    def qt() -> str:
        from PySide6.QtCore import QLibraryInfo
        from PySide6.QtGui import QGuiApplication, QIcon, QImageReader

        app = QGuiApplication.instance() or QGuiApplication(["youthwork"])
        formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
        if not {"svg", "png", "jpg"} <= formats:
            raise RuntimeError(f"image formats missing, have {sorted(formats)}")
        plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
        platforms = sorted(p.name for p in plugins.glob("*qxcb*")) + sorted(p.name for p in plugins.glob("*qwayland*"))
        if len(platforms) < 2:
            raise RuntimeError(f"xcb and wayland platform plugins missing from {plugins}")
        root = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))  # bundle or checkout
        icon_svg = root / "resources" / "icons" / "app" / "youthwork.svg"
        if QIcon(str(icon_svg)).pixmap(32, 32).isNull():
            raise RuntimeError(f"the svg icon engine could not draw {icon_svg}")
        return f"platform {app.platformName()}, {len(formats)} image formats, svg icons"

    def embedded_server() -> str:
        import tempfile
        import warnings

        from youthwork.domain.protocol import API_PREFIX
        from youthwork.server.app import create_app
        from youthwork.server.settings import Settings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # starlette's test client deprecation note
            from fastapi.testclient import TestClient

        with tempfile.TemporaryDirectory(prefix="youthwork-check-") as folder:
            settings = Settings(database_url=f"sqlite:///{folder}/server.db", secret_key_file=f"{folder}/secret.key")
            app = create_app(settings)  # runs the Alembic migrations
            with TestClient(app) as client:
                response = client.get(f"{API_PREFIX}/health")
            if response.status_code != 200:
                raise RuntimeError(f"health answered {response.status_code}: {response.text[:200]}")
        return "migrated a SQLite database and answered /health"

    check("youthwork modules", lambda: import_all("youthwork"))
    check("ui modules", lambda: import_all("ui"))
    check("sqlcipher3", sqlcipher)
    check("keyring", keyring_backends)
    check("argon2", argon2_hash)
    check("Excel import", excel_import)
    check("Qt", qt)
    check("embedded central service", embedded_server)
    print("bundle check:", "FAILED " + ", ".join(failures) if failures else "all ok")
    return 1 if failures else 0


if __name__ == "__main__":
    # A frozen app that starts child processes (e.g. the embedded demo server) must call this first on Windows/macOS.
    multiprocessing.freeze_support()
    if os.environ.get(CHECK_ENV) == "1":
        sys.exit(check_bundle())
    from ui.launcher import main

    sys.exit(main())
