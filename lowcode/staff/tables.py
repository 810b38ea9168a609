"""The staff system tables: accounts, and the roles each account holds in each app.

Kept in their own MetaData, like `storage.META`: they belong to the installation, not to one app's YAML, and
`prepare_database` creates them once at start-up on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

import sqlalchemy as sa

STAFF_METADATA = sa.MetaData()

USERS = sa.Table(
    "lowcode_users",
    STAFF_METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0),  # since the last successful login
    sa.Column("locked_until", sa.DateTime, nullable=True),
    # Changes with every password change, so that a session opened with the old password ends (see auth.py).
    sa.Column("session_token", sa.String(64), nullable=False),
    # Where new-submission mail goes (mail/notify.py); without it, the username when that is an address.
    sa.Column("email", sa.String(254), nullable=True),
)

USER_ROLES = sa.Table(
    "lowcode_user_roles",
    STAFF_METADATA,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("lowcode_users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("app", sa.String(100), nullable=False),
    sa.Column("role", sa.String(100), nullable=False),
    sa.Column("scope_value", sa.String(200), nullable=True),  # the account's value for the role's scope field
    sa.PrimaryKeyConstraint("user_id", "app", "role"),
)


def create_staff_tables(engine: sa.Engine) -> None:
    """Create the tables (the caller then adds columns newer than an existing database: `add_missing_columns`)."""
    STAFF_METADATA.create_all(engine, checkfirst=True)
