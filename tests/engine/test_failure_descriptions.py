"""What a storage failure is logged and shown as (/healthz `reason`): never a value the database quoted (issue 8)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from lowcode.readiness import describe_failure


class DriverError(Exception):
    """Stands for psycopg's errors: they carry a SQLSTATE and quote the values they refused."""

    sqlstate = "22P02"


@pytest.mark.parametrize("message", [
    'invalid input syntax for type integer: "PRIVATE-7f3a"\nLINE 1: ...',
    "duplicate key value violates unique constraint \"demo__members_email_key\" DETAIL: Key (email)=(PRIVATE-7f3a) already exists.",
    "value too long for type character varying(20): 'PRIVATE-7f3a'",
])
def test_a_database_error_is_described_without_the_values_it_quotes(message: str) -> None:
    error = sa.exc.DataError("INSERT INTO demo__members (email) VALUES (%(email)s)", {"email": "PRIVATE-7f3a"}, DriverError(message))

    described = describe_failure(error)

    assert "PRIVATE-7f3a" not in described and "\n" not in described
    assert described.startswith("DriverError: ") and "…" in described  # the kind of failure is still there


def test_other_failures_keep_their_first_line() -> None:
    assert describe_failure(OSError(30, "Read-only file system")) == "OSError: [Errno 30] Read-only file system"
    connection = sa.exc.OperationalError("SELECT 1", {}, DriverError('connection to server at "db", port 5432 failed'))
    assert describe_failure(connection) == 'DriverError: connection to server at "…", port 5432 failed'
