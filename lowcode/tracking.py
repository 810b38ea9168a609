"""The resident's private link to one submission: `/<app>/track/<token>`.

A token is 22 random bytes from `secrets` (176 bits), written in the URL as base64url. Only its SHA-256 is stored
(column `track_hash` of every app table), so a copy of the database gives no link; the token itself is shown once,
on the sent page of the browser that sent the form. Looking a row up is one indexed equality on the digest: no
comparison of secrets character by character, so no timing worth measuring.
"""
from __future__ import annotations

import hashlib
import secrets

TRACK_COLUMN = "track_hash"
TOKEN_BYTES = 22  # ≥ 128 bits, as the issue asks; 30 URL characters
DIGEST_LENGTH = 64  # hex SHA-256


def new_token() -> tuple[str, str]:
    """A fresh token and the digest to store."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def looks_like_token(text: str) -> bool:
    """Only base64url text of a plausible length is looked up (anything else is a 404 without a query)."""
    return 16 <= len(text) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in text)
