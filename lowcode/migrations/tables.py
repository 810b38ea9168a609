"""The engine's own migration tables: the history of applied plans, and the archive of removed values."""
from __future__ import annotations

import sqlalchemy as sa

MIGRATION_METADATA = sa.MetaData()

# One row per applied plan: which app, when, the YAML it was made for (SHA-256 of app.yaml) and its steps as JSON.
MIGRATIONS = sa.Table(
    "lowcode_migrations",
    MIGRATION_METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("app", sa.String(100), nullable=False, index=True),
    sa.Column("applied_at", sa.DateTime, nullable=False),
    sa.Column("spec_hash", sa.String(64), nullable=False),
    sa.Column("steps", sa.Text, nullable=False),
)

# Values a migration took out of a table: a removed field's value per row (`field` is its name), a removed table's
# whole row (`field` is "*"), or a value a forced type change could not convert. `value` is JSON:
# {column: [family, value]} so that it can be put back into the same kind of column unchanged.
ARCHIVE = sa.Table(
    "lowcode_archive",
    MIGRATION_METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("app", sa.String(100), nullable=False),
    sa.Column("table_name", sa.String(100), nullable=False),
    sa.Column("row_id", sa.Integer, nullable=False),
    sa.Column("ref", sa.String(16), nullable=True),
    sa.Column("field", sa.String(100), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("archived_at", sa.DateTime, nullable=False),
    sa.Index("ix_lowcode_archive_place", "app", "table_name", "field"),
)

WHOLE_ROW = "*"


def create_migration_tables(bind: sa.Engine | sa.Connection) -> None:
    MIGRATION_METADATA.create_all(bind, checkfirst=True)
