"""The staff matching page over HTTP, on SQLite and PostgreSQL: the ranking shown is `rank()`'s, reasons in ja and
en, no private contact, the role's scope, 403/404, the requests without a match, the staff home's link, paging;
and the real neighbourhood_matching app with its demo data."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from matching_page_data import HELPERS, PASSWORD, REQUESTS, YAML
from support import app_engine, app_runtime, staff_client

from lowcode.app import create_app
from lowcode.matching import rank
from lowcode.records import insert_seed_rows
from lowcode.staff.accounts import RoleGrant, create_user

URL = "/demo/staff/matching/pairs"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        engine = app_engine(built)
        for name, role, scope in (("admin", "admin", None), ("office", "office", None), ("north", "north", "North"),
                                  ("desk", "desk", None)):
            create_user(engine, name, PASSWORD, [RoleGrant("demo", role, scope)])
        runtime = app_runtime(built)
        with engine.begin() as conn:
            insert_seed_rows(runtime, conn, "requests", REQUESTS)
            insert_seed_rows(runtime, conn, "helpers", HELPERS)
    return built


def logged_in(app: Flask, username: str) -> Any:
    return staff_client(app, username, PASSWORD)


def section(page: str, title: str) -> str:
    """The part of the page about one request: from its heading to the next section."""
    start = page.index(f">{title}</a></h2>")
    return page[start:page.index("</section>", start)]


def helper_order(part: str) -> list[str]:
    return re.findall(r'/staff/tables/helpers/\d+">([^<]*(?:&lt;[^<]*)*)</a>', part)


def expected_order(app: Flask, request_title: str) -> list[str]:
    """rank() on the same rows (ids as stored), as helper names in the page's escaping."""
    with app.app_context():
        runtime = app_runtime(app)
        spec = runtime.spec.matching["pairs"]
        requests = [{"id": i + 1, **r} for i, r in enumerate(REQUESTS) if r["state"] == "open"]
        helpers = [{"id": i + 1, **h} for i, h in enumerate(HELPERS) if h["active"] == "yes"]
        ranked = rank(spec, runtime.spec.tables["requests"], runtime.spec.tables["helpers"], requests, helpers)
    wanted = next(i for i, r in enumerate(requests) if r["title"] == request_title)
    names = {h["id"]: h["name"] for h in helpers}
    return [names[m.helper_id].replace("<", "&lt;").replace(">", "&gt;") for m in ranked[wanted].matches]


