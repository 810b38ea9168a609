"""How much a request may send: the whole body, each text part, the number of parts.

Werkzeug applies MAX_FORM_MEMORY_SIZE and MAX_FORM_PARTS to multipart bodies only; a url-encoded body is read
whole, so without a cap of its own a 24 MB text lands in a field. Here any body that is not multipart (only
photos need big bodies) is capped at MAX_TEXT_BODY; too much is a 413 page in the app's language.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request

MB = 1024 * 1024
DEFAULTS: dict[str, Any] = {
    "MAX_CONTENT_LENGTH": 25 * MB,  # a whole multipart form: two 10 MB photos and the text
    "MAX_FORM_MEMORY_SIZE": 500_000,  # one text part (a 4,000-character textarea is 12 KB of UTF-8)
    "MAX_FORM_PARTS": 500,  # inputs of one form, checkboxes included
    "MAX_TEXT_BODY": 1 * MB,  # a whole url-encoded (or any other non-multipart) body
}


def init_request_limits(flask_app: Flask) -> None:
    for key, value in DEFAULTS.items():
        flask_app.config.setdefault(key, value)
    flask_app.before_request(cap_text_body)


def cap_text_body() -> None:
    """Lower this request's body limit when it carries no files, before anything reads the form."""
    current = request._get_current_object()  # type: ignore[attr-defined]  # one context lookup: this runs on every request
    if current.mimetype != "multipart/form-data":
        config = current_app.config
        limit, whole = config["MAX_TEXT_BODY"], config["MAX_CONTENT_LENGTH"]
        current.max_content_length = min(limit, whole) if whole else limit
