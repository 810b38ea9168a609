"""`seed: {created_at: COLUMN}` (issue 11): old records keep their own dates, so a dashboard's count per month is
right from the first start; a date that cannot be read, one still to come, or a missing column is refused at
`lowcode validate` with the row and column. Stored on both databases."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime, write_app

from lowcode.seed_check import seed_problems
from lowcode.spec.loader import load_app_spec

MakeApp = Callable[..., Flask]
YAML = """
title: {ja: 相談, en: Requests}
languages: [ja, en]
tables:
  requests:
    label: {ja: 相談, en: Requests}
    fields:
      title: {type: text, label: {ja: 件名, en: Title}}
    seed: {file: data/requests.csv, created_at: made_at}
dashboards:
  progress:
    title: {ja: 件数, en: Counts}
    charts:
      - {table: requests, by: created_at, per: month, title: {ja: 月ごとの相談, en: Requests per month}}
"""
# 2025-06-30 23:30 in Japan is 14:30 UTC: a June request, although UTC's date is the 30th too; 2025-07-01 08:00 JST
# is 2025-06-30 23:00 UTC, a July request in the city's calendar. The empty cell is dated when the file is loaded.
CSV = """title,made_at
梅雨の相談,2025-06-30 23:30
七月の相談,2025-07-01 08:00
七月の二件目,2025/07/20 12:00
秋の相談,2025-10-05T09:00:00+09:00
日付なし,
"""


def stored_times(app: Flask) -> dict[str, dt.datetime]:
    store = app_runtime(app, "demo").stores["requests"]
    with app.app_context(), app_engine(app).connect() as conn:
        rows = conn.execute(sa.select(store.table.c.title, store.table.c.created_at, store.table.c.updated_at)).all()
    assert all(created == updated for _, created, updated in rows)  # a seeded row is as new as it was made
    return {title: created for title, created, _ in rows}


def test_seed_rows_keep_their_own_dates_in_the_citys_time(make_app: MakeApp) -> None:
    app = make_app(YAML, files={"data/requests.csv": CSV})
    times = stored_times(app)
    assert times["梅雨の相談"] == dt.datetime(2025, 6, 30, 14, 30)  # stored naive UTC, like every created_at
    assert times["七月の相談"] == dt.datetime(2025, 6, 30, 23, 0)
    assert times["秋の相談"] == dt.datetime(2025, 10, 5, 0, 0)
    assert times["日付なし"] > dt.datetime(2026, 1, 1)  # now: loaded today


def test_the_per_month_chart_counts_seed_rows_in_their_own_months(make_app: MakeApp) -> None:
    html = make_app(YAML, files={"data/requests.csv": CSV}).test_client().get("/demo/dashboards/progress?lang=en")
    text = html.get_data(as_text=True)
    assert html.status_code == 200
    counts = dict(re.findall(r'<th scope="row">([A-Z][a-z]{2} \d{4})</th>\s*<td>(\d+)</td>', text))
    assert counts["Jun 2025"] == "1" and counts["Jul 2025"] == "2" and counts["Oct 2025"] == "1"
    assert counts["Aug 2025"] == "0"  # the months between are there, with nothing in them


@pytest.mark.parametrize(
    ("cell", "message", "reason_ja"),
    [
        ("2025-13-01 10:00", ("Row 3 of the seed file: '2025-13-01 10:00' in column 'made_at' is not a valid value "
                              "(not a date and time)."), "日時ではありません"),
        ("2999-01-01 10:00", ("Row 3 of the seed file: '2999-01-01 10:00' in column 'made_at' is not a valid value "
                              "(a date and time still to come)."), "まだ来ていない日時です"),
    ],
)
def test_a_date_that_cannot_be_read_or_is_still_to_come_is_refused(tmp_path: Path, cell: str, message: str, reason_ja: str) -> None:
    folder = write_app(tmp_path / "demo", YAML, {"data/requests.csv": f"title,made_at\nok,2025-01-01 10:00\nbad,{cell}\n"})
    [problem] = seed_problems(load_app_spec(folder, display_root=tmp_path))
    assert problem.code == "E_SEED_VALUE"
    assert problem.message("en") == message
    assert problem.render("en").startswith("demo/app.yaml:8:18 [E_SEED_VALUE]")  # at the seed's `file:`
    assert problem.message("ja") == f"初期データの 3 行目: 列 'made_at' の '{cell}' は正しい値ではありません({reason_ja})。"


def test_a_created_at_column_the_file_lacks_is_named_with_the_columns_it_has(tmp_path: Path) -> None:
    folder = write_app(tmp_path / "demo", YAML, {"data/requests.csv": "title,made_on\nok,2025-01-01 10:00\n"})
    [problem] = seed_problems(load_app_spec(folder, display_root=tmp_path))
    assert problem.code == "E_SEED_COLUMN"
    assert problem.message("en") == "The seed file has no column 'made_at'."
    assert problem.hint("en") == "Columns in the file: made_on, title."
