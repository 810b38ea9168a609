"""Logins, failed logins and logouts in the audit log (`lowcode.audit`), for the account and the client address.

A failed login is recorded only when the typed name is an existing account: a password pasted into the name field
by mistake (or a guess at names) is then never written anywhere. No password is ever recorded.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import request

from .. import audit
from .accounts import find_user


def record_login(engine: sa.Engine, app: str, username: str, action: str) -> None:
    """Append `action` ("login", "login_failed", "logout") by `username` from this request's client.

    For "login_failed", `username` is what was typed: nothing is recorded unless it names an account, and then the
    account's stored name is recorded (not the typed text).
    """
    if action == "login_failed":
        account = find_user(engine, username)
        if account is None:
            return
        username = account.username
    with engine.begin() as conn:
        audit.record(conn, app=app, action=action, actor=audit.Actor(username, request.remote_addr))
