"""A record type's table on the laptop, worked out from its dataclass: one column per field, typed as the row codec
stores it (lists and dicts as JSON text, dates and times as ISO text, booleans as 0/1), with the field's default.

`create_table_sql` writes the CREATE TABLE a migration for a new record type needs; a test checks every shipped
migration's table against `columns` for its record type, so the dataclass and the laptop's table can't disagree.
"""

from __future__ import annotations

import json
import typing
from dataclasses import MISSING, dataclass, fields
from datetime import date, datetime
from typing import Any

from youthwork.domain.codec import base_type, field_types
from youthwork.domain.records import Record

# Columns a laptop table has beyond the record's fields.
SERVER_VERSION = "_server_version"  # the record's last known version on the central service (0: never synced)
EXTRA_COLUMNS: dict[str, str] = {"rid": "INTEGER"}  # people: a stable rowid for the full-text index


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # TEXT, INTEGER or REAL
    not_null: bool
    default: str | None  # SQL literal, or None for no default

    def sql(self) -> str:
        out = f"{self.name} {self.type}"
        if self.not_null:
            out += " NOT NULL"
        if self.default is not None:
            out += f" DEFAULT {self.default}"
        return out


def _sql_type(tp: Any) -> str:
    base = base_type(tp)
    origin = typing.get_origin(base) or base
    if origin in (bool, int):
        return "INTEGER"
    if origin is float:
        return "REAL"
    return "TEXT"  # str, date, datetime, list and dict (JSON text)


def _nullable(tp: Any) -> bool:
    return type(None) in typing.get_args(tp)


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | dict):
        return "'" + json.dumps(value, separators=(",", ":")) + "'"
    return "'" + str(value).replace("'", "''") + "'"


def columns(cls: type[Record]) -> list[Column]:
    """The laptop's columns for a record type, in field order (without `rid`), ending with `_server_version`."""
    hints = field_types(cls)
    out = []
    for f in fields(cls):
        tp = hints[f.name]
        if f.name == "id":
            out.append(Column("id", "TEXT", True, None))
            continue
        if _nullable(tp):
            out.append(Column(f.name, _sql_type(tp), False, None))
            continue
        if f.default is not MISSING:
            default: str | None = _literal(f.default)
        elif f.default_factory is not MISSING:
            made = f.default_factory()
            # A made value that differs each time (a new id, the time now) has no column default.
            default = None if isinstance(made, datetime | date) or f.name == "id" else _literal(made)
        else:
            default = None
        out.append(Column(f.name, _sql_type(tp), True, default))
    out.append(Column(SERVER_VERSION, "INTEGER", True, "0"))
    return out


def create_table_sql(cls: type[Record]) -> str:
    cols = columns(cls)
    body = ",\n    ".join(("id TEXT PRIMARY KEY NOT NULL" if c.name == "id" else c.sql()) for c in cols)
    return f"CREATE TABLE {cls.TABLE} (\n    {body}\n);"
