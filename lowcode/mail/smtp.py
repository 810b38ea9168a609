"""Delivering one mail through SMTP, configured by environment variables (a municipal relay in a closed network).

LOWCODE_SMTP_HOST (no host: mails stay queued), LOWCODE_SMTP_PORT (25), LOWCODE_SMTP_USER and LOWCODE_SMTP_PASSWORD
(log in when both are set), LOWCODE_SMTP_STARTTLS (1: upgrade the connection first), LOWCODE_MAIL_FROM (the sender
address; default lowcode@<host name>). A relay inside a closed network often takes plain port 25 without login.
"""
from __future__ import annotations

import os
import smtplib
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

TIMEOUT_S = 20


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    sender: str = "lowcode@localhost"

    @property
    def configured(self) -> bool:
        return bool(self.host)


def smtp_settings(environ: Mapping[str, str] | None = None) -> SmtpSettings:
    env = os.environ if environ is None else environ
    return SmtpSettings(
        host=env.get("LOWCODE_SMTP_HOST") or None,
        port=int(env.get("LOWCODE_SMTP_PORT") or 25),
        user=env.get("LOWCODE_SMTP_USER") or None,
        password=env.get("LOWCODE_SMTP_PASSWORD") or None,
        starttls=(env.get("LOWCODE_SMTP_STARTTLS") or "0").lower() in ("1", "true", "yes"),
        sender=env.get("LOWCODE_MAIL_FROM") or f"lowcode@{socket.getfqdn()}",
    )


def build_message(settings: SmtpSettings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(body, charset="utf-8")  # Japanese text: UTF-8, as every current mail reader expects
    return message


def deliver(settings: SmtpSettings, to: str, subject: str, body: str) -> None:
    """Send one mail; raises (OSError, smtplib.SMTPException) when it could not be handed over."""
    if not settings.host:
        raise smtplib.SMTPException("LOWCODE_SMTP_HOST is not set")
    with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S) as client:
        if settings.starttls:
            client.starttls()
        if settings.user and settings.password:
            client.login(settings.user, settings.password)
        client.send_message(build_message(settings, to, subject, body))
