"""Staff dashboards of the two sample apps (issue 10, X): linked from the staff home (public ones marked as public),
asking for a login and coming back, refused (403, no link) to a role that may not view their tables, and counting
with the account's roles: a school's account counts its own school's reports only. On SQLite and PostgreSQL; the
expected counts are read from the database, not written here."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime, csrf_token, sample_app, staff_client

from lowcode.staff.accounts import RoleGrant, create_user

PASSWORD = "correct horse battery"
ROUTES, MATCHING = "safe_school_routes", "neighbourhood_matching"


@pytest.fixture
def routes(tmp_path: Path, database: str) -> Iterator[Flask]:
    with sample_app(tmp_path, ROUTES, database, LOWCODE_RATE_LIMITS="0") as app:
        add_accounts(app, board=RoleGrant(ROUTES, "board"), school=RoleGrant(ROUTES, "school", str(busiest_school(app))))
        yield app


@pytest.fixture
def matching(tmp_path: Path, database: str) -> Iterator[Flask]:
    """The 町会 sample with four requests to join: two in one 校下, one in another, one without."""
    with sample_app(tmp_path, MATCHING, database, LOWCODE_RATE_LIMITS="0") as app:
        add_accounts(app, city=RoleGrant(MATCHING, "admin"),
                     federation=RoleGrant(MATCHING, "district", first_id(app, "districts")))
        districts = sorted(row_id for (row_id,) in stored(app, MATCHING, "districts", "id"))[:2]
        store = app_runtime(app, MATCHING).stores["join_requests"]
        with app.app_context(), app_engine(app).begin() as conn:
            for district, status in ((districts[0], "received"), (districts[0], "joined"), (districts[1], "received"),
                                     (None, "contacted")):
                store.insert(conn, {"town": "広坂1丁目", "district": district, "status": status, "name": "金沢 花子",
                                    "address": "広坂"})
        yield app


def add_accounts(app: Flask, **grants: RoleGrant) -> None:
    with app.app_context():
        for username, grant in grants.items():
            create_user(app_engine(app), username, PASSWORD, [grant])


def stored(app: Flask, app_name: str, table: str, *columns: str) -> list[tuple[Any, ...]]:
    store = app_runtime(app, app_name).stores[table]
    with app.app_context(), app_engine(app).connect() as conn:
        return [tuple(row) for row in conn.execute(sa.select(*(store.table.c[c] for c in columns)))]


def busiest_school(app: Flask) -> int:
    """The school with the most demo hazards whose statuses differ (a scope that leaves something out)."""
    schools = Counter(school for (school,) in stored(app, ROUTES, "hazards", "school") if school is not None)
    return int(schools.most_common(1)[0][0])


def first_id(app: Flask, table: str) -> str:
    return str(min(row_id for (row_id,) in stored(app, MATCHING, table, "id")))


def table_rows(page: str, caption: str) -> dict[str, tuple[int, ...]]:
    """The chart's data table: label → its numbers."""
    table = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, re.DOTALL)
    return {label: tuple(int(n) for n in re.findall(r"<td>(\d+)(?:%)?</td>", cells)) for label, cells in rows}


def status_counts(app: Flask, app_name: str, table: str, school: int | None = None) -> dict[str, int]:
    """Rows per status label (English), every choice with its count (zeros too), read from the database; with
    `school`, the rows of that school only."""
    rows = stored(app, app_name, table, "status", "school" if school is not None else "id")
    counts = Counter(status for status, other in rows if school is None or other == school)
    choices = app_runtime(app, app_name).spec.tables[table].fields["status"].choices
    return {choice.text("en"): counts[choice.key] for choice in choices}


