"""The session and form-token key, shared through the database by every server and worker that uses it.

Two servers on one PostgreSQL, each with its own instance folder, used to generate two keys: a form opened on
one was refused by the other. Unless LOWCODE_SECRET_KEY is set, the key now lives in `lowcode_meta`; the first
start writes it (the instance folder's key when there is one, so sessions survive the upgrade) and every later
start, on any server, reads it. Whoever can read the database can read the key, as they can read the data.
"""
from __future__ import annotations

import sqlalchemy as sa

from .database import META

META_KEY = "secret_key"


def shared_secret(engine: sa.Engine, candidate: str) -> str:
    """The key stored in the database, storing `candidate` first when there is none (the first writer wins)."""
    stored = read_shared_secret(engine)
    if stored:
        return stored
    try:
        with engine.begin() as conn:
            conn.execute(META.insert().values(key=META_KEY, value=candidate))
    except sa.exc.IntegrityError:  # another server or worker stored its key first: use that one
        return read_shared_secret(engine) or candidate
    return candidate


def read_shared_secret(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        value = conn.execute(sa.select(META.c.value).where(META.c.key == META_KEY)).scalar()
    return str(value) if value else None
