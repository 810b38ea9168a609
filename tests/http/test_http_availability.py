"""One broken app, an unreachable database or a full disk: the rest keeps serving, residents get a 503 in
their language, what they typed is kept, /healthz says why, and the server recovers without a restart."""
from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask
from support import write_app

from lowcode.app import create_app
from lowcode.cli import main
from lowcode.runtime import AppSpecError

GOOD = """
title: {ja: 公園の予約, en: Park bookings}
tables:
  bookings:
    fields:
      team: {type: text, required: true, label: {ja: 団体名, en: Team}}
      school: {type: reference, to: schools}
      note: {type: textarea}
  schools:
    fields:
      name: {type: text}
forms:
  book: {table: bookings}
lists:
  schools: {table: schools}
"""
TAB_BROKEN = "title: 道路\ntables:\n  reports:\n\tfields:\n      title: {type: text}\n"


def body_of(response: Any) -> dict[str, Any]:
    """The JSON of a /healthz answer."""
    body: dict[str, Any] = response.get_json()
    return body


def two_apps(tmp_path: Path, **config: Any) -> Flask:
    write_app(tmp_path / "apps" / "parks", GOOD)
    write_app(tmp_path / "apps" / "roads", TAB_BROKEN)
    return create_app(tmp_path / "apps", {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), **config})


def test_a_broken_app_shows_its_maintenance_page_and_the_others_serve(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="lowcode"):
        app = two_apps(tmp_path)
    client = app.test_client()

    ja = client.get("/roads/")
    en = client.get("/roads/forms/report?lang=en")

    assert client.get("/parks/forms/book").status_code == 200
    assert ja.status_code == 503 and "メンテナンス中" in ja.get_data(as_text=True)
    switcher = '<a href="?lang=ja" lang="ja" hreflang="ja">日本語</a> <a href="?lang=en" lang="en" hreflang="en">English</a>'
    assert switcher in ja.get_data(as_text=True)  # each language by its own name, from the catalogues present
    assert en.status_code == 503 and "under maintenance" in en.get_data(as_text=True)
    assert en.headers["Retry-After"]
    assert "app.yaml:4:1 [E_YAML_SYNTAX]" in caplog.text and "roads" in caplog.text
    index = client.get("/").get_data(as_text=True)
    assert 'href="/parks/"' in index and 'href="/roads/"' in index
    health = client.get("/healthz")
    assert health.status_code == 200
    assert body_of(health)["status"] == "degraded" and body_of(health)["under_maintenance"] == ["roads"]
    assert body_of(health)["apps"] == ["parks"]


def test_strict_refuses_to_start_with_the_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(AppSpecError, match="E_YAML_SYNTAX"):
        two_apps(tmp_path, STRICT=True)
    monkeypatch.setenv("LOWCODE_STRICT", "1")
    with pytest.raises(AppSpecError, match="E_YAML_SYNTAX"):
        two_apps(tmp_path)


