"""A sample app served from a copy (its SQLite database beside it), and a desktop tab that may only talk to it:
what the browser tests of a real sample app's pages share."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from support import serving

from lowcode.app import create_app

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def served_sample(root: Path, name: str) -> Iterator[tuple[str, Any]]:
    """`apps/<name>` copied under `root` and served: (base URL, the Flask app)."""
    shutil.copytree(ROOT / "apps" / name, root / "apps" / name)
    app = create_app(root / "apps" / name, {"INSTANCE_PATH": str(root / "instance"),
                                            "DATABASE_URL": f"sqlite:///{root / 'site.sqlite3'}", "LOWCODE_RATE_LIMITS": "0"})
    with serving(app) as url:
        yield url, app


def local_tab(browser: Any, base: str) -> tuple[Any, Any]:
    """(context, page): 1280×900, every request to another host aborted, 15 s timeouts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    local = urlsplit(base).netloc
    context.route("**/*", lambda route, request: route.continue_() if urlsplit(request.url).netloc == local
                  or request.url.startswith(("data:", "blob:")) else route.abort())
    context.set_default_timeout(15_000)
    return context, context.new_page()
