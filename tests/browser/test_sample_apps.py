"""The shipped sample apps as residents meet them: every page passes axe, and only the tile server is ever asked."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Route
from test_accessibility import BLOCKING, readable, run_axe
from werkzeug.serving import make_server

from lowcode.app import create_app
from lowcode.spec.loader import app_folders, load_app_spec

pytestmark = pytest.mark.browser
APPS = Path(__file__).resolve().parents[2] / "apps"
TILE_HOSTS = {"cyberjapandata.gsi.go.jp", "tile.openstreetmap.org"}


def sample_pages() -> list[str]:
    """Home, every form, list and map of every shipped app, and the first detail page of each list."""
    pages = []
    for folder in app_folders(APPS):
        spec = load_app_spec(folder).spec
        assert spec is not None
        pages.append(f"/{folder.name}/")
        pages += [f"/{folder.name}/forms/{name}" for name, form in spec.forms.items() if form.access == "public"]
        pages += [f"/{folder.name}/lists/{name}" for name in spec.lists]
        pages += [f"/{folder.name}/maps/{name}" for name in spec.maps]
        pages += [f"/{folder.name}/lists/{name}/1" for name, lst in spec.lists.items() if lst.table in seeded(spec)]
    return pages


def seeded(spec: Any) -> set[str]:
    return {name for name, table in spec.tables.items() if table.seed is not None}


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = create_app(APPS, {"INSTANCE_PATH": str(tmp_path_factory.mktemp("samples"))})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        app.extensions["lowcode"].db.engine.dispose()


@pytest.fixture
def sample_page(browser: Any, sample_server: str) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    outside: list[str] = []
    local = urlsplit(sample_server).netloc

    def only_local(route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == local or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()  # tiles are not reachable here; the page must work without them

    context.route("**/*", only_local)
    yield context.new_page(), outside
    context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("path", sample_pages())
def test_sample_app_page_is_accessible_and_self_contained(
    sample_page: tuple[Page, list[str]], sample_server: str, axe_script: Path, path: str, lang: str
) -> None:
    page, outside = sample_page
    response = page.goto(f"{sample_server}{path}?lang={lang}")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    blocking = [v for v in run_axe(page, axe_script) if v["impact"] in BLOCKING]
    assert blocking == [], f"{path} ({lang}):\n{readable(blocking)}"
    assert {urlsplit(u).hostname for u in outside} <= TILE_HOSTS, outside
