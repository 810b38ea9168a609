"""The safe school-route app's public side (issue 11): the hazard map's layers, the progress page's counts and a
school's own printed sheet, on SQLite and PostgreSQL. The app ships ~200 demo hazards, so counts are checked as
the change a few reports make."""
from __future__ import annotations

import csv
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime

from lowcode.app import create_app
from lowcode.audit import Actor
from lowcode.records import change_status, submit
from lowcode.roles import role_audience

ROOT = Path(__file__).resolve().parents[2]
NAME = "safe_school_routes"
HIROSAKA = (136.6578, 36.560745)  # 広坂一丁目, in the service area


@pytest.fixture
def app(tmp_path: Path, database: str) -> Iterator[Flask]:
    shutil.copytree(ROOT / "apps" / NAME, tmp_path / "apps" / NAME)
    built = create_app(tmp_path / "apps" / NAME, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                                                  "DATABASE_URL": database, "LOWCODE_RATE_LIMITS": "0"})
    yield built
    with built.app_context():
        app_engine(built).dispose()


def school_ids(app: Flask) -> dict[str, int]:
    store = app_runtime(app, NAME).stores["schools"]
    with app.app_context(), app_engine(app).connect() as conn:
        return {name: id_ for id_, name in conn.execute(sa.select(store.table.c.id, store.table.c.name))}


def report(app: Flask, title: str, theme: str, school: int, *moves: str) -> int:
    """A parent's report, then the board's and the road manager's moves."""
    runtime = app_runtime(app, NAME)
    with app.app_context():
        result = submit(runtime, app_engine(app), "hazards", {
            "title": title, "theme": theme, "location": HIROSAKA, "school": school, "consent": True,
        }, lang="ja", actor=Actor("resident"))
    assert result.errors == {} and result.row_id is not None
    for to in moves:
        role = "board" if to == "published" else "road"
        with app.test_request_context("/?lang=ja"):
            change_status(runtime, app_engine(app), "hazards", result.row_id, "status", to,
                          audience=role_audience(runtime.spec, role, None), actor=Actor(role))
    return result.row_id


def table_rows(page: str, caption: str) -> dict[str, tuple[int, ...]]:
    """The data table with this caption: label → its numbers (count, part) — the share column left out."""
    table = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, re.DOTALL)
    return {label: tuple(int(n) for n in re.findall(r"<td>(\d+)</td>", cells)) for label, cells in rows}


