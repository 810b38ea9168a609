"""Links back to the page being shown with other query parameters (language switch, next page).

Built from the request's own path and an encoded query string, never by passing request parameters to `url_for`:
there `?endpoint=x`, `?_method=POST`, `?_external=1` or `?list_name=x` would be read as url_for's own arguments
(a 500 on every page, or a link to a forged Host).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

from flask import request

MAX_KEPT_PARAMS = 30  # a link repeats at most this many parameters of the current address


def same_page_url(**changes: Any) -> str:
    """This page's address (path only, no host) with `changes` replacing or adding query parameters."""
    current = request._get_current_object()  # type: ignore[attr-defined]  # one context lookup, not one per attribute
    kept = [(k, v) for k, v in current.args.items(multi=True) if k not in changes][:MAX_KEPT_PARAMS]
    query = urlencode([*kept, *((k, v) for k, v in changes.items() if v is not None)])
    path = encode_path(current.script_root, current.path)
    return path + (f"?{query}" if query else "")


@lru_cache(maxsize=256)  # a page links to itself several times (pages, languages); bounded: paths come from outside
def encode_path(script_root: str, path: str) -> str:
    """The request path, re-encoded (a decoded `?` or `#` would change the link); `//host/…` would name another site."""
    return quote(script_root + "/" + path.lstrip("/"), safe="/")