def test_run_strict_exits_with_the_problems(tmp_path: Path) -> None:
    write_app(tmp_path / "apps" / "parks", GOOD)
    write_app(tmp_path / "apps" / "roads", TAB_BROKEN)
    env = {"LOWCODE_INSTANCE": str(tmp_path / "instance"), "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}

    result = CliRunner().invoke(main, ["run", str(tmp_path / "apps"), "--strict", "--port", "0"], env=env)

    assert result.exit_code == 1
    assert "[E_YAML_SYNTAX]" in result.output and "Traceback" not in result.output


def test_routes_touches_no_storage(tmp_path: Path) -> None:
    write_app(tmp_path / "apps" / "parks", GOOD)
    instance = tmp_path / "instance"

    result = CliRunner().invoke(main, ["routes", str(tmp_path / "apps")], env={"LOWCODE_INSTANCE": str(instance)})

    assert result.exit_code == 0 and "/parks/forms/<form_name>" in result.output
    assert not instance.exists()  # no database file, no secret, not even the folder


def test_an_app_built_without_preparing_opens_no_database(tmp_path: Path) -> None:
    write_app(tmp_path / "apps" / "parks", GOOD)
    database = tmp_path / "data.sqlite3"

    create_app(tmp_path / "apps", {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": f"sqlite:///{database}"}, prepare=False)

    assert not database.exists() and not (tmp_path / "instance").exists()


def test_an_unreachable_database_answers_503_and_retries(tmp_path: Path) -> None:
    write_app(tmp_path / "apps" / "parks", GOOD)
    url = "postgresql+psycopg://postgres@127.0.0.1:9/lowcode"  # nothing listens on the discard port

    app = create_app(tmp_path / "apps", {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": url})
    client = app.test_client()

    health = client.get("/healthz")
    assert health.status_code == 503
    assert body_of(health)["database"] == "unavailable" and "OperationalError" in body_of(health)["reason"]
    ja, en = client.get("/parks/forms/book"), client.get("/parks/lists/schools?lang=en")
    assert ja.status_code == 503 and "ただいまサービスを利用できません" in ja.get_data(as_text=True)
    assert en.status_code == 503 and "temporarily unavailable" in en.get_data(as_text=True)
    assert "postgres@" not in ja.get_data(as_text=True)


def test_a_form_sent_while_the_database_is_unreachable_keeps_the_answers(tmp_path: Path) -> None:
    write_app(tmp_path / "apps" / "parks", GOOD)
    app = create_app(tmp_path / "apps", {
        "TESTING": True, "WTF_CSRF_ENABLED": False, "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/lowcode",
    })

    response = app.test_client().post("/parks/forms/book?lang=en", data={"team": "長町 FC", "school": "2", "note": "雨天決行"})

    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert 'value="長町 FC"' in html and "雨天決行" in html and '<option selected value="2">' in html
    assert "could not be saved just now" in html


def test_the_server_recovers_once_the_database_can_be_used(tmp_path: Path) -> None:
    """SQLite in a folder that does not exist yet: unusable at start, usable once it appears (no restart)."""
    write_app(tmp_path / "apps" / "parks", GOOD)
    folder = tmp_path / "later"
    app = create_app(tmp_path / "apps", {
        "TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
    })
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    assert client.get("/parks/lists/schools").status_code == 503

    folder.mkdir()
    storage = app.extensions["lowcode"].storage
    assert client.get("/parks/lists/schools").status_code == 503  # within the backoff delay: no new attempt yet
    storage.clock = lambda: 1e12  # the backoff delay has passed

    assert client.get("/parks/lists/schools").status_code == 200
    assert client.get("/healthz").status_code == 200


def always_raise(error: Exception) -> Callable[..., Any]:
    def insert(*args: Any, **kwargs: Any) -> Any:
        raise error
    return insert


@pytest.mark.parametrize("error", [
    sa.exc.OperationalError("INSERT", {}, Exception("server closed the connection unexpectedly")),
    sa.exc.OperationalError("INSERT", {}, Exception("database or disk is full")),
    OSError(errno.ENOSPC, "No space left on device"),
    OSError(errno.EROFS, "Read-only file system"),
], ids=["connection lost", "sqlite full", "disk full", "read-only"])
def test_a_submission_the_storage_refuses_keeps_every_answer(
    make_app: Callable[..., Flask], send: Callable[..., Any], rows: Callable[..., int],
    monkeypatch: pytest.MonkeyPatch, error: Exception, caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app(GOOD, name="parks")
    client = app.test_client()
    with app.app_context(), app.extensions["lowcode"].db.engine.begin() as conn:
        app.extensions["lowcode"].runtimes["parks"].stores["schools"].insert(conn, {"name": "長町小学校"})
    monkeypatch.setattr("lowcode.storage.TableStore.insert", always_raise(error))

    response = send(client, "/parks/forms/book", {"team": "長町 FC", "school": "1", "note": "雨天決行\n山田 090-1234-5678"})

    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert 'value="長町 FC"' in html and "雨天決行\n山田 090-1234-5678" in html
    assert '<option selected value="1">長町小学校</option>' in html
    assert "入力内容を保存できませんでした" in html
    assert rows(app, "bookings") == 0
    assert "090-1234-5678" not in caplog.text


def test_healthz_reports_a_full_disk(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(GOOD, name="parks")
    monkeypatch.setattr("lowcode.diskspace.shutil.disk_usage", lambda path: type("U", (), {"total": 10**12, "used": 0, "free": 10**6})())

    health = app.test_client().get("/healthz")

    assert health.status_code == 503
    assert body_of(health)["disk"] == "full" and body_of(health)["status"] == "error"


def test_healthz_calls_a_low_disk_degraded(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(GOOD, name="parks")
    monkeypatch.setattr("lowcode.diskspace.shutil.disk_usage", lambda path: type("U", (), {"total": 10**12, "used": 0, "free": 50 * 2**20})())

    health = app.test_client().get("/healthz")

    assert health.status_code == 200
    assert body_of(health)["disk"] == "low" and body_of(health)["status"] == "degraded" and body_of(health)["disk_free_mb"] == 50


def test_a_read_only_instance_folder_at_start_is_a_503_until_it_is_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_app(tmp_path / "apps" / "parks", GOOD)

    def read_only(folder: Path) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(folder))

    monkeypatch.setattr("lowcode.app.make_private_folder", read_only)  # root ignores chmod: refuse as a read-only mount does
    app = create_app(tmp_path / "apps", {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance")})
    client = app.test_client()

    health = client.get("/healthz")
    assert health.status_code == 503 and "Read-only file system" in body_of(health)["reason"]
    assert client.get("/parks/forms/book?lang=en").status_code == 503

    monkeypatch.undo()
    app.extensions["lowcode"].storage.clock = lambda: 1e12

    assert client.get("/parks/forms/book", follow_redirects=True).status_code == 200
    assert body_of(client.get("/healthz"))["database"] == "ok"


def test_a_page_read_while_the_database_fails_is_a_localized_503(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(GOOD, name="parks")
    lost = sa.exc.OperationalError("SELECT", {}, Exception("terminating connection due to administrator command"))
    monkeypatch.setattr("lowcode.storage.TableStore.page", always_raise(lost))

    ja, en = app.test_client().get("/parks/lists/schools"), app.test_client().get("/parks/lists/schools?lang=en")

    assert ja.status_code == 503 and "ただいまサービスを利用できません" in ja.get_data(as_text=True)
    assert en.status_code == 503 and "temporarily unavailable" in en.get_data(as_text=True)
