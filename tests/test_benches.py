"""The benches compare against fair baselines (issue 7, items 39 and 40): the same page, templates compiled once,
the plain loop a developer would write."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely
from flask import Flask

from lowcode.app import create_app

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import baseline_app, core_bench, places_bench  # bench/ sits beside lowcode/, not inside it

LIST = "/bench/lists/hazards"


@pytest.fixture
def both_apps(tmp_path: Path, database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Flask, Flask]]:
    """lowcode serving the bench app, and the hand-written baseline over the same table."""
    apps = core_bench.write_bench_app(tmp_path, 120)
    ours = create_app(apps, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database,
                             "WTF_CSRF_ENABLED": False})
    monkeypatch.setenv("BASELINE_DB", database)
    base = baseline_app.create_app()
    yield ours, base
    for app in (ours, base):
        with app.app_context():
            engine = app.extensions["lowcode"].db.engine if "lowcode" in app.extensions else app.extensions["sqlalchemy"].engine
            engine.dispose()


@pytest.mark.parametrize("query", ["", "?page=2", "?page=3&sort=title", "?sort=-theme", "?page=999"])
def test_the_baseline_shows_the_same_list_page(both_apps: tuple[Flask, Flask], query: str) -> None:
    ours, base = (app.test_client().get(LIST + query) for app in both_apps)
    assert ours.status_code == base.status_code == 200
    ours_text, base_text = (core_bench.VisibleText.lines(r.get_data(as_text=True)) for r in (ours, base))
    assert ours_text == base_text
    assert "hazards" in ours_text and any("件" in line for line in ours_text)  # a page, not an empty shell
    assert ours.get_data(as_text=True).count('<tr role="row">') == base.get_data(as_text=True).count('<tr role="row">') > 1


def test_the_baseline_compiles_its_templates_once(both_apps: tuple[Flask, Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    """render_template_string compiled the page on every request, which made the baseline twice as slow."""
    base = both_apps[1]
    compiled: list[str | None] = []
    original: Any = base.jinja_env.compile

    def counting_compile(source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return original(source, name, *args, **kwargs)

    monkeypatch.setattr(base.jinja_env, "compile", counting_compile)
    client = base.test_client()
    assert client.get(LIST).status_code == 200
    first = len(compiled)
    for _ in range(3):
        assert client.get(LIST + "?page=2").status_code == 200
    assert first <= 2 and len(compiled) == first  # list.html and base.html, once


def test_the_visible_text_ignores_markup_and_scripts() -> None:
    html = '<p>一覧 <b>10</b> 件</p><script>var x = "<p>hidden</p>";</script><ul><li>a</li><li>b</li></ul>'
    assert core_bench.VisibleText.lines(html) == ["一覧 10 件", "a", "b"]


def test_the_places_bench_measures_against_the_plain_loop(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(places_bench, "POINTS", 400)
    monkeypatch.setattr(places_bench, "LOOP_SAMPLE", 100)
    places_bench.bench_areas()  # asserts that the index and every loop give the same answers
    out = capsys.readouterr().out
    assert "baseline: a plain loop calling polygon.contains(Point(x, y)) on each polygon, timed on 100 points" in out
    assert "scaled to 400" in out and "x the baseline" in out and "naive" not in out


def test_the_plain_loop_is_the_answer_of_polygon_contains() -> None:
    import random

    areas = places_bench.make_polygons(random.Random(1))
    name, polygon = areas[7]
    inside = polygon.representative_point()
    assert places_bench.plain_loop(areas, inside.x, inside.y) == name
    assert places_bench.plain_loop(areas, 0.0, 0.0) is None
    prepared = places_bench.prepared_copies(areas)
    assert places_bench.plain_loop(prepared, inside.x, inside.y) == name
    assert shapely.is_prepared(prepared[7][1]) and not shapely.is_prepared(polygon)  # the index's own stay as they are