def test_the_staff_dashboard_sends_the_public_to_login_and_back(routes: Flask) -> None:
    client = routes.test_client()
    response = client.get(f"/{ROUTES}/dashboards/schools?lang=en")
    assert response.status_code == 302
    login = response.headers["Location"]
    assert login.startswith(f"/{ROUTES}/staff/login?next=")
    token = csrf_token(client, login)
    back = client.post(login, data={"csrf_token": token, "username": "board", "password": PASSWORD,
                                    "next": f"/{ROUTES}/dashboards/schools?lang=en"})
    assert back.status_code == 302 and back.headers["Location"] == f"/{ROUTES}/dashboards/schools?lang=en"
    page = client.get(back.headers["Location"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "<h1>Progress by school (staff)</h1>" in page.get_data(as_text=True)


def test_the_board_counts_every_report_in_every_status(routes: Flask) -> None:
    page = staff_client(routes, "board", PASSWORD, ROUTES).get(f"/{ROUTES}/dashboards/schools?lang=en")
    shown = table_rows(page.get_data(as_text=True), "Hazards by status (all)")
    expected = status_counts(routes, ROUTES, "hazards")
    assert {label: counts[0] for label, counts in shown.items()} == expected
    assert sum(expected.values()) == len(stored(routes, ROUTES, "hazards", "id"))


def test_a_school_counts_its_own_reports_only(routes: Flask) -> None:
    school = busiest_school(routes)
    page = staff_client(routes, "school", PASSWORD, ROUTES).get(f"/{ROUTES}/dashboards/schools?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    shown = {label: counts[0] for label, counts in table_rows(text, "Hazards by status (all)").items()}
    own = status_counts(routes, ROUTES, "hazards", school)
    assert shown == own
    everyone = status_counts(routes, ROUTES, "hazards")
    assert sum(own.values()) < sum(everyone.values())  # the scope left other schools' reports out
    by_school = table_rows(text, "Countermeasures done by school")
    assert len(by_school) == 1 and next(iter(by_school.values()))[0] == sum(own.values())


def test_the_staff_home_links_every_dashboard_the_account_may_open(routes: Flask, matching: Flask) -> None:
    for app, app_name, username, linked, public in (
        (routes, ROUTES, "school", {"progress", "schools"}, {"progress"}),
        (matching, MATCHING, "city", {"help", "office"}, {"help"}),
        (matching, MATCHING, "federation", {"help"}, {"help"}),  # it may not view help requests nor helpers
    ):
        client = staff_client(app, username, PASSWORD, app_name)
        home = client.get(f"/{app_name}/staff/?lang=en").get_data(as_text=True)
        links = dict(re.findall(rf'<li><a href="/{app_name}/dashboards/(\w+)">[^<]*</a>( <span[^>]*>\(public dashboard\))?',
                                home))
        assert set(links) == linked and {name for name, mark in links.items() if mark} == public
        for name in set(app_runtime(app, app_name).spec.dashboards) - linked:
            assert client.get(f"/{app_name}/dashboards/{name}").status_code == 403
    home = staff_client(routes, "board", PASSWORD, ROUTES).get(f"/{ROUTES}/staff/?lang=ja").get_data(as_text=True)
    assert "<h2>ダッシュボード</h2>" in home and ">学校ごとの対応状況(職員用)</a>" in home
    assert ">対策の進み具合</a> <span class=\"staff-dashboard-public\">(公開のダッシュボード)</span>" in home


def test_the_city_office_counts_every_request_join_request_and_helper(matching: Flask) -> None:
    page = staff_client(matching, "city", PASSWORD, MATCHING).get(f"/{MATCHING}/dashboards/office?lang=en")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    for table, caption in (("help_requests", "Help requests by status (all)"),
                           ("join_requests", "Requests to join by status"),
                           ("helpers", "Helpers by registration")):
        shown = {label: counts[0] for label, counts in table_rows(text, caption).items()}
        assert shown == status_counts(matching, MATCHING, table), caption
    drafts = status_counts(matching, MATCHING, "help_requests")
    assert sum(drafts.values()) == len(stored(matching, MATCHING, "help_requests", "id"))
    by_district = table_rows(text, "Requests to join by school district")
    expected = Counter(district for (district,) in stored(matching, MATCHING, "join_requests", "district"))
    assert sorted(counts[0] for counts in by_district.values()) == sorted(expected.values())
    assert by_district["Not given"][0] == expected[None]
