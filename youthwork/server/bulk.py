"""Inserting many rows at once: COPY on PostgreSQL (one stream, no per-row statements), executemany elsewhere."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from psycopg.types.json import Jsonb

SMALL = 50


def bulk_insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    if len(rows) < SMALL:
        conn.execute(table.insert().values(rows))  # one multi-row INSERT: one round trip, where COPY takes two
        return
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type.dialect_impl(conn.dialect), sa.JSON)}
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.connection.driver_connection.cursor()  # the same transaction as `conn`
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([Jsonb(row[c]) if c in json_columns else row[c] for c in columns])
