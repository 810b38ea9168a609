"""Map YAML: what staff write, and the exact words they read when something is wrong (in both languages)."""
from __future__ import annotations

from collections.abc import Callable

from lowcode.spec.loader import LoadedApp
from lowcode.spec.maps import CenterSpec, LayerSpec, TileServerSpec

LoadApp = Callable[..., LoadedApp]

SCHOOLS_CSV = "name,lat,lon\n緑小学校,36.5613,136.6562\n泉小学校,36.5501,136.6410\n"
SWAPPED_CSV = "name,lat,lon\n緑小学校,136.6562,36.5613\n泉小学校,136.6410,36.5501\n"
AREA = "service_area: {name: {ja: 金沢市, en: Kanazawa}, bbox: [136.4, 36.3, 136.9, 36.8]}\n"


def codes(loaded: LoadedApp) -> list[str]:
    return [p.code for p in loaded.problems]


def only(loaded: LoadedApp, code: str):
    found = [p for p in loaded.problems if p.code == code]
    assert len(found) == 1, [p.render() for p in loaded.problems]
    return found[0]


def test_a_map_with_table_and_file_layers_loads(load_app: LoadApp) -> None:
    loaded = load_app(
        """
        service_area: {name: {ja: 金沢市, en: Kanazawa}, bbox: [136.4, 36.3, 136.9, 36.8]}
        basemap: gsi_pale
        maps:
          hazards:
            title: {ja: 危険箇所マップ, en: Hazard map}
            center: {lat: 36.56, lon: 136.65}
            zoom: 13
            basemap: gsi_pale
            layers:
              - table: hazards
                where: {status: [checked, done]}
                color_by: theme
                popup: [title, theme]
                tooltip: title
              - file: data/schools.csv
                label: {ja: 小学校, en: Schools}
                popup: [name]
                label_property: name
        """,
        {"data/schools.csv": SCHOOLS_CSV},
    )
    assert loaded.problems == []
    spec = loaded.spec.maps["hazards"]
    assert spec.center == CenterSpec(lat=36.56, lon=136.65)
    assert spec.basemap == "gsi_pale"
    table_layer, file_layer = spec.layers
    assert (table_layer.kind, table_layer.cluster, table_layer.where) == ("table", True, {"status": ["checked", "done"]})
    assert (file_layer.kind, file_layer.lat, file_layer.lon) == ("file", "lat", "lon")


def test_a_custom_tile_server(load_app: LoadApp) -> None:
    loaded = load_app(
        """
        maps:
          m:
            center: {lat: 36.56, lon: 136.65}
            basemap: {url: "https://tiles.city.example.jp/{z}/{x}/{y}.png", attribution: 金沢市, max_zoom: 17}
        basemap: {url: "https://tiles.city.example.jp/{z}/{x}/{y}.png", attribution: 金沢市, max_zoom: 17}
        """
    )
    assert loaded.problems == []
    assert loaded.spec.maps["m"].basemap == TileServerSpec(
        url="https://tiles.city.example.jp/{z}/{x}/{y}.png", attribution="金沢市", max_zoom=17
    )


