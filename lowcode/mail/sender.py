"""Sending what the outbox holds: `send_due` once (`lowcode mail send`), `run_worker` in a loop (`lowcode mail
worker`, and a thread started by `lowcode run`). Several senders may run at once: each mail is claimed first."""
from __future__ import annotations

import datetime as dt
import logging
import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from ..storage import utcnow
from .outbox import claim_due, mark_attempt_failed, mark_sent
from .smtp import SmtpSettings, deliver

log = logging.getLogger("lowcode.mail")
WORKER_INTERVAL_S = 30.0

Deliver = Callable[[SmtpSettings, str, str, str], None]


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def send_due(engine: sa.Engine, settings: SmtpSettings, now: dt.datetime | None = None, deliver_one: Deliver = deliver) -> SendReport:
    """Deliver every due mail once. A mail server that refuses or is down: the mail waits for its next attempt."""
    now = now or utcnow()
    report = SendReport()
    if not settings.configured:
        return report  # no relay configured: everything stays queued, nothing counts as an attempt
    for mail in claim_due(engine, now):
        try:
            deliver_one(settings, mail.to, mail.subject, mail.body)
        except (OSError, smtplib.SMTPException) as exc:
            # The error's class and text only: never the address or the mail itself (residents' data).
            status = mark_attempt_failed(engine, mail, f"{type(exc).__name__}: {exc}", now)
            log.warning("mail %d not delivered (%s); %s", mail.id, type(exc).__name__, status)
            report.failed += status == "failed"
            report.retrying += status == "queued"
        else:
            mark_sent(engine, mail.id)
            report.sent += 1
    return report


def run_worker(engine: sa.Engine, settings: SmtpSettings, stop: threading.Event, interval_s: float = WORKER_INTERVAL_S) -> None:
    """Send due mails every `interval_s` until `stop` is set; a database that is down is tried again next round."""
    while not stop.is_set():
        try:
            send_due(engine, settings)
        except sa.exc.SQLAlchemyError as exc:
            log.warning("outbox not readable: %s", type(exc).__name__)
        stop.wait(interval_s)


def start_worker_thread(engine: sa.Engine, settings: SmtpSettings) -> threading.Event:
    """The background sender of `lowcode run`; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run_worker, args=(engine, settings, stop), name="lowcode-mail", daemon=True).start()
    return stop
