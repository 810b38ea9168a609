"""Rate limits on what the public can make the server do: form submissions and the JSON API.

Flask-Limiter counts per client address (behind a proxy, set LOWCODE_PROXY_COUNT so the address is the
resident's, not the proxy's). Counters live in memory per worker, or in Redis when REDIS_URL is set, so that every
worker and server shares them. A Redis that stops answering does not stop the service: the workers fall back to
their own counters.

Settings (app config or environment): LOWCODE_RATE_LIMIT_SUBMIT (default "10/minute;60/hour" per form page and
client), LOWCODE_RATE_LIMIT_API (default "120/minute" per endpoint and client), LOWCODE_RATE_LIMIT_LOGIN (default
"10/minute;100/day" staff login attempts per app and client), LOWCODE_RATE_LIMITS=0 turns them off.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from .security import setting

SUBMIT_DEFAULT = "10/minute;60/hour"
API_DEFAULT = "120/minute"
LOGIN_DEFAULT = "10/minute;100/day"  # per client: guessing passwords across many accounts (each locks after 5)
LIMIT_SETTINGS = {"submit": "LOWCODE_RATE_LIMIT_SUBMIT", "login": "LOWCODE_RATE_LIMIT_LOGIN", "api": "LOWCODE_RATE_LIMIT_API"}
API_ENDPOINTS = ("geojson", "geocode", "reverse", "postal", "reference_suggestions")


def init_rate_limits(flask_app: Flask) -> Limiter:
    flask_app.config.setdefault("RATELIMIT_ENABLED", str(setting(flask_app, "LOWCODE_RATE_LIMITS") or "1") != "0")
    flask_app.config.setdefault("LOWCODE_RATE_LIMIT_SUBMIT", setting(flask_app, "LOWCODE_RATE_LIMIT_SUBMIT") or SUBMIT_DEFAULT)
    flask_app.config.setdefault("LOWCODE_RATE_LIMIT_API", setting(flask_app, "LOWCODE_RATE_LIMIT_API") or API_DEFAULT)
    flask_app.config.setdefault("LOWCODE_RATE_LIMIT_LOGIN", setting(flask_app, "LOWCODE_RATE_LIMIT_LOGIN") or LOGIN_DEFAULT)
    redis_url = flask_app.config.get("REDIS_URL") or os.environ.get("REDIS_URL")
    limiter = Limiter(
        get_remote_address,
        app=flask_app,
        default_limits=[limit_for_request],
        default_limits_exempt_when=lambda: request_kind() is None,
        storage_uri=redis_url or "memory://",
        key_prefix=f"lowcode:{flask_app.name}",
        swallow_errors=True,  # a storage failure lets the request through instead of answering 500
        in_memory_fallback_enabled=bool(redis_url),
        headers_enabled=True,
    )
    skip_unlimited_requests(flask_app, limiter)
    return limiter


def skip_unlimited_requests(flask_app: Flask, limiter: Limiter) -> None:
    """Flask-Limiter hooks into every request; pages that are never limited now skip its hooks altogether.

    Its check, headers and clean-up cost a page about 60 µs even when no limit applies (6 % of a list page, issue 7
    item 39). A request that is limited goes through them unchanged; a hook not recognised here stays as it is.
    """
    limiter.request_filter(lambda: request_kind() is None)  # the same answer, for any check that still runs
    check = limiter._check_request_limit
    before = flask_app.before_request_funcs.setdefault(None, [])
    before[:] = [(lambda: None if request_kind() is None else check()) if hook == check else hook for hook in before]
    after = flask_app.after_request_funcs.setdefault(None, [])
    after[:] = [only_when_limited(hook) if limiter in getattr(hook, "args", ()) else hook for hook in after]
    teardown = flask_app.teardown_request_funcs.setdefault(None, [])
    teardown[:] = [only_when_limited(hook) if getattr(hook, "__self__", None) is limiter else hook for hook in teardown]


def only_when_limited(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An after-request or teardown hook of the limiter that passes its argument on untouched for other requests."""
    return lambda value: value if request_kind() is None else hook(value)


def request_kind() -> str | None:
    """"submit" for a form being sent, "login" for a staff login, "api" for the JSON endpoints, None for everything else (never limited)."""
    current = request._get_current_object()  # type: ignore[attr-defined]  # asked three times by every request
    return kind_of_endpoint(current.method, current.endpoint)


@lru_cache(maxsize=512)  # bounded: the method is whatever the client sent
def kind_of_endpoint(method: str, endpoint: str | None) -> str | None:
    endpoint = endpoint or ""
    if method == "POST" and endpoint.endswith(".form_page"):
        return "submit"
    if method == "POST" and endpoint.endswith(".staff_login"):
        return "login"
    if endpoint.rpartition(".")[2] in API_ENDPOINTS and "." in endpoint:
        return "api"
    return None


def limit_for_request() -> str:
    key = LIMIT_SETTINGS.get(request_kind() or "", "LOWCODE_RATE_LIMIT_API")
    return str(current_app.config[key])