def progress(app: Flask) -> str:
    response = app.test_client().get(f"/{NAME}/dashboards/progress?lang=ja")
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def change(before: dict[str, tuple[int, ...]], after: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
    zero = (0, 0)
    return {label: tuple(a - b for a, b in zip(after[label], before.get(label, zero)))
            for label in after if after[label] != before.get(label, zero[: len(after[label])])}


def test_the_map_shows_themes_as_clustered_status_coloured_layers_a_traffic_heat_map_schools_and_shelters(app: Flask) -> None:
    layers = app_runtime(app, NAME).spec.maps["hazards"].layers
    themes = [layer.where for layer in layers if layer.table == "hazards" and not layer.heatmap]
    assert themes == [{"theme": "traffic"}, {"theme": "crime"}, {"theme": "disaster"}]
    assert all(layer.color_by == "status" and layer.cluster is not False for layer in layers[:3])
    heat = next(i for i, layer in enumerate(layers) if layer.heatmap)
    client = app.test_client()

    def features(index: int) -> list[dict[str, Any]]:
        answer = client.get(f"/{NAME}/api/hazards.geojson?map=hazards&layer={index}")
        assert answer.status_code == 200
        return list(json.loads(answer.get_data())["features"])

    assert len(features(heat)) == len(features(0)) > 0  # the heat map: the public traffic reports, no more
    page = client.get(f"/{NAME}/maps/hazards?lang=ja").get_data(as_text=True)
    in_script = [json.dumps(name)[1:-1] for name in ("指定避難所", "小学校", "交通安全の報告の集まり(ヒートマップ)", "対策済")]
    assert all(name in page for name in in_script)  # layer names (the switcher) and the legend's status labels
    assert "出典：国土地理院" in page and "#1e8449" in page  # the shelters' source; the legend's green


def test_the_progress_page_counts_published_reports_by_status_theme_and_school_and_the_share_done(app: Flask) -> None:
    schools = school_ids(app)
    before = progress(app)
    # Two schools the chart names (it shows the 20 largest groups and sums the rest as その他).
    first, second = [name for name in table_rows(before, "小学校ごとの件数") if name in schools][:2]
    report(app, "テスト 信号のない横断歩道", "traffic", schools[first], "published", "in_progress", "done")
    report(app, "テスト 暗い道", "crime", schools[first], "published")
    report(app, "テスト 見通しの悪い交差点", "traffic", schools[second], "published", "in_progress")
    report(app, "テスト 受付のまま", "traffic", schools[second])  # not published: never counted
    after = progress(app)

    assert change(table_rows(before, "対策実施率(対策済の割合)"), table_rows(after, "対策実施率(対策済の割合)")) == {"危険箇所": (3, 1)}
    assert change(table_rows(before, "対応状況ごとの件数"), table_rows(after, "対応状況ごとの件数")) == {
        "公開": (1,), "対策中": (1,), "対策済": (1,)}
    assert change(table_rows(before, "分類ごとの件数"), table_rows(after, "分類ごとの件数")) == {"交通安全": (2,), "防犯": (1,)}
    assert change(table_rows(before, "小学校ごとの件数"), table_rows(after, "小学校ごとの件数")) == {first: (2,), second: (1,)}
    assert change(table_rows(before, "分類ごとの対策実施率"), table_rows(after, "分類ごとの対策実施率")) == {
        "交通安全": (2, 1), "防犯": (1, 0)}
    monthly_before, monthly_after = table_rows(before, "月ごとの新しい報告"), table_rows(after, "月ごとの新しい報告")
    assert sum(n for (n,) in monthly_after.values()) - sum(n for (n,) in monthly_before.values()) == 3
    assert "受付" not in table_rows(after, "対応状況ごとの件数")


def test_a_schools_sheet_lists_each_hazards_countermeasures_under_it(app: Flask) -> None:
    schools = school_ids(app)
    mine = schools["犀桜小学校"]
    hazard = report(app, "テスト 犀桜の見通しの悪い角", "traffic", mine, "published", "planned")
    hidden = report(app, "テスト 犀桜の受付のまま", "traffic", mine)  # not public: nor are its countermeasures printed
    for number, title in ((hazard, "テスト カーブミラーを設置"), (hidden, "テスト 受付の対策")):
        with app.test_request_context("/?lang=ja"):  # a staff write (the road manager), which may notify
            result = submit(app_runtime(app, NAME), app_engine(app), "countermeasures", {
                "title": title, "hazard": number, "school": mine, "actor": "road", "measure": "mirror",
                "timing": "short", "progress": "planned", "notes": "テスト 内部の経過",
            }, lang="ja", audience=role_audience(app_runtime(app, NAME).spec, "road", None), actor=Actor("road"))
        assert result.errors == {}, result.errors
    page = app.test_client().get(f"/{NAME}/maps/hazards/print?school={mine}&lang=ja").get_data(as_text=True)
    row = re.search(r'<tr><th scope="row">(\d+)</th><td>テスト 犀桜の見通しの悪い角</td>.*?</tr>\s*'
                    r'<tr class="print-related">(.*?)</tr>', page, re.DOTALL)
    assert row is not None, "the hazard is printed with its countermeasures under it"
    related = re.sub(r"<[^>]+>", " ", row.group(2))
    assert f"番号 {row.group(1)} の対策:" in related
    assert "テスト カーブミラーを設置" in related and "道路管理者" in related and "短期" in related and "予定" in related
    assert "テスト 受付の対策" not in page and "テスト 犀桜の受付のまま" not in page
    assert "テスト 内部の経過" not in page  # notes are not among the printed columns


def test_the_per_month_chart_counts_the_demo_reports_in_the_months_they_came_in(app: Flask) -> None:
    """The demo rows carry their own `created_at` (seed `created_at:`), spread over ~18 months: the chart has a shape."""
    with (ROOT / "apps" / NAME / "data" / "demo_hazards.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    public = {"published", "inspected", "planned", "in_progress", "done", "referred"}
    expected: Counter[str] = Counter()
    for row in rows:
        if row["status"] in public:  # written in Japan time, so the month is the file's own
            year, month = row["created_at"][:7].split("-")
            expected[f"{int(year)}年{int(month)}月"] += 1
    monthly = {label: n for label, (n,) in table_rows(progress(app), "月ごとの新しい報告").items()}
    assert {label: n for label, n in monthly.items() if n} == dict(expected)
    assert len(expected) >= 12 and max(expected.values()) < 0.2 * sum(expected.values())  # many months, none dominant
    assert sum(monthly.values()) == sum(row["status"] in public for row in rows)


def test_the_demo_dates_follow_the_cycle() -> None:
    """Reported, then inspected, then done; a finished countermeasure was not planned for after it; nothing after
    the day the data was made."""
    data = ROOT / "apps" / NAME / "data"
    with (data / "demo_hazards.csv").open(encoding="utf-8") as f:
        hazards = list(csv.DictReader(f))
    with (data / "demo_countermeasures.csv").open(encoding="utf-8") as f:
        measures = list(csv.DictReader(f))
    for row in hazards:
        reported = row["created_at"][:10]
        assert "2025-05-01" <= reported <= "2026-11-30"
        assert not row["inspected_on"] or reported < row["inspected_on"] <= "2026-11-30"
    for row in measures:
        hazard = hazards[int(row["hazard"]) - 1]
        if row["done_on"]:
            assert hazard["created_at"][:10] < row["done_on"] <= "2026-11-30"
            assert row["planned_on"] <= row["done_on"]
    received = [row["created_at"][:10] for row in hazards if row["status"] == "received"]
    assert received and min(received) >= "2026-11-01"  # a report still 受付 came in lately


def test_a_school_prints_its_own_sheet(app: Flask) -> None:
    schools = school_ids(app)
    mine = schools["犀桜小学校"]
    report(app, "テスト 犀桜の横断歩道", "traffic", mine, "published")
    report(app, "テスト 中央の交差点", "traffic", schools["中央小学校"], "published")
    client = app.test_client()
    page = client.get(f"/{NAME}/maps/hazards/print?school={mine}&lang=ja").get_data(as_text=True)

    assert "テスト 犀桜の横断歩道" in page and "テスト 中央の交差点" not in page
    assert '<p class="print-narrowed">絞り込み: 関係する小学校:犀桜小学校</p>' in page
    on_screen = sum(len(json.loads(client.get(f"/{NAME}/api/hazards.geojson?map=hazards&layer={i}&school={mine}")
                                   .get_data())["features"]) for i in range(3))
    hazards_printed = sum(len(re.findall(r'<tr><th scope="row">\d+</th>', table))
                          for table in page.split('<table class="print-list">')[1:4])
    assert hazards_printed == on_screen  # the sheet lists exactly the points the map shows for that school
    assert client.get(f"/{NAME}/maps/hazards/print?school=abc").status_code == 400
    assert client.get(f"/{NAME}/maps/hazards/print?reporter_email=a%40example.jp").status_code == 400
