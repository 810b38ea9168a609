"""The "sent" page's reference number is shown only in the browser session that made the submission.

The number (受付番号) is what a resident quotes to the city: a URL anyone can type must not print whatever text it
carries as "your reference number", nor show someone else's number. The session (Flask's signed cookie) keeps the
last few numbers this browser received, so the page survives a reload and the back button. It keeps the private
tracking link's token of each too (lowcode/tracking.py): the database holds only its digest, so this browser's
sent page is the one place the link is ever shown.
"""
from __future__ import annotations

from flask import session

SESSION_KEY = "lowcode_sent"
TRACK_KEY = "lowcode_track"
KEPT = 10  # numbers remembered per browser: enough for a resident sending several reports in a row


def sent_key(app_name: str, form_name: str, ref: str) -> str:
    return f"{app_name}/{form_name}/{ref}"


def remember_sent(app_name: str, form_name: str, ref: str, track_token: str | None = None) -> None:
    kept = [k for k in session.get(SESSION_KEY, []) if isinstance(k, str)]
    session[SESSION_KEY] = [*kept, sent_key(app_name, form_name, ref)][-KEPT:]
    if track_token is not None:
        tokens = session.get(TRACK_KEY)
        tokens = {k: v for k, v in tokens.items() if k in session[SESSION_KEY]} if isinstance(tokens, dict) else {}
        session[TRACK_KEY] = {**tokens, sent_key(app_name, form_name, ref): track_token}


def sent_track_token(app_name: str, form_name: str, ref: str) -> str | None:
    """The private link's token of a submission this browser sent, if it has one."""
    tokens = session.get(TRACK_KEY)
    token = tokens.get(sent_key(app_name, form_name, ref)) if isinstance(tokens, dict) else None
    return token if isinstance(token, str) else None


def was_sent_here(app_name: str, form_name: str, ref: str) -> bool:
    return sent_key(app_name, form_name, ref) in session.get(SESSION_KEY, [])
