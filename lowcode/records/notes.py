"""Internal notes on a row: what staff write for each other about a submission, never shown to the resident.

A note is an audit entry (action `note`, its text in `after[NOTE_KEY]`): the audit log is append-only, so a note
can be neither edited nor deleted, and it sits in the row's history beside the changes it explains. The resident's
private link reads only `status` entries (records/tracking.py), and no public page reads the audit log.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext

from .. import audit
from ..audience import Audience
from ..runtime import AppRuntime
from ..values import strip_controls
from .writes import read_row

NOTE_KEY = "@note"  # no field can be named so (field names are identifiers)
NOTE_MAX_LENGTH = 4000


def note_problem(text: str) -> str | None:
    """Why `text` (already stripped) cannot be kept as a note, or None."""
    if not text:
        return gettext("Write the note before adding it.")
    if len(text) > NOTE_MAX_LENGTH:
        return gettext("A note may be at most %(limit)s characters long (this one has %(length)s).",
                       limit=f"{NOTE_MAX_LENGTH:,}", length=f"{len(text):,}")
    return None


def add_note(
    runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int, text: str, *, audience: Audience,
    actor: audit.Actor,
) -> str | None:
    """Keep a note on a row the audience may see (RowNotFound otherwise); a message when the text is refused.

    Spaces around the text and control characters (PostgreSQL refuses NUL) are dropped; a note of spaces only is
    no note."""
    text = strip_controls(text).strip()
    problem = note_problem(text)
    if problem is not None:
        return problem
    read_row(runtime, engine, table, row_id, audience)  # RowNotFound for a row it may not see
    with engine.begin() as conn:
        audit.record(conn, app=runtime.name, table=table, row_id=row_id, action="note", actor=actor,
                     after={NOTE_KEY: text})
    return None
