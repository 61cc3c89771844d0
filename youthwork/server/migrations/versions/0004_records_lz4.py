"""Records' JSON compressed with lz4 on PostgreSQL: a record with its per-field versions and devices is a few KB, so
PostgreSQL compresses it on every write; lz4 costs about a fifth less of its CPU per pushed record than the default
pglz (measured on COPY of 500 records: 31 ms -> 25.5 ms). Existing rows keep their compression until rewritten.
Where lz4 is not available (PostgreSQL before 14, or built without it) nothing changes.

Revision ID: 0004_records_lz4
Revises: 0003_audit_chains
Create Date: 2026-12-01
"""

from alembic import op

revision = "0004_records_lz4"
down_revision = "0003_audit_chains"
branch_labels = None
depends_on = None

_COLUMNS = ("data", "field_versions", "field_devices")


def _set(method: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    alter = ", ".join(f"ALTER COLUMN {c} SET COMPRESSION {method}" for c in _COLUMNS)
    op.execute(
        f"""
        DO $$
        BEGIN
            EXECUTE 'ALTER TABLE records {alter}';
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'records keep the default compression: %', SQLERRM;
        END $$;
        """
    )


def upgrade() -> None:
    _set("lz4")


def downgrade() -> None:
    _set("pglz")
