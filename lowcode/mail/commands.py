"""`lowcode mail send PATH` (deliver what is due, once: for cron) and `lowcode mail worker PATH` (a loop: for a
service next to gunicorn). SMTP settings come from the environment (lowcode/mail/smtp.py)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..console import default_lang
from ..words import words_for

if TYPE_CHECKING:
    import sqlalchemy as sa

Build = Callable[..., Any]


def make_mail_group(build: Build) -> click.Group:
    @click.group("mail")
    def mail() -> None:
        """Send the e-mails the apps have queued (SMTP from LOWCODE_SMTP_HOST, _PORT, _USER, _PASSWORD, _STARTTLS)."""

    @mail.command("send")
    @click.argument("path", type=click.Path(path_type=Path), default="apps")
    def send(path: Path) -> None:
        """Deliver every mail that is due, once (for cron)."""
        from .sender import send_due
        from .smtp import smtp_settings

        settings = smtp_settings()
        if not settings.configured:
            raise click.ClickException(words_for(default_lang())("LOWCODE_SMTP_HOST is not set: the mails stay queued."))
        report = send_due(open_engine(build, path), settings)
        _ = words_for(default_lang())
        click.echo(_("Sent %(sent)s mail(s); %(retrying)s will be tried again later; %(failed)s failed.")
                   % {"sent": report.sent, "retrying": report.retrying, "failed": report.failed})

    @mail.command("worker")
    @click.argument("path", type=click.Path(path_type=Path), default="apps")
    @click.option("--interval", default=30.0, show_default=True, type=float, help="Seconds between rounds.")
    def worker(path: Path, interval: float) -> None:
        """Deliver due mails every INTERVAL seconds until stopped (Ctrl-C)."""
        from .sender import run_worker
        from .smtp import smtp_settings

        settings = smtp_settings()
        if not settings.configured:
            raise click.ClickException(words_for(default_lang())("LOWCODE_SMTP_HOST is not set: the mails stay queued."))
        stop = threading.Event()
        try:
            run_worker(open_engine(build, path), settings, stop, interval)
        except KeyboardInterrupt:
            stop.set()

    return mail


def open_engine(build: Build, path: Path) -> sa.Engine:
    flask_app = build(path)
    with flask_app.app_context():
        return flask_app.extensions["lowcode"].db.engine


def start_mail_thread(flask_app: Any) -> threading.Event | None:
    """`lowcode run`'s background sender, when SMTP is configured (gunicorn: run `lowcode mail worker` beside it)."""
    from .sender import start_worker_thread
    from .smtp import smtp_settings

    settings = smtp_settings()
    if not settings.configured:
        return None
    with flask_app.app_context():
        return start_worker_thread(flask_app.extensions["lowcode"].db.engine, settings)
