"""The 町会 sample's public dashboard (issue 10, W): requests by 分野 and helpers by 手伝えること (multichoice, a row in
every bar of a choice it holds), by status, per month and by kind, counted over what the public lists show; the counts
follow the demo files and change when a request opens or a helper is listed, on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime, csrf_token, sample_app

from lowcode.audit import Actor
from lowcode.records import change_status, submit
from lowcode.roles import role_audience

ROOT = Path(__file__).resolve().parents[2]
APP = "neighbourhood_matching"
PAGE = f"/{APP}/dashboards/help"
REQUESTS_BY_KIND = "Requests by kind of help"
HELPERS_BY_KIND = "Helpers by what they can help with"


@pytest.fixture
def sample(tmp_path: Path, database: str) -> Iterator[Flask]:
    with sample_app(tmp_path, APP, database, LOWCODE_RATE_LIMITS="0") as app:
        yield app


def demo_counts(name: str, statuses: set[str]) -> tuple[Counter[str], int]:
    """Each category's rows among the demo file's rows in a public status, and those rows."""
    with (ROOT / "apps" / APP / "data" / name).open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["status"] in statuses]
    return Counter(key for row in rows for key in row["categories"].split(",") if key), len(rows)


def table_rows(page: str, caption: str) -> dict[str, int]:
    table = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    return {label: int(count) for label, count in re.findall(r'<tr><th scope="row">(.*?)</th><td>(\d+)</td>', table)}


def rows_counted(page: str, heading: str) -> int:
    section = page.split(f">{heading}</h2>", 1)[1].split("</section>", 1)[0]
    return int(re.findall(r"Rows counted: (\d+)", section)[0])


def labels(app: Flask, table: str, field: str) -> dict[str, str]:
    choices = app_runtime(app, APP).spec.tables[table].fields[field].choices or ()
    return {choice.key: choice.text("en") for choice in choices}


def test_the_dashboard_counts_the_public_rows_of_the_demo_files_by_each_choice(sample: Flask) -> None:
    page = sample.test_client().get(f"{PAGE}?lang=en").get_data(as_text=True)
    for table, name, caption, heading, statuses in (
        ("help_requests", "demo_help_requests.csv", REQUESTS_BY_KIND, REQUESTS_BY_KIND, {"open", "filled"}),
        ("helpers", "demo_helpers.csv", HELPERS_BY_KIND, HELPERS_BY_KIND, {"published"}),
    ):
        expected, rows = demo_counts(name, statuses)
        shown = table_rows(page, caption)
        assert {key: shown[label] for key, label in labels(sample, table, "categories").items()} == {
            key: expected[key] for key in labels(sample, table, "categories")}
        assert rows_counted(page, heading) == rows and sum(expected.values()) >= rows
    assert "so the bars can add up to more than the" in page


def test_the_dashboard_speaks_japanese(sample: Flask) -> None:
    page = sample.test_client().get(f"{PAGE}?lang=ja").get_data(as_text=True)
    assert "<h1>手伝いの状況</h1>" in page and "<caption>分野ごとの依頼</caption>" in page
    assert "<caption>手伝えることごとの人・団体</caption>" in page and "選んだ選択肢それぞれの棒に数えられます" in page
    assert "募集中" in page and "人数がそろった" in page and "下書き" not in page  # public statuses only


def page_in_english(app: Flask) -> str:
    return str(app.test_client().get(f"{PAGE}?lang=en").get_data(as_text=True))


def post_and_open_request(app: Flask, title: str, categories: list[str]) -> tuple[str, str]:
    """A 町会's account posts a request (a draft), then opens it: the page after each step."""
    runtime = app_runtime(app, APP)
    with app.app_context():
        engine = app_engine(app)
    with engine.connect() as conn:
        chokai = int(conn.execute(sa.select(sa.func.min(runtime.stores["chokai"].table.c.id))).scalar_one())
    audience = role_audience(runtime.spec, "chokai", str(chokai))
    with app.test_request_context("/?lang=ja"):
        made = submit(runtime, engine, "help_requests", {
            "title": title, "chokai": chokai, "categories": categories, "date": dt.date(2027, 1, 20),
            "people_needed": 3}, lang="ja", audience=audience, actor=Actor("chokai"))
    assert made.errors == {} and made.row_id is not None
    drafted = page_in_english(app)
    with app.test_request_context("/?lang=ja"):
        moved = change_status(runtime, engine, "help_requests", made.row_id, "status", "open", audience=audience,
                              actor=Actor("chokai"))
    assert moved.errors == {}
    return drafted, page_in_english(app)


def test_counts_change_when_a_request_opens_and_not_while_it_is_a_draft(sample: Flask) -> None:
    before = page_in_english(sample)
    drafted, after = post_and_open_request(sample, "雪かきと見守り", ["snow", "elderly"])
    assert table_rows(drafted, REQUESTS_BY_KIND) == table_rows(before, REQUESTS_BY_KIND)
    snow, elderly, patrol = "Snow clearing", "Watching over elderly residents", "Safety patrols"
    old, new = table_rows(before, REQUESTS_BY_KIND), table_rows(after, REQUESTS_BY_KIND)
    assert (new[snow], new[elderly], new[patrol]) == (old[snow] + 1, old[elderly] + 1, old[patrol])
    assert rows_counted(after, REQUESTS_BY_KIND) == rows_counted(before, REQUESTS_BY_KIND) + 1
    by_status = "Requests by status"
    assert table_rows(after, by_status)["Looking for helpers"] == table_rows(before, by_status)["Looking for helpers"] + 1


def test_counts_change_when_a_registered_helper_is_listed(sample: Flask) -> None:
    client = sample.test_client()
    before = page_in_english(sample)
    url = f"/{APP}/forms/helper?lang=ja"
    answer = client.post(url, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, url), "display_name": "金沢の学生除雪隊", "kind": "student_group",
        "categories": ["snow", "cleaning"], "people": "8", "contact_name": "北陸花子", "contact_email": "s@example.jp",
    })
    assert answer.status_code in (200, 302, 303)
    assert table_rows(page_in_english(sample), HELPERS_BY_KIND) == table_rows(before, HELPERS_BY_KIND)  # not checked yet
    runtime = app_runtime(sample, APP)
    store = runtime.stores["helpers"]
    with sample.app_context(), app_engine(sample).connect() as conn:
        helper = int(conn.execute(sa.select(store.table.c.id).where(store.table.c.display_name == "金沢の学生除雪隊")).scalar_one())
    with sample.test_request_context("/?lang=ja"):
        listed = change_status(runtime, app_engine(sample), "helpers", helper, "status", "published",
                               audience=role_audience(runtime.spec, "admin", None), actor=Actor("admin"))
    assert listed.errors == {}
    after = page_in_english(sample)
    old, new = table_rows(before, HELPERS_BY_KIND), table_rows(after, HELPERS_BY_KIND)
    assert {label: new[label] - old[label] for label in old} == {
        label: int(label in ("Snow clearing", "Cleaning")) for label in old}
    assert table_rows(after, "Helpers by kind")["Student group"] == table_rows(before, "Helpers by kind")["Student group"] + 1
    assert "北陸花子" not in after and "s@example.jp" not in after
