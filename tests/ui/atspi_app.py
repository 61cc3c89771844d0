"""The app for the AT-SPI check: a real window under X11, unlocked, on the Add a young person form.

    python tests/ui/atspi_app.py PROFILE PASSPHRASE

Prints "ready" once the form is on screen, then runs until it is ended. Run by atspi_session.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ui.app_window import AppWindow
from ui.theme import apply_theme


def main() -> int:
    profile, passphrase = Path(sys.argv[1]), sys.argv[2]
    app = QApplication(["youthwork"])
    app.setApplicationName("youthwork")
    apply_theme(app)
    window = AppWindow(profile)
    window.show()
    window.unlock.passphrase.setText(passphrase)
    window.unlock.submit()  # checked off the UI thread, as when Enter is pressed
    while window.workspace is None:
        app.processEvents()
    window.workspace.go("people")
    window.workspace.people.new_person()
    app.processEvents()
    print("ready", flush=True)
    code = app.exec()
    window.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