def test_the_page_shows_rank_s_order_with_reasons_in_english(app: Flask) -> None:
    response = logged_in(app, "admin").get(URL + "?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "<h1>Helpers for requests</h1>" in page
    snow = section(page, "Snow at North school")
    assert helper_order(snow) == expected_order(app, "Snow at North school") == ["Snow team", "Shovel &lt;b&gt;club&lt;/b&gt;"]
    assert "Snow clearing" in snow and " km" in snow and "of 3 people" in snow
    assert helper_order(section(page, "South festival")) == expected_order(app, "South festival")


def test_reasons_are_in_japanese_on_the_japanese_page(app: Flask) -> None:
    page = logged_in(app, "admin").get(URL + "?lang=ja").get_data(as_text=True)
    snow = section(page, "Snow at North school")
    assert "除雪" in snow and "Snow clearing" not in snow and "<h1>依頼に合う助っ人</h1>" in page
    assert "マッチしない依頼" in page


def test_where_conditions_and_the_unmatched_section(app: Flask) -> None:
    page = logged_in(app, "office").get(URL + "?lang=en").get_data(as_text=True)
    assert "Old snow job" not in page  # requests_where: open only
    assert "Retired shovels" not in page  # helpers_where: active only
    assert "Far snow crew" not in page  # beyond max_km
    unmatched = page[page.index("Requests without a match"):]
    assert "North tablets" in unmatched and "Snow at North school" not in unmatched
    assert "3 requests, 1 without a match" in page


def test_no_private_contact_even_for_a_role_that_sees_private_fields(app: Flask) -> None:
    for user in ("admin", "office", "north"):
        page = logged_in(app, user).get(URL + "?lang=en").get_data(as_text=True)
        assert "090-" not in page and "Phone" not in page


def test_the_scoped_role_sees_only_its_requests(app: Flask) -> None:
    page = logged_in(app, "north").get(URL + "?lang=en").get_data(as_text=True)
    assert "Snow at North school" in page and "North tablets" in page and "South festival" not in page


def test_403_without_both_tables_and_404_for_an_unknown_name(app: Flask) -> None:
    assert logged_in(app, "desk").get(URL).status_code == 403
    assert logged_in(app, "admin").get("/demo/staff/matching/nothing").status_code == 404
    assert app.test_client().get(URL).status_code == 302  # not logged in: the login page


def test_the_staff_home_links_the_page_for_roles_that_may_open_it(app: Flask) -> None:
    assert URL in logged_in(app, "office").get("/demo/staff/?lang=en").get_data(as_text=True)
    assert URL not in logged_in(app, "desk").get("/demo/staff/?lang=en").get_data(as_text=True)


def test_requests_are_paged(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lowcode.views.staff_matching.PER_PAGE", 1)
    client = logged_in(app, "admin")
    first = client.get(URL + "?lang=en").get_data(as_text=True)
    second = client.get(URL + "?lang=en&page=2").get_data(as_text=True)
    assert "Snow at North school</a></h2>" in first and "South festival</a></h2>" not in first
    assert "South festival</a></h2>" in second and "page 2 of 2" in second
    assert client.get(URL + "?page=abc").status_code == 200 and client.get(URL + "?page=99").status_code == 200


HIROSAKA = (136.6578, 36.560745)  # 広坂一丁目
REAL_REQUESTS = [
    {"title": "広坂の除雪", "chokai": 1, "categories": ["snow"], "date": dt.date(2026, 1, 17), "people_needed": 4,
     "location": HIROSAKA, "status": "open", "contact_name": "町会 担当者"},
    {"title": "下書きの依頼", "chokai": 1, "categories": ["snow"], "date": dt.date(2026, 1, 17), "people_needed": 4,
     "location": HIROSAKA, "status": "draft", "contact_name": "別の担当者"},
]
REAL_HELPERS = [
    {"display_name": "金沢大学 除雪サークル", "kind": "student_group", "categories": ["snow", "festival"], "people": 6,
     "weekdays": ["sat", "sun"], "home_location": (136.66, 36.565), "contact_name": "代表 山田太郎",
     "contact_email": "yamada@student.example", "contact_phone": "090-1234-5678", "status": "published"},
    {"display_name": "受付中の団体", "kind": "business", "categories": ["snow"], "people": 2,
     "weekdays": ["sat"], "home_location": HIROSAKA, "contact_name": "鈴木", "contact_email": "suzuki@example.jp",
     "contact_phone": "090-0000-1111", "status": "received"},
]


def test_the_real_neighbourhood_app_answers_with_its_demo_data(tmp_path: Path, database: str) -> None:
    """The sample app's demo 町会 and districts, with one open request and one listed helper typed in by staff."""
    app_name = "neighbourhood_matching"
    shutil.copytree(ROOT / "apps" / app_name, tmp_path / "apps" / app_name)
    built = create_app(tmp_path / "apps" / app_name, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                                                      "DATABASE_URL": database, "LOWCODE_RATE_LIMITS": "0"})
    with built.app_context():
        engine = app_engine(built)
        create_user(engine, "city", PASSWORD, [RoleGrant(app_name, "admin")])
        runtime = app_runtime(built, app_name)
        with engine.begin() as conn:
            insert_seed_rows(runtime, conn, "help_requests", REAL_REQUESTS)
            insert_seed_rows(runtime, conn, "helpers", REAL_HELPERS)
    client = staff_client(built, "city", PASSWORD, app_name)
    home = client.get(f"/{app_name}/staff/?lang=ja").get_data(as_text=True)
    response = client.get(f"/{app_name}/staff/matching/helpers_for_requests?lang=ja")
    # the shipped demo requests come first (oldest first): the ones typed in here are on a later page
    page = "".join(client.get(f"/{app_name}/staff/matching/helpers_for_requests?lang=ja&page={n}").get_data(as_text=True)
                   for n in range(1, 5))
    with built.app_context():
        app_engine(built).dispose()
    assert response.status_code == 200 and "/staff/matching/helpers_for_requests" in home
    assert "依頼に合う手伝い手" in page and "広坂の除雪" in page and "金沢大学 除雪サークル" in page
    assert "除雪" in section(page, "広坂の除雪") and " km" in page and "土" in page  # category, distance, weekday
    assert "下書きの依頼" not in page and "受付中の団体" not in page  # not open / not listed yet
    assert not any(secret in page for secret in ("山田", "yamada", "090-1234", "町会 担当者", "36.565"))
