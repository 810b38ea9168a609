"""A package outside lowcode/ adds a field type (a 1–5 `rating`) through the entry-point group `lowcode.field_types`,
and an app uses it: validate accepts it, the form shows its input, 1–5 is stored, 6 is refused with the type's own
message, the list shows it the type's way and filters by it."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import support
from flask import Flask
from plugin_dists import installed, write_distribution

from lowcode.fields.base import FIELD_TYPES, field_type
from lowcode.spec.fieldtypes import reload_field_kinds

SPEC_HALF = """
    from lowcode.spec.fieldtypes import FieldKind
    from lowcode.values import InvalidValue, parse_integer


    def parse_rating(raw: str) -> int:
        try:
            value = parse_integer(raw)
        except InvalidValue:
            raise InvalidValue("not_rating") from None
        if not 1 <= value <= 5:
            raise InvalidValue("not_rating")
        return value


    RATING = FieldKind(
        "rating", engine="rating_plugin.engine:RatingType", parse_text=parse_rating, filterable=True,
        messages={"not_rating": {"ja": "星の数は1から5で選んでください。", "en": "Please give 1 to 5 stars."}},
    )
"""
ENGINE_HALF = """
    import sqlalchemy as sa

    from lowcode.fields import FieldType


    class RatingType(FieldType):
        name = "rating"
        sql_type = sa.Integer
        input_type = "number"

        def render_kw(self, spec, lang):
            return {**super().render_kw(spec, lang), "min": 1, "max": 5}

        def display(self, value, spec, lang):
            return "" if value is None else "★" * value

        def filter_options(self, spec, lang):
            return [(str(n), "★" * n) for n in range(1, 6)]
"""
APP = """
title: {ja: 施設の評価, en: Ratings}
tables:
  visits:
    fields:
      place: {type: text, required: true, label: {ja: 施設, en: Place}}
      stars: {type: rating, required: true, label: {ja: 星, en: Stars}}
forms:
  rate: {table: visits, title: {ja: 評価する, en: Rate a place}}
lists:
  visits: {table: visits, title: {ja: 評価, en: Ratings}, columns: [place, stars], filters: [stars]}
"""
FORM = "/demo/forms/rate"


def write_rating_plugin(site: Path) -> Path:
    return write_distribution(
        site, "rating_plugin",
        {"rating_plugin/__init__.py": SPEC_HALF, "rating_plugin/engine.py": ENGINE_HALF},
        {"lowcode.field_types": {"rating": "rating_plugin:RATING"}},
    )


@pytest.fixture
def rating_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    site = write_rating_plugin(tmp_path / "site")
    with installed(monkeypatch, site, ("rating_plugin",), (reload_field_kinds,)):
        yield site
    FIELD_TYPES.pop("rating", None)


def test_validate_accepts_a_type_only_a_plug_in_knows(tmp_path: Path) -> None:
    site = write_rating_plugin(tmp_path / "site")
    support.write_app(tmp_path / "apps" / "demo", APP)
    command = [sys.executable, "-m", "lowcode.cli", "validate", "apps/demo", "--lang", "en"]

    without = subprocess.run(command, check=False, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    with_plugin = subprocess.run(command, check=False, cwd=tmp_path, capture_output=True, text=True, timeout=60,
                                 env={**os.environ, "PYTHONPATH": str(site)})

    assert without.returncode == 1
    assert "[E_NOT_ONE_OF] 'rating' is not a possible value of 'type'." in without.stderr
    assert with_plugin.returncode == 0, with_plugin.stderr


def test_the_schema_lists_a_plug_in_type(rating_plugin: Path) -> None:
    from lowcode.spec.models import FieldSpec

    assert FieldSpec.model_json_schema()["properties"]["type"]["enum"][-1] == "rating"


def test_a_plug_in_type_is_shown_stored_refused_and_listed(rating_plugin: Path, make_app: Callable[..., Flask]) -> None:
    app = make_app(APP)
    client = app.test_client()

    form = client.get(FORM).get_data(as_text=True)
    refused = client.post(FORM, data={"csrf_token": support.csrf_token(client, FORM), "place": "図書館", "stars": "6"})
    sent = client.post(FORM, data={"csrf_token": support.csrf_token(client, FORM), "place": "図書館", "stars": "4"})
    listed = client.get("/demo/lists/visits").get_data(as_text=True)
    four, three = (client.get(f"/demo/lists/visits?stars={n}").get_data(as_text=True) for n in (4, 3))

    assert re.search(r'<input[^>]*id="stars"[^>]*>', form)
    stars_input = re.search(r'<input[^>]*id="stars"[^>]*>', form).group(0)  # type: ignore[union-attr]
    assert all(attr in stars_input for attr in ('type="number"', 'min="1"', 'max="5"'))
    assert refused.status_code == 422
    refused_html = refused.get_data(as_text=True)
    assert "星の数は1から5で選んでください。" in refused_html
    assert 'value="図書館"' in refused_html  # what the resident typed is kept
    assert sent.status_code == 303
    assert stored_values(app, "visits", "stars") == [4]
    assert re.search(r"<td[^>]*>★★★★</td>", listed)
    assert '<option value="5">★★★★★</option>' in listed  # the type's filter menu
    assert "図書館" in four and "図書館" not in three


def stored_values(app: Flask, table: str, field: str) -> list[object]:
    state = app.extensions["lowcode"]
    store = next(iter(state.runtimes.values())).stores[table]
    with app.app_context(), state.db.engine.connect() as conn:
        return [row[field] for row in conn.execute(store.table.select()).mappings()]


def test_a_plug_in_whose_engine_part_is_missing_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = write_distribution(
        tmp_path / "site", "rating_plugin", {"rating_plugin/__init__.py": SPEC_HALF.replace("rating_plugin.engine:", "rating_plugin.gone:")},
        {"lowcode.field_types": {"rating": "rating_plugin:RATING"}},
    )
    with installed(monkeypatch, site, ("rating_plugin",), (reload_field_kinds,)), pytest.raises(LookupError) as raised:
        field_type("rating")

    assert "the field type 'rating' names its engine part 'rating_plugin.gone:RatingType', which cannot be loaded" in str(raised.value)
