"""Accounts: revoking always ends a token; login attempts are keyed with the server secret.

- A device marked for wipe used to be given `revoked_at` at the same moment, so a later `revoke-device` changed
  nothing. Now `revoked_at` means the token is ended; wipe-pending devices not revoked by hand get it cleared.
- Login attempts were keyed by unsalted SHA-256 of the username and address (reversible in minutes); they are only
  kept for the rate limit's window, so the old rows are deleted rather than re-keyed.

Revision ID: 0002_accounts
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_accounts"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    devices = sa.table(
        "devices",
        sa.column("revoked_at", sa.DateTime(timezone=True)),
        sa.column("wipe_requested_at", sa.DateTime(timezone=True)),
        sa.column("wiped_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        devices.update()
        .where(
            devices.c.wiped_at.is_(None),
            devices.c.wipe_requested_at.is_not(None),
            devices.c.revoked_at == devices.c.wipe_requested_at,
        )
        .values(revoked_at=None)
    )
    op.execute(sa.table("login_attempts").delete())


def downgrade() -> None:
    devices = sa.table(
        "devices",
        sa.column("revoked_at", sa.DateTime(timezone=True)),
        sa.column("wipe_requested_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        devices.update()
        .where(devices.c.wipe_requested_at.is_not(None), devices.c.revoked_at.is_(None))
        .values(revoked_at=devices.c.wipe_requested_at)
    )
