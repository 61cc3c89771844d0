"""The `youthwork-server` command: the service's CLI, or plain words when the service's packages aren't installed.

A laptop install (`pip install youthwork`) has the command but not the `server` extra; importing the CLI there would
end in a ModuleNotFoundError traceback, so this checks first and names the install to run.
"""

from __future__ import annotations

import importlib.util
import sys

# The packages of the `server` extra that the service imports at start-up.
SERVER_PACKAGES = ("fastapi", "uvicorn", "sqlalchemy", "alembic")

MISSING = (
    "The youthwork central service isn't installed here (this is a laptop install). "
    "Install it with: pip install 'youthwork[server]'"
)


def server_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in SERVER_PACKAGES)


def main(argv: list[str] | None = None) -> int:
    if not server_installed():
        print(MISSING, file=sys.stderr)
        return 2
    from youthwork.server.cli import main as cli_main

    return cli_main(argv)
