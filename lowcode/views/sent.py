"""The "sent" page's reference number is shown only in the browser session that made the submission.

The number (受付番号) is what a resident quotes to the city: a URL anyone can type must not print whatever text it
carries as "your reference number", nor show someone else's number. The session (Flask's signed cookie) keeps the
last few numbers this browser received, so the page survives a reload and the back button.
"""
from __future__ import annotations

from flask import session

SESSION_KEY = "lowcode_sent"
KEPT = 10  # numbers remembered per browser: enough for a resident sending several reports in a row


def sent_key(app_name: str, form_name: str, ref: str) -> str:
    return f"{app_name}/{form_name}/{ref}"


def remember_sent(app_name: str, form_name: str, ref: str) -> None:
    kept = [k for k in session.get(SESSION_KEY, []) if isinstance(k, str)]
    session[SESSION_KEY] = [*kept, sent_key(app_name, form_name, ref)][-KEPT:]


def was_sent_here(app_name: str, form_name: str, ref: str) -> bool:
    return sent_key(app_name, form_name, ref) in session.get(SESSION_KEY, [])
