"""The service's tables (SQLAlchemy Core). Alembic migrations in `migrations/` create and change them.

Records of every type live in one generic `records` table as JSON, with a version per record and per field, so a new
record type needs no migration. `change_log` is the ordered feed devices pull from: one row per change per team that
may see it (the owner team plus teams a referral or register shared it with). Rows are appended under a
transaction-level lock (see youthwork.server.changelog), so `seq` order is commit order and a cursor never skips.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)
ID = sa.String(64)

metadata = sa.MetaData()

organisations = sa.Table(
    "organisations",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("created_at", TS, nullable=False),
)

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("organisation_id", ID, sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("username", sa.String(200), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("password_hash", sa.String(400), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("team_id", ID, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", TS, nullable=False),
)

devices = sa.Table(
    "devices",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("last_seen_at", TS, nullable=False),
    sa.Column("revoked_at", TS),
    sa.Column("wipe_requested_at", TS),
    sa.Column("wiped_at", TS),
)

records = sa.Table(
    "records",
    metadata,
    sa.Column("table_name", sa.String(64), primary_key=True),
    sa.Column("record_id", ID, primary_key=True),
    sa.Column("team_id", ID, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False, default=False),
    sa.Column("data", JSON, nullable=False),
    sa.Column("field_versions", JSON, nullable=False),
    # The device that last set each field: a device's later edit never conflicts with its own earlier one.
    sa.Column("field_devices", JSON, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
    sa.Index("ix_records_team", "team_id", "table_name"),
)

change_log = sa.Table(
    "change_log",
    metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("team_id", ID, nullable=False),
    sa.Column("table_name", sa.String(64), nullable=False),
    sa.Column("record_id", ID, nullable=False),
    sa.Column("op", sa.String(16), nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("fields", JSON, nullable=False),
    sa.Column("device_id", ID),
    sa.Column("created_at", TS, nullable=False),
    sa.Index("ix_change_log_feed", "team_id", "seq"),
    sqlite_autoincrement=True,  # never reuse a sequence number, even after pruning
)

# A record of one team made visible to another: the fields the other team may see, and why.
shares = sa.Table(
    "shares",
    metadata,
    sa.Column("table_name", sa.String(64), primary_key=True),
    sa.Column("record_id", ID, primary_key=True),
    sa.Column("team_id", ID, primary_key=True),
    sa.Column("source", sa.String(140), primary_key=True),
    sa.Column("fields", JSON, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Index("ix_shares_team", "team_id"),
)

applied_changes = sa.Table(
    "applied_changes",
    metadata,
    sa.Column("device_id", ID, primary_key=True),
    sa.Column("change_id", sa.String(64), primary_key=True),
    sa.Column("result", JSON, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

conflicts = sa.Table(
    "conflicts",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("table_name", sa.String(64), nullable=False),
    sa.Column("record_id", ID, nullable=False),
    sa.Column("team_id", ID, nullable=False, index=True),
    sa.Column("field", sa.String(64), nullable=False),
    sa.Column("server_value", JSON),
    sa.Column("incoming_value", JSON),
    # "incoming": the later arrival won, the losing server value is kept here; "server": waits for review.
    sa.Column("kept", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("device_id", ID, nullable=False),
    sa.Column("change_id", sa.String(64), nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("resolved_at", TS),
)

login_attempts = sa.Table(
    "login_attempts",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    # HMAC-SHA256 (keyed with the server secret) of the lower-cased username and of the client address.
    sa.Column("username_key", sa.String(64), nullable=False),
    sa.Column("address_key", sa.String(64), nullable=False),
    sa.Column("success", sa.Boolean, nullable=False),
    sa.Column("at", TS, nullable=False),
    sa.Index("ix_login_attempts_user", "username_key", "at"),
    sa.Index("ix_login_attempts_addr", "address_key", "at"),
)

# The service's view of each laptop's audit chain (`AuditEntry.device`): the user it belongs to and its newest entry,
# so an entry is numbered by the service (it must follow the head) and no one appends to someone else's chain.
audit_chains = sa.Table(
    "audit_chains",
    metadata,
    sa.Column("chain", ID, primary_key=True),
    sa.Column("user_id", ID, nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("updated_at", TS, nullable=False),
)
