"""Whether storage is ready: the start-up step that prepares it, retried with backoff until it succeeds.

The server starts even when the database is unreachable or the instance folder is read-only: it answers
/healthz and every page with a 503 until a retry succeeds, then serves without a restart.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import sqlalchemy as sa

from .logsafe import one_line_description

log = logging.getLogger("lowcode")

FIRST_DELAY = 1.0  # seconds before the first retry; doubled after every failure
LONGEST_DELAY = 60.0
STORAGE_FAILURES: tuple[type[BaseException], ...] = (sa.exc.SQLAlchemyError, OSError)


class StorageReadiness:
    """Runs `prepare` once it can: at start-up, then at most once per backoff delay when a request asks."""

    def __init__(self, prepare: Callable[[], None], clock: Callable[[], float] = time.monotonic) -> None:
        self.prepare = prepare
        self.clock = clock
        self.ready = False
        self.reason = "not prepared yet"
        self.delay = FIRST_DELAY
        self.next_attempt = 0.0
        self.lock = threading.Lock()

    def attempt(self, *, raise_errors: bool = False) -> bool:
        """Prepare storage now; a failure is logged and remembered (or raised in strict mode)."""
        with self.lock:
            if self.ready:
                return True
            try:
                self.prepare()
            except STORAGE_FAILURES as exc:
                if raise_errors:
                    raise
                self.remember_failure(exc)
                return False
            self.ready, self.reason = True, ""
            return True

    def ensure(self) -> bool:
        """True when storage is ready; otherwise retry when the backoff delay has passed."""
        if self.ready:
            return True
        if self.clock() < self.next_attempt:
            return False
        return self.attempt()

    def remember_failure(self, error: BaseException) -> None:
        self.reason = describe_failure(error)
        self.next_attempt = self.clock() + self.delay
        log.error("storage is not ready (next try in %.0f s): %s", self.delay, self.reason)
        self.delay = min(self.delay * 2, LONGEST_DELAY)


def describe_failure(error: BaseException) -> str:
    """One line naming the cause, without the SQL statement, its parameters or a value the database quoted (they may
    hold residents' data; /healthz shows this line): lowcode/logsafe.py decides what may be written."""
    return one_line_description(error)
