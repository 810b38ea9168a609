"""Helpers for tests that are plain functions, importable from any test folder (`pythonpath = tests`)."""
from __future__ import annotations

import re
import socket
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def write_app(folder: Path, yaml: str, files: dict[str, str | bytes] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "app.yaml").write_text(textwrap.dedent(yaml).lstrip(), encoding="utf-8")
    for name, content in (files or {}).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
    return folder


def csrf_token(client: Any, url: str) -> str:
    """The CSRF token of the form at `url`, read the way a browser gets it."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, f"no CSRF token in {url}"
    return match.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: Any, name: str = "lowcode-live-server") -> Iterator[str]:
    """A Flask app served on 127.0.0.1 at a free port, in a thread, for a real browser; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            app.extensions["lowcode"].db.engine.dispose()


def app_runtime(app: Any, name: str = "demo") -> Any:
    """The `AppRuntime` of one app of a built Flask app (spec, stores, memos)."""
    return app.extensions["lowcode"].runtimes[name]


def app_engine(app: Any) -> Any:
    """The SQLAlchemy engine of a built Flask app (call inside its app context)."""
    return app.extensions["lowcode"].db.engine


def staff_client(app: Any, username: str, password: str, app_name: str = "demo") -> Any:
    """A test client logged in at `/<app_name>/staff/login` (the login must succeed)."""
    client = app.test_client()
    token = csrf_token(client, f"/{app_name}/staff/login")
    response = client.post(f"/{app_name}/staff/login",
                           data={"csrf_token": token, "username": username, "password": password})
    assert response.status_code == 302, f"{username} could not log in"
    return client


@contextmanager
def sample_app(tmp_path: Path, name: str, database: str, **config: Any) -> Iterator[Any]:
    """A copy of the shipped sample `apps/<name>` (its seeds loaded) built on `database`; the engine closed after."""
    import shutil

    from lowcode.app import create_app

    shutil.copytree(Path(__file__).resolve().parents[1] / "apps" / name, tmp_path / "apps" / name)
    app = create_app(tmp_path / "apps" / name, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                                               "DATABASE_URL": database, **config})
    try:
        yield app
    finally:
        with app.app_context():
            app_engine(app).dispose()
