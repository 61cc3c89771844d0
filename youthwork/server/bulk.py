"""Writing many rows at once: one statement (or one COPY stream) per table per batch, never a statement per row.

PostgreSQL: new rows go in by COPY; rows changed by primary key are copied into a temporary table and applied with one
UPDATE ... FROM; inserts that may meet an existing row are one INSERT ... ON CONFLICT. SQLite (one writer, in-process)
uses executemany. JSON columns are encoded with orjson, several times faster than the standard library's encoder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from psycopg.types.json import Jsonb
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

try:  # in the [server] extra; without it (a development tree not yet reinstalled) the standard library's, slower
    import orjson
except ImportError:  # pragma: no cover
    orjson = None  # type: ignore[assignment]

# Below this many rows an update goes as executemany (one pipelined statement per row) rather than through a staging
# table (three statements).
SMALL = 50


def dumps(value: Any) -> str:
    """JSON text for a column; values orjson refuses (an integer beyond 64 bits, a non-text key) go the slow way."""
    if orjson is not None:
        try:
            return orjson.dumps(value).decode()
        except TypeError:
            pass
    return json.dumps(value)


loads: Callable[[str | bytes], Any] = orjson.loads if orjson is not None else json.loads


def one_of(conn: sa.Connection, column: sa.ColumnElement[Any], values: list[str]) -> sa.ColumnElement[bool]:
    """`column IN (values)`. On PostgreSQL one array parameter, `= ANY(...)`: an IN list of 500 ids is 500
    parameters the driver parses into the statement every time, and a new statement text for each length."""
    if conn.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(values), type_=ARRAY(sa.String)))
    return column.in_(values)


def _json_columns(conn: sa.Connection, table: sa.Table) -> set[str]:
    return {c.name for c in table.columns if isinstance(c.type.dialect_impl(conn.dialect), sa.JSON)}


def _copy(conn: sa.Connection, target: str, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    json_columns = _json_columns(conn, table)
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]  # psycopg's, in `conn`'s transaction
    with cursor.copy(f'COPY "{target}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([Jsonb(row[c], dumps) if c in json_columns else row[c] for c in columns])


def bulk_insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    # COPY even for a few rows: less CPU than a multi-row INSERT (which SQLAlchemy compiles afresh for each batch
    # shape) or executemany, and no slower on the wire (measured: 3 rows 0.25 ms of CPU against 0.4-0.8 ms).
    _copy(conn, table.name, table, rows)


def bulk_update(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Update existing rows found by their primary key, setting every other column the rows carry.

    Each row must carry every column the table requires (on PostgreSQL the rows pass through a copy of the table)."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    columns = [c for c in rows[0] if c not in keys]
    if conn.dialect.name != "postgresql" or len(rows) < SMALL:
        match = sa.and_(*(table.c[k] == sa.bindparam(f"k_{k}") for k in keys))
        statement = table.update().where(match).values({c: sa.bindparam(c) for c in columns})
        conn.execute(statement, [dict(r, **{f"k_{k}": r[k] for k in keys}) for r in rows])
        return
    staging = f"_incoming_{table.name}"
    conn.exec_driver_sql(f'CREATE TEMP TABLE IF NOT EXISTS "{staging}" (LIKE "{table.name}") ON COMMIT DELETE ROWS')
    _copy(conn, staging, table, rows)
    sets = ", ".join(f'"{c}" = s."{c}"' for c in columns)
    match_sql = " AND ".join(f't."{k}" = s."{k}"' for k in keys)
    conn.exec_driver_sql(f'UPDATE "{table.name}" AS t SET {sets} FROM "{staging}" AS s WHERE {match_sql}')


def bulk_upsert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows, or where one with the same primary key is there, set its other columns: one statement."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    insert = pg_insert(table) if conn.dialect.name == "postgresql" else sqlite_insert(table)
    statement = insert.on_conflict_do_update(
        index_elements=keys, set_={c: insert.excluded[c] for c in rows[0] if c not in keys}
    )
    per_statement = max(1, 30_000 // len(rows[0]))  # well inside the drivers' limits on parameters
    for i in range(0, len(rows), per_statement):
        conn.execute(statement.values(rows[i : i + per_statement]))
