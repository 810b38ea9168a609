"""Dashboard pages over HTTP: the charts and their data tables in Japanese and English, escaped labels, the public's
rows only, navigation, and staff dashboards answering like every staff page."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from dashboard_app import HAZARDS, add_rows
from flask import Flask
from support import staff_client

from lowcode.staff.accounts import RoleGrant, create_user

PASSWORD = "correct horse battery"
UTC = dt.datetime


@pytest.fixture
def app(sqlite_make_app: Callable[..., Flask]) -> Flask:
    built = sqlite_make_app(HAZARDS)
    add_rows(built, [
        {"kind": "traffic", "status": "published", "fixed": True, "seen_on": dt.date(2026, 11, 29),
         "created_at": UTC(2026, 11, 29, 14, 30)},
        {"kind": "traffic", "status": "done", "fixed": True, "seen_on": dt.date(2026, 12, 1),
         "created_at": UTC(2026, 11, 30, 15, 30)},
        {"kind": "odd", "status": "done", "fixed": True, "created_at": UTC(2026, 11, 30, 16, 0)},
        {"kind": "crime", "status": "received", "created_at": UTC(2026, 12, 2, 1, 0)},  # not public yet
    ])
    with built.app_context():
        engine = built.extensions["lowcode"].db.engine
        create_user(engine, "school", PASSWORD, [RoleGrant("demo", "school")])
        create_user(engine, "parks", PASSWORD, [RoleGrant("demo", "parks")])
    return built


def table_rows(page: str, caption: str) -> list[tuple[str, ...]]:
    """The data table with this caption, as (label, numbers…) per row."""
    table = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, re.DOTALL)
    return [(label, *re.findall(r"<td>(.*?)</td>", cells)) for label, cells in rows]


def test_the_public_dashboard_counts_public_rows_in_english(app: Flask) -> None:
    page = app.test_client().get("/demo/dashboards/overview?lang=en").get_data(as_text=True)
    assert "<h1>Hazards at a glance</h1>" in page and "Counts of the published hazards." in page
    assert table_rows(page, "Hazards by Kind") == [
        ("Traffic", "2"), ("Crime", "0"), ("&lt;script&gt;alert(1)&lt;/script&gt;", "1")]
    assert table_rows(page, "Hazards per month") == [("Nov 2026", "1"), ("Dec 2026", "1")]
    assert table_rows(page, "Hazards per week") == [("Week of 11/23/2026", "1"), ("Week of 11/30/2026", "2")]
    assert table_rows(page, "Hazards: share Done") == [("Hazards", "3", "2", "67%")]
    assert table_rows(page, "Hazards: share Done by Kind") == [
        ("Traffic", "2", "1", "50%"), ("Crime", "0", "0", "0%"), ("&lt;script&gt;alert(1)&lt;/script&gt;", "1", "1", "100%")]


def test_the_dashboard_speaks_japanese_with_japanese_months(app: Flask) -> None:
    page = app.test_client().get("/demo/dashboards/overview?lang=ja").get_data(as_text=True)
    assert "<h1>危険箇所の状況</h1>" in page
    assert table_rows(page, "月ごとの危険箇所") == [("2026年11月", "1"), ("2026年12月", "1")]
    assert table_rows(page, "週ごとの危険箇所")[0] == ("2026/11/23 の週", "1")
    assert table_rows(page, "種類別の危険箇所")[0] == ("交通", "2")
    assert "数値を表で見る" in page


def test_labels_are_escaped_in_the_svg_and_the_table(app: Flask) -> None:
    page = app.test_client().get("/demo/dashboards/overview?lang=en").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # two bar charts, two tables


def test_each_chart_is_an_image_named_by_its_title_with_a_table_beside_it(app: Flask) -> None:
    page = app.test_client().get("/demo/dashboards/overview?lang=en").get_data(as_text=True)
    svgs = re.findall(r"<svg [^>]*>", page)
    assert len(svgs) == 5
    for index, svg in enumerate(svgs, start=1):
        assert 'role="img"' in svg and f'aria-labelledby="chart-{index}-title chart-{index}-desc"' in svg
        assert 'viewBox="0 0 360 ' in svg and "width=" not in svg.split("viewBox")[0]
    assert page.count("<caption>") == 5
    assert 'fill="#d33"' in page  # the choice's own colour
    assert "<polyline" in page  # dates are drawn as a line


def test_public_dashboards_are_in_the_navigation_and_staff_ones_are_not(app: Flask) -> None:
    page = app.test_client().get("/demo/?lang=en").get_data(as_text=True)
    assert 'href="/demo/dashboards/overview"' in page
    assert "/demo/dashboards/office" not in page


def test_an_unknown_dashboard_is_not_found(app: Flask) -> None:
    assert app.test_client().get("/demo/dashboards/nothing").status_code == 404


def test_a_staff_dashboard_sends_the_public_to_the_login_page(app: Flask) -> None:
    response = app.test_client().get("/demo/dashboards/office")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/demo/staff/login")


def test_a_staff_dashboard_refuses_a_role_that_may_not_view_its_table(app: Flask) -> None:
    assert staff_client(app, "parks", PASSWORD).get("/demo/dashboards/office").status_code == 403


def test_a_staff_dashboard_counts_every_row_the_role_sees(app: Flask) -> None:
    response = staff_client(app, "school", PASSWORD).get("/demo/dashboards/office?lang=en")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert table_rows(page, "Hazards by Status") == [("Received", "1"), ("Published", "1"), ("Done", "2")]


def test_a_dashboard_without_rows_says_so(sqlite_make_app: Callable[..., Flask]) -> None:
    page = sqlite_make_app(HAZARDS).test_client().get("/demo/dashboards/overview?lang=en").get_data(as_text=True)
    assert page.count("Nothing to count yet.") == 5
    assert "<svg" not in page
