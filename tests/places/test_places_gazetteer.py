from __future__ import annotations

import json
from pathlib import Path

import pytest

from lowcode.geo.files import read_features
from lowcode.places.gazetteer import Gazetteer, Place


@pytest.mark.parametrize(
    ("address", "town"),
    [
        ("金沢市広坂１丁目", "広坂一丁目"),
        ("石川県金沢市広坂一丁目１番１号", "広坂一丁目"),
        ("〒920-0962 金沢市広坂２－１－１", "広坂二丁目"),
        ("広坂2-1-1", "広坂二丁目"),
        ("四十万３丁目10", "四十万三丁目"),
        ("四十万町ロ", "四十万町"),
        ("下本多町5番丁", "下本多町五番丁"),
        ("醒ヶ井町", "醒ケ井町"),
        ("三口新町1-2-3", "三口新町一丁目"),
        ("三口新町12番地", "三口新町"),
    ],
)
def test_gazetteer_finds_kanazawa_towns_however_written(gazetteer: Gazetteer, address: str, town: str) -> None:
    result = gazetteer.geocode(address)
    assert result is not None and result.name == town and result.source == "gazetteer"


def test_gazetteer_returns_the_towns_own_point(gazetteer: Gazetteer) -> None:
    result = gazetteer.geocode("金沢市広坂１丁目")
    assert result is not None
    assert (result.lon, result.lat) == (136.6578, 36.560745)  # the CSV row of 広坂一丁目, in (lon, lat) order


@pytest.mark.parametrize("address", ["白山市鶴来本町", "広坂", "東京都千代田区千代田1-1", ""])
def test_gazetteer_does_not_guess(gazetteer: Gazetteer, address: str) -> None:
    assert gazetteer.geocode(address) is None


def test_gazetteer_skips_rows_without_coordinates(gazetteer: Gazetteer) -> None:
    # 912 distinct towns in the file; いなほ三丁目 and 金石上越前町 have no point.
    assert len(gazetteer) == 910
    assert gazetteer.geocode("金石上越前町") is None


def test_reverse_names_the_nearest_town(gazetteer: Gazetteer) -> None:
    assert gazetteer.reverse(136.6578, 36.560745) == "広坂一丁目"
    assert gazetteer.reverse(136.6580, 36.5609) == "広坂一丁目"


def test_reverse_uses_every_koaza_point_but_names_the_town(gazetteer: Gazetteer) -> None:
    # 相合谷町 イ is a 小字 row of the CSV, away from the town's own point.
    assert gazetteer.reverse(136.711451, 36.498796) == "相合谷町"


def test_reverse_far_from_every_town_is_none(gazetteer: Gazetteer) -> None:
    assert gazetteer.reverse(139.7671, 35.6812) is None  # Tokyo station


def test_gazetteer_from_geojson_polygons_uses_a_point_inside(tmp_path: Path) -> None:
    square = [[[136.60, 36.50], [136.62, 36.50], [136.62, 36.52], [136.60, 36.52], [136.60, 36.50]]]
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"名称": "テスト町"}, "geometry": {"type": "Polygon", "coordinates": square}}],
    }
    path = tmp_path / "towns.geojson"
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    result = Gazetteer.from_features(read_features(path), "名称").geocode("テスト町1-1")
    assert result is not None and 136.60 < result.lon < 136.62 and 36.50 < result.lat < 36.52


def test_empty_gazetteer_answers_none() -> None:
    empty = Gazetteer([])
    assert empty.geocode("広坂") is None and empty.reverse(136.6, 36.5) is None


def test_first_row_of_a_name_wins() -> None:
    gazetteer = Gazetteer([Place("本町", 1.0, 2.0), Place("本町", 3.0, 4.0)])
    result = gazetteer.geocode("本町")
    assert result is not None and (result.lon, result.lat) == (1.0, 2.0)
