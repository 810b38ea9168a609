"""Logs never hold what residents typed.

Three ways a value reached the log: SQLAlchemy prints a failed statement's parameters in its error text (the engine is
built with `hide_parameters=True` for that), and the database's own message quotes values — PostgreSQL's
`DETAIL: Key (email)=(hanako@example.jp) already exists`, `Failing row contains (…, 金沢花子, 090-…)`,
`invalid input syntax for type integer: "…"`. When a logged error comes from the database, the traceback keeps
its frames but the error itself is described by its class, SQLSTATE, constraint and statement (placeholders only).
And the access log of `lowcode run` (werkzeug) printed each address with its query string: the address a resident
typed into the picker's search (`/api/geocode?q=…`), the point "use my location" found (`/api/reverse?lat=…`), a
search of a list. The query string is left out of that log.
"""
from __future__ import annotations

import logging
import re
import traceback
from typing import Any

import sqlalchemy as sa

LOGGERS = ("lowcode", "werkzeug", "gunicorn.error")
ACCESS_LOGGERS = ("werkzeug",)
QUERY_STRING_RE = re.compile(r"\?[^\s\"]*")


def install_log_redaction() -> None:
    """Attach the filter to the loggers that may log a request's exception (Flask's app logger is `lowcode`)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactDatabaseValues) for f in logger.filters):
            logger.addFilter(RedactDatabaseValues())
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideQueryStrings) for f in logger.filters):
            logger.addFilter(HideQueryStrings())


class HideQueryStrings(logging.Filter):
    """`"GET /demo/api/geocode?q=広坂1-1 HTTP/1.1" 200` is logged as `"GET /demo/api/geocode?… HTTP/1.1" 200`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(QUERY_STRING_RE.sub("?…", a) if isinstance(a, str) else a for a in record.args)
        return True


class RedactDatabaseValues(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and database_error_in(error) is not None:
            record.exc_text = safe_traceback(error)
        if record.args and any(isinstance(a, BaseException) and database_error_in(a) for a in _args(record)):
            record.args = tuple(safe_description(a) if isinstance(a, BaseException) else a for a in _args(record))
        return True


def _args(record: logging.LogRecord) -> tuple[Any, ...]:
    return record.args if isinstance(record.args, tuple) else ()


def database_error_in(error: BaseException) -> sa.exc.StatementError | BaseException | None:
    """The database error in an exception chain (SQLAlchemy's wrapper or the driver's own), if any."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sa.exc.StatementError) or _is_driver_error(current):
            return current
        current = current.__cause__ or current.__context__
    return None


def _is_driver_error(error: BaseException) -> bool:
    module = type(error).__module__
    return module.startswith(("psycopg", "sqlite3")) or hasattr(error, "sqlstate")


def safe_description(error: BaseException) -> str:
    """`IntegrityError (SQLSTATE 23505, constraint demo__members_email_key) in: INSERT INTO … VALUES (%(email)s …)`."""
    found = database_error_in(error) or error
    original = getattr(found, "orig", None) or found
    details = [f"SQLSTATE {code}" for code in [getattr(original, "sqlstate", None) or getattr(original, "sqlite_errorname", None)] if code]
    diag = getattr(original, "diag", None)
    for label, attr in (("constraint", "constraint_name"), ("table", "table_name"), ("column", "column_name")):
        value = getattr(diag, attr, None) if diag is not None else None
        if value:
            details.append(f"{label} {value}")
    text = f"{type(original).__name__} ({', '.join(details) or 'details hidden'})"
    statement = getattr(found, "statement", None)
    return f"{text} in: {statement}" if statement else text


def safe_traceback(error: BaseException) -> str:
    """The frames of the error (where it happened) and a description without any value the database quoted."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    return f"Traceback (most recent call last):\n{frames}{safe_description(error)}"


QUOTED_RE = re.compile(r"\"[^\"]*\"|'[^']*'")
KEY_VALUE_RE = re.compile(r"(\([^()]*\))=\([^()]*\)")


def one_line_description(error: BaseException) -> str:
    """`OperationalError: connection to server at "…", port 5432 failed`: the class and first line of an error, with
    whatever a database error quotes left out (`invalid input syntax for type integer: "…"`). For /healthz and logs."""
    original = getattr(error, "orig", None) or error
    line = (str(original).strip().splitlines() or [""])[0]
    if database_error_in(error) is not None:
        line = QUOTED_RE.sub(lambda m: m.group(0)[0] + "…" + m.group(0)[0], KEY_VALUE_RE.sub(r"\1=(…)", line))
    return f"{type(original).__name__}: {line}"
