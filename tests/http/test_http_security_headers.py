"""Security headers on every response; Secure cookies, HSTS and the client's address behind an HTTPS proxy."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from lowcode.security import origin_of

YAML = """
title: t
basemap: gsi_pale
tables:
  spots:
    fields:
      name: {type: text}
      location: {type: location}
forms:
  add: {table: spots}
lists:
  spots: {table: spots}
maps:
  spots:
    basemap: {url: "https://{s}.tiles.example.jp/{z}/{x}/{y}.png", attribution: 市}
    layers: [{table: spots}]
"""
PAGES = ["/demo/", "/demo/forms/add", "/demo/lists/spots", "/demo/maps/spots", "/demo/api/spots.geojson",
         "/demo/missing", "/healthz", "/static/lowcode.css"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(sqlite_make_app: Callable[..., Flask], path: str) -> None:
    response = sqlite_make_app(YAML).test_client().get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # only when the site is served over HTTPS
    response.close()


def test_images_may_come_from_the_basemaps_tile_servers(sqlite_make_app: Callable[..., Flask]) -> None:
    policy = sqlite_make_app(YAML).test_client().get("/demo/").headers["Content-Security-Policy"]
    images = policy.split("img-src")[1].split(";")[0].split()
    assert "https://cyberjapandata.gsi.go.jp" in images
    assert "https://*.tiles.example.jp" in images
    assert "https://tile.openstreetmap.org" not in images  # no app or map here uses it


def test_every_inline_script_carries_the_requests_nonce(sqlite_make_app: Callable[..., Flask]) -> None:
    client = sqlite_make_app(YAML).test_client()
    for path in ("/demo/maps/spots", "/demo/forms/add"):
        response = client.get(path)
        nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        html = response.get_data(as_text=True)
        assert "<script>" not in html, path
        assert f'<script nonce="{nonce}">' in html, path
    first, second = (client.get("/demo/maps/spots").headers["Content-Security-Policy"] for _ in range(2))
    assert first != second  # a new nonce for every response


def test_behind_an_https_proxy_cookies_are_secure_and_hsts_is_sent(sqlite_make_app: Callable[..., Flask]) -> None:
    app = sqlite_make_app(YAML, LOWCODE_HTTPS="1", LOWCODE_PROXY_COUNT="1")

    @app.get("/whoami")
    def whoami() -> str:
        from flask import request

        return f"{request.remote_addr} {request.scheme}"

    client = app.test_client()
    response = client.get("/demo/forms/add?lang=en", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 2 and all("Secure" in c for c in cookies)
    seen = client.get("/whoami", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert seen.get_data(as_text=True) == "203.0.113.9 https"


def test_without_a_proxy_setting_forwarded_headers_are_not_believed(sqlite_make_app: Callable[..., Flask]) -> None:
    app = sqlite_make_app(YAML)

    @app.get("/whoami")
    def whoami() -> str:
        from flask import request

        return f"{request.remote_addr} {request.scheme}"

    seen = app.test_client().get("/whoami", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert seen.get_data(as_text=True) == "127.0.0.1 http"


@pytest.mark.parametrize(("template", "origin"), [
    ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
    ("https://{s}.tiles.example.jp/{z}/{x}/{y}.png", "https://*.tiles.example.jp"),
    ("http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png", "http://10.0.0.5:8080"),
    ("/tiles/{z}/{x}/{y}.png", ""),
])
def test_the_origin_of_a_tile_url(template: str, origin: str) -> None:
    assert origin_of(template) == origin
