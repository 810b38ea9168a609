"""Links in app.yaml: only http(s), mailto, tel and addresses on this site become links."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from lowcode.spec.links import is_safe_link
from lowcode.spec.models import NavItemSpec
from lowcode.views.context import nav_link


@pytest.mark.parametrize("url", [
    "https://www.city.kanazawa.ishikawa.jp/", "http://example.jp/a?b=c", "mailto:info@example.jp", "tel:076-000-0000",
    "/safe_school_routes/lists/hazards", "lists/hazards", "#top", "?lang=en", "//example.jp/x", "HTTPS://EXAMPLE.JP",
])
def test_web_mail_phone_and_relative_addresses_are_links(url: str) -> None:
    assert is_safe_link(url)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "\x01javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://example.jp/",
])
def test_other_schemes_are_not_links(url: str) -> None:
    assert not is_safe_link(url)


def test_the_engine_never_renders_an_unsafe_link(sqlite_make_app: Callable[..., Flask]) -> None:
    app = sqlite_make_app("title: t\ntables:\n  a:\n    fields:\n      x: {type: text}\n")
    runtime = app.extensions["lowcode"].runtimes["demo"]
    with app.test_request_context("/demo/"):
        unsafe = nav_link(runtime, NavItemSpec(url="javascript:alert(1)", label="x"), "ja")
        safe = nav_link(runtime, NavItemSpec(url="tel:076-000-0000", label="x"), "ja")
    assert unsafe.url == "#"
    assert safe.url == "tel:076-000-0000"
