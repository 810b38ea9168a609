"""The database engine of the Flask app serving the request, for the records layer's operations."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app


def database_engine() -> sa.Engine:
    engine: sa.Engine = current_app.extensions["lowcode"].db.engine
    return engine
