"""Walk every public channel of an app and report any planted value that reaches a response (issue 8).

Used by tests/http/test_every_public_channel.py. The walk follows every link (href, src, action) from `/` and the
app's home page, expands every route of the app with every name and id the app has (lists, forms, maps, tables,
rows, references, photos), opens every list with each option of its GET forms (filters, sort, language), every
GeoJSON layer with every field asked for, and sends each public form once, empty. A value counts as leaked when it
is in a body or a header and was not in the request itself (a search box shows back what the reader typed).
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

import support
from flask import Flask

LINK_RE = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""")
FORM_RE = re.compile(r"<form\b[^>]*>.*?</form>", re.DOTALL | re.IGNORECASE)
SELECT_RE = re.compile(r"""<select\b[^>]*\bname=["']([^"']+)["'][^>]*>(.*?)</select>""", re.DOTALL | re.IGNORECASE)
OPTION_RE = re.compile(r"""<option\b[^>]*\bvalue=["']([^"']*)["']""", re.IGNORECASE)
MAX_PAGES = 3000
REF_RE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}")  # a reference number (受付番号), lowcode.storage.new_reference
MAX_DETAIL_PAGES = 40  # of rows found by following links; every planted row is also asked for by its id
LATER_PAGE_RE = re.compile(r"[?&]page=(?:[3-9]|\d\d)")  # pages 1 and 2 of each list and search are enough
DETAIL_RE = re.compile(r"/lists/[^/?]+/\d+$")


@dataclass
class Walk:
    """What the walk fetched: url → (status, body text, headers text)."""

    pages: dict[str, tuple[int, str, str]] = field(default_factory=dict)

    def leaks(self, markers: Iterable[str]) -> list[tuple[str, str]]:
        """(url, marker) for every marker found in a response it was not asked for in."""
        found = []
        refs = {m for m in markers if REF_RE.fullmatch(m)}  # thousands of seeded rows: looked up, not searched
        others = sorted({m.lower() for m in markers if m and m not in refs}, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, others)))
        for url, (_, body, headers) in self.pages.items():
            asked, text = unquote(url).lower(), body + "\n" + headers
            seen = {m.group(0) for m in pattern.finditer(text.lower())} | refs.intersection(REF_RE.findall(text))
            found += [(url, m) for m in sorted(seen) if m.lower() not in asked]
        return found

    def status(self, url: str) -> int:
        return self.pages[url][0]


def walk_public_channels(flask_app: Flask, app_name: str, names: dict[str, list[str]], extra: Iterable[str] = ()) -> Walk:
    """Fetch everything a stranger can reach; `names` maps a route argument (list_name, row_id, filename…) to values."""
    client = flask_app.test_client()
    walk = Walk()
    queue = [*route_urls(flask_app, app_name, names), "/", f"/{app_name}/", *extra]
    asked = set(queue)
    details = 0
    while queue and len(walk.pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in walk.pages or not is_local(url, app_name) or LATER_PAGE_RE.search(url):
            continue
        if DETAIL_RE.search(url) and url not in asked:
            details += 1
            if details > MAX_DETAIL_PAGES:
                continue
        response = client.get(url)
        # A photo's bytes are not text (Pillow has rewritten it without metadata): its headers are looked through.
        body = "" if (response.mimetype or "").startswith("image/") else response.get_data().decode(errors="replace")
        response.close()
        walk.pages[url] = (response.status_code, body, str(response.headers))
        if response.mimetype == "text/html":
            queue += [link for link in page_links(body) if link not in walk.pages]
            queue += [u for u in get_form_urls(url, body) if u not in walk.pages]
    send_public_forms(flask_app, client, app_name, walk)
    return walk


def is_local(url: str, app_name: str) -> bool:
    path = urlsplit(url).path
    return url.startswith("/") and not url.startswith("//") and not path.startswith("/static/") and (
        path == "/" or path.startswith(f"/{app_name}/") or path == "/healthz")


def page_links(body: str) -> Iterator[str]:
    for raw in LINK_RE.findall(body):
        link = html.unescape(raw).split("#")[0]
        if link:
            yield link


def get_form_urls(url: str, body: str) -> Iterator[str]:
    """Each option of each select of the page's GET forms, one at a time (filters, sort order)."""
    path = urlsplit(url).path
    for form in FORM_RE.findall(body):
        if re.search(r"""method=["']post["']""", form, re.IGNORECASE):
            continue
        for name, options in SELECT_RE.findall(form):
            for value in OPTION_RE.findall(options):
                yield f"{path}?{urlencode({name: html.unescape(value)})}"


def route_urls(flask_app: Flask, app_name: str, names: dict[str, list[str]]) -> Iterator[str]:
    """Every GET route of the app with every value of its arguments (a staff form or a hidden row must answer 404)."""
    for rule in flask_app.url_map.iter_rules():
        if not rule.endpoint.startswith(f"{app_name}.") or "GET" not in (rule.methods or ()):
            continue
        yield from expand(rule.rule, sorted(rule.arguments), names)


def expand(pattern: str, arguments: list[str], names: dict[str, list[str]]) -> Iterator[str]:
    if not arguments:
        yield re.sub(r"<(?:[^:>]+:)?([^>]+)>", "", pattern)
        return
    first, rest = arguments[0], arguments[1:]
    for value in names.get(first, []):
        yield from expand(re.sub(rf"<(?:[^:>]+:)?{first}>", value, pattern), rest, names)


def send_public_forms(flask_app: Flask, client: Any, app_name: str, walk: Walk) -> None:
    """Each form page sent once without answers: the page comes back with messages and options, nothing else."""
    for url in [u for u in list(walk.pages) if re.fullmatch(rf"/{app_name}/forms/[^/?]+", u) and walk.status(u) == 200]:
        token = support.csrf_token(client, url)
        response = client.post(url, data={"csrf_token": token}, content_type="multipart/form-data")
        walk.pages[f"POST {url}"] = (response.status_code, response.get_data(as_text=True), str(response.headers))


def row_links(body: str, app_name: str, list_name: str) -> list[str]:
    """The detail links of a list page, in order: which rows it shows."""
    return re.findall(rf"/{app_name}/lists/{list_name}/(\d+)", body)