def test_a_map_with_other_tiles_than_the_picker_is_a_warning(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    center: {lat: 36.5, lon: 136.6}\n    basemap: gsi_pale\n")

    problem = only(loaded, "W_MAP_OWN_BASEMAP")
    assert problem.severity == "warning"
    assert problem.message("en") == (
        "This map uses the basemap 'gsi_pale', but the location picker and the detail pages use the app's 'osm': "
        "residents would see two different maps of one place."
    )
    assert problem.hint("ja") == "app.yaml の最上位に `basemap: gsi_pale` を一度だけ書き、ここからは消してください(意図して変える場合はそのままで構いません)。"


def test_one_basemap_at_the_top_serves_maps_and_picker(load_app: LoadApp) -> None:
    loaded = load_app("basemap: gsi_pale\nmaps:\n  m:\n    center: {lat: 36.5, lon: 136.6}\n    basemap: gsi_pale\n")

    assert codes(loaded) == []


def test_unknown_basemap_suggests_the_preset(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    center: {lat: 36.5, lon: 136.6}\n    basemap: gsi_pael\n")
    problem = only(loaded, "E_MAP_BASEMAP_UNKNOWN")
    assert problem.message("en") == "There is no basemap 'gsi_pael'."
    assert problem.message("ja") == "背景地図 'gsi_pael' はありません。"
    assert problem.hint("en") == (
        "Use one of: osm, gsi_std, gsi_pale, none; or `{url: …, attribution: …}` for your own tile server. "
        "Did you mean 'gsi_pale'?"
    )
    assert problem.hint("ja") == (
        "次のどれかを使ってください: osm, gsi_std, gsi_pale, none。自前のタイルサーバーなら `{url: …, attribution: …}` と書きます。"
        " もしかして: gsi_pale"
    )


def test_tile_url_without_placeholders(load_app: LoadApp) -> None:
    loaded = load_app(
        "maps:\n  m:\n    center: {lat: 36.5, lon: 136.6}\n"
        "    basemap: {url: 'https://tiles.example.jp/tile.png', attribution: x}\n"
    )
    problem = only(loaded, "E_MAP_TILE_URL")
    assert problem.message("en") == "The tile address 'https://tiles.example.jp/tile.png' is not a tile URL template."
    assert problem.hint("ja") == (
        "https://(このサーバーなら /)で始め、{z}・{x}・{y} を含めてください(例: https://tiles.example.jp/{z}/{x}/{y}.png)。"
    )


def test_popup_field_that_is_not_public_is_an_error(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    layers:\n      - {table: hazards, popup: [title, email]}\n")
    problem = only(loaded, "E_PRIVATE_ON_PUBLIC_PAGE")
    assert problem.severity == "error"
    assert problem.params == {"name": "email", "visibility": "private"}
    assert (problem.line, problem.column) == (23, 41)  # `email` in `- {table: hazards, popup: [title, email]}`


def test_colour_by_a_staff_field_or_a_non_choice(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    layers:\n      - {table: hazards, color_by: title}\n")
    problem = only(loaded, "E_MAP_COLOR_BY_TYPE")
    assert problem.message("en") == "`color_by` needs a choice field, and 'title' is a text field."
    assert problem.message("ja") == "`color_by` には選択肢(choice)の項目が必要ですが、'title' は text 型です。"
    assert problem.hint("en") == "Choice fields of this table: theme, status."


def test_unknown_table_and_field_suggest_names(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    layers:\n      - {table: hazard}\n      - {table: hazards, tooltip: titel}\n")
    assert only(loaded, "E_UNKNOWN_TABLE").suggestions == ("hazards",)
    assert only(loaded, "E_UNKNOWN_FIELD").suggestions == ("title",)


def test_where_uses_the_core_condition_check(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    layers:\n      - {table: hazards, where: {statuss: done}}\n")
    assert only(loaded, "E_UNKNOWN_FIELD").suggestions == ("status",)


def test_a_layer_needs_exactly_one_source(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    layers:\n      - {label: nothing}\n", {})
    problem = only(loaded, "E_MAP_LAYER_SOURCE")
    assert problem.message("en") == "A layer needs either `table:` or `file:` (exactly one)."
    assert problem.message("ja") == "レイヤーには `table:` か `file:` のどちらか一方が必要です。"


def test_table_options_on_a_file_layer(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    layers:\n      - {file: data/schools.csv, color_by: theme}\n", {"data/schools.csv": SCHOOLS_CSV})
    problem = only(loaded, "E_MAP_TABLE_OPTION")
    assert problem.message("en") == "'color_by' applies only to table layers, and this layer draws a file."
    assert problem.message("ja") == "'color_by' はテーブルのレイヤーにだけ使えます。このレイヤーはファイルを描いています。"


def test_missing_file_and_file_outside_data(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    layers:\n      - {file: data/nowhere.geojson}\n      - {file: ../secret.geojson}\n")
    assert only(loaded, "E_FILE_MISSING").params == {"name": "data/nowhere.geojson"}
    problem = only(loaded, "E_MAP_FILE_NOT_IN_DATA")
    assert problem.message("en") == "The file '../secret.geojson' is not in the app's data/ folder."
    assert problem.message("ja") == "ファイル '../secret.geojson' がアプリの data/ フォルダの中にありません。"


def test_swapped_csv_columns_are_an_error_that_says_so(load_app: LoadApp) -> None:
    loaded = load_app(AREA + "maps:\n  m:\n    layers:\n      - {file: data/schools.csv}\n", {"data/schools.csv": SWAPPED_CSV})
    problem = only(loaded, "E_MAP_FILE_SWAPPED_CSV")
    assert problem.severity == "error"
    assert problem.message("en") == (
        "The coordinates in 'data/schools.csv' look swapped: most points fall outside the service area (or off the globe) "
        "but inside it when latitude and longitude trade places."
    )
    assert problem.message("ja") == (
        "'data/schools.csv' の座標は緯度と経度が逆になっているようです。ほとんどの点がサービス区域(または地球)の外にあり、"
        "緯度と経度を入れ替えると中に入ります。"
    )
    assert problem.hint("en") == (
        "Check `lat: lat` and `lon: lon`: the latitude column (in Japan 20 to 46) goes in `lat:`, "
        "the longitude column (122 to 154) in `lon:`."
    )


def test_swapped_geojson_is_found_even_without_a_service_area(load_app: LoadApp) -> None:
    swapped = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[36.56,136.65]}}]}'
    loaded = load_app("maps:\n  m:\n    layers:\n      - {file: data/p.geojson}\n", {"data/p.geojson": swapped})
    problem = only(loaded, "E_MAP_FILE_SWAPPED")
    assert problem.hint("en") == "GeoJSON and KML write longitude first, [lon, lat]; save the file again with the order corrected."


def test_csv_column_names_get_a_did_you_mean(load_app: LoadApp) -> None:
    csv = "name,latitude,lng\nA,36.5,136.6\n"
    loaded = load_app("maps:\n  m:\n    layers:\n      - {file: data/s.csv, lat: latitud, lon: lng}\n", {"data/s.csv": csv})
    problem = only(loaded, "E_MAP_CSV_COLUMN")
    assert problem.render("en").endswith(
        "[E_MAP_CSV_COLUMN] The CSV file 'data/s.csv' has no column 'latitud'. "
        "Columns of the file: name, latitude, lng. Did you mean 'latitude'?"
    )


def test_unknown_file_property(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    layers:\n      - {file: data/s.csv, popup: [nmae]}\n", {"data/s.csv": SCHOOLS_CSV})
    problem = only(loaded, "E_MAP_UNKNOWN_PROPERTY")
    assert problem.message("ja") == "ファイル 'data/s.csv' に属性 'nmae' はありません。"
    assert problem.suggestions == ("name",)


def test_centre_outside_the_service_area_is_a_warning(load_app: LoadApp) -> None:
    loaded = load_app(AREA + "maps:\n  m:\n    center: {lat: 35.68, lon: 139.76}\n")
    problem = only(loaded, "W_MAP_CENTER_OUTSIDE_AREA")
    assert problem.severity == "warning"
    assert problem.message("en") == "The map's centre (lat 35.68, lon 139.76) is outside the service area."
    assert problem.message("ja") == "地図の中心(緯度 35.68、経度 139.76)がサービス区域の外です。"


def test_bbox_written_latitude_first(load_app: LoadApp) -> None:
    loaded = load_app("service_area: {bbox: [36.3, 136.4, 36.8, 136.9]}\n")
    problem = only(loaded, "E_SERVICE_AREA_BBOX_ORDER")
    assert problem.message("en") == (
        "The bbox [36.3, 136.4, 36.8, 136.9] looks like latitude first; it must be [west, south, east, north], longitude first."
    )
    assert problem.message("ja") == "bbox [36.3, 136.4, 36.8, 136.9] は緯度が先になっているようです。[西, 南, 東, 北](経度が先)で書いてください。"


def test_service_area_file_without_polygon(load_app: LoadApp) -> None:
    points = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[136.6,36.5]}}]}'
    loaded = load_app("service_area: {file: data/area.geojson}\n", {"data/area.geojson": points})
    problem = only(loaded, "E_SERVICE_AREA_FILE")
    assert problem.message("en") == "The service area file 'data/area.geojson' cannot be used: no Polygon or MultiPolygon in the file."


def test_a_kml_service_area_may_be_a_multigeometry(load_app: LoadApp) -> None:
    # The same reading as the `areas:` files: a placemark whose polygons sit in a MultiGeometry is an area.
    kml = (
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><MultiGeometry>'
        "<Polygon><outerBoundaryIs><LinearRing><coordinates>136.4,36.3 136.9,36.3 136.9,36.8 136.4,36.3</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark></kml>"
    )
    loaded = load_app("service_area: {file: data/area.kml}\n", {"data/area.kml": kml})
    assert loaded.problems == [], [p.render() for p in loaded.problems]


def test_several_location_fields_need_field(load_app: LoadApp) -> None:
    yaml = """
        tables:
          trips:
            fields:
              start: {type: location}
              goal: {type: location}
        maps:
          m:
            layers: [{table: trips}]
    """
    problem = only(load_app(yaml, tables=False), "E_MAP_WHICH_LOCATION")
    assert problem.message("en") == "The table 'trips' has several location fields; say which one this layer draws."
    assert problem.hint("en") == "Add `field:` with one of: start, goal."


def test_a_private_location_is_never_drawn(load_app: LoadApp) -> None:
    yaml = """
        tables:
          homes:
            fields:
              home: {type: location, visibility: private}
        maps:
          m:
            layers: [{table: homes}]
    """
    assert codes(load_app(yaml, tables=False)) == ["E_PRIVATE_ON_PUBLIC_PAGE"]


def test_bad_colour_is_reported(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    layers:\n      - {table: hazards, style: {color: 'red;background:url(x)'}}\n")
    problem = only(loaded, "E_MAP_COLOR")
    assert problem.message("en") == "'red;background:url(x)' is not a colour."


def test_every_field_has_a_description() -> None:
    from lowcode.spec import maps

    for model in (maps.MapSpec, LayerSpec, maps.ServiceAreaSpec, TileServerSpec, maps.StyleSpec, maps.StyleBySpec,
                  maps.ControlsSpec, CenterSpec):
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name}"
