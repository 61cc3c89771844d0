"""Opening the database and migrating it with the Alembic scripts packaged beside this module."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from youthwork.server import bulk
from youthwork.server.settings import Settings

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(settings: Settings) -> Engine:
    url = sa.make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        _sqlite_tuning(engine)
        return engine
    # No pre-ping: it costs a round trip per request; a connection dropped by a database restart fails one request
    # (answered 503, "try again"), and is replaced.
    return _serial(sa.create_engine(_pg_url(url), **_pg_options(settings)))


def _serial(engine: Engine) -> Engine:
    """No parallel query plans on the service's connections. A pull page (5,000 change-log rows joined to their
    records) was planned in parallel: starting and merging a worker took 110-210 ms where the join itself took 7-35 ms
    (EXPLAIN ANALYZE). Sync's statements are small and many; parallel workers only add to the work. A session
    setting: through a transaction-pooling PgBouncer it may be lost, which costs speed, never correctness."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute("SET max_parallel_workers_per_gather = 0")
        dbapi_conn.commit()

    return engine


def _pg_options(settings: Settings) -> dict[str, Any]:
    # JSON columns through orjson: a push writes, and reads back, several JSON documents per record.
    return {
        "pool_size": settings.pool_size,
        "max_overflow": settings.max_overflow,
        "pool_recycle": 1800,
        "json_serializer": bulk.dumps,
        "json_deserializer": bulk.loads,
    }


def make_read_engine(settings: Settings, engine: Engine) -> Engine:
    """For single-statement reads (authentication, pulls): on PostgreSQL an autocommit pool, which spares each read
    a BEGIN and a ROLLBACK round trip. A statement still sees one consistent snapshot. SQLite shares the main engine."""
    if not is_postgres(engine):
        return engine
    return _serial(
        sa.create_engine(
            _pg_url(sa.make_url(settings.database_url)), isolation_level="AUTOCOMMIT", **_pg_options(settings)
        )
    )


def make_reports_engine(settings: Settings, read_engine: Engine) -> Engine:
    """Where reports read: the replica in `reports_database_url` if there is one (autocommit, a small pool: reports
    are few and each is one connection), else the read pool."""
    if not settings.reports_database_url:
        return read_engine
    url = _pg_url(sa.make_url(settings.reports_database_url))
    options = dict(_pg_options(settings), pool_size=2, max_overflow=4)
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", **options)


def _pg_url(url: sa.URL) -> sa.URL:
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    return url


def _sqlite_tuning(engine: Engine) -> None:
    """WAL for concurrent readers; BEGIN IMMEDIATE for writers so two writers queue rather than deadlock."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite's own is too late for writers)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA secure_delete=ON")  # erased records' old content is zeroed, not left in free pages
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def is_postgres(engine_or_conn: Engine | sa.Connection) -> bool:
    return engine_or_conn.dialect.name == "postgresql"


def _alembic_config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


# Held while migrating on PostgreSQL: several service processes starting at once migrate one after another (the
# later ones find nothing to do) instead of racing to create the same tables. Transaction-scoped, like the upgrade
# itself (PostgreSQL's DDL is transactional), so it also works through a transaction-pooling PgBouncer.
MIGRATE_LOCK = 0x79_77_6D_69_67  # "ywmig"


def migrate(engine: Engine) -> None:
    """Bring the database up to the newest schema. Safe to run on every start, from several processes at once."""
    with engine.connect() as conn:
        if is_postgres(conn):
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATE_LOCK})
        command.upgrade(_alembic_config(conn), "head")  # in the transaction begun above: the lock is held till commit
        conn.commit()
    log.info("database schema is up to date")


def needs_migration(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() != head
