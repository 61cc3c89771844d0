"""Numbered schema migrations: NNNN_name.sql (a script) or NNNN_name.py (a module with `migrate(conn)`).

Migration N brings the schema from version N-1 to N; the schema version is SQLite's `user_version`. Each runs in
one transaction with its version bump. Never edit a migration that has shipped: add the next number.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_NAME = re.compile(r"^(\d{4})_(\w+)\.(sql|py)$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str | None = None
    fn: Callable[[Any], None] | None = None

    def run(self, conn: Any) -> None:
        """Apply this step and set the schema version, atomically."""
        if self.sql is not None:
            # executescript commits any open transaction first, so the script carries its own BEGIN/COMMIT.
            conn.executescript(f"BEGIN IMMEDIATE;\n{self.sql}\n;PRAGMA user_version = {self.version};\nCOMMIT;")
            return
        assert self.fn is not None
        conn.execute("BEGIN IMMEDIATE")
        self.fn(conn)
        conn.execute(f"PRAGMA user_version = {self.version}")
        conn.execute("COMMIT")


@cache
def all_migrations() -> tuple[Migration, ...]:
    found: list[Migration] = []
    for entry in resources.files(__name__).iterdir():
        m = _NAME.match(entry.name)
        if not m:
            continue
        version, name, kind = int(m.group(1)), m.group(2), m.group(3)
        if kind == "sql":
            found.append(Migration(version, name, sql=entry.read_text(encoding="utf-8")))
        else:
            module = importlib.import_module(f"{__name__}.{entry.name[:-3]}")
            found.append(Migration(version, name, fn=module.migrate))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations are not numbered 1..n: {[m.version for m in found]}")
    return tuple(found)


LATEST_VERSION = len(all_migrations())
