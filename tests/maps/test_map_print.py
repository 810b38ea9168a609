"""The printable map (`/<app>/maps/<map>/print`, issue 10): the sheet, its numbered points and their list, over HTTP.

Storage is read, so these run on SQLite and PostgreSQL (`make_app`). The PDF itself is checked in Chromium
(tests/browser/test_map_print_pdf.py).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from print_app import PRINT_APP, PRINT_FILES, PRINT_URL
from support import app_runtime

from lowcode.app import create_app
from lowcode.maps import printing
from lowcode.maps.printing import MAX_POINTS, Sheet, in_reading_order, print_options
from lowcode.spec.loader import load_app_text
from lowcode.views import map_print

MakeApp = Callable[..., Flask]


def print_app(make_app: MakeApp) -> Flask:
    return make_app(PRINT_APP, files=PRINT_FILES)


def page(client: Any, query: str = "") -> str:
    response = client.get(PRINT_URL + query)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return str(response.get_data(as_text=True))


def listed(html: str) -> list[tuple[int, list[str]]]:
    """The printed list: (number, cells) per row, cells as the reader sees them."""
    rows = re.findall(r'<tr><th scope="row">(\d+)</th>(.*?)</tr>', html)
    return [(int(n), [unescape(c) for c in re.findall(r"<td>(.*?)</td>", cells)]) for n, cells in rows]


def markers(html: str) -> list[dict[str, Any]]:
    found = re.search(r"lowcodeMap\.numberedMarkers\(\w+, (\[.*?\]), (?:true|false)\);", html)
    assert found, "no numbered markers in the page"
    return list(json.loads(found.group(1)))


def test_the_sheet_numbers_the_public_points_north_to_south_and_lists_them_with_the_same_numbers(make_app: MakeApp) -> None:
    html = page(print_app(make_app).test_client(), "?lang=ja")

    assert listed(html) == [
        (1, ["Crossing", "交通安全", "公開"]),
        (2, ["<script>alert(1)</script>", "防犯", "公開"]),
        (3, ["Dark lane", "防犯", "公開"]),
    ]
    assert markers(html) == [
        {"n": 1, "lat": 36.60, "lon": 136.62, "color": "#d62728"},
        {"n": 2, "lat": 36.58, "lon": 136.70, "color": "#1f77b4"},
        {"n": 3, "lat": 36.56, "lon": 136.65, "color": "#1f77b4"},
    ]


def test_the_points_are_the_ones_the_public_map_fetches(make_app: MakeApp) -> None:
    client = print_app(make_app).test_client()
    geojson = json.loads(client.get("/demo/api/hazards.geojson?map=routes&layer=0").get_data())
    on_screen = sorted(tuple(f["geometry"]["coordinates"]) for f in geojson["features"])
    on_paper = sorted((m["lon"], m["lat"]) for m in markers(page(client)))
    assert on_paper == on_screen


def test_the_sheet_has_title_legend_dates_attribution_scale_and_north_in_japanese(make_app: MakeApp) -> None:
    html = page(print_app(make_app).test_client(), "?lang=ja")

    assert '<h1 id="print-title">通学路の危険箇所マップ</h1>' in html
    assert "<h2>危険箇所</h2>" in html and "交通安全</li>" in html and "防犯</li>" in html  # the legend
    assert "データの更新日時" in html and "印刷日時" in html
    assert "校区データ:金沢市" in html  # the file layer's attribution
    assert "L.control.scale({imperial: false})" in html
    assert 'lowcodeMap.northArrow(' in html and '"\\u5317"' in html  # 北, as tojson writes it
    assert "用紙" in html and "向き" in html and "印刷する" in html


def test_the_sheet_speaks_english_too(make_app: MakeApp) -> None:
    html = page(print_app(make_app).test_client(), "?lang=en")

    assert '<h1 id="print-title">School-route hazard map</h1>' in html
    assert listed(html)[0] == (1, ["Crossing", "Traffic", "Published"])
    assert "Data as of" in html and "Paper" in html and "Orientation" in html and ">Print<" in html


def test_private_and_staff_fields_and_non_public_rows_are_not_printed(make_app: MakeApp) -> None:
    html = page(print_app(make_app).test_client(), "?lang=en")

    for secret in ("secret note", "@example.jp", "Staff note", "Email", "Not yet checked", "Taken down"):
        assert secret not in html
    assert "136.64" not in html and "136.66" not in html  # nor where the non-public rows are


def test_resident_text_is_escaped_in_the_list(make_app: MakeApp) -> None:
    html = page(print_app(make_app).test_client())

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(("query", "size", "sheet_class"), [
    ("", "A4 portrait", "print-a4-portrait"),
    ("?paper=a4&orientation=landscape", "A4 landscape", "print-a4-landscape"),
    ("?paper=a3&orientation=portrait", "A3 portrait", "print-a3-portrait"),
    ("?paper=a3&orientation=landscape", "A3 landscape", "print-a3-landscape"),
    ("?paper=letter&orientation=sideways&layers=x&layers=99999&layers=-1", "A4 portrait", "print-a4-portrait"),
])
def test_the_form_chooses_the_paper_and_unknown_values_fall_back_to_a4_portrait(
    make_app: MakeApp, query: str, size: str, sheet_class: str
) -> None:
    html = page(print_app(make_app).test_client(), query)

    assert f"@page {{ size: {size}; margin: 10mm; }}" in html
    assert f'class="print-sheet {sheet_class}"' in html


def test_a_bare_address_prints_the_layers_the_map_opens_with_and_the_form_chooses_others(make_app: MakeApp) -> None:
    client = print_app(make_app).test_client()

    opening = page(client, "?lang=en")  # the schools layer is `show: false`
    assert [n for n, _ in listed(opening)] == [1, 2, 3] and "Midori Elementary" not in opening
    both = page(client, "?lang=en&chosen=1&layers=0&layers=1")
    assert listed(both)[-1] == (4, ["Midori Elementary"])  # numbers run on across layers
    assert 'style="border-color: #3388ff"></span>Schools</li>' in both  # a layer of one colour is in the legend too
    assert [m["n"] for m in markers(both)] == [1, 2, 3, 4]
    none = page(client, "?lang=en&chosen=1&paper=a4")  # every box unticked
    assert listed(none) == [] and markers(none) == []
    assert "lowcodeMap.fileLayer" not in none


def test_more_points_than_fit_are_counted_in_a_note(make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(map_print, "MAX_POINTS", 2)
    html = page(print_app(make_app).test_client(), "?lang=en&chosen=1&layers=0&layers=1")

    assert [n for n, _ in listed(html)] == [1, 2]
    assert len(markers(html)) == 2
    assert "2 more are not printed" in html  # one hazard and the school
    assert MAX_POINTS == 300


def test_the_data_date_is_the_last_change_of_the_printed_rows_only(make_app: MakeApp) -> None:
    app = print_app(make_app)
    client = app.test_client()
    store = app_runtime(app).stores["hazards"]

    def touch(title: str, when: dt.datetime) -> None:
        with app.app_context(), app.extensions["lowcode"].db.engine.begin() as conn:
            conn.execute(sa.update(store.table).where(store.table.c.title == title).values(updated_at=when))

    touch("Taken down", dt.datetime(2031, 5, 6, 1, 0))  # a hidden row: its change is no one's business
    assert "2031" not in page(client, "?lang=ja")
    touch("Dark lane", dt.datetime(2030, 4, 5, 1, 0))
    assert "データの更新日時: 2030/04/05 10:00" in page(client, "?lang=ja")  # shown in the city's time (JST)


def test_the_map_page_links_to_its_print_view_and_an_unknown_map_is_404(make_app: MakeApp) -> None:
    client = print_app(make_app).test_client()

    assert f'href="{PRINT_URL}"' in client.get("/demo/maps/routes?lang=ja").get_data(as_text=True)
    assert client.get("/demo/maps/nowhere/print").status_code == 404


def test_the_sample_school_route_map_prints_its_schools(tmp_path: Path) -> None:
    folder = Path(__file__).resolve().parents[2] / "apps" / "safe_school_routes"
    app = create_app(folder, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                              "DATABASE_URL": f"sqlite:///{tmp_path / 'sample.sqlite3'}"})
    client = app.test_client()
    for lang in ("ja", "en"):
        html = page_of(client, f"/safe_school_routes/maps/hazards/print?lang={lang}&paper=a3&orientation=landscape")
        numbers = [n for n, _ in listed(html)]
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 10
        assert [m["n"] for m in markers(html)] == numbers


def page_of(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return str(response.get_data(as_text=True))


# --- the sheet, without the engine ---


def test_sheets_have_their_iso_sizes_and_maps_fit_the_printable_area() -> None:
    assert Sheet("a4", "portrait").page_mm == (210, 297)
    assert Sheet("a3", "landscape").page_mm == (420, 297)
    for paper in printing.PAPERS:
        for orientation in printing.ORIENTATIONS:
            sheet = Sheet(paper, orientation)
            height = sheet.page_mm[1]
            assert 0 < sheet.map_height_mm < height - 2 * printing.MARGIN_MM


def test_reading_order_is_north_to_south_then_west_to_east_then_by_id() -> None:
    rows = [{"id": 3, "p": (136.6, 36.5)}, {"id": 1, "p": (136.7, 36.6)}, {"id": 2, "p": (136.5, 36.6)}, {"id": 0, "p": (136.5, 36.6)}]
    assert [r["id"] for r in in_reading_order(rows, "p")] == [0, 2, 1, 3]


def test_print_options_keep_only_layers_the_map_has(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    for name, text in PRINT_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    loaded = load_app_text(PRINT_APP, tmp_path, "app.yaml").spec
    assert loaded is not None
    spec = loaded.maps["routes"]
    assert print_options(spec, {}).layers == (0, 2)
    assert print_options(spec, {"paper": ["a3"]}).layers == (0, 2)  # written by hand: the opening layers
    assert print_options(spec, {"chosen": ["1"], "layers": ["2", "7", "x", "0", "-1"]}).layers == (0, 2)
    assert print_options(spec, {"chosen": ["1"], "layers": ["1"]}).layers == (1,)
