"""Security headers on every response, script nonces, and the settings for running behind an HTTPS proxy.

The Content-Security-Policy allows scripts from this site and inline scripts the engine wrote itself (the map
pages' Folium code, the location picker), which carry a per-request nonce; a `<script>` that got into a page any
other way does not run. Styles allow 'unsafe-inline': Leaflet and its plugins write `style="…"` into the markup
they build (markers, legends, popups), and a style cannot run code. Images may come from the tile servers of the
apps' basemaps.

Behind a proxy that ends HTTPS, `LOWCODE_HTTPS=1` marks the session cookie Secure and sends HSTS, and
`LOWCODE_PROXY_COUNT=N` (the number of proxies in front) makes the client's address and scheme come from
X-Forwarded-For / X-Forwarded-Proto, which per-client rate limits need.
"""
from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import Flask, Response, g
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix

from .maps.basemaps import tile_source
from .spec.maps import map_basemap

if TYPE_CHECKING:
    from .runtime import AppRuntime

HSTS = "max-age=31536000"  # one year; without includeSubDomains, other services of the city's domain are unaffected
# An inline <script> (one with src= is allowed by 'self' and left as it is)
_INLINE_SCRIPT_TAG = re.compile(r"<script(?=[\s>])(?![^>]*\ssrc=)", re.IGNORECASE)


def init_security(flask_app: Flask, runtimes: Iterable[AppRuntime]) -> None:
    https = setting_on(flask_app, "LOWCODE_HTTPS")
    if https:
        flask_app.config.update(SESSION_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    proxies = int(setting(flask_app, "LOWCODE_PROXY_COUNT") or 0)
    if proxies > 0:
        flask_app.wsgi_app = ProxyFix(flask_app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    flask_app.jinja_env.globals["csp_nonce"] = csp_nonce
    flask_app.after_request(security_headers_hook(content_security_policy(tile_hosts(runtimes)), https))


def security_headers_hook(policy: str, https: bool) -> Callable[[Response], Response]:
    """The after-request hook that adds the headers a response has not set itself (a view may set its own).

    Every header value is worked out here, once per worker: a request only adds its nonce, if it made one. This
    runs on every response, the list page's included (issue 8: 11 µs per request before, under 5 µs now).
    """
    head, _, tail = policy.partition("{scripts}")
    without_nonce = head + tail
    fixed = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "SAMEORIGIN"),
             ("Referrer-Policy", "strict-origin-when-cross-origin"), *([("Strict-Transport-Security", HSTS)] if https else [])]
    ours = frozenset(name.lower() for name in ["Content-Security-Policy", *(name for name, _ in fixed)])

    def add_security_headers(response: Response) -> Response:
        nonce = g.get("csp_nonce")
        wanted = [("Content-Security-Policy", f"{head} 'nonce-{nonce}'{tail}" if nonce else without_nonce), *fixed]
        present = ours.intersection([name.lower() for name, _ in response.headers.items()])
        response.headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
        return response

    return add_security_headers


def setting(flask_app: Flask, name: str) -> Any:
    """A deployment setting: the app's config (tests, factories) or else the environment."""
    return flask_app.config.get(name, os.environ.get(name))


def setting_on(flask_app: Flask, name: str) -> bool:
    return str(setting(flask_app, name) or "").lower() in ("1", "true", "yes", "on")


def content_security_policy(image_hosts: Iterable[str]) -> str:
    """The policy with a `{scripts}` slot where the request's nonce goes."""
    images = " ".join(["'self'", "data:", "blob:", *sorted(image_hosts)])
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'{scripts}",
        "style-src 'self' 'unsafe-inline'",
        f"img-src {images}",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


def tile_hosts(runtimes: Iterable[AppRuntime]) -> set[str]:
    """`https://host` of every basemap the apps use: the app's own and each map's; `{s}` subdomains become `*`."""
    hosts = set()
    for runtime in runtimes:
        basemaps = [runtime.spec.basemap, *(map_basemap(runtime.spec, spec) for spec in runtime.spec.maps.values())]
        for basemap in basemaps:
            source = tile_source(basemap, "en")
            if source is not None:
                hosts.add(origin_of(source[0]))
    return hosts - {""}


def origin_of(url_template: str) -> str:
    """`https://{s}.tiles.example/{z}/{x}/{y}.png` → `https://*.tiles.example`; a relative URL is this site ("")."""
    parts = urlsplit(re.sub(r"\{[a-z]+\}", "*", url_template))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def csp_nonce() -> str:
    """This request's script nonce (made on first use; pages without inline scripts send none)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    nonce: str = g.csp_nonce
    return nonce


def with_nonce(html: str) -> Markup:
    """Engine-written HTML (Folium's map, the picker's assets) with this request's nonce on each inline `<script>`.

    Only for markup the engine generated: resident text is escaped and never reaches this function.
    """
    return Markup(_INLINE_SCRIPT_TAG.sub(f'<script nonce="{csp_nonce()}"', str(html)))
