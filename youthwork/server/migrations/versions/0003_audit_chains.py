"""Audit chains: the service's own view of each device's audit chain (whose it is, its newest entry).

Revision ID: 0003_audit_chains
Revises: 0002_accounts
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_audit_chains"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_chains",
        sa.Column("chain", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chain"),
    )


def downgrade() -> None:
    op.drop_table("audit_chains")
