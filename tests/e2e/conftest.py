"""End-to-end fixtures: the service's database. A test module asking for `database_url` runs against SQLite and
against PostgreSQL (a fresh database for the module), as the server tests do; None means a SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server.server_helpers import fresh_pg_database


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None
        return
    url, drop = fresh_pg_database()
    try:
        yield url
    finally:
        drop()
