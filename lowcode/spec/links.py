"""Which web addresses a link in app.yaml may hold: http(s), mailto, tel, or an address on this site.

`javascript:`, `data:` and other schemes run code or show content the city did not write; a browser ignores tabs,
newlines and leading control characters inside a scheme (`java\\tscript:`), so they are removed before looking.
"""
from __future__ import annotations

import re

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_IGNORED_BY_BROWSERS = dict.fromkeys(list(range(0x21)) + [0x7F])  # C0 controls, space and DEL


def link_scheme(url: str) -> str | None:
    """The scheme a browser would read from `url` (lowercase), or None for a relative address."""
    match = _SCHEME_RE.match(url.translate(_IGNORED_BY_BROWSERS))
    return match.group(1).lower() if match else None


def is_safe_link(url: str) -> bool:
    scheme = link_scheme(url)
    return scheme is None or scheme in ALLOWED_SCHEMES
